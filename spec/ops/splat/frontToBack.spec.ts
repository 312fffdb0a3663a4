// The splats' front-to-back order is a radix sort on the depth bits; its plain twin is a
// comparison sort by (depth, index). Ties must keep index order: the front lists depend on it.

import { expect } from 'chai';
import { Random } from '../../../lib/random.js';
import { frontToBack } from '../../../ops/splat/rasterizeSplats.js';
import { emptyScreenSplats } from '../../../ops/splat/screenSplats.js';

describe('frontToBack', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`orders active splats by depth, then index, like a comparison sort (seed ${seed})`, () => {
      const rng = new Random(seed);
      const n = 1 + Math.floor(rng.next() * 3000);
      const s = emptyScreenSplats(n, seed % 2 === 0);
      for (let k = 0; k < n; k++) {
        s.active[k] = rng.next() < 0.7 ? 1 : 0;
        // many exact ties, and depths over six orders of magnitude
        s.depth[k] = rng.next() < 0.3 ? 1 + Math.floor(rng.next() * 5) : 10 ** (rng.next() * 6 - 3);
      }
      const want = Array.from({ length: n }, (_, k) => k).filter((k) => s.active[k]).sort((a, b) => s.depth[a] - s.depth[b] || a - b);
      expect(Array.from(frontToBack(s))).to.deep.equal(want);
    });
  }
});

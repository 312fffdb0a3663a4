// The splats' front-to-back order is a radix sort on the float32 bits of the depths, then an exact
// sort inside runs float32 can't tell apart; its plain twin is a comparison sort by (depth,
// index). Ties must keep index order: the front lists depend on it.

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
      const want = Array.from({ length: n }, (_, k) => k)
        .filter((k) => s.active[k])
        .sort((a, b) => s.depth[a] - s.depth[b] || a - b);
      expect(Array.from(frontToBack(s))).to.deep.equal(want);
    });
  }

  for (const run of [5, 200]) {
    it(`orders depths closer than float32 can tell apart, exactly (runs of ${run})`, () => {
      // groups of `run` depths within 1e-12 of each other, shuffled, with exact ties among them
      const rng = new Random(run);
      const n = 4 * run;
      const s = emptyScreenSplats(n, false);
      for (let k = 0; k < n; k++) {
        s.active[k] = 1;
        s.depth[k] = 1 + Math.floor(rng.next() * 4) + Math.floor(rng.next() * run * 0.8) * 2 ** -50;
      }
      const want = Array.from({ length: n }, (_, k) => k).sort((a, b) => s.depth[a] - s.depth[b] || a - b);
      expect(Array.from(frontToBack(s))).to.deep.equal(want);
    });
  }
});

// The fast renderer and its textbook twin must agree: same front lists, same weights, same images.

import { expect } from 'chai';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { frontCamera, randomScene } from './scenes.js';

describe('ewaSplat fast path vs reference twin', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`agrees on random scene ${seed}`, () => {
      const { positions, normals, attributes } = randomScene(40, seed);
      const camera = frontCamera(48, 40);
      const options = { sigma: 0.06, mergeThreshold: 0.15, frontCount: 3, backfaceCulling: seed % 2 === 0 };
      const fast = ewaSplat(positions, normals, attributes, camera, options);
      const ref = ewaSplat(positions, normals, attributes, camera, { ...options, implementation: 'reference' });
      const covered = Array.from(fast.alpha.data).reduce((s, v) => s + v, 0);
      expect(covered, 'the scene must cover pixels').to.be.greaterThan(200);
      expect(Array.from(fast.cache.count)).to.deep.equal(Array.from(ref.cache.count));
      expect(Array.from(fast.cache.visible)).to.deep.equal(Array.from(ref.cache.visible));
      expect(Array.from(fast.cache.index)).to.deep.equal(Array.from(ref.cache.index));
      // some pixels hold more than one splat and some hide one: the scene exercises eq. 5
      expect(fast.cache.count.some((c) => c > 1)).to.equal(true);
      expect(fast.cache.count.some((c, p) => fast.cache.visible[p] < c)).to.equal(true);
      for (let i = 0; i < fast.cache.rho.length; i++) {
        expect(fast.cache.rho[i]).to.be.closeTo(ref.cache.rho[i], 1e-6 * Math.max(1, ref.cache.rho[i]));
      }
      for (let i = 0; i < fast.image.size; i++) expect(fast.image.data[i]).to.be.closeTo(ref.image.data[i], 1e-9);
    });
  }
});

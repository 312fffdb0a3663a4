// The fast renderer and its textbook twin must agree: same front lists, same weights, same images.

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { mul, sub, sum } from '../../../ops/index.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { ewaSplatReference } from '../../../ops/splat/ewaSplatReference.js';
import { frontCamera, randomScene } from './scenes.js';

describe('ewaSplat fast path vs reference twin', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`agrees on random scene ${seed}`, () => {
      const { positions, normals, attributes } = randomScene(40, seed);
      const camera = frontCamera(48, 40);
      const options = { sigma: 0.06, mergeThreshold: 0.15, frontCount: 3, backfaceCulling: seed % 2 === 0 };
      const fast = ewaSplat(positions, normals, attributes, camera, options);
      const ref = ewaSplatReference(positions, normals, attributes, camera, options);
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

describe('splat backward fast path vs reference twin', () => {
  // seed 8 renders two attribute channels: the paths that do not assume RGB
  // windows past 2 FOVEA are scanned ring by ring at growing strides: 40 and 72 px take two and three rings
  const cases = [5, 6, 7, 8]
    .map((seed) => ({ seed, window: 12, size: [40, 36] }))
    .concat([
      { seed: 9, window: 40, size: [72, 64] },
      { seed: 10, window: 72, size: [84, 76] },
    ]);
  for (const { seed, window, size } of cases) {
    it(`agrees on random scene ${seed} (smooth and artificial parts, window ${window}${seed === 8 ? ', two channels' : ''})`, () => {
      const channels = seed === 8 ? 2 : 3;
      const scene = (n: number, sd: number) => {
        const s = randomScene(n, sd);
        if (channels === 3) return s;
        const a = s.attributes.data;
        return {
          ...s,
          attributes: tensor(
            Array.from({ length: n }, (_, k) => [a[3 * k], a[3 * k + 1]]),
            { dtype: 'float64' },
          ),
        };
      };
      const camera = frontCamera(size[0], size[1]);
      const options = { sigma: 0.06, mergeThreshold: 0.15, frontCount: 3, window };
      const target = scene(30, seed + 100);
      const targetImage = ewaSplat(target.positions, target.normals, target.attributes, camera, options).image;
      const grads = (implementation: 'fast' | 'reference') => {
        const s = scene(30, seed);
        for (const t of [s.positions, s.normals, s.attributes]) t.requiresGrad = true;
        const render = implementation === 'fast' ? ewaSplat : ewaSplatReference;
        const d = sub(render(s.positions, s.normals, s.attributes, camera, options).image, targetImage);
        sum(mul(d, d)).backward();
        return [s.positions.grad!.data, s.normals.grad!.data, s.attributes.grad!.data].map((g) => Array.from(g));
      };
      const fast = grads('fast');
      const ref = grads('reference');
      ['positions', 'normals', 'attributes'].forEach((name, i) => {
        expect(
          fast[i].some((v) => v !== 0),
          `${name} gradient is exercised`,
        ).to.equal(true);
        fast[i].forEach((v, e) => expect(v, `${name}[${e}]`).to.be.closeTo(ref[i][e], 1e-7 * Math.max(1, Math.abs(ref[i][e]))));
      });
    });
  }
});

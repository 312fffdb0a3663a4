// The exact half of the DSS backward: with the visibility h frozen (eq. 9), the gradient through
// rho_bar and the attributes must match float64 finite differences.

import { expect } from 'chai';
import { gradcheck } from '../../../lib/gradcheck.js';
import type { Tensor } from '../../../lib/tensor.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { Camera } from '../../../geometry/camera.js';
import { frontCamera, randomScene } from './scenes.js';
import { expectGrads } from '../../helpers.js';

describe('ewaSplat smooth gradient (visibility frozen)', () => {
  const options = { sigma: 0.06, mergeThreshold: 0.15, frontCount: 4 };

  for (const [seed, camera] of [
    [1, frontCamera(40, 32)],
    [2, Camera.lookAt({ eye: [1.2, -0.8, 2.6], target: [0.1, 0, 0], width: 36, height: 36, fovY: 45 })],
  ] as const) {
    it(`matches finite differences for positions, normals and attributes (scene ${seed})`, () => {
      const s = randomScene(24, seed);
      for (const t of [s.positions, s.normals, s.attributes]) t.requiresGrad = true;
      const render = ewaSplat(s.positions, s.normals, s.attributes, camera, options);
      const visible = Array.from(render.cache.visible).filter((v) => v > 1).length;
      expect(visible, 'pixels blending several splats').to.be.greaterThan(20);
      const frozen = (p: Tensor, n: Tensor, w: Tensor) => ewaSplat(p, n, w, camera, { ...options, visibility: render.cache }).image;
      const report = expectGrads(frozen, [s.positions, s.normals, s.attributes]);
      expect(report.mode).to.equal('elements');
    });
  }

  it('catches a wrong gradient: the check fails when the chain drops a term', () => {
    const s = randomScene(12, 3);
    s.positions.requiresGrad = true;
    const camera = frontCamera(32, 32);
    const render = ewaSplat(s.positions, s.normals, s.attributes, camera, options);
    // the same frozen render, but with a different sigma in the forward than the backward sees
    const wrong = (p: Tensor) => {
      const r = ewaSplat(p, s.normals, s.attributes, camera, { ...options, visibility: render.cache });
      r.options.sigma *= 1.5; // the backward reads the (now wrong) sigma
      return r.image;
    };
    expect(gradcheck(wrong, [s.positions], { raise: false }).ok).to.equal(false);
  });
});

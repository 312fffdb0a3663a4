// Gradients of the renderer against float64 central differences: the fast op (hand-written
// backward) and its tape twin, in every mode, to every input and to the camera pose; and a
// deliberately wrong backward is caught.

import { expect } from 'chai';
import { customOp } from '../../../lib/customOp.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import type { Tensor } from '../../../lib/tensor.js';
import { fuzzyMetaballs } from '../../../ops/metaballs/fuzzyMetaballs.js';
import { fuzzyMetaballsReference } from '../../../ops/metaballs/fuzzyMetaballsReference.js';
import type { MetaballOptions } from '../../../ops/metaballs/options.js';
import { expectGrads } from '../../helpers.js';
import { frontCamera, poseOf, randomMetaballs } from './scenes.js';

const camera = frontCamera(16, 12);
const modes: MetaballOptions[] = [{}, { front: 'sigmoid' }, { alpha: 'sigmoid', betas: { beta4: 5, beta5: -0.2 } }, { front: 'sigmoid', alpha: 'sigmoid', betas: { beta1: 2, beta4: 5, beta5: -0.2 } }];
const label = (o: MetaballOptions) => `front ${o.front ?? 'hard'}, alpha ${o.alpha ?? 'exp'}`;

for (const [name, render] of [
  ['fuzzyMetaballs (fast, hand-written backward)', fuzzyMetaballs],
  ['fuzzyMetaballsReference (tape twin)', fuzzyMetaballsReference],
] as const) {
  describe(`${name}: gradcheck`, () => {
    modes.forEach((mode, m) => {
      it(`matches central differences for means, precisions, log-weights and the pose (${label(mode)})`, () => {
        const fm = randomMetaballs(3, 10 + m);
        const pose = poseOf(camera);
        const options = { ...mode, scale: 1.2, threads: 1, pose };
        const probe = render(fm, camera, options);
        // the render covers the frame and carries depth, alpha and normals
        expect(Array.from(probe.alpha.data).filter((a) => a > 0.1).length, 'pixels with alpha').to.be.greaterThan(40);
        expect(probe.stats.kept, 'pairs that count').to.be.greaterThan(100);
        expectGrads(
          (means, precisions, logWeights, R, t) => {
            const r = render({ means, precisions, logWeights }, camera, { ...options, pose: { R, t } });
            return [r.depth, r.alpha, r.normal];
          },
          [fm.means, fm.precisions, fm.logWeights, pose.R, pose.t],
          { atol: 1e-6, rtol: 1e-4 },
        );
      });
    });
  });
}

describe('fuzzyMetaballs gradcheck: a wrong backward is caught', () => {
  it('fails when the gradient of one output is scaled', () => {
    const fm = randomMetaballs(3, 20);
    // the renderer's depth, with its gradient doubled on the way back: the check must fail
    const doubled = customOp({
      name: 'doubleGradient',
      forward(ctx, x: Tensor) {
        const out = ctx.output(x.shape);
        out.data.set(x.data);
        return out;
      },
      backward(ctx, g) {
        const out = ctx.zeros(g!.length);
        for (let i = 0; i < out.length; i++) out[i] = 2 * g![i];
        return [out];
      },
    });
    const report = gradcheck((means) => doubled(fuzzyMetaballs({ ...fm, means }, camera, { scale: 1.2, threads: 1 }).depth), [fm.means], { raise: false });
    expect(report.ok).to.equal(false);
    expect(report.maxAbsNumeric).to.be.greaterThan(1e-3);
  });
});

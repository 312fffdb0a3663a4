import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { gradcheck } from '../../lib/gradcheck.js';
import { poseAboutCentre, rotationErrorDegrees, rotationFromVector, rotationMatrix } from '../../ops/cameraPose.js';
import { customOp } from '../../lib/customOp.js';
import type { Tensor } from '../../lib/tensor.js';
import { expectGrads } from '../helpers.js';

describe('rotationFromVector', () => {
  it('gives proper rotations: R R^T = I, det 1, the axis fixed and the angle |w|', () => {
    const w = [0.3, -0.8, 0.5];
    const R = rotationMatrix(w);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(R[3 * i] * R[3 * j] + R[3 * i + 1] * R[3 * j + 1] + R[3 * i + 2] * R[3 * j + 2]).to.be.closeTo(i === j ? 1 : 0, 1e-14);
    const axis = [0, 1, 2].map((i) => R[3 * i] * w[0] + R[3 * i + 1] * w[1] + R[3 * i + 2] * w[2]);
    axis.forEach((a, i) => expect(a).to.be.closeTo(w[i], 1e-14));
    expect(rotationErrorDegrees(R, rotationMatrix([0, 0, 0]))).to.be.closeTo((Math.hypot(...w) * 180) / Math.PI, 1e-9);
  });

  for (const [name, w] of [
    ['a general angle', [0.4, -1.1, 0.7]],
    ['a small angle (series branch)', [2e-4, -1e-4, 3e-4]],
    ['zero', [0, 0, 0]],
    ['near pi', [0, 3.1, 0.05]],
  ] as const) {
    it(`matches central differences at ${name}`, () => {
      const x = tensor(Array.from(w), { dtype: 'float64', requiresGrad: true });
      expectGrads((v) => rotationFromVector(v), [x], { atol: 1e-7, rtol: 1e-5 });
    });
  }

  it('catches a wrong derivative (the check can fail)', () => {
    // R(w) with the derivative taken at 1.1 w: close, but wrong
    const shifted = customOp({
      name: 'shiftedRodrigues',
      forward(ctx, w: Tensor) {
        const out = ctx.output([3, 3]);
        out.data.set(rotationMatrix(w.data));
        ctx.save(Float64Array.from(w.data, (v) => 1.1 * v));
        return out;
      },
      backward(ctx, g) {
        const at = tensor(ctx.saved[0] as Float64Array, { dtype: 'float64', requiresGrad: true });
        rotationFromVector(at).backward(g!);
        return [at.grad!.data];
      },
    });
    const x = tensor([0.4, -1.1, 0.7], { dtype: 'float64', requiresGrad: true });
    const report = gradcheck((v) => shifted(v), [x], { raise: false });
    expect(report.ok).to.equal(false);
  });
});

describe('poseAboutCentre', () => {
  it('is the base pose at w = 0, tau = 0, and keeps the centre where tau puts it', () => {
    const R0 = rotationMatrix([0.2, 0.5, -0.1]);
    const t0 = [0.1, -0.2, 3];
    const centre = [0.3, 0.1, -0.2];
    const zero = poseAboutCentre(tensor([0, 0, 0], { dtype: 'float64' }), tensor([0, 0, 0], { dtype: 'float64' }), R0, t0, centre);
    Array.from(zero.R.data).forEach((v, i) => expect(v).to.be.closeTo(R0[i], 1e-15));
    Array.from(zero.t.data).forEach((v, i) => expect(v).to.be.closeTo(t0[i], 1e-15));
    const tau = [0.05, 0.02, -0.1];
    const moved = poseAboutCentre(tensor([0.3, -0.4, 0.2], { dtype: 'float64' }), tensor(tau, { dtype: 'float64' }), R0, t0, centre);
    const camera = (R: ArrayLike<number>, t: ArrayLike<number>, x: number[]) => [0, 1, 2].map((i) => R[3 * i] * x[0] + R[3 * i + 1] * x[1] + R[3 * i + 2] * x[2] + t[i]);
    const before = camera(R0, t0, centre),
      after = camera(moved.R.data, moved.t.data, centre);
    after.forEach((v, i) => expect(v).to.be.closeTo(before[i] + tau[i], 1e-14));
  });

  it('is differentiable in w and tau', () => {
    const w = tensor([0.3, -0.2, 0.1], { dtype: 'float64', requiresGrad: true });
    const tau = tensor([0.1, 0.2, -0.3], { dtype: 'float64', requiresGrad: true });
    expectGrads(
      (a, b) => {
        const p = poseAboutCentre(a, b, rotationMatrix([0.1, 0, 0.2]), [0, 0, 2], [0.5, -0.5, 0.2]);
        return [p.R, p.t];
      },
      [w, tau],
    );
  });
});

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { gradcheck } from '../../lib/gradcheck.js';
import type { Tensor } from '../../lib/tensor.js';
import { Camera } from '../../geometry/camera.js';
import { projectPoints, projectPointsWithDepth } from '../../ops/project.js';
import { sum } from '../../ops/reduce.js';
import { expectGrads, param } from '../helpers.js';

describe('projectPoints', () => {
  const camera = Camera.lookAt({ eye: [1, 1.5, -4], target: [0, 0, 0], width: 64, height: 48, fovY: 50, cx: 30, cy: 25 });

  it('matches Camera.project in value, for float32 and float64', () => {
    const pts = [0.1, 0.2, 0.3, -0.5, 0.4, 0.2];
    const ref = camera.project(pts);
    for (const dtype of ['float32', 'float64'] as const) {
      const [pix, depth] = projectPointsWithDepth(tensor(pts, { dtype, shape: [2, 3] }), camera);
      expect(pix.shape).to.deep.equal([2, 2]);
      expect(depth.shape).to.deep.equal([2]);
      expect(pix.dtype).to.equal(dtype);
      Array.from(pix.data).forEach((v, i) => expect(v).to.be.closeTo(ref.pixels[i], 1e-4));
      Array.from(depth.data).forEach((v, i) => expect(v).to.be.closeTo(ref.depth[i], 1e-5));
    }
  });

  it('gradchecks pixels and depth w.r.t. the points (float64)', () => {
    const pts = param([6, 3], 3, { std: 0.5 });
    expectGrads((p) => projectPointsWithDepth(p, camera), [pts]);
    expectGrads((p) => projectPoints(p, camera), [pts]);
  });

  it('gradchecks through depth alone (the pixel gradient is absent)', () => {
    const pts = param([4, 3], 5, { std: 0.5 });
    expectGrads((p) => projectPointsWithDepth(p, camera)[1], [pts]);
  });

  it('the check catches a wrong backward (R instead of R^T)', () => {
    const wrong = customOp({
      name: 'projectWrong',
      forward(ctx, p: Tensor) {
        const [pix] = projectPointsWithDepth(p.detach(), camera);
        const out = ctx.output(pix.shape);
        out.data.set(pix.data);
        ctx.save(p);
        return out;
      },
      backward(ctx, g) {
        const [p] = ctx.saved as [Tensor];
        const c = camera.toCamera(p.data);
        const gp = ctx.zeros(p.size);
        const R = camera.R;
        for (let i = 0; i < p.shape[0]; i++) {
          const J = camera.perspectiveJacobian(c.subarray(i * 3, i * 3 + 3));
          const gc = [0, 1, 2].map((j) => J[j] * g![i * 2] + J[3 + j] * g![i * 2 + 1]);
          for (let r = 0; r < 3; r++) gp[i * 3 + r] = R[r * 3] * gc[0] + R[r * 3 + 1] * gc[1] + R[r * 3 + 2] * gc[2];
        }
        return [gp];
      },
    });
    const report = gradcheck((p) => wrong(p), [param([3, 3], 2, { std: 0.5 })], { raise: false });
    expect(report.ok).to.equal(false);
  });

  it('sends the gradient of sum(u) along the image right axis for a point on the optical axis', () => {
    const cam = Camera.lookAt({ eye: [0, 0, -2], target: [0, 0, 0], width: 10, height: 10, focal: 8 });
    const p = tensor([[0, 0, 0]], { dtype: 'float64', requiresGrad: true });
    const pix = projectPoints(p, cam);
    sum(pix).backward();
    // du/dp = fx/z * right = 4 * (-1, 0, 0) (looking along +z with up +y, right is -x); dv/dp = 4 * down = 4 * (0, -1, 0)
    const g = Array.from(p.grad!.data);
    [-4, -4, 0].forEach((v, i) => expect(g[i]).to.be.closeTo(v, 1e-12));
  });

  it('rejects points behind the camera and wrong shapes', () => {
    expect(() => projectPoints(tensor([[0, 0, -10]], { dtype: 'float64' }), camera)).to.throw(ArgumentError, /point 0 .*behind/);
    expect(() => projectPoints(tensor([0, 0, 1], { dtype: 'float64' }), camera)).to.throw(ShapeError, /\[N, 3\]/);
  });
});

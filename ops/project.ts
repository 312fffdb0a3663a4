// Differentiable pinhole projection of N points (docs/dss.md §2):
//   c = R p + t,   pixel = (fx c_x / c_z + cx, fy c_y / c_z + cy),   depth = c_z
// Backward (per point): dL/dc = P'(c)^T dL/dpixel + e_z dL/ddepth, then dL/dp = R^T dL/dc,
// with P' = [fx/z, 0, -fx x/z^2; 0, fy/z, -fy y/z^2] the perspective Jacobian.
// The camera is a non-differentiable argument. Points at or behind the camera throw (Camera.project).

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import type { Tensor } from '../lib/tensor.js';
import { Camera } from '../geometry/camera.js';

const projectOp = customOp({
  name: 'projectPoints',
  forward(ctx, points: Tensor, camera: Camera) {
    if (!(camera instanceof Camera)) throw new ArgumentError('projectPoints: camera must be a Camera (Camera.lookAt or Camera.fromMatrix).');
    if (points.ndim !== 2 || points.shape[1] !== 3) throw new ShapeError(`projectPoints: points must have shape [N, 3], got [${points.shape}].`);
    const n = points.shape[0];
    const { pixels, depth } = camera.project(points.data);
    const pix = ctx.output([n, 2]);
    const dep = ctx.output([n]);
    pix.data.set(pixels);
    dep.data.set(depth);
    ctx.save(points, camera);
    return [pix, dep];
  },
  backward(ctx, gPixels, gDepth) {
    const [points, camera] = ctx.saved as [Tensor, Camera];
    const c = camera.toCamera(points.data);
    const n = c.length / 3;
    const gp = ctx.zeros(points.size);
    const R = camera.R,
      fx = camera.fx,
      fy = camera.fy;
    for (let i = 0; i < n; i++) {
      const x = c[i * 3],
        y = c[i * 3 + 1],
        iz = 1 / c[i * 3 + 2];
      const gu = gPixels ? gPixels[i * 2] : 0;
      const gv = gPixels ? gPixels[i * 2 + 1] : 0;
      // dL/dc = P'^T (gu, gv) + (0, 0, gDepth)
      const gcx = fx * iz * gu;
      const gcy = fy * iz * gv;
      const gcz = -(fx * x * gu + fy * y * gv) * iz * iz + (gDepth ? gDepth[i] : 0);
      // dL/dp = R^T dL/dc
      gp[i * 3] = R[0] * gcx + R[3] * gcy + R[6] * gcz;
      gp[i * 3 + 1] = R[1] * gcx + R[4] * gcy + R[7] * gcz;
      gp[i * 3 + 2] = R[2] * gcx + R[5] * gcy + R[8] * gcz;
    }
    return [gp];
  },
});

/** Pixel positions [N, 2] and depths [N] of points [N, 3] seen by `camera`, both differentiable. */
export function projectPointsWithDepth(points: Tensor, camera: Camera): [Tensor, Tensor] {
  return projectOp(points, camera) as [Tensor, Tensor];
}

/** Pixel positions [N, 2] of points [N, 3] seen by `camera` (differentiable w.r.t. the points). */
export function projectPoints(points: Tensor, camera: Camera): Tensor {
  return projectOp(points, camera)[0];
}

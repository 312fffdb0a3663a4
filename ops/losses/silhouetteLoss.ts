// A silhouette (visual-hull) loss: every point should project inside the target's mask.
//   L = sum_k D(project(p_k)),  D = the mask's distance transform (pixels, 0 inside), bilinear
// so its gradient pulls points that stray outside a silhouette back along -grad D and is exactly
// zero inside. Why the fitting loop needs it: a splat alone over background pixels gets no net
// artificial gradient (moving it any way keeps it over background, and scenario (c) pushes
// symmetric ways), so strays would stay for good (measured on the bunny demo: without it Chamfer
// drifts from 0.035 at step 500 to 0.068 at step 1,000).

import type { Camera } from '../../geometry/camera.js';
import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { chainScreenGradient } from '../splat/artificialGradient.js';

/** Per point: the loss term and dD/d(pixel); points off the image or behind the camera give 0. */
function sample(positions: ArrayLike<number>, camera: Camera, distance: Float32Array, gScreen: Float64Array | null): number {
  const { width: W, height: H, R, t, fx, fy, cx, cy } = camera;
  let loss = 0;
  for (let k = 0; k < positions.length / 3; k++) {
    const p0 = positions[3 * k],
      p1 = positions[3 * k + 1],
      p2 = positions[3 * k + 2];
    const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
    if (!(z > camera.near)) continue;
    // pixel coordinates with pixel centres at integers, for bilinear lookup
    const u = (fx * (R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0])) / z + cx - 0.5;
    const w = (fy * (R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1])) / z + cy - 0.5;
    const i = Math.floor(u),
      j = Math.floor(w);
    if (i < 0 || j < 0 || i >= W - 1 || j >= H - 1) continue;
    const a = u - i,
      b = w - j;
    const d00 = distance[j * W + i],
      d10 = distance[j * W + i + 1],
      d01 = distance[(j + 1) * W + i],
      d11 = distance[(j + 1) * W + i + 1];
    if (d00 === 0 && d10 === 0 && d01 === 0 && d11 === 0) continue;
    loss += (1 - b) * ((1 - a) * d00 + a * d10) + b * ((1 - a) * d01 + a * d11);
    if (gScreen) {
      gScreen[3 * k] = (1 - b) * (d10 - d00) + b * (d11 - d01);
      gScreen[3 * k + 1] = (1 - a) * (d01 - d00) + a * (d11 - d10);
    }
  }
  return loss;
}

// every view's term in one op: one gradient buffer instead of a tape op, a product and a sum of
// N x 3 arrays per view (a fit with 48 masked views adds them all every position step); the
// forward computes the gradient too where one is wanted (one projection per point and view, not
// two), the backward scales it
const silhouetteViewsOp = customOp({
  name: 'silhouetteLossViews',
  forward(ctx, positions: Tensor, cameras: readonly Camera[], distances: readonly Float32Array[]) {
    const out = ctx.output([]);
    const wanted = ctx.recording;
    const gScreen = wanted ? new Float64Array(positions.size) : null;
    const gP = new Float64Array(wanted ? positions.size : 0);
    let loss = 0;
    for (let v = 0; v < cameras.length; v++) {
      gScreen?.fill(0);
      loss += sample(positions.data, cameras[v], distances[v], gScreen);
      if (gScreen) chainScreenGradient(gScreen, positions.data, cameras[v], 0.5 * (cameras[v].fx + cameras[v].fy), gP);
    }
    out.data[0] = loss;
    ctx.save(gP);
    return out;
  },
  backward(ctx, g) {
    const [gP] = ctx.saved as [Float64Array];
    const out = ctx.zeros(gP.length);
    for (let i = 0; i < gP.length; i++) out[i] = gP[i] * g![0];
    return [out];
  },
});

/**
 * Sum over the points [N, 3] of the distance (pixels) from their projection to the mask of one
 * view, given as its distance transform (geometry/distanceTransform.ts maskDistance).
 */
export function silhouetteLoss(positions: Tensor, camera: Camera, distance: Float32Array): Tensor {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) throw new ShapeError('silhouetteLoss: positions must be an N x 3 tensor.');
  if (!(distance instanceof Float32Array) || distance.length !== camera.width * camera.height) {
    throw new ArgumentError(`silhouetteLoss: distance must be the camera's ${camera.width} x ${camera.height} distance transform (maskDistance of the view's mask).`);
  }
  return silhouetteViewsOp(positions, [camera], [distance]);
}

/** silhouetteLoss summed over several views (cameras[v] with its distance transform distances[v]), as one op. */
export function silhouetteLossViews(positions: Tensor, cameras: readonly Camera[], distances: readonly Float32Array[]): Tensor {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) throw new ShapeError('silhouetteLossViews: positions must be an N x 3 tensor.');
  if (!Array.isArray(cameras) || !Array.isArray(distances) || cameras.length !== distances.length) {
    throw new ArgumentError('silhouetteLossViews: cameras and distances must be arrays of the same length, one distance transform per camera.');
  }
  distances.forEach((d, v) => {
    if (!(d instanceof Float32Array) || d.length !== cameras[v].width * cameras[v].height) {
      throw new ArgumentError(`silhouetteLossViews: distances[${v}] must be camera ${v}'s ${cameras[v].width} x ${cameras[v].height} distance transform (maskDistance of its mask).`);
    }
  });
  return silhouetteViewsOp(positions, cameras, distances);
}

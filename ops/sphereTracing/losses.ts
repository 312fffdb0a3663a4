// DIST's losses on a sphere-traced render (docs/dist.md §6, eq. 22-25), as the reference defines
// them: depth L1 where both silhouettes cover the pixel, a hinge on the silhouette's minimum of f,
// the negative cosine of the normals, and an L2 penalty on a shape code.

import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { mul, sub } from '../arithmetic.js';
import { abs, relu } from '../unary.js';
import { sum } from '../reduce.js';
import { add } from '../arithmetic.js';
import type { SphereTraceRender } from './sphereTrace.js';

function checkImage(values: ArrayLike<number>, pixels: number, what: string): void {
  if (!values || typeof values.length !== 'number') throw new ArgumentError(`${what} must be an array of one value per pixel.`);
  if (values.length !== pixels) throw new ShapeError(`${what} has ${values.length} values but the render has ${pixels} pixels; render at the target's size.`);
}

/** 1 where both the render and the target cover a pixel (target mask > 0.5). */
export function overlapMask(render: SphereTraceRender, targetMask: ArrayLike<number>): Float64Array {
  checkImage(targetMask, render.hit.length, 'targetMask');
  const hit = render.hit;
  const both = new Float64Array(hit.length);
  for (let p = 0; p < hit.length; p++) both[p] = hit[p] && targetMask[p] > 0.5 ? 1 : 0;
  return both;
}

/**
 * eq. 22: mean |z - z_target| over the pixels both silhouettes cover (0 when they share none).
 * The gradient reaches the shape and the camera through the implicit depth (eq. 20).
 */
export function depthL1(render: SphereTraceRender, targetDepth: ArrayLike<number>, targetMask: ArrayLike<number>): Tensor {
  checkImage(targetDepth, render.hit.length, 'targetDepth');
  const both = overlapMask(render, targetMask);
  const count = both.reduce((s, v) => s + v, 0);
  const dt = render.depth.dtype;
  const shape = render.depth.shape as number[];
  const residual = abs(sub(render.depth, tensor(Float64Array.from(targetDepth), { dtype: dt, shape })));
  return mul(sum(mul(residual, tensor(both, { dtype: dt, shape }))), count > 0 ? 1 / count : 0);
}

/**
 * eq. 23, the silhouette hinge of the reference, mean over all pixels: where the target covers a
 * pixel the render misses, max(minSdf - threshold, 0) pulls the surface toward the ray; where the
 * render covers a pixel the target does not, max(threshold - minSdf, 0) pushes it away. Rays that
 * miss the bounding sphere still reach the camera (their minSdf is a distance to the sphere).
 */
export function silhouetteHinge(render: SphereTraceRender, targetMask: ArrayLike<number>): Tensor {
  checkImage(targetMask, render.hit.length, 'targetMask');
  const thr = render.options.threshold;
  const dt = render.minSdf.dtype;
  const shape = render.minSdf.shape as number[];
  const hit = render.hit;
  const missedMask = new Float64Array(hit.length),
    extraMask = new Float64Array(hit.length);
  for (let p = 0; p < hit.length; p++) {
    const inTarget = targetMask[p] > 0.5;
    missedMask[p] = !hit[p] && inTarget ? 1 : 0;
    extraMask[p] = hit[p] && !inTarget ? 1 : 0;
  }
  const missed = tensor(missedMask, { dtype: dt, shape });
  const extra = tensor(extraMask, { dtype: dt, shape });
  const pull = mul(relu(sub(render.minSdf, thr)), missed);
  const push = mul(relu(sub(thr, render.minSdf)), extra);
  return mul(sum(add(pull, push)), 1 / render.hit.length);
}

/** eq. 24: the mean of -n . n_target over the pixels both cover (needs normals: 'centralDifferences' to carry a gradient). */
export function normalCosine(render: SphereTraceRender, targetNormal: ArrayLike<number>, targetMask: ArrayLike<number>): Tensor {
  if (!render.normal) throw new ArgumentError("normalCosine: the render has no normals; trace with { normals: 'centralDifferences' }.");
  checkImage(targetNormal, 3 * render.hit.length, 'targetNormal (3 values per pixel)');
  const both = overlapMask(render, targetMask);
  const count = both.reduce((s, v) => s + v, 0);
  const dt = render.normal.dtype;
  const weights = new Float64Array(3 * both.length);
  for (let p = 0; p < both.length; p++) for (let k = 0; k < 3; k++) weights[3 * p + k] = both[p] * targetNormal[3 * p + k];
  return mul(sum(mul(render.normal, tensor(weights, { dtype: dt, shape: render.normal.shape as number[] }))), count > 0 ? -1 / count : 0);
}

/** The pose and shape fits' data term: depthWeight x depthL1 + silhouetteWeight x silhouetteHinge (eq. 22 and 23). */
export function depthSilhouetteLoss(render: SphereTraceRender, targetDepth: ArrayLike<number>, targetMask: ArrayLike<number>, depthWeight: number, silhouetteWeight: number): Tensor {
  return add(mul(depthL1(render, targetDepth, targetMask), depthWeight), mul(silhouetteHinge(render, targetMask), silhouetteWeight));
}

/** eq. 25: |z|^2, the shape code's prior (an auto-decoder's codes start near 0). */
export function latentL2(code: Tensor): Tensor {
  return sum(mul(code, code));
}

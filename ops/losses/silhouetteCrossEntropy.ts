// The losses of Fuzzy Metaballs' pose estimation and shape from silhouette (docs/fm.md §7-8), one
// pass forward and one backward over flat arrays; targets get no gradient.
//   silhouetteCrossEntropy (paper eq. 11): -1/N sum_p [m_p log a_p + (1 - m_p) log(1 - a_p)],
//       a_p = alpha_p clipped to [clip, 1 - clip] (no gradient where clipped)
//   relativeDepthError (paper eq. 12): 1/N sum_{p: valid} |(z_p - z*_p) / zbar|^power, zbar the mean
//       target depth over the valid pixels (so the error is scale-free), power 2 (default) or 1
// N is the number of pixels in both, so the two terms are comparable and can simply be added.

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';

/** The paper's clip of alpha (eq. 11). */
export const ALPHA_CLIP = 1e-6;

const crossEntropyOp = customOp({
  name: 'silhouetteCrossEntropy',
  forward(ctx, alpha: Tensor, mask: ArrayLike<number>, clip: number) {
    const A = alpha.data;
    let total = 0;
    for (let p = 0; p < A.length; p++) {
      const a = A[p] < clip ? clip : A[p] > 1 - clip ? 1 - clip : A[p];
      const m = +mask[p];
      // one logarithm for a hard mask, both for a soft one
      if (m === 1) total -= Math.log(a);
      else if (m === 0) total -= Math.log(1 - a);
      else total -= m * Math.log(a) + (1 - m) * Math.log(1 - a);
    }
    const out = ctx.output([]);
    out.data[0] = total / A.length;
    ctx.save(alpha, mask, clip);
    return out;
  },
  backward(ctx, g) {
    const [alpha, mask, clip] = ctx.saved as [Tensor, ArrayLike<number>, number];
    const A = alpha.data;
    const gA = ctx.zeros(A.length);
    const s = g![0] / A.length;
    for (let p = 0; p < A.length; p++) {
      const a = A[p];
      if (a < clip || a > 1 - clip) continue;
      const m = mask[p];
      gA[p] = s * ((1 - m) / (1 - a) - m / a);
    }
    return [gA];
  },
});

function checkSizes(op: string, image: unknown, others: [string, ArrayLike<number>][]): Tensor {
  if (!(image instanceof Tensor)) throw new ArgumentError(`${op}: the image must be a Tensor.`);
  for (const [name, a] of others) {
    if (!a || typeof a.length !== 'number') throw new ArgumentError(`${op}: ${name} must be an array with one value per pixel.`);
    if (a.length !== image.size) throw new ShapeError(`${op}: ${name} has ${a.length} values but the image [${image.shape}] has ${image.size} pixels; render at the target's size.`);
  }
  return image;
}

/** Mean binary cross-entropy of a rendered alpha [H, W] against a silhouette (1 inside, 0 outside, or soft), paper eq. 11. */
export function silhouetteCrossEntropy(alpha: Tensor, mask: ArrayLike<number>, clip = ALPHA_CLIP): Tensor {
  checkSizes('silhouetteCrossEntropy', alpha, [['mask', mask]]);
  if (!(clip > 0 && clip < 0.5)) throw new ArgumentError(`silhouetteCrossEntropy: clip must be in (0, 0.5), got ${clip}.`);
  return crossEntropyOp(alpha, mask, clip);
}

const depthErrorOp = customOp({
  name: 'relativeDepthError',
  forward(ctx, depth: Tensor, target: ArrayLike<number>, valid: ArrayLike<number>, scale: number, power: 1 | 2) {
    const Z = depth.data;
    let total = 0;
    for (let p = 0; p < Z.length; p++) {
      if (!(valid[p] > 0)) continue;
      const e = (Z[p] - target[p]) / scale;
      total += power === 2 ? e * e : Math.abs(e);
    }
    const out = ctx.output([]);
    out.data[0] = total / Z.length;
    ctx.save(depth, target, valid, scale, power);
    return out;
  },
  backward(ctx, g) {
    const [depth, target, valid, scale, power] = ctx.saved as [Tensor, ArrayLike<number>, ArrayLike<number>, number, 1 | 2];
    const Z = depth.data;
    const gZ = ctx.zeros(Z.length);
    const s = g![0] / (Z.length * scale);
    for (let p = 0; p < Z.length; p++) {
      if (!(valid[p] > 0)) continue;
      const e = (Z[p] - target[p]) / scale;
      gZ[p] = power === 2 ? 2 * e * s : e > 0 ? s : e < 0 ? -s : 0;
    }
    return [gZ];
  },
});

/**
 * Mean scale-free depth error (paper eq. 12) of a rendered depth [H, W] against a target depth over
 * the pixels where `valid` is > 0 (the target's silhouette), divided by the target's mean depth there.
 */
export function relativeDepthError(depth: Tensor, target: ArrayLike<number>, valid: ArrayLike<number>, power: 1 | 2 = 2): Tensor {
  checkSizes('relativeDepthError', depth, [
    ['target', target],
    ['valid', valid],
  ]);
  if (power !== 1 && power !== 2) throw new ArgumentError(`relativeDepthError: power must be 1 or 2, got ${power}.`);
  let sum = 0,
    count = 0;
  for (let p = 0; p < valid.length; p++) {
    if (valid[p] > 0) {
      sum += target[p];
      count++;
    }
  }
  if (count === 0 || !(sum > 0)) throw new ArgumentError('relativeDepthError: the target has no valid pixel with a positive depth; nothing to compare.');
  return depthErrorOp(depth, target, valid, sum / count, power);
}

// The textbook twin of fuzzyMetaballs (docs/fm.md §2-4): the same renderer written as tape ops
// over dense [K, pixels] tensors, every Gaussian against every ray, with the same truncation
// rules (as constant masks) and the same guards. Slow and memory-hungry on purpose: it is the
// file to read first, and spec/ops/metaballs/ holds the fast path to it. Its gradients are the
// tape's, so it also checks the fast path's hand-written backward.

import type { Camera } from '../../geometry/camera.js';
import { tensor } from '../../lib/create.js';
import { noGrad } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, div, mul, sub } from '../arithmetic.js';
import { concat } from '../concat.js';
import { indexSelect } from '../gather.js';
import { matmul } from '../matmul.js';
import { transpose } from '../permute.js';
import { sum } from '../reduce.js';
import { reshape } from '../reshape.js';
import { exp, neg, tanh } from '../unary.js';
import { normalize } from '../vector.js';
import { where } from '../where.js';
import { type MetaballOptions, type MetaballRender, type Metaballs, NORMAL_EPS, resolveMetaballOptions, validateMetaballs } from './options.js';

/** Camera-space rays r = ((i + 1/2 - cx)/fx, (j + 1/2 - cy)/fy, 1) of every pixel, row by row (docs/fm.md §2). */
export function pixelRays(camera: Camera): Float64Array {
  const { width: W, height: H, fx, fy, cx, cy } = camera;
  const rays = new Float64Array(3 * W * H);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const p = 3 * (j * W + i);
      rays[p] = (i + 0.5 - cx) / fx;
      rays[p + 1] = (j + 0.5 - cy) / fy;
      rays[p + 2] = 1;
    }
  }
  return rays;
}

/** Smallest v^T Sigma^-1 v a pair may have; below it (underflow) the pair is absent. */
export const MIN_QUADRATIC = 1e-300;

/** A constant 0/1 mask of `a`'s shape, 1 where `test` holds (flat index i). */
function maskOf(a: Tensor, test: (v: number, i: number) => boolean): Tensor {
  const m = new Float64Array(a.size);
  for (let i = 0; i < m.length; i++) m[i] = test(a.data[i], i) ? 1 : 0;
  return tensor(m, { shape: a.shape.slice(), dtype: 'float64' });
}

/** Per pixel (column of a [K, P] tensor): the largest value where `mask` holds, or 0 where it never does. */
function columnMax(a: Tensor, mask: Tensor, K: number, P: number): Float64Array {
  const out = new Float64Array(P).fill(-Infinity);
  for (let k = 0; k < K; k++) for (let p = 0; p < P; p++) if (mask.data[k * P + p] && a.data[k * P + p] > out[p]) out[p] = a.data[k * P + p];
  for (let p = 0; p < P; p++) if (out[p] === -Infinity) out[p] = 0;
  return out;
}

/** fuzzyMetaballs as tape ops: same arguments (threads are ignored) and the same images. */
export function fuzzyMetaballsReference(fm: Metaballs, camera: Camera, options: MetaballOptions = {}): MetaballRender {
  const K = validateMetaballs(fm, camera, options.pose);
  const o = resolveMetaballOptions(fm, options);
  const { beta1, beta2, beta3, beta4, beta5 } = o.betas;
  const dtype = fm.means.dtype;
  const W = camera.width,
    H = camera.height,
    P = W * H;
  const R = options.pose?.R ?? tensor(camera.R, { dtype, shape: [3, 3] });
  const t = options.pose?.t ?? tensor(camera.t, { dtype, shape: [3] });

  // §2: world ray directions v = R^T r (rows: r R) and the camera centre o = -R^T t
  const rays = tensor(pixelRays(camera), { dtype, shape: [P, 3] });
  const v = matmul(rays, R); // [P, 3]
  const centre = neg(reshape(matmul(reshape(t, [1, 3]), R), [3]));
  const delta = sub(fm.means, centre); // [K, 3]: mu - o

  // U^T as K lower-triangular 3x3 matrices, and U
  const padded = concat([fm.precisions, tensor(new Float64Array(K), { dtype, shape: [K, 1] })], 1); // [K, 7], index 6 is 0
  const Ut = reshape(indexSelect(padded, 1, [0, 6, 6, 1, 3, 6, 2, 4, 5]), [K, 3, 3]);
  const Uf = reshape(indexSelect(padded, 1, [0, 1, 2, 6, 3, 4, 6, 6, 5]), [K, 3, 3]);

  // eq. 4, 6: w = U^T v per pair, z = U^T (mu - o) per Gaussian
  const w = matmul(Ut, transpose(reshape(v, [1, P, 3]), 1, 2)); // [K, 3, P]
  const z = matmul(Ut, reshape(delta, [K, 3, 1])); // [K, 3, 1]
  const quad = sum(mul(w, w), 1); // v^T Sigma^-1 v  [K, P]
  const cross = sum(mul(w, z), 1); // v^T Sigma^-1 (mu - o)  [K, P]
  const c = reshape(sum(mul(z, z), 1), [K, 1]); // (mu - o)^T Sigma^-1 (mu - o)
  const usable = maskOf(quad, (q) => q > MIN_QUADRATIC);
  const depthT = div(cross, where(usable, quad, 1)); // t* (eq. 6)
  const s = sub(c, mul(cross, depthT)); // Mahalanobis distance at t* (eq. 4)
  const d = sub(reshape(fm.logWeights, [K, 1]), mul(s, 0.5)); // log-density (eq. 4)

  // eq. 14: the pairs that exist (d >= -C, in front for 'hard'); constant masks
  const front = maskOf(depthT, (x, i) => usable.data[i] === 1 && x > 0);
  const keep = maskOf(d, (x, i) => usable.data[i] === 1 && x >= -o.cutoff && (o.front === 'sigmoid' || front.data[i] === 1));

  // eq. 9-10, 14: blend weights, max-subtracted per pixel, terms more than R below the largest dropped
  const scaledT = mul(depthT, beta2 / o.scale);
  const E = o.front === 'hard' ? sub(mul(d, beta3), scaledT) : sub(mul(mul(d, add(mul(tanh(mul(depthT, beta1 / o.scale)), 0.5), 0.5)), beta3), scaledT);
  const Emax = noGrad(() => columnMax(E, keep, K, P));
  const weighted = maskOf(E, (x, i) => keep.data[i] === 1 && x >= Emax[i % P] - o.relativeCutoff);
  const shifted = sub(E, tensor(Emax, { dtype, shape: [1, P] }));
  const e = where(weighted, exp(where(weighted, shifted, 0)), 0);
  const total = sum(e, 0); // [P]
  const wgt = div(
    e,
    where(
      maskOf(total, (x) => x > 0),
      total,
      1,
    ),
  ); // [K, P]

  // eq. 8: depth
  const depth = sum(mul(wgt, where(weighted, depthT, 0)), 0);

  // eq. 5: alpha from the pairs in front, terms more than R below the pixel's largest dropped
  const inFront = maskOf(d, (_x, i) => keep.data[i] === 1 && front.data[i] === 1);
  const dmax = noGrad(() => columnMax(d, inFront, K, P));
  const counted = maskOf(d, (x, i) => inFront.data[i] === 1 && x >= dmax[i % P] - o.relativeCutoff);
  const S = sum(where(counted, exp(where(counted, d, 0)), 0), 0);
  const alpha = o.alpha === 'exp' ? sub(1, exp(neg(S))) : add(mul(tanh(mul(add(S, beta5), beta4)), 0.5), 0.5);

  // eq. 13: normals -Sigma^-1 (mu - o) / |.| per Gaussian, blended and normalized
  const nu = reshape(matmul(Uf, z), [K, 3]);
  const u = neg(normalize(nu, 1, NORMAL_EPS));
  const normal = normalize(matmul(transpose(wgt, 0, 1), u), 1, NORMAL_EPS); // [P, 3]

  let pairs = 0,
    kept = 0;
  for (let i = 0; i < keep.size; i++) {
    pairs += keep.data[i];
    kept += weighted.data[i] || counted.data[i] ? 1 : 0;
  }
  return { depth: reshape(depth, [H, W]), alpha: reshape(alpha, [H, W]), normal: reshape(normal, [H, W, 3]), options: o, stats: { candidates: K * P, pairs, kept } };
}

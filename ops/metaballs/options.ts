// Inputs and options of the Fuzzy Metaballs renderer (docs/fm.md §1-4), their defaults and the
// checks at the public boundary (typed errors naming the argument and the fix).

import type { Camera } from '../../geometry/camera.js';
import { ArgumentError, NonFiniteError, ShapeError, firstNonFinite } from '../../lib/errors.js';
import { tensor } from '../../lib/create.js';
import { Tensor } from '../../lib/tensor.js';
import { resolveThreads } from '../../parallel/threads.js';

/** A shape of K Gaussians (docs/fm.md §1): 10 numbers each. */
export interface Metaballs {
  /** K x 3 means mu_k (world units). */
  means: Tensor;
  /** K x 6 upper-triangular precision factors U_k = [u00 u01 u02; 0 u11 u12; 0 0 u22], stored [u00, u01, u02, u11, u12, u22]; Sigma_k^-1 = U_k U_k^T. */
  precisions: Tensor;
  /** K log-weights lambda_k (added to the log-density, eq. 4). */
  logWeights: Tensor;
}

/** A differentiable world-to-camera pose: camera coordinates c = R x + t. */
export interface MetaballPose {
  /** 3 x 3 rotation (row-major), e.g. from ops/cameraPose.ts. */
  R: Tensor;
  /** 3 translation. */
  t: Tensor;
}

/** The betas of docs/fm.md §3 (all constants, not optimized). */
export interface Betas {
  /** Slope of the soft front test h(t) = (1 + tanh(beta1 t / eta)) / 2 (front 'sigmoid' only). */
  beta1: number;
  /** Depth penalty of the blend weights, per shape scale (eq. 9). */
  beta2: number;
  /** Density gain of the blend weights (eq. 9). */
  beta3: number;
  /** Gain of the tanh alpha (alpha 'sigmoid', eq. 5b). */
  beta4: number;
  /** Offset of the tanh alpha (alpha 'sigmoid', eq. 5b). */
  beta5: number;
}

/**
 * The reference code's newest values (its render function's hyperparameters [2, 0.25]: beta2 = e^2,
 * beta3 = e^0.25), with the paper-era tanh alpha's beta4, beta5 and beta1 for the other variants.
 */
export const DEFAULT_BETAS: Readonly<Betas> = Object.freeze({ beta1: 1.13e-6, beta2: Math.exp(2), beta3: Math.exp(0.25), beta4: 601.8, beta5: -0.00434 });

/** The paper-era set (ECCV 2022 code: sigmoid front test, tanh alpha). */
export const PAPER_BETAS: Readonly<Betas> = Object.freeze({ beta1: 1.13e-6, beta2: 0.0686, beta3: 2.034, beta4: 583.5, beta5: -0.00442 });

/** Truncation (docs/fm.md §4): pairs with log-density d < -cutoff are absent; within a pixel, terms more than `relativeCutoff` below the largest are dropped. */
export const DEFAULT_CUTOFF = 30;
export const DEFAULT_RELATIVE_CUTOFF = 30;

/** Log-weights above this overflow exp (the renderer's exponents stay within +-700, fastExp.ts). */
export const MAX_LOG_WEIGHT = 600;

/** The divisor floor of the two normalizations of the normals (eq. 13): a zero vector stays zero. */
export const NORMAL_EPS = 1e-30;

export interface MetaballOptions {
  /** Shape scale eta (eq. 9; 3 x the mean per-axis standard deviation of the shape). Default: measured on the Gaussians as given, and held constant (not differentiated). */
  scale?: number;
  /** Override some betas (docs/fm.md §3). */
  betas?: Partial<Betas>;
  /** 'hard' (default): only pairs in front of the camera (t > 0) count; 'sigmoid': the paper's soft test h(t) in the weights (eq. 10). */
  front?: 'hard' | 'sigmoid';
  /** 'exp' (default): alpha = 1 - exp(-S) (eq. 5a); 'sigmoid': the paper's (1 + tanh(beta4 (S + beta5))) / 2 (eq. 5b). */
  alpha?: 'exp' | 'sigmoid';
  /** C of eq. 14 (default 30): a pair whose log-density d is below -C is absent. */
  cutoff?: number;
  /** R of eq. 14 (default 30): in a pixel, weight and alpha terms more than R below the pixel's largest are dropped. */
  relativeCutoff?: number;
  /** A differentiable world-to-camera pose used instead of the camera's own R and t (the camera gives the intrinsics). */
  pose?: MetaballPose;
  /** Threads (default: every core; the images and gradients are the same for any count). */
  threads?: number;
}

export interface ResolvedMetaballOptions {
  scale: number;
  betas: Betas;
  front: 'hard' | 'sigmoid';
  alpha: 'exp' | 'sigmoid';
  cutoff: number;
  relativeCutoff: number;
  threads: number;
}

/** What a render returns: H x W depth (camera z, 0 where no pair counts), alpha, and unit world-space normals (0 where none). */
export interface MetaballRender {
  depth: Tensor;
  alpha: Tensor;
  normal: Tensor;
  options: ResolvedMetaballOptions;
  /** Ray-Gaussian pairs evaluated (inside the footprints, eq. 15), those that exist (d >= -C, eq. 14), and those carrying weight or alpha after the relative cut. */
  stats: { candidates: number; pairs: number; kept: number };
}

function checkTensor(x: unknown, what: string, shape: (number | 'K')[], K: number): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${what} must be a Tensor of shape [${shape}], got ${typeof x}; make one with tensor(...).`);
  const want = shape.map((s) => (s === 'K' ? K : s));
  if (x.ndim !== want.length || x.shape.some((s, i) => s !== want[i])) {
    throw new ShapeError(`${what} has shape [${x.shape}] but must be [${want}]${shape.includes('K') ? ` (K = ${K} Gaussians, from means)` : ''}.`);
  }
  const bad = firstNonFinite(x.data);
  if (bad >= 0) throw new NonFiniteError(`${what} has a non-finite value (${x.data[bad]}) at flat index ${bad}; pass finite numbers.`);
  return x;
}

/** Checks the Gaussians (and the pose): K >= 1, matching shapes, finite values, positive definite precisions. Returns K. */
export function validateMetaballs(fm: Metaballs, camera: Camera, pose?: MetaballPose): number {
  if (!fm || typeof fm !== 'object') throw new ArgumentError('metaballs must be an object { means [K,3], precisions [K,6], logWeights [K] } of tensors.');
  const { means } = fm;
  if (!(means instanceof Tensor)) throw new ArgumentError(`metaballs.means must be a Tensor of shape [K, 3], got ${typeof means}.`);
  if (means.ndim !== 2 || means.shape[1] !== 3) throw new ShapeError(`metaballs.means has shape [${means.shape}] but must be [K, 3].`);
  const K = means.shape[0];
  if (K === 0) throw new ArgumentError('metaballs.means holds no Gaussians (K = 0); a shape needs at least one (40 is typical).');
  checkTensor(means, 'metaballs.means', ['K', 3], K);
  const U = checkTensor(fm.precisions, 'metaballs.precisions', ['K', 6], K);
  checkTensor(fm.logWeights, 'metaballs.logWeights', ['K'], K);
  for (const t of [fm.precisions, fm.logWeights]) {
    if (t.dtype !== means.dtype) throw new ArgumentError(`metaballs: means is ${means.dtype} but another input is ${t.dtype}; convert one with .to('${means.dtype}').`);
  }
  for (let k = 0; k < K; k++) {
    const lw = fm.logWeights.data[k];
    if (lw > MAX_LOG_WEIGHT)
      throw new ArgumentError(`metaballs.logWeights[${k}] = ${lw} is above ${MAX_LOG_WEIGHT}, where exp overflows; log-weights are usually near 0 (log of a mixture weight plus a small offset).`);
    // U U^T is positive definite exactly when the triangular U is invertible: no zero on its diagonal
    for (const [e, name] of [
      [0, 'u00'],
      [3, 'u11'],
      [5, 'u22'],
    ] as const) {
      if (U.data[6 * k + e] === 0) {
        throw new ArgumentError(
          `metaballs.precisions[${k}] has ${name} = 0, so Sigma^-1 = U U^T is singular (not positive definite); keep every diagonal entry of U away from 0 (e.g. clamp |u_ii| >= 1e-6).`,
        );
      }
    }
  }
  if (!camera || typeof camera !== 'object' || !('fx' in camera) || !('width' in camera)) throw new ArgumentError('camera must be a Camera (geometry/camera.ts).');
  if (pose !== undefined) {
    if (!pose || typeof pose !== 'object') throw new ArgumentError('options.pose must be { R: Tensor [3, 3], t: Tensor [3] }.');
    checkTensor(pose.R, 'options.pose.R', [3, 3], K);
    checkTensor(pose.t, 'options.pose.t', [3], K);
    for (const t of [pose.R, pose.t]) if (t.dtype !== means.dtype) throw new ArgumentError(`options.pose: means is ${means.dtype} but a pose tensor is ${t.dtype}; use one dtype.`);
  }
  return K;
}

/**
 * eta = 3 x the mean over axes of the standard deviation of the mixture (docs/fm.md §3), with
 * component masses exp(lambda) / |det U| and covariances (U U^T)^-1.
 */
export function metaballScale(means: ArrayLike<number>, precisions: ArrayLike<number>, logWeights: ArrayLike<number>): number {
  const K = logWeights.length;
  let top = -Infinity;
  const logMass = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    logMass[k] = logWeights[k] - Math.log(Math.abs(precisions[6 * k] * precisions[6 * k + 3] * precisions[6 * k + 5]));
    top = Math.max(top, logMass[k]);
  }
  let total = 0;
  const mean = [0, 0, 0],
    second = [0, 0, 0];
  for (let k = 0; k < K; k++) {
    const w = Math.exp(logMass[k] - top);
    total += w;
    // diagonal of Sigma = U^-T U^-1: squared norms of the columns of U^-1
    const u00 = precisions[6 * k],
      u01 = precisions[6 * k + 1],
      u02 = precisions[6 * k + 2],
      u11 = precisions[6 * k + 3],
      u12 = precisions[6 * k + 4],
      u22 = precisions[6 * k + 5];
    // U^-1 = [a b c; 0 d e; 0 0 f]
    const a = 1 / u00,
      d = 1 / u11,
      f = 1 / u22;
    const b = -u01 * a * d,
      e = -u12 * d * f;
    const c = -(u02 * a * f + b * u12 * f);
    const variance = [a * a, b * b + d * d, c * c + e * e + f * f];
    for (let i = 0; i < 3; i++) {
      const m = means[3 * k + i];
      mean[i] += w * m;
      second[i] += w * (m * m + variance[i]);
    }
  }
  let sum = 0;
  for (let i = 0; i < 3; i++) {
    const m = mean[i] / total;
    sum += Math.sqrt(Math.max(0, second[i] / total - m * m));
  }
  return sum; // 3 x (sum / 3)
}

function positive(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new ArgumentError(`${what} must be a positive finite number, got ${String(v)}.`);
  return v;
}

export function resolveMetaballOptions(fm: Metaballs, options: MetaballOptions): ResolvedMetaballOptions {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options must be an object (or left out).');
  const scale = options.scale !== undefined ? positive(options.scale, 'options.scale') : metaballScale(fm.means.data, fm.precisions.data, fm.logWeights.data);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ArgumentError(`options.scale: the measured shape scale is ${scale}; pass options.scale (3 x the shape's per-axis standard deviation).`);
  const betas = { ...DEFAULT_BETAS, ...(options.betas ?? {}) };
  for (const [k, v] of Object.entries(betas)) {
    if (!(k in DEFAULT_BETAS)) throw new ArgumentError(`options.betas.${k} is not a beta; known: ${Object.keys(DEFAULT_BETAS).join(', ')}.`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`options.betas.${k} must be a finite number, got ${String(v)}.`);
  }
  const front = options.front ?? 'hard';
  if (front !== 'hard' && front !== 'sigmoid') throw new ArgumentError(`options.front must be 'hard' or 'sigmoid', got ${JSON.stringify(front)}.`);
  const alpha = options.alpha ?? 'exp';
  if (alpha !== 'exp' && alpha !== 'sigmoid') throw new ArgumentError(`options.alpha must be 'exp' or 'sigmoid', got ${JSON.stringify(alpha)}.`);
  const cutoff = options.cutoff !== undefined ? positive(options.cutoff, 'options.cutoff') : DEFAULT_CUTOFF;
  const relativeCutoff = options.relativeCutoff !== undefined ? positive(options.relativeCutoff, 'options.relativeCutoff') : DEFAULT_RELATIVE_CUTOFF;
  if (cutoff > 700 || relativeCutoff > 700) throw new ArgumentError('options.cutoff and options.relativeCutoff must be at most 700 (exp(-700) is near the smallest double).');
  return { scale, betas, front, alpha, cutoff, relativeCutoff, threads: resolveThreads(options.threads) };
}

/** Tensors of flat metaball parameters (geometry/gaussianMixture.ts MetaballParameters). */
export function metaballTensors(
  p: { means: ArrayLike<number>; precisions: ArrayLike<number>; logWeights: ArrayLike<number> },
  options: { dtype?: 'float32' | 'float64'; requiresGrad?: boolean } = {},
): Metaballs {
  const K = p.logWeights.length;
  const o = { dtype: options.dtype ?? 'float64', requiresGrad: options.requiresGrad ?? false };
  return {
    means: tensor(p.means, { ...o, shape: [K, 3], name: 'means' }),
    precisions: tensor(p.precisions, { ...o, shape: [K, 6], name: 'precisions' }),
    logWeights: tensor(p.logWeights, { ...o, shape: [K], name: 'logWeights' }),
  };
}

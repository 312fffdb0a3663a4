// DRWR's loss (docs/drwr.md §5, eq. 6): a point cloud scored by where its points project in each
// silhouette view, with nothing rendered. Per view i and point j, with p = pi_i(n_j) (projectPoints):
//   l1 = |1 - v^G_i(p)|                                  the smooth silhouette loss (eq. 4)
//   l2 = w_j sum_j' w_j' exp(-d^2 / sigma^2 + delta_j)    the structure-aware repulsion (eq. 5)
//   L  = 1/(I J) sum_i sum_j (l1 + beta l2),  beta = 3     (eq. 6)
// v^G, w and delta are bilinear samples (sampleImage) of the smooth silhouette, the mask and the
// boundary-bias image (silhouetteImages.ts); everything is differentiable in the points, the
// sampled weights included. drwrReference.ts is the same sum with the O(N^2) repulsion twin.

import type { Camera } from '../../geometry/camera.js';
import { fromArray } from '../../lib/create.js';
import type { DType } from '../../lib/dtype.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { add, div, mul, sub } from '../arithmetic.js';
import { projectPoints } from '../project.js';
import { sum } from '../reduce.js';
import { abs } from '../unary.js';
import { type RepulsionView, type StructureRepulsionOptions, structureAwareRepulsionViews } from './repulsion.js';
import { sampleImage } from './sampleImage.js';
import { BOUNDARY_RINGS, SMOOTH_SILHOUETTE_EDGE, boundaryBias, smoothSilhouette } from './silhouetteImages.js';

/** beta of eq. 6 (the paper's and the reference code's 3). */
export const DRWR_BETA = 3;

export interface DrwrViewOptions {
  /** R of eq. 5 (default 5). */
  rings?: number;
  /** The smooth silhouette's value just outside the object (default 220/255). */
  edge?: number;
}

/** One silhouette view with the three images DRWR samples, made once. */
export class DrwrView {
  readonly camera: Camera;
  /** The binary mask (1 on the object), H * W. */
  readonly mask: Float32Array;
  /** v^G of eq. 3-4. */
  readonly smooth: Float32Array;
  /** The boundary-bias image of eq. 5 (delta). */
  readonly bias: Float32Array;
  /** Pixels on the object. */
  readonly area: number;
  private readonly tensors = new Map<DType, { smooth: Tensor; mask: Tensor; bias: Tensor }>();

  constructor(camera: Camera, mask: ArrayLike<number>, options: DrwrViewOptions = {}) {
    const { width, height } = camera;
    if (mask === null || typeof mask !== 'object' || mask.length !== width * height) {
      throw new ShapeError(`DrwrView: the mask must have the camera's ${width} x ${height} = ${width * height} pixels, got ${(mask as { length?: number })?.length}.`);
    }
    this.camera = camera;
    this.mask = Float32Array.from(mask, (v) => (v > 0.5 ? 1 : 0));
    this.smooth = smoothSilhouette(this.mask, width, height, options.edge ?? SMOOTH_SILHOUETTE_EDGE);
    this.bias = boundaryBias(this.mask, width, height, options.rings ?? BOUNDARY_RINGS);
    this.area = this.mask.reduce((s, v) => s + v, 0);
  }

  /** The three images as constant tensors [H, W] of `dtype` (made once per dtype). */
  images(dtype: DType): { smooth: Tensor; mask: Tensor; bias: Tensor } {
    let t = this.tensors.get(dtype);
    if (!t) {
      const shape = [this.camera.height, this.camera.width];
      const as = (a: Float32Array) => fromArray(dtype === 'float32' ? a : Float64Array.from(a), shape);
      t = { smooth: as(this.smooth), mask: as(this.mask), bias: as(this.bias) };
      this.tensors.set(dtype, t);
    }
    return t;
  }

  /** Mean spacing of N points spread evenly over the silhouette, in pixels: sqrt(area / N). */
  projectedSpacing(points: number): number {
    return Math.sqrt(Math.max(1, this.area) / points);
  }
}

export interface DrwrLossOptions {
  /** beta of eq. 6 (default 3). */
  beta?: number;
  /** The repulsion's range sigma in pixels: one for every view, or one per view. */
  sigma: number | readonly number[];
  /** Its cut-off in sigmas (default 3). */
  cutoff?: number;
  /** Threads for the repulsion (default: every core; the same result for any count). */
  threads?: number;
  /** delta = this x the boundary-bias image (default 1, the paper's; a larger one weakens the repulsion near the edge more). */
  biasScale?: number;
  /**
   * What the repulsion's gradient flows through besides the pair distances: 'none' (w and delta
   * gate it as constants, the paper's indicator weights), 'bias' (delta too), 'all' (w too: the
   * exact gradient of eq. 5, which pushes points off the mask). docs/drwr.md §4. Default 'none'.
   */
  weightGradients?: 'none' | 'bias' | 'all';
}

export interface DrwrTerms {
  /** eq. 6. */
  loss: Tensor;
  /** 1/(I J) sum l1 and 1/(I J) sum l2: the two means eq. 6 adds (loss = unary + beta repulsion). */
  unary: Tensor;
  repulsion: Tensor;
}

/** The sum over views of eq. 5: the binned op or its twin. */
type Repulsion = (views: RepulsionView[], options: Omit<StructureRepulsionOptions, 'sigma'>) => Tensor;

/** Checks the arguments of drwrLoss and its twin; returns sigma per view. */
function checkDrwr(points: Tensor, views: readonly DrwrView[], options: DrwrLossOptions, caller: string): number[] {
  if (!(points instanceof Tensor) || points.ndim !== 2 || points.shape[1] !== 3 || points.shape[0] < 1) {
    throw new ShapeError(`${caller}: points must be a tensor [N, 3] with N >= 1, got ${points instanceof Tensor ? `[${points.shape}]` : typeof points}.`);
  }
  if (!Array.isArray(views) || views.length === 0 || views.some((v) => !(v instanceof DrwrView))) {
    throw new ArgumentError(`${caller}: views must be a non-empty array of DrwrView (new DrwrView(camera, mask)).`);
  }
  const beta = options.beta ?? DRWR_BETA;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new ArgumentError(`${caller}: options.beta must be a finite number >= 0 (eq. 6's 3), got ${beta}.`);
  if (options.biasScale !== undefined && !Number.isFinite(options.biasScale)) throw new ArgumentError(`${caller}: options.biasScale must be a finite number, got ${options.biasScale}.`);
  if (options.weightGradients !== undefined && !['none', 'bias', 'all'].includes(options.weightGradients)) {
    throw new ArgumentError(`${caller}: options.weightGradients must be 'none', 'bias' or 'all', got ${JSON.stringify(options.weightGradients)}.`);
  }
  const sigma = typeof options.sigma === 'number' ? views.map(() => options.sigma as number) : options.sigma;
  if (!Array.isArray(sigma) || sigma.length !== views.length) {
    throw new ArgumentError(`${caller}: options.sigma must be a number of pixels or one per view (${views.length}), got ${JSON.stringify(options.sigma)}.`);
  }
  return sigma as number[];
}

/** eq. 6 with the given repulsion op (the binned one or its twin). */
export function drwrTerms(points: Tensor, views: readonly DrwrView[], options: DrwrLossOptions, repulsion: Repulsion, caller: string): DrwrTerms {
  const sigma = checkDrwr(points, views, options, caller);
  const beta = options.beta ?? DRWR_BETA;
  let unary: Tensor | null = null;
  const repelled: RepulsionView[] = [];
  views.forEach((view, i) => {
    const { smooth, mask, bias } = view.images(points.dtype);
    const pixels = projectPoints(points, view.camera);
    const l1 = sum(abs(sub(1, sampleImage(smooth, pixels))));
    let w = sampleImage(mask, pixels),
      delta = sampleImage(bias, pixels);
    if (options.biasScale !== undefined && options.biasScale !== 1) delta = mul(delta, options.biasScale);
    const through = options.weightGradients ?? 'none';
    if (through !== 'all') w = w.detach();
    if (through === 'none') delta = delta.detach();
    repelled.push({ pixels, weights: w, bias: delta, sigma: sigma[i] });
    unary = unary ? add(unary, l1) : l1;
  });
  const repel = repulsion(repelled, { cutoff: options.cutoff, threads: options.threads });
  const count = views.length * points.shape[0];
  const u = div(unary!, count),
    r = div(repel, count);
  return { loss: add(u, mul(r, beta)), unary: u, repulsion: r };
}

/**
 * DRWR's loss (eq. 6) of points [N, 3] against silhouette views: the smooth silhouette loss plus
 * beta times the binned structure-aware repulsion, averaged over views and points.
 */
export function drwrLoss(points: Tensor, views: readonly DrwrView[], options: DrwrLossOptions): DrwrTerms {
  return drwrTerms(points, views, options, structureAwareRepulsionViews, 'drwrLoss');
}

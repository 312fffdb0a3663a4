// Shape from silhouette with Fuzzy Metaballs (docs/fm.md §8, paper §7.2): K Gaussians start as a
// small blob at the object's centre and are fitted to the target silhouettes by Adam on the
// per-pixel binary cross-entropy alone (eq. 11), no regularizer; the learning rate is cut 10x on
// a plateau (optim/slopePlateau.ts) and the fit stops after the last cut.

import type { Camera } from '../geometry/camera.js';
import type { MetaballParameters } from '../geometry/gaussianMixture.js';
import { tensor } from '../lib/create.js';
import { ArgumentError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { noGrad } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { ALPHA_CLIP, silhouetteCrossEntropy } from '../ops/losses/silhouetteCrossEntropy.js';
import { fuzzyMetaballs } from '../ops/metaballs/fuzzyMetaballs.js';
import type { MetaballOptions, Metaballs } from '../ops/metaballs/options.js';
import { Adam } from './adam.js';
import { SlopePlateau, type SlopePlateauOptions } from './slopePlateau.js';

export interface SilhouetteView {
  camera: Camera;
  /** The target silhouette, one value per pixel (1 inside). */
  mask: ArrayLike<number>;
}

/** The defaults of fitMetaballs, each measured (docs/fm.md §8). */
export const SFS_DEFAULTS = {
  components: 40,
  /** Std of the starting means, in shape scales. */
  initSpread: 0.1,
  /** Diagonal of the starting precision factors, per shape scale (sigma = eta / 13). */
  initPrecision: 13,
  initLogWeight: 0,
  lr: 0.01,
  viewsPerStep: 5,
  maxSteps: 600,
  plateau: { window: 30, tolerance: 0.01, factor: 0.1, maxCuts: 4 },
};

export interface FitMetaballsOptions {
  /** Centre of the object (the blob starts there). */
  centre: ArrayLike<number>;
  /** Shape scale eta (render option `scale`; the blob's size and the learning rates' units). */
  scale: number;
  components?: number;
  initSpread?: number;
  initPrecision?: number;
  initLogWeight?: number;
  /** Adam's step in the object's frame scaled to a size of 2.2 (the reference's), default 0.01. */
  lr?: number;
  viewsPerStep?: number;
  maxSteps?: number;
  plateau?: SlopePlateauOptions;
  render?: Omit<MetaballOptions, 'pose' | 'scale' | 'threads'>;
  seed?: number;
  threads?: number;
}

/** A running shape-from-silhouette fit: one step at a time (the fit driver's session wraps it). */
export class MetaballSilhouetteFit {
  readonly fm: Metaballs;
  readonly scale: number;
  private readonly opt: Adam;
  private readonly plateau: SlopePlateau;
  private readonly rng: Random;
  private order: number[] = [];
  readonly losses: number[] = [];

  constructor(
    readonly views: readonly SilhouetteView[],
    readonly options: FitMetaballsOptions,
  ) {
    if (views.length === 0) throw new ArgumentError('fitMetaballs: no views; pass at least one camera with its silhouette.');
    views.forEach((v, i) => {
      if (v.mask.length !== v.camera.width * v.camera.height)
        throw new ArgumentError(`fitMetaballs: view ${i}'s mask has ${v.mask.length} values but its camera is ${v.camera.width} x ${v.camera.height}.`);
    });
    const D = SFS_DEFAULTS;
    const eta = options.scale;
    if (!(eta > 0)) throw new ArgumentError(`fitMetaballs: options.scale must be the shape scale eta (> 0), got ${eta}.`);
    this.scale = eta;
    const K = options.components ?? D.components;
    this.rng = new Random(options.seed ?? 0);
    // the blob: means ~ N(centre, (spread eta)^2), U = (initPrecision / eta) I, equal weights
    const spread = (options.initSpread ?? D.initSpread) * eta;
    const means = new Float64Array(3 * K).map((_, i) => options.centre[i % 3] + spread * this.rng.normal());
    const u = (options.initPrecision ?? D.initPrecision) / eta;
    const precisions = new Float64Array(6 * K);
    for (let k = 0; k < K; k++) precisions.set([u, 0, 0, u, 0, u], 6 * k);
    const o = { dtype: 'float64' as const, requiresGrad: true };
    this.fm = {
      means: tensor(means, { ...o, shape: [K, 3], name: 'means' }),
      precisions: tensor(precisions, { ...o, shape: [K, 6], name: 'precisions' }),
      logWeights: tensor(new Float64Array(K).fill(options.initLogWeight ?? D.initLogWeight), { ...o, shape: [K], name: 'logWeights' }),
    };
    // Adam's steps are in the object's frame scaled to the reference's size of 2.2: means move
    // lr / f, precision factors lr * f in our units (f = 2.2 / eta), so means and covariances keep
    // the balance the reference chose its scale for
    const lr = options.lr ?? D.lr,
      f = 2.2 / eta;
    this.opt = new Adam([
      { params: [this.fm.means], lr: lr / f },
      { params: [this.fm.precisions], lr: lr * f },
      { params: [this.fm.logWeights], lr },
    ]);
    this.plateau = new SlopePlateau(this.opt, { ...D.plateau, ...options.plateau });
  }

  get stopped(): boolean {
    return this.plateau.stopped;
  }

  /** The next views of a shuffled order (every view once per pass). */
  private nextViews(count: number): SilhouetteView[] {
    const out: SilhouetteView[] = [];
    while (out.length < count) {
      if (this.order.length === 0) this.order = this.rng.shuffle(this.views.map((_, i) => i));
      out.push(this.views[this.order.pop()!]);
    }
    return out;
  }

  /** One Adam step on the mean cross-entropy of `viewsPerStep` views; returns that loss. */
  step(): number {
    const views = this.nextViews(Math.min(this.options.viewsPerStep ?? SFS_DEFAULTS.viewsPerStep, this.views.length));
    this.opt.zeroGrad();
    let loss: Tensor | null = null;
    for (const v of views) {
      const r = fuzzyMetaballs(this.fm, v.camera, { ...this.options.render, scale: this.scale, threads: this.options.threads });
      const ce = silhouetteCrossEntropy(r.alpha, v.mask);
      loss = loss ? add(loss, ce) : ce;
    }
    const mean = mul(loss!, 1 / views.length);
    mean.backward();
    this.opt.step();
    const value = mean.item();
    this.losses.push(value);
    this.plateau.step(value);
    return value;
  }

  /** The current parameters, as flat arrays. */
  parameters(): MetaballParameters {
    return { means: Float64Array.from(this.fm.means.data), precisions: Float64Array.from(this.fm.precisions.data), logWeights: Float64Array.from(this.fm.logWeights.data) };
  }
}

/** Mean cross-entropy (eq. 11, alpha clipped to [1e-6, 1 - 1e-6]) of the metaballs' silhouettes against `views`: the paper's Table 3 metric on held-out views. */
export function silhouetteError(fm: Metaballs, views: readonly SilhouetteView[], scale: number, threads?: number): number {
  let total = 0;
  for (const v of views) total += noGrad(() => silhouetteCrossEntropy(fuzzyMetaballs(fm, v.camera, { scale, threads }).alpha, v.mask, ALPHA_CLIP).item());
  return total / views.length;
}

/**
 * The paper's under-segmentation noise (§7.2): the silhouette's pixel coordinates clustered into
 * round(1 / fraction) groups by k-means (k-means++ start, 10 Lloyd steps) and one group, drawn
 * at random, removed; so about `fraction` of the silhouette is lost in one piece.
 */
export function underSegment(mask: ArrayLike<number>, width: number, rng: Random, fraction = 1 / 8): Float32Array {
  const out = Float32Array.from(mask);
  const inside: number[] = [];
  for (let p = 0; p < out.length; p++) if (out[p] > 0.5) inside.push(p);
  const k = Math.max(1, Math.round(1 / fraction));
  if (inside.length < k) return out;
  const xs = inside.map((p) => p % width),
    ys = inside.map((p) => Math.floor(p / width));
  // k-means++ seeds
  const cx: number[] = [],
    cy: number[] = [];
  const best = new Float64Array(inside.length).fill(Infinity);
  let pick = rng.int(inside.length);
  for (let c = 0; c < k; c++) {
    cx.push(xs[pick]);
    cy.push(ys[pick]);
    let total = 0;
    for (let i = 0; i < inside.length; i++) {
      best[i] = Math.min(best[i], (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2);
      total += best[i];
    }
    let u = rng.next() * total;
    pick = inside.length - 1;
    for (let i = 0; i < inside.length; i++) {
      u -= best[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  const label = new Int32Array(inside.length);
  for (let it = 0; it < 10; it++) {
    const sx = new Float64Array(k),
      sy = new Float64Array(k),
      n = new Float64Array(k);
    for (let i = 0; i < inside.length; i++) {
      let b = 0,
        bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2;
        if (d < bd) {
          bd = d;
          b = c;
        }
      }
      label[i] = b;
      sx[b] += xs[i];
      sy[b] += ys[i];
      n[b]++;
    }
    for (let c = 0; c < k; c++) {
      if (n[c] > 0) {
        cx[c] = sx[c] / n[c];
        cy[c] = sy[c] / n[c];
      }
    }
  }
  const drop = rng.int(k);
  for (let i = 0; i < inside.length; i++) if (label[i] === drop) out[inside[i]] = 0;
  return out;
}

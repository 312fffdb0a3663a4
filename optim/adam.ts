// Adam (Kingma & Ba 2015, Algorithm 1) with bias correction, and optional weight decay:
// L2 (added to the gradient) or decoupled (AdamW, Loshchilov & Hutter 2019: p *= 1 - lr * wd).
//   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
//   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)

import { type FloatArray, allocate, dtypeOf } from '../lib/dtype.js';
import { ArgumentError } from '../lib/errors.js';
import { checkBoolean, checkInRange, checkNonNegative, checkPositive } from './checks.js';
import { type Params, type ParamState, Optimizer, checkLearningRate } from './optimizer.js';

export interface AdamHyperparameters {
  lr: number;
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** true: AdamW's decoupled decay; false: L2 decay added to the gradient. */
  decoupledWeightDecay: boolean;
}

export type AdamOptions = Partial<AdamHyperparameters>;

export class Adam extends Optimizer<AdamHyperparameters> {
  constructor(params: Params<AdamHyperparameters>, options: AdamOptions = {}) {
    const defaults: AdamHyperparameters = {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      decoupledWeightDecay: options.decoupledWeightDecay ?? false,
    };
    super(params, defaults, options);
  }

  protected checkHyperparameters(h: AdamHyperparameters, where: string): void {
    checkLearningRate(h.lr, 'Adam', where);
    if (!Array.isArray(h.betas) || h.betas.length !== 2) {
      throw new ArgumentError(`Adam: ${where}.betas must be a pair [beta1, beta2] such as [0.9, 0.999], got ${JSON.stringify(h.betas)}.`);
    }
    checkInRange(h.betas[0], `Adam: ${where}.betas[0]`, 0, 1);
    checkInRange(h.betas[1], `Adam: ${where}.betas[1]`, 0, 1);
    checkPositive(h.eps, `Adam: ${where}.eps`);
    checkNonNegative(h.weightDecay, `Adam: ${where}.weightDecay`);
    checkBoolean(h.decoupledWeightDecay, `Adam: ${where}.decoupledWeightDecay`);
  }

  protected update(p: FloatArray, g: FloatArray, h: AdamHyperparameters, state: ParamState): void {
    const { lr, eps, weightDecay } = h;
    const [b1, b2] = h.betas;
    const n = p.length;
    const m = (state.buffers.expAvg ??= allocate(dtypeOf(p), n));
    const v = (state.buffers.expAvgSq ??= allocate(dtypeOf(p), n));
    const t = state.step;
    const correct1 = 1 - Math.pow(b1, t);
    const correct2 = 1 - Math.pow(b2, t);
    const l2 = h.decoupledWeightDecay ? 0 : weightDecay;
    const shrink = h.decoupledWeightDecay ? 1 - lr * weightDecay : 1;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + l2 * p[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = shrink * p[i] - (lr * (mi / correct1)) / (Math.sqrt(vi / correct2) + eps);
    }
  }
}

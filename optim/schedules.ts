// Learning-rate schedules acting on every parameter group's lr (torch.optim.lr_scheduler's
// StepLR and ReduceLROnPlateau). They multiply the current lr rather than recompute it from
// the initial one, so several schedules (or a hand-set lr) compose.

import { ArgumentError, NonFiniteError } from '../lib/errors.js';
import { checkInRange, checkInteger, checkNonNegative, checkOneOf } from './checks.js';

/** What a schedule needs from an optimizer: groups with a mutable lr. */
export interface HasParamGroups {
  paramGroups: { lr: number }[];
}

function checkOptimizer(optimizer: HasParamGroups, kind: string): void {
  if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray(optimizer.paramGroups)) {
    throw new ArgumentError(`${kind}: optimizer must be an optimizer (an object with paramGroups), got ${String(optimizer)}.`);
  }
}

export interface StepLROptions {
  /** Epochs (calls to step()) between decays. */
  stepSize: number;
  /** Multiplier applied at each decay (default 0.1). */
  gamma?: number;
}

/** Multiplies every group's lr by gamma once every stepSize calls to step(). */
export class StepLR {
  readonly stepSize: number;
  readonly gamma: number;
  /** How many times step() has been called. */
  epoch = 0;

  constructor(
    readonly optimizer: HasParamGroups,
    options: StepLROptions,
  ) {
    checkOptimizer(optimizer, 'StepLR');
    this.stepSize = checkInteger(options?.stepSize, 'StepLR: options.stepSize', 1);
    this.gamma = checkNonNegative(options.gamma ?? 0.1, 'StepLR: options.gamma');
  }

  /** Ends an epoch; returns true when it decayed the learning rates. */
  step(): boolean {
    this.epoch++;
    if (this.epoch % this.stepSize !== 0) return false;
    for (const group of this.optimizer.paramGroups) group.lr *= this.gamma;
    return true;
  }

  /** Current lr of each group. */
  lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): { epoch: number } {
    return { epoch: this.epoch };
  }

  loadStateDict(dict: { epoch: number }): void {
    this.epoch = checkInteger(dict?.epoch, 'StepLR.loadStateDict: dict.epoch', 0);
  }
}

export interface ReduceLROnPlateauOptions {
  /** 'min': lower metric is better (a loss); 'max': higher is better (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** Multiplier applied at each reduction, in (0, 1). Default 0.1. */
  factor?: number;
  /** Bad epochs tolerated; the lr drops on the (patience+1)-th in a row. Default 10. */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best * (1 -/+ threshold); 'abs': better than best -/+ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted. Default 0. */
  cooldown?: number;
  /** Floor for the lr: one number for every group, or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (the lr is already at its floor). Default 1e-8. */
  eps?: number;
}

/** Reduces every group's lr by `factor` when the metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** Best metric seen so far (Infinity / -Infinity before the first). */
  best: number;
  /** Consecutive epochs without improvement, outside cooldown. */
  badEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownLeft = 0;
  epoch = 0;
  /** Whether the last step() reduced the learning rates. */
  lastReduced = false;

  constructor(
    readonly optimizer: HasParamGroups,
    options: ReduceLROnPlateauOptions = {},
  ) {
    checkOptimizer(optimizer, 'ReduceLROnPlateau');
    this.mode = checkOneOf(options.mode ?? 'min', 'ReduceLROnPlateau: options.mode', ['min', 'max'] as const);
    this.factor = checkInRange(options.factor ?? 0.1, 'ReduceLROnPlateau: options.factor', 0, 1);
    if (this.factor === 0) throw new ArgumentError('ReduceLROnPlateau: options.factor must be > 0 (it multiplies the lr), got 0.');
    this.patience = checkInteger(options.patience ?? 10, 'ReduceLROnPlateau: options.patience', 0);
    this.threshold = checkNonNegative(options.threshold ?? 1e-4, 'ReduceLROnPlateau: options.threshold');
    this.thresholdMode = checkOneOf(options.thresholdMode ?? 'rel', 'ReduceLROnPlateau: options.thresholdMode', ['rel', 'abs'] as const);
    this.cooldown = checkInteger(options.cooldown ?? 0, 'ReduceLROnPlateau: options.cooldown', 0);
    this.eps = checkNonNegative(options.eps ?? 1e-8, 'ReduceLROnPlateau: options.eps');
    const groups = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups) {
        throw new ArgumentError(`ReduceLROnPlateau: options.minLr has ${minLr.length} values but the optimizer has ${groups} parameter groups; give one per group or a single number.`);
      }
      this.minLrs = minLr.map((v, i) => checkNonNegative(v, `ReduceLROnPlateau: options.minLr[${i}]`));
    } else {
      this.minLrs = new Array<number>(groups).fill(checkNonNegative(minLr, 'ReduceLROnPlateau: options.minLr'));
    }
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Ends an epoch with its metric (e.g. the validation loss); returns true when it reduced the lr. */
  step(metric: number): boolean {
    if (typeof metric !== 'number' || !Number.isFinite(metric)) {
      throw new NonFiniteError(`ReduceLROnPlateau.step: metric must be a finite number, got ${String(metric)}; the loss has probably diverged.`);
    }
    this.epoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.badEpochs = 0;
    } else {
      this.badEpochs++;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.badEpochs = 0; // bad epochs during cooldown do not count
    }
    this.lastReduced = false;
    if (this.badEpochs > this.patience) {
      this.lastReduced = this.reduce();
      this.cooldownLeft = this.cooldown;
      this.badEpochs = 0;
    }
    return this.lastReduced;
  }

  /** Current lr of each group. */
  lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): { best: number; badEpochs: number; cooldownLeft: number; epoch: number } {
    return { best: this.best, badEpochs: this.badEpochs, cooldownLeft: this.cooldownLeft, epoch: this.epoch };
  }

  /** Restores stateDict()'s counters (best may be ±Infinity before the first step; JSON turns those into null). */
  loadStateDict(dict: { best: number | null; badEpochs: number; cooldownLeft: number; epoch: number }): void {
    const best = dict?.best ?? (this.mode === 'min' ? Infinity : -Infinity);
    if (typeof best !== 'number' || Number.isNaN(best)) throw new ArgumentError(`ReduceLROnPlateau.loadStateDict: dict.best must be a number, got ${String(best)}.`);
    const badEpochs = checkInteger(dict.badEpochs, 'ReduceLROnPlateau.loadStateDict: dict.badEpochs', 0);
    const cooldownLeft = checkInteger(dict.cooldownLeft, 'ReduceLROnPlateau.loadStateDict: dict.cooldownLeft', 0);
    this.epoch = checkInteger(dict.epoch, 'ReduceLROnPlateau.loadStateDict: dict.epoch', 0);
    this.best = best;
    this.badEpochs = badEpochs;
    this.cooldownLeft = cooldownLeft;
  }

  private isBetter(metric: number): boolean {
    const { best, threshold } = this;
    if (!Number.isFinite(best)) return true; // the first metric is the baseline (and Infinity * 0 would be NaN)
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? metric < best * (1 - threshold) : metric < best - threshold;
    return this.thresholdMode === 'rel' ? metric > best * (1 + threshold) : metric > best + threshold;
  }

  /** lr <- max(lr * factor, minLr) for each group; true when some group changed. */
  private reduce(): boolean {
    let changed = false;
    this.optimizer.paramGroups.forEach((group, i) => {
      const next = Math.max(group.lr * this.factor, this.minLrs[i] ?? 0);
      if (group.lr - next > this.eps) {
        group.lr = next;
        changed = true;
      }
    });
    return changed;
  }
}

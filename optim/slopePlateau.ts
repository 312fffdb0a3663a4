// The plateau rule of the Fuzzy Metaballs fits (docs/fm.md §7-8, after the reference code): fit a
// least-squares line to the last `window` losses; when it predicts the loss falls by less than
// `tolerance` x its mean over a window, the loss has stopped falling: multiply every group's lr
// by `factor`, clear the window, and after `maxCuts` cuts stop at the next plateau.

import { checkInRange, checkInteger, checkNonNegative } from './checks.js';
import type { HasParamGroups } from './schedules.js';

export interface SlopePlateauOptions {
  /** Losses the line is fitted to, and steps between decisions (default 30). */
  window?: number;
  /** Relative fall per window below which the loss counts as flat (default 0.01). */
  tolerance?: number;
  /** lr multiplier at a plateau (default 0.1). */
  factor?: number;
  /** Cuts before the next plateau stops the fit (default 4). */
  maxCuts?: number;
}

export class SlopePlateau {
  readonly window: number;
  readonly tolerance: number;
  readonly factor: number;
  readonly maxCuts: number;
  cuts = 0;
  /** Set at the plateau after the last cut: the fit should end. */
  stopped = false;
  private history: number[] = [];

  constructor(
    readonly optimizer: HasParamGroups,
    options: SlopePlateauOptions = {},
  ) {
    this.window = checkInteger(options.window ?? 30, 'SlopePlateau: options.window', 3);
    this.tolerance = checkNonNegative(options.tolerance ?? 0.01, 'SlopePlateau: options.tolerance');
    this.factor = checkInRange(options.factor ?? 0.1, 'SlopePlateau: options.factor', 0, 1);
    this.maxCuts = checkInteger(options.maxCuts ?? 4, 'SlopePlateau: options.maxCuts', 0);
  }

  /** Records a step's loss; returns true when it cut the learning rates. */
  step(loss: number): boolean {
    if (this.stopped) return false;
    this.history.push(loss);
    const n = this.history.length;
    if (n < this.window) return false;
    // slope of the least-squares line through (i, loss_i), i = 0..n-1
    let sy = 0,
      sxy = 0;
    for (let i = 0; i < n; i++) {
      sy += this.history[i];
      sxy += i * this.history[i];
    }
    const mx = (n - 1) / 2,
      my = sy / n;
    const sxx = (n * (n * n - 1)) / 12;
    const slope = (sxy - n * mx * my) / sxx;
    this.history = this.history.slice(-Math.floor(this.window / 2)); // decide again half a window on
    if (-slope * this.window >= this.tolerance * Math.abs(my)) return false;
    if (this.cuts >= this.maxCuts) {
      this.stopped = true;
      return false;
    }
    for (const g of this.optimizer.paramGroups) g.lr *= this.factor;
    this.cuts++;
    this.history = [];
    return true;
  }
}

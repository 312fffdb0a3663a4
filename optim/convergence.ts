// When a fit has stopped getting better (docs/dss.md §5, "Stopping"): the mean step loss over
// the last `window` steps against the mean over the `window` before them. Step losses are noisy
// (each step sees a few of the views), so single steps are never compared; a window that spans
// every view several times is.

export interface ConvergenceRule {
  /** Steps per window (default 150). */
  window: number;
  /** Converged once the newer window's mean is less than this fraction below the older's (default 0.005). */
  tolerance: number;
}

export const DEFAULT_CONVERGENCE: ConvergenceRule = { window: 150, tolerance: 0.005 };

export class Convergence {
  private readonly losses: number[] = [];

  constructor(readonly rule: ConvergenceRule = DEFAULT_CONVERGENCE) {}

  /** Records a step's loss; true once the last two windows say the fit has converged. */
  push(loss: number): boolean {
    this.losses.push(loss);
    return this.converged();
  }

  /** The relative improvement of the last window over the one before, or null before two full windows. */
  improvement(): number | null {
    const w = this.rule.window,
      n = this.losses.length;
    if (n < 2 * w) return null;
    let older = 0,
      newer = 0;
    for (let i = n - 2 * w; i < n - w; i++) older += this.losses[i];
    for (let i = n - w; i < n; i++) newer += this.losses[i];
    return older > 0 ? (older - newer) / older : 0;
  }

  converged(): boolean {
    const g = this.improvement();
    return g !== null && g < this.rule.tolerance;
  }

  /** Starts over (a new stage of the fit). */
  reset(): void {
    this.losses.length = 0;
  }
}

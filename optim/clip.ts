// Gradient clipping, applied between backward() and step(): by value (each element clamped to
// [-clipValue, clipValue], as the reference DSS runs do) or by the norm of all gradients taken
// together (rescaled to maxNorm when larger). Parameters without a gradient are skipped.

import { ArgumentError, NonFiniteError, assertFinite } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { checkPositive } from './checks.js';

export interface ClipGradNormOptions {
  /** Which p-norm to use (default 2); Infinity takes the largest absolute value. */
  normType?: number;
}

/** Clamps every gradient element into [-clipValue, clipValue], in place. */
export function clipGradValue(params: Tensor | readonly Tensor[], clipValue: number): void {
  checkPositive(clipValue, 'clipGradValue: clipValue');
  for (const [p, where] of withGrads(params, 'clipGradValue')) {
    const g = p.grad!.data;
    assertFinite(g, `clipGradValue: the gradient of ${where}`, 'clipping cannot repair NaN; check the loss and its backward');
    for (let i = 0; i < g.length; i++) {
      if (g[i] > clipValue) g[i] = clipValue;
      else if (g[i] < -clipValue) g[i] = -clipValue;
    }
  }
}

/**
 * Scales all gradients by maxNorm / (total + 1e-6) when their total norm exceeds maxNorm
 * (the 1e-6 keeps the factor finite, as in torch). Returns the total norm before clipping;
 * a non-finite total throws NonFiniteError, since a step along it would destroy the parameters.
 */
export function clipGradNorm(params: Tensor | readonly Tensor[], maxNorm: number, options: ClipGradNormOptions = {}): number {
  checkPositive(maxNorm, 'clipGradNorm: maxNorm');
  const normType = options.normType ?? 2;
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new ArgumentError(`clipGradNorm: options.normType must be a number > 0 or Infinity, got ${String(normType)}.`);
  }
  const list = withGrads(params, 'clipGradNorm');
  let total = 0;
  for (const [p] of list) {
    const g = p.grad!.data;
    if (normType === Infinity) for (let i = 0; i < g.length; i++) total = Math.max(total, Math.abs(g[i]));
    else if (normType === 2) for (let i = 0; i < g.length; i++) total += g[i] * g[i];
    else for (let i = 0; i < g.length; i++) total += Math.pow(Math.abs(g[i]), normType);
  }
  if (normType !== Infinity) total = normType === 2 ? Math.sqrt(total) : Math.pow(total, 1 / normType);
  if (!Number.isFinite(total)) {
    const bad = list.find(([p]) => p.grad!.data.some((v) => !Number.isFinite(v)));
    const culprit = bad ? `; ${bad[1]} has a non-finite gradient` : '';
    throw new NonFiniteError(`clipGradNorm: the total gradient norm is ${total}${culprit}; check the loss and its backward, or lower the learning rate.`);
  }
  if (total > maxNorm) {
    const scale = maxNorm / (total + 1e-6);
    for (const [p] of list) {
      const g = p.grad!.data;
      for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  return total;
}

/** The tensors that have a gradient, each with a label for error messages. */
function withGrads(params: Tensor | readonly Tensor[], fn: string): [Tensor, string][] {
  const list = params instanceof Tensor ? [params] : params;
  if (!Array.isArray(list)) throw new ArgumentError(`${fn}: params must be a Tensor or an array of tensors.`);
  const out: [Tensor, string][] = [];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: params[${i}] is not a Tensor.`);
    if (p.grad) out.push([p, `params[${i}]${p.name ? ` ('${p.name}')` : ''}`]);
  });
  return out;
}

// clamp(x, min, max) = min(max(x, lo), hi), elementwise with number bounds.
// Gradient: dL/dx = g where lo <= x <= hi, 0 where x was clipped. The boundary counts as inside
// (as in PyTorch), so a value resting exactly on a bound can still be pulled back in.

import { customOp } from '../lib/customOp.js';
import { ArgumentError } from '../lib/errors.js';
import type { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType } from './broadcast.js';

const clampOp = customOp({
  name: 'clamp',
  forward(ctx, x: Tensor, lo: number, hi: number) {
    const out = ctx.output(x.shape);
    const X = x.data,
      Y = out.data;
    for (let i = 0; i < X.length; i++) {
      const v = X[i];
      Y[i] = v < lo ? lo : v > hi ? hi : v;
    }
    ctx.save(X, lo, hi);
    return out;
  },
  backward(ctx, gy) {
    const [X, lo, hi] = ctx.saved as [Float64Array, number, number];
    const g = gy!;
    const gx = ctx.zeros(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = X[i] >= lo && X[i] <= hi ? g[i] : 0;
    return [gx];
  },
});

function checkBound(v: unknown, argName: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new ArgumentError(`clamp: ${argName} must be a number (or undefined for no bound), got ${typeof v === 'number' ? 'NaN' : typeof v}.`);
  }
  return v;
}

/** Limits x to [min, max]; either bound may be left out (undefined), not both. */
export function clamp(x: Operand, min?: number, max?: number): Tensor {
  const lo = checkBound(min, 'min');
  const hi = checkBound(max, 'max');
  if (lo === undefined && hi === undefined) {
    throw new ArgumentError('clamp: give min, max or both; with neither, clamp would do nothing.');
  }
  if (lo !== undefined && hi !== undefined && lo > hi) {
    throw new ArgumentError(`clamp: min (${lo}) is greater than max (${hi}); swap them.`);
  }
  return clampOp(lift(x, operandDType(x), 'x'), lo ?? -Infinity, hi ?? Infinity);
}

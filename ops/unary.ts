// Elementwise unary ops y = f(x), each declared by its value and its derivative dy/dx written in
// terms of x and y (exp' = y, tanh' = 1 - y^2, sigmoid' = y (1 - y) reuse the forward value).
// A value outside an op's domain (log of x <= 0, sqrt of x < 0, exp overflow) throws a
// NonFiniteError naming the op, the element and the fix, instead of leaving NaN or Infinity.

import { customOp } from '../lib/customOp.js';
import { NonFiniteError, firstNonFinite } from '../lib/errors.js';
import { unravelIndex } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType } from './broadcast.js';

type Scalar1 = (x: number) => number;
/** dy/dx at x, given y = f(x). */
type Derivative = (x: number, y: number) => number;

/**
 * Builds y = f(x) with derivative df. `fix` completes the error message when f leaves the finite
 * numbers (it should say what input the op needs and how to get there).
 */
export function unaryOp(name: string, f: Scalar1, df: Derivative, fix = `check the input for values outside the domain of ${name}`): (x: Operand) => Tensor {
  const op = customOp({
    name,
    forward(ctx, x: Tensor) {
      const out = ctx.output(x.shape);
      const X = x.data,
        Y = out.data;
      for (let i = 0; i < Y.length; i++) Y[i] = f(X[i]);
      const bad = firstNonFinite(Y);
      if (bad >= 0) {
        const at = x.ndim ? `[${unravelIndex(bad, x.shape).join(', ')}]` : '';
        throw new NonFiniteError(`${name}(x): x${at}${x.name ? ` (${x.name})` : ''} = ${X[bad]} gives ${Y[bad]}; ${fix}.`);
      }
      ctx.save(X, Y);
      return out;
    },
    backward(ctx, gy) {
      const [X, Y] = ctx.saved as [Float64Array, Float64Array];
      const g = gy!;
      const gx = ctx.zeros(g.length);
      for (let i = 0; i < g.length; i++) gx[i] = g[i] * df(X[i], Y[i]);
      return [gx];
    },
  });
  return (x: Operand) => op(lift(x, operandDType(x), 'x'));
}

export const neg = unaryOp(
  'neg',
  (x) => -x,
  () => -1,
);

export const exp = unaryOp('exp', Math.exp, (_x, y) => y, 'exp overflows above about 709 in float64 (88 in float32); scale the input down or clamp it first');

// d log x = dx / x
export const log = unaryOp('log', Math.log, (x) => 1 / x, 'log needs x > 0; clamp x to a small positive minimum first (e.g. clamp(x, 1e-12)) or add an epsilon');

// d sqrt x = dx / (2 sqrt x): infinite at x = 0, where the tape's non-finite gradient check reports it.
export const sqrt = unaryOp('sqrt', Math.sqrt, (_x, y) => 0.5 / y, 'sqrt needs x >= 0; clamp x at 0 first (and use sqrt(x + eps) where the gradient at 0 matters)');

// abs'(0) is taken as 0 (the subgradient that leaves a value sitting at the kink where it is).
export const abs = unaryOp('abs', Math.abs, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));

// sigmoid(x) = 1 / (1 + e^-x), written so neither branch overflows; sigmoid' = y (1 - y).
export const sigmoid = unaryOp(
  'sigmoid',
  (x) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  },
  (_x, y) => y * (1 - y),
);

export const tanh = unaryOp('tanh', Math.tanh, (_x, y) => 1 - y * y);

// relu'(0) is taken as 0, like abs'(0).
export const relu = unaryOp(
  'relu',
  (x) => (x > 0 ? x : 0),
  (x) => (x > 0 ? 1 : 0),
);

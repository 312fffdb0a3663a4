// Minimum and maximum: elementwise between two operands (with broadcasting), and as reductions
// over one axis or all. Both are piecewise the identity, so the gradient is routed, not scaled:
//   maximum(a, b): dL/da = g where a >= b, dL/db = g where a < b (ties go to a; minimum alike)
//   max(x, axis):  dL/dx[i] = g[j] for the first i (in index order) attaining the extreme of
//                  output j, 0 elsewhere (one winner, so the gradient is not split on ties)

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { broadcastIndex } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { binaryOp } from './binary.js';
import { reduction } from './reduce.js';

export const maximum = binaryOp(
  'maximum',
  (a, b) => (a >= b ? a : b),
  (a, b) => (a >= b ? 1 : 0),
  (a, b) => (a >= b ? 0 : 1),
);
export const minimum = binaryOp(
  'minimum',
  (a, b) => (a <= b ? a : b),
  (a, b) => (a <= b ? 1 : 0),
  (a, b) => (a <= b ? 0 : 1),
);

/** Builds the max (sign +1) or min (sign -1) reduction: extreme value and first arg-extreme. */
function extremeOp(name: string, sign: 1 | -1) {
  return customOp({
    name,
    forward(ctx, x: Tensor, keptShape: number[], outShape: number[]) {
      const out = ctx.output(outShape);
      const Y = out.data,
        X = x.data;
      const map = broadcastIndex(keptShape, x.shape);
      const arg = new Int32Array(Y.length).fill(-1);
      // Scanning in flat order visits each output's candidates in increasing index along the
      // axis, and the strict comparison keeps the first of equal extremes.
      for (let i = 0; i < X.length; i++) {
        const j = map[i];
        if (arg[j] < 0 || sign * X[i] > sign * Y[j]) {
          Y[j] = X[i];
          arg[j] = i;
        }
      }
      ctx.save(arg, X.length);
      return out;
    },
    backward(ctx, gy) {
      const [arg, n] = ctx.saved as [Int32Array, number];
      const g = gy!;
      const gx = ctx.zeros(n);
      for (let j = 0; j < arg.length; j++) gx[arg[j]] += g[j];
      return [gx];
    },
  });
}

const maxOp = extremeOp('max', 1);
const minOp = extremeOp('min', -1);

function reduceExtreme(op: typeof maxOp, name: string, x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  if (axis !== undefined && typeof axis !== 'number') {
    throw new ArgumentError(`${name}: axis must be one number or undefined (all axes), got ${JSON.stringify(axis)}; reduce one axis at a time.`);
  }
  const r = reduction(x, axis, keepdims, name);
  if (r.count === 0) {
    throw new ShapeError(`${name}: the reduced axes of x (shape [${x.shape}]) hold no elements, so they have no ${name}; reduce over a non-empty axis.`);
  }
  return op(x, r.keptShape, r.outShape);
}

/** Largest value over `axis` (all axes by default); the gradient goes to the first largest element. */
export function max(x: Tensor, axis?: number, keepdims = false): Tensor {
  return reduceExtreme(maxOp, 'max', x, axis, keepdims);
}

/** Smallest value over `axis` (all axes by default); the gradient goes to the first smallest element. */
export function min(x: Tensor, axis?: number, keepdims = false): Tensor {
  return reduceExtreme(minOp, 'min', x, axis, keepdims);
}

// Elementwise binary ops with NumPy broadcasting. Each is declared by its value and its two
// partial derivatives; the shared kernel handles broadcasting and its adjoint.

import { customOp } from '../lib/customOp.js';
import type { FloatArray } from '../lib/dtype.js';
import { broadcastIndex, broadcastShapes, shapesEqual } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType, unbroadcast } from './broadcast.js';

type Scalar2 = (a: number, b: number) => number;
/** dy/da or dy/db as a function of (a, b, y), or a constant (add, sub: no per-element call). */
type Partial = ((a: number, b: number, y: number) => number) | number;

/** out = g * d(a, b, y) elementwise over the broadcast output. */
function chainRule(d: Partial, g: FloatArray, A: FloatArray, B: FloatArray, Y: FloatArray, ia: Int32Array | null, ib: Int32Array | null, out: FloatArray): void {
  const n = g.length;
  if (typeof d === 'number') for (let i = 0; i < n; i++) out[i] = g[i] * d;
  else if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = g[i] * d(A[i], B[i], Y[i]);
  else for (let i = 0; i < n; i++) out[i] = g[i] * d(A[ia ? ia[i] : i], B[ib ? ib[i] : i], Y[i]);
}

/**
 * Builds a broadcasting op y = f(a, b) with dy/da and dy/db. `checksOwnOutput`: the caller checks
 * finiteness itself with a more specific message (div, pow), so customOp's generic check is skipped.
 */
export function binaryOp(name: string, f: Scalar2, dA: Partial, dB: Partial, checksOwnOutput = false): (a: Operand, b: Operand) => Tensor {
  const op = customOp({
    name,
    allowNonFinite: checksOwnOutput,
    forward(ctx, a: Tensor, b: Tensor) {
      const shape = broadcastShapes(a.shape, b.shape, ['a', 'b']);
      const out = ctx.output(shape);
      const A = a.data,
        B = b.data,
        Y = out.data;
      // same shapes (the common case) need no index maps
      const ia = shapesEqual(a.shape, shape) ? null : broadcastIndex(a.shape, shape);
      const ib = shapesEqual(b.shape, shape) ? null : broadcastIndex(b.shape, shape);
      if (!ia && !ib) for (let i = 0; i < Y.length; i++) Y[i] = f(A[i], B[i]);
      else if (!ia) for (let i = 0; i < Y.length; i++) Y[i] = f(A[i], B[ib![i]]);
      else if (!ib) for (let i = 0; i < Y.length; i++) Y[i] = f(A[ia[i]], B[i]);
      else for (let i = 0; i < Y.length; i++) Y[i] = f(A[ia[i]], B[ib[i]]);
      ctx.save(a, b, out, ia, ib);
      return out;
    },
    backward(ctx, gy) {
      const [a, b, out, ia, ib] = ctx.saved as [Tensor, Tensor, Tensor, Int32Array | null, Int32Array | null];
      const g = gy!;
      const A = a.data,
        B = b.data,
        Y = out.data;
      let ga = null,
        gb = null;
      if (ctx.needsInputGrad[0]) {
        const full = ctx.zeros(g.length);
        chainRule(dA, g, A, B, Y, ia, ib, full);
        ga = unbroadcast(full, out.shape, a.shape, ctx.dtype);
      }
      if (ctx.needsInputGrad[1]) {
        const full = ctx.zeros(g.length);
        chainRule(dB, g, A, B, Y, ia, ib, full);
        gb = unbroadcast(full, out.shape, b.shape, ctx.dtype);
      }
      return [ga, gb];
    },
  });
  return (a: Operand, b: Operand) => {
    const dtype = operandDType(a, b);
    return op(lift(a, dtype, 'a'), lift(b, dtype, 'b'));
  };
}

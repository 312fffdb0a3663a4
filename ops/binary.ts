// Elementwise binary ops with NumPy broadcasting. Each is declared by its value and its two
// partial derivatives; the shared kernel handles broadcasting and its adjoint.

import { customOp } from '../lib/customOp.js';
import { broadcastIndex, broadcastShapes } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType, unbroadcast } from './broadcast.js';

type Scalar2 = (a: number, b: number) => number;
type Partial = (a: number, b: number, y: number) => number;

/** Builds a broadcasting op y = f(a, b) with dy/da and dy/db. */
export function binaryOp(name: string, f: Scalar2, dA: Partial, dB: Partial): (a: Operand, b: Operand) => Tensor {
  const op = customOp({
    name,
    forward(ctx, a: Tensor, b: Tensor) {
      const shape = broadcastShapes(a.shape, b.shape, ['a', 'b']);
      const out = ctx.output(shape);
      const ia = broadcastIndex(a.shape, shape);
      const ib = broadcastIndex(b.shape, shape);
      const A = a.data, B = b.data, Y = out.data;
      for (let i = 0; i < Y.length; i++) Y[i] = f(A[ia[i]], B[ib[i]]);
      ctx.save(a, b, out, ia, ib);
      return out;
    },
    backward(ctx, gy) {
      const [a, b, out, ia, ib] = ctx.saved as [Tensor, Tensor, Tensor, Int32Array, Int32Array];
      const g = gy!;
      const A = a.data, B = b.data, Y = out.data;
      let ga = null, gb = null;
      if (ctx.needsInputGrad[0]) {
        const full = ctx.zeros(g.length);
        for (let i = 0; i < g.length; i++) full[i] = g[i] * dA(A[ia[i]], B[ib[i]], Y[i]);
        ga = unbroadcast(full, out.shape, a.shape, ctx.dtype);
      }
      if (ctx.needsInputGrad[1]) {
        const full = ctx.zeros(g.length);
        for (let i = 0; i < g.length; i++) full[i] = g[i] * dB(A[ia[i]], B[ib[i]], Y[i]);
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

// Helpers every broadcasting op shares: lifting numbers to tensors, and summing a gradient
// over the dimensions an input was broadcast along (the adjoint of broadcasting).

import { type DType, type FloatArray, allocate } from '../lib/dtype.js';
import { ArgumentError } from '../lib/errors.js';
import { type Shape, broadcastIndex, shapesEqual, sizeOf } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';

export type Operand = Tensor | number;

/** A number becomes a 0-d constant of `dtype`; tensors pass through. */
export function lift(x: Operand, dtype: DType, argName: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new ArgumentError(`${argName} must be a Tensor or a number, got ${typeof x}.`);
  const d = allocate(dtype, 1);
  d[0] = x;
  return new Tensor(d, []);
}

/** The dtype of the first tensor among the operands (float32 if none). */
export function operandDType(...xs: Operand[]): DType {
  for (const x of xs) if (x instanceof Tensor) return x.dtype;
  return 'float32';
}

/** Sum `g` (laid out as `outShape`) down to `inShape`, which was broadcast to `outShape`. */
export function unbroadcast(g: FloatArray, outShape: Shape, inShape: Shape, dtype: DType): FloatArray {
  if (shapesEqual(outShape, inShape)) return g;
  const res = allocate(dtype, sizeOf(inShape));
  const map = broadcastIndex(inShape, outShape);
  for (let i = 0; i < g.length; i++) res[map[i]] += g[i];
  return res;
}

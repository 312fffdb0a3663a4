// where(cond, a, b) = cond ? a : b, elementwise, with cond, a and b broadcasting together.
// The condition is a constant mask: dL/da = g where cond, dL/db = g elsewhere (each summed back
// over the dimensions its operand was broadcast along).

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { broadcastIndex, broadcastShapes } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType, unbroadcast } from './broadcast.js';

/** A 0/1 (or boolean) mask: a Tensor, a flat typed or plain array, or nested arrays. */
export type Condition = Tensor | ArrayLike<number | boolean> | readonly unknown[];

interface Mask {
  mask: Uint8Array;
  shape: number[];
}

/** Reads `cond` into a flat 0/1 mask with its shape; anything but 0, 1, true or false throws. */
function toMask(cond: Condition): Mask {
  if (cond instanceof Tensor) return { mask: flagsOf(cond.data, 'cond'), shape: cond.shape.slice() };
  if (ArrayBuffer.isView(cond)) return { mask: flagsOf(cond as unknown as ArrayLike<number>, 'cond'), shape: [(cond as unknown as ArrayLike<number>).length] };
  if (!Array.isArray(cond)) throw new ArgumentError(`where: cond must be a Tensor, a typed array or (nested) arrays of 0/1 or booleans, got ${typeof cond}.`);
  const shape: number[] = [];
  for (let level: unknown = cond; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: unknown[] = [];
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) throw new ShapeError(`where: cond is ragged: cond${path} should be an array of length ${shape[dim]}.`);
    v.forEach((w, i) => walk(w, dim + 1, `${path}[${i}]`));
  };
  walk(cond, 0, '');
  return { mask: flagsOf(flat as ArrayLike<number | boolean>, 'cond (flattened)'), shape };
}

function flagsOf(values: ArrayLike<unknown>, what: string): Uint8Array {
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1 || v === true) mask[i] = 1;
    else if (v !== 0 && v !== false) {
      throw new ArgumentError(`where: ${what} has ${String(v)} at flat index ${i}; a condition holds only 0/1 or booleans (compare first, e.g. x > 0 as a mask).`);
    }
  }
  return mask;
}

const whereOp = customOp({
  name: 'where',
  forward(ctx, cond: Mask, a: Tensor, b: Tensor) {
    const ab = broadcastShapes(a.shape, b.shape, ['a', 'b']);
    const shape = broadcastShapes(cond.shape, ab, ['cond', 'a and b']);
    const out = ctx.output(shape);
    const ic = broadcastIndex(cond.shape, shape);
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    const M = cond.mask,
      A = a.data,
      B = b.data,
      Y = out.data;
    for (let i = 0; i < Y.length; i++) Y[i] = M[ic[i]] ? A[ia[i]] : B[ib[i]];
    ctx.save(M, ic, a.shape, b.shape, shape);
    return out;
  },
  backward(ctx, gy) {
    const [M, ic, aShape, bShape, shape] = ctx.saved as [Uint8Array, Int32Array, number[], number[], number[]];
    const g = gy!;
    let ga = null,
      gb = null;
    if (ctx.needsInputGrad[0]) {
      const full = ctx.zeros(g.length);
      for (let i = 0; i < g.length; i++) if (M[ic[i]]) full[i] = g[i];
      ga = unbroadcast(full, shape, aShape, ctx.dtype);
    }
    if (ctx.needsInputGrad[1]) {
      const full = ctx.zeros(g.length);
      for (let i = 0; i < g.length; i++) if (!M[ic[i]]) full[i] = g[i];
      gb = unbroadcast(full, shape, bShape, ctx.dtype);
    }
    return [ga, gb];
  },
});

/** Picks a where cond holds and b elsewhere; cond, a and b broadcast together. */
export function where(cond: Condition, a: Operand, b: Operand): Tensor {
  const dtype = operandDType(a, b);
  return whereOp(toMask(cond), lift(a, dtype, 'a'), lift(b, dtype, 'b'));
}

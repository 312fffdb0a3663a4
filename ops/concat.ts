// concat and stack. Seen around `axis`, every input is `outer` blocks of (its length along axis) x
// inner values; the output interleaves those blocks in input order, and the backward splits the
// output gradient along the same seams.

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { normalizeAxis } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';
import { unsqueeze } from './reshape.js';
import { axisLayout } from './strided.js';

const concatOp = customOp({
  name: 'concat',
  forward(ctx, tensors: Tensor[], axis: number) {
    const shape = tensors[0].shape.slice();
    shape[axis] = tensors.reduce((n, t) => n + t.shape[axis], 0);
    const out = ctx.output(shape);
    const { outer, inner } = axisLayout(shape, axis);
    const rowOut = shape[axis] * inner; // values per outer block of the output
    const Y = out.data;
    let col = 0; // where the current input's block starts inside an output block
    for (const t of tensors) {
      const block = t.shape[axis] * inner;
      const X = t.data;
      for (let o = 0; o < outer; o++) {
        const src = o * block,
          dst = o * rowOut + col;
        for (let j = 0; j < block; j++) Y[dst + j] = X[src + j];
      }
      col += block;
    }
    ctx.save(
      tensors.map((t) => t.shape[axis]),
      outer,
      inner,
      rowOut,
    );
    return out;
  },
  backward(ctx, g) {
    const [lengths, outer, inner, rowOut] = ctx.saved as [number[], number, number, number];
    const G = g!;
    let col = 0;
    return lengths.map((len, k) => {
      const block = len * inner;
      const start = col;
      col += block;
      if (!ctx.needsInputGrad[k]) return null;
      const gx = ctx.zeros(outer * block);
      for (let o = 0; o < outer; o++) {
        const src = o * rowOut + start,
          dst = o * block;
        for (let j = 0; j < block; j++) gx[dst + j] = G[src + j];
      }
      return gx;
    });
  },
});

function checkList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ArgumentError(`${op}: tensors must be a non-empty array of tensors.`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: tensors[${i}] is not a Tensor (got ${typeof t}).`);
  });
}

/** Joins tensors along an existing axis; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, 'concat');
  const first = tensors[0];
  if (first.ndim === 0) throw new ShapeError('concat: tensors[0] is 0-d; concat joins along an axis, so use stack for scalars.');
  const a = normalizeAxis(axis, first.ndim);
  tensors.forEach((t, i) => {
    const agrees = t.ndim === first.ndim && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!agrees) {
      throw new ShapeError(`concat: tensors[${i}] has shape [${t.shape}] but tensors[0] has [${first.shape}]; all dimensions except axis ${a} must match.`);
    }
  });
  return concatOp(tensors.slice(), a);
}

/** Joins same-shaped tensors along a new axis (-ndim-1..ndim). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList(tensors, 'stack');
  const first = tensors[0];
  const a = normalizeAxis(axis, first.ndim + 1);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new ShapeError(`stack: tensors[${i}] has shape [${t.shape}] but tensors[0] has [${first.shape}]; stacked tensors must have the same shape.`);
    }
  });
  return concatOp(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

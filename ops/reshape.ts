// reshape and its shorthands (flatten, squeeze, unsqueeze). Storage is contiguous and row-major,
// so a reshape is a new shape over the same data: neither forward nor backward copies anything,
// and the output shares storage with its input (writes through, like a torch view).

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { type Shape, normalizeAxis, sizeOf } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';

/** `shape` with its single -1 (if any) inferred so that it holds `size` elements. */
export function resolveShape(shape: Shape, size: number, from: Shape, argName = 'shape'): number[] {
  if (!Array.isArray(shape)) throw new ArgumentError(`reshape: ${argName} must be an array of integers, got ${typeof shape}.`);
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      if (inferred >= 0) throw new ShapeError(`reshape: ${argName} [${shape}] has more than one -1; only one dimension can be inferred.`);
      inferred = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`reshape: ${argName}[${i}] is ${d}; dimensions must be non-negative integers (or -1 to infer one).`);
    } else {
      known *= d;
    }
  }
  const out = shape.slice();
  if (inferred >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer the -1 in ${argName} [${shape}] for a tensor of shape [${from}] (${size} elements); ${size} is not a multiple of ${known}.`);
    }
    out[inferred] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new ShapeError(`reshape: cannot reshape [${from}] (${size} elements) to ${argName} [${shape}] (${sizeOf(out)} elements); the element counts must match.`);
  }
  return out;
}

const reshapeOp = customOp({
  name: 'reshape',
  forward(_ctx, x: Tensor, shape: number[]) {
    return new Tensor(x.data, shape);
  },
  backward(_ctx, g) {
    return [g]; // same flat layout: the gradient is the output gradient, reinterpreted
  },
});

/** The same values in a new shape (one dimension may be -1 to infer it). Shares storage with x. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return reshapeOp(x, resolveShape(shape, x.size, x.shape));
}

/** Merges dimensions startDim..endDim (inclusive) into one; flatten(x) gives a 1-d tensor. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'startDim');
  const e = normalizeAxis(endDim, x.ndim, 'endDim');
  if (e < s) throw new ShapeError(`flatten: endDim ${endDim} comes before startDim ${startDim}; pass startDim <= endDim.`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes dimension `axis` (which must have size 1), or every size-1 dimension when no axis is given. */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis(axis, x.ndim);
  if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${axis} of shape [${x.shape}] has size ${x.shape[a]}, not 1; pick an axis of size 1.`);
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
}

/** Inserts a dimension of size 1 at `axis` (-ndim-1..ndim; negative counts from the end of the result). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

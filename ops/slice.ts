// slice: a contiguous box of a tensor, as a copy. The box starts at `begin` and spans `size`;
// it is read through a strided index map and its gradient is written back through the same map
// (every other element of x gets zero).

import { ArgumentError, ShapeError } from '../lib/errors.js';
import { normalizeAxis } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { readThroughOp, stridedIndex } from './strided.js';

const readBox = readThroughOp('slice');

function sliceOp(x: Tensor, begin: number[], size: number[]): Tensor {
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += begin[d] * x.strides[d];
  return readBox(x, stridedIndex(size, x.strides, offset), size);
}

/**
 * The box x[begin[0] : begin[0]+size[0], begin[1] : ..., ...] (like tf.slice).
 * - begin[d] may be negative: it then counts from the end of axis d (-1 is the last element).
 * - size[d] = -1 means "through the end of axis d".
 * - begin and size may be shorter than x.ndim; the remaining axes are taken whole.
 * A box that does not fit inside x throws ArgumentError naming the axis.
 */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[] = []): Tensor {
  if (!Array.isArray(begin) || !Array.isArray(size)) throw new ArgumentError('slice: begin and size must be arrays of integers (one per leading axis).');
  if (begin.length > x.ndim || size.length > x.ndim) {
    throw new ShapeError(`slice: begin [${begin}] and size [${size}] may have at most ${x.ndim} entries for shape [${x.shape}].`);
  }
  const b = new Array<number>(x.ndim);
  const s = new Array<number>(x.ndim);
  for (let d = 0; d < x.ndim; d++) {
    const dim = x.shape[d];
    let start = begin[d] ?? 0;
    if (!Number.isInteger(start) || start < -dim || start > dim) {
      throw new ArgumentError(`slice: begin[${d}] = ${start} is out of range for axis ${d} of size ${dim} (use ${-dim}..${dim}).`);
    }
    if (start < 0) start += dim;
    let len = size[d] ?? -1;
    if (len === -1) len = dim - start;
    if (!Number.isInteger(len) || len < 0 || start + len > dim) {
      throw new ArgumentError(`slice: size[${d}] = ${size[d]} starting at ${start} runs past axis ${d} of size ${dim}; use at most ${dim - start} (or -1 for the rest).`);
    }
    b[d] = start;
    s[d] = len;
  }
  return sliceOp(x, b, s);
}

/** `length` entries of axis `axis` from `start` (negative start counts from the end); other axes whole. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis(axis, x.ndim);
  const begin = new Array<number>(x.ndim).fill(0);
  const size = new Array<number>(x.ndim).fill(-1);
  begin[a] = start;
  size[a] = length;
  return slice(x, begin, size);
}

// permute and transpose: reorder the axes. Output axis i is input axis dims[i], so the output
// reads the input with strides x.strides[dims[i]]; the backward writes the gradient through the
// same (bijective) index map.

import { ShapeError } from '../lib/errors.js';
import { normalizeAxis } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { readThroughOp, stridedIndex } from './strided.js';

const readPermuted = readThroughOp('permute');

function permuteOp(x: Tensor, dims: number[]): Tensor {
  const shape = dims.map((d) => x.shape[d]);
  return readPermuted(
    x,
    stridedIndex(
      shape,
      dims.map((d) => x.strides[d]),
    ),
    shape,
  );
}

/** Output axis i is input axis dims[i] (negative axes allowed); dims must be a permutation of 0..ndim-1. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new ShapeError(`permute: dims must list each of the ${x.ndim} axes of shape [${x.shape}] once, got [${dims}].`);
  }
  const seen = new Array<boolean>(x.ndim).fill(false);
  const resolved = dims.map((d, i) => {
    const a = normalizeAxis(d, x.ndim, `dims[${i}]`);
    if (seen[a]) throw new ShapeError(`permute: dims [${dims}] names axis ${a} twice; each axis must appear exactly once.`);
    seen[a] = true;
    return a;
  });
  return permuteOp(x, resolved);
}

/** Swaps two axes (by default the last two: the matrix transpose of a batch). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const a = normalizeAxis(dim0, x.ndim, 'dim0');
  const b = normalizeAxis(dim1, x.ndim, 'dim1');
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permuteOp(x, dims);
}

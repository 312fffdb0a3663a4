// Strided views as index maps. Storage is always contiguous, so a view (a permutation of the
// axes, a slice) is materialised by reading through a map: out[i] = x[map[i]]. The same map
// scatters the gradient back: gx[map[i]] = g[i].

import type { Shape } from '../lib/shape.js';

/**
 * For every flat index i of an array of `shape` (row-major) with multi-index idx,
 * map[i] = offset + sum_d idx[d] * strides[d].
 */
export function stridedIndex(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const map = new Int32Array(n);
  const nd = shape.length;
  const counter = new Array<number>(nd).fill(0);
  let off = offset;
  for (let i = 0; i < n; i++) {
    map[i] = off;
    // odometer increment over the multi-index, last axis fastest
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]++;
      off += strides[d];
      if (counter[d] < shape[d]) break;
      off -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return map;
}

/** Sizes around `axis`: `outer` blocks of `len` rows of `inner` contiguous values. */
export function axisLayout(shape: Shape, axis: number): { outer: number; len: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, len: shape[axis], inner };
}

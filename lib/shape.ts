// Shape arithmetic shared by tensors and ops: sizes, strides, index (un)raveling, broadcasting.

import { ShapeError } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function checkShape(shape: unknown, argName: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${argName} must be an array of non-negative integers, got ${JSON.stringify(shape)}.`);
  }
  return shape.slice();
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function unravelIndex(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

/** Normalizes a possibly negative axis; throws naming `argName` when out of range. */
export function normalizeAxis(axis: number, ndim: number, argName = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= Math.max(ndim, 1)) {
    throw new ShapeError(`${argName} ${axis} is out of range for a tensor with ${ndim} dimensions (use -${ndim}..${ndim - 1}).`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** NumPy broadcasting of two shapes: trailing dimensions must match or be 1. */
export function broadcastShapes(a: Shape, b: Shape, names: [string, string] = ['a', 'b']): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`cannot broadcast ${names[0]} of shape [${a}] with ${names[1]} of shape [${b}]: dimension ${i} is ${da} vs ${db}; make them equal or 1 (reshape one of them).`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read an array of `shape` as if it had `outShape` (broadcast dims get stride 0).
 * `shape` must broadcast to `outShape`.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const n = outShape.length;
  const own = stridesOf(shape);
  const s = new Array<number>(n).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = n - shape.length + i;
    s[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : own[i];
  }
  return s;
}

/**
 * For every flat index i of an array of `shape` (row-major) with multi-index idx,
 * map[i] = offset + sum_d idx[d] * strides[d]: how a strided view (a permutation of the axes,
 * a slice, a broadcast) reads contiguous storage.
 */
export function stridedIndex(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(shape);
  const map = new Int32Array(n);
  const nd = shape.length;
  if (n === 0) return map;
  if (nd === 0) {
    map[0] = offset;
    return map;
  }
  // innermost axis in a tight loop; an odometer over the outer axes
  const inner = shape[nd - 1];
  const step = strides[nd - 1];
  const counter = new Array<number>(nd).fill(0);
  let off = offset;
  for (let base = 0; base < n; base += inner) {
    for (let k = 0; k < inner; k++) map[base + k] = off + k * step;
    for (let d = nd - 2; d >= 0; d--) {
      counter[d]++;
      off += strides[d];
      if (counter[d] < shape[d]) break;
      off -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return map;
}

/** For every flat index of `outShape`, the flat index into an array of `shape` broadcast to it. */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array {
  return stridedIndex(outShape, broadcastStrides(shape, outShape));
}

// Making tensors: from nested arrays, typed arrays or ndarrays; zeros, ones, full, ranges and
// seeded random values. Values are validated here, at the boundary, so NaN never enters quietly.

import type { NdArray } from 'ndarray';
import { type DType, type FloatArray, DEFAULT_DTYPE, allocate, checkDType, dtypeOf } from './dtype.js';
import { ArgumentError, NonFiniteError, ShapeError, firstNonFinite } from './errors.js';
import { Random } from './random.js';
import { type Shape, checkShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Place the storage on a SharedArrayBuffer (for the worker pool). */
  shared?: boolean;
  /** Reshape flat input to this shape. */
  shape?: Shape;
  name?: string;
  /** Accept NaN/Infinity (default false: they throw NonFiniteError). */
  allowNonFinite?: boolean;
}

export type NestedNumbers = number | readonly NestedNumbers[];
export type TensorLike = NestedNumbers | FloatArray | ArrayLike<number> | NdArray<number[] | Float32Array | Float64Array>;

function inferShape(v: NestedNumbers, _argName: string): number[] {
  const shape: number[] = [];
  let cur: NestedNumbers = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedNumbers;
    if (cur === undefined) break;
  }
  return shape;
}

function flatten(v: NestedNumbers, shape: number[], out: FloatArray, argName: string): void {
  let k = 0;
  const walk = (x: NestedNumbers, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof x !== 'number') throw new ArgumentError(`${argName}${path.map((p) => `[${p}]`).join('')} is not a number (got ${typeof x}).`);
      out[k++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(`${argName} is ragged: ${argName}${path.map((p) => `[${p}]`).join('')} should be an array of length ${shape[dim]}.`);
    }
    for (let i = 0; i < x.length; i++) walk(x[i], dim + 1, [...path, i]);
  };
  walk(v, 0, []);
}

function isNdArray(v: unknown): v is NdArray<number[] | Float32Array | Float64Array> {
  return typeof v === 'object' && v !== null && 'shape' in v && 'stride' in v && 'data' in v && 'offset' in v;
}

/**
 * A tensor from nested arrays, a typed array (copied unless `shared` storage is already given),
 * or an ndarray. Default dtype float32, or the typed array's own float type.
 */
export function tensor(values: TensorLike, options: TensorOptions = {}, argName = 'values'): Tensor {
  let shape: number[];
  let data: FloatArray;
  if (isNdArray(values)) {
    shape = values.shape.slice();
    const dtype = options.dtype ? checkDType(options.dtype, 'options.dtype') : DEFAULT_DTYPE;
    data = allocate(dtype, sizeOf(shape), options.shared);
    const nd = values;
    const idx = new Array<number>(shape.length).fill(0);
    for (let k = 0; k < data.length; k++) {
      let off = nd.offset;
      for (let d = 0; d < shape.length; d++) off += idx[d] * nd.stride[d];
      data[k] = nd.data[off];
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  } else if (typeof values === 'number' || Array.isArray(values)) {
    shape = inferShape(values as NestedNumbers, argName);
    const dtype = options.dtype ? checkDType(options.dtype, 'options.dtype') : DEFAULT_DTYPE;
    data = allocate(dtype, sizeOf(shape), options.shared);
    flatten(values as NestedNumbers, shape, data, argName);
  } else if (ArrayBuffer.isView(values) || (typeof values === 'object' && values !== null && 'length' in values)) {
    const src = values as ArrayLike<number>;
    const own = src instanceof Float32Array || src instanceof Float64Array ? dtypeOf(src) : DEFAULT_DTYPE;
    const dtype = options.dtype ? checkDType(options.dtype, 'options.dtype') : own;
    data = allocate(dtype, src.length, options.shared);
    for (let i = 0; i < src.length; i++) data[i] = src[i];
    shape = [src.length];
  } else {
    throw new ArgumentError(`${argName} must be a number, nested arrays of numbers, a typed array or an ndarray; got ${typeof values}.`);
  }
  if (options.shape) {
    const s = checkShape(options.shape, 'options.shape');
    if (sizeOf(s) !== data.length) throw new ShapeError(`options.shape [${s}] needs ${sizeOf(s)} values but ${argName} has ${data.length}.`);
    shape = s;
  }
  if (!options.allowNonFinite) {
    const bad = firstNonFinite(data);
    if (bad >= 0) {
      throw new NonFiniteError(`${argName} has a non-finite value (${data[bad]}) at flat index ${bad}; remove or replace it, or pass allowNonFinite: true.`);
    }
  }
  return new Tensor(data, shape, options.requiresGrad ?? false, options.name);
}

/** Wraps an existing typed array without copying (it becomes the tensor's storage). */
export function fromArray(data: FloatArray, shape: Shape, options: { requiresGrad?: boolean; name?: string } = {}): Tensor {
  return new Tensor(data, checkShape(shape as number[], 'shape'), options.requiresGrad ?? false, options.name);
}

export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  const s = checkShape(shape as number[], 'shape');
  const dtype = options.dtype ? checkDType(options.dtype, 'options.dtype') : DEFAULT_DTYPE;
  const data = allocate(dtype, sizeOf(s), options.shared);
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, options.requiresGrad ?? false, options.name);
}

export const zeros = (shape: Shape, options: TensorOptions = {}): Tensor => full(shape, 0, options);
export const ones = (shape: Shape, options: TensorOptions = {}): Tensor => full(shape, 1, options);

export function scalar(value: number, options: TensorOptions = {}): Tensor {
  return tensor(value, options, 'value');
}

/** [start, start+step, ...) below stop, as a 1-d tensor. */
export function arange(start: number, stop?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`step must be a finite non-zero number, got ${step}.`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const t = full([n], 0, options);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return t;
}

/** Standard normal values from a seeded generator (reproducible). */
export function randn(shape: Shape, options: TensorOptions & { seed?: number; std?: number; mean?: number } = {}): Tensor {
  const t = full(shape, 0, options);
  const rng = new Random(options.seed ?? 0);
  const std = options.std ?? 1;
  const mean = options.mean ?? 0;
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

/** Uniform values in [low, high) from a seeded generator. */
export function rand(shape: Shape, options: TensorOptions & { seed?: number; low?: number; high?: number } = {}): Tensor {
  const t = full(shape, 0, options);
  const rng = new Random(options.seed ?? 0);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(options.low ?? 0, options.high ?? 1);
  return t;
}

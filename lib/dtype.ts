// The two float storages splatgrad knows. float32 for speed, float64 for gradcheck and precise work.

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array<ArrayBufferLike> | Float64Array<ArrayBufferLike>;
export type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

import { DTypeError } from './errors.js';
import { typedArray } from './sharedMemory.js';

export const DEFAULT_DTYPE: DType = 'float32';

export function arrayConstructor(dtype: DType): FloatArrayConstructor {
  return dtype === 'float64' ? Float64Array : Float32Array;
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}

export function checkDType(dtype: unknown, argName: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new DTypeError(`${argName} must be 'float32' or 'float64', got ${JSON.stringify(dtype)}.`);
}

/** A zero-filled array of `dtype` with `n` elements, on a SharedArrayBuffer when `shared`. */
export function allocate(dtype: DType, n: number, shared = false): FloatArray {
  return dtype === 'float64' ? typedArray(Float64Array, n, shared) : typedArray(Float32Array, n, shared);
}

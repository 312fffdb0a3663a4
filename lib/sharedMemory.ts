// Typed arrays the pool's workers can see: on a SharedArrayBuffer when the work is split over
// threads (so nothing is copied and writes land in place), on an ordinary buffer otherwise.

type Ctor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

/** A zero-filled `C` of `length` elements, on a SharedArrayBuffer when `shared`. */
export function typedArray<T>(C: Ctor<T>, length: number, shared: boolean): T {
  return shared ? new C(new SharedArrayBuffer(length * C.BYTES_PER_ELEMENT), 0, length) : new C(length);
}

export const float64 = (length: number, shared: boolean): Float64Array => typedArray(Float64Array, length, shared);
export const int32 = (length: number, shared: boolean): Int32Array => typedArray(Int32Array, length, shared);
export const uint8 = (length: number, shared: boolean): Uint8Array => typedArray(Uint8Array, length, shared);

export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

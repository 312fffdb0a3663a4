// Reusable buffers for a call's temporaries (partial sums, per-pixel sums, shared copies of
// inputs), never for anything that outlives the call. Fresh memory on every call costs a page
// fault per 4 KiB, which for the splat backward weighs as much as a third of the work.
// Each name has one buffer per thread, grown on demand; a caller must be done with a name's
// array before asking for the same name again (the splat backward is: it runs to completion).

import { isShared } from '../lib/sharedMemory.js';

type Kind = Float64Array | Float32Array | Int32Array | Uint8Array;
type Ctor<T extends Kind> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

const buffers = new Map<string, ArrayBufferLike>();

function view<T extends Kind>(C: Ctor<T>, name: string, length: number, shared: boolean): T {
  const key = `${name}:${shared ? 's' : 'p'}`;
  const bytes = length * C.BYTES_PER_ELEMENT;
  let buffer = buffers.get(key);
  if (!buffer || buffer.byteLength < bytes) {
    buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    buffers.set(key, buffer);
  }
  return new C(buffer, 0, length);
}

/** A zero-filled temporary array named `name` (shared memory when `shared`). */
export function scratch<T extends Kind>(C: Ctor<T>, name: string, length: number, shared: boolean): T {
  const a = view(C, name, length, shared);
  a.fill(0);
  return a;
}

/**
 * A temporary array named `name` holding whatever its last user left: for callers that write
 * every element they later read (saves a serial fill of memory the tasks overwrite in parallel).
 */
export function scratchUnset<T extends Kind>(C: Ctor<T>, name: string, length: number, shared: boolean): T {
  return view(C, name, length, shared);
}

/** `a` itself when sharing is off or it is already shared, else a shared temporary copy named `name`. */
export function scratchShared<T extends Kind>(name: string, a: T, shared: boolean): T {
  if (!shared || isShared(a)) return a;
  const copy = view(a.constructor as unknown as Ctor<T>, name, a.length, true);
  copy.set(a);
  return copy;
}

/** Drops every buffer (memory back to the system). */
export function releaseScratch(): void {
  buffers.clear();
}

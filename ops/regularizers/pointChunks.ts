// The regularizer losses cut into a fixed number of point ranges for the thread pool. A pair
// (i, k) adds to both points, so each range scatters into its own partial gradient buffer and
// the buffers are summed in range order: the same ranges and the same order for any thread
// count, hence the same bits. Up to CHUNKS threads share the work.

import type { FloatArray } from '../../lib/dtype.js';

export const CHUNKS = 8;

/** Points i0..i1-1 of range c. */
export function chunkRange(n: number, c: number): [number, number] {
  return [Math.floor((c * n) / CHUNKS), Math.floor(((c + 1) * n) / CHUNKS)];
}

/** out[j] += sum over ranges c, in order, of partials[c * length + j]. */
export function reduceChunks(partials: Float64Array, out: FloatArray): void {
  const length = out.length;
  for (let j = 0; j < length; j++) {
    let s = 0;
    for (let c = 0; c < CHUNKS; c++) s += partials[c * length + j];
    out[j] += s;
  }
}

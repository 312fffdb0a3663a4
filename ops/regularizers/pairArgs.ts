// What a regularizer range task reads: positions, normals, per-entry values and the CSR
// neighbour lists, as shared temporaries when the work is split over threads.

import type { FloatArray } from '../../lib/dtype.js';
import { scratch, scratchShared } from '../../parallel/scratch.js';
import type { NeighborLists } from './neighborhood.js';

function shareIndices(name: string, a: Int32Array, shared: boolean): Int32Array {
  if (!shared || a.buffer instanceof SharedArrayBuffer) return a;
  const copy = scratch(Int32Array, name, a.length, true);
  copy.set(a);
  return copy;
}

export function pairArgs(P: FloatArray, N: FloatArray, w: FloatArray, neighbors: NeighborLists, shared: boolean) {
  return {
    P: scratchShared('pairs.P', P, shared),
    N: scratchShared('pairs.N', N, shared),
    w: scratchShared('pairs.w', w, shared),
    offsets: shareIndices('pairs.offsets', neighbors.offsets, shared),
    indices: shareIndices('pairs.indices', neighbors.indices, shared),
  };
}

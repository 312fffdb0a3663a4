// The pair losses (projection, repulsion) cut into a fixed number of point ranges for the thread
// pool. A pair (i, k) adds to both points, so each range scatters into its own partial gradient
// buffer and the buffers are summed in range order: the same ranges and the same order for any
// thread count, hence the same bits. Up to CHUNKS threads share the work.

import type { FloatArray } from '../../lib/dtype.js';
import type { Kernel } from '../../parallel/job.js';
import { scratch, scratchShared } from '../../parallel/scratch.js';
import { runTasks } from '../../parallel/workerPool.js';
import type { NeighborLists } from './neighborhood.js';

export const CHUNKS = 8;

/** Points i0..i1-1 of range c. */
export function chunkRange(n: number, c: number): [number, number] {
  return [Math.floor((c * n) / CHUNKS), Math.floor(((c + 1) * n) / CHUNKS)];
}

/** What every range task reads and writes besides its own loss's values. */
export interface RangeArgs {
  backward: boolean;
  P: FloatArray;
  N: FloatArray;
  offsets: Int32Array;
  indices: Int32Array;
  /** Forward: the loss sum of each range. */
  totals: Float64Array;
  /** Backward: CHUNKS partial buffers of 3N (pairs scatter to both points); null when not needed. */
  gP: Float64Array | null;
}

type Inputs<A extends RangeArgs> = Omit<A, keyof RangeArgs>;
const NONE = new Float64Array(0);

/** Positions, normals and the neighbour lists as the tasks read them (shared temporaries over threads). */
function shareInputs(P: FloatArray, N: FloatArray, neighbors: NeighborLists, shared: boolean) {
  return {
    P: scratchShared('ranges.P', P, shared),
    N: scratchShared('ranges.N', N, shared),
    offsets: scratchShared('ranges.offsets', neighbors.offsets, shared),
    indices: scratchShared('ranges.indices', neighbors.indices, shared),
  };
}

/** The loss: the ranges' sums added in order, over N points. */
export function forwardRanges<A extends RangeArgs>(kernel: Kernel<A>, P: FloatArray, N: FloatArray, neighbors: NeighborLists, inputs: Inputs<A>, threads: number): number {
  const shared = threads > 1;
  const totals = scratch(Float64Array, `${kernel.name}.totals`, CHUNKS, shared);
  runTasks(kernel, { ...inputs, ...shareInputs(P, N, neighbors, shared), backward: false, totals, gP: null } as A, CHUNKS, threads);
  let total = 0;
  for (let c = 0; c < CHUNKS; c++) total += totals[c];
  return total / (neighbors.offsets.length - 1);
}

/** The gradient: per-point and per-entry outputs the kernel writes in place; positions through the partials, into gP. */
export function backwardRanges<A extends RangeArgs>(kernel: Kernel<A>, P: FloatArray, N: FloatArray, neighbors: NeighborLists, inputs: Inputs<A>, gP: FloatArray | null, threads: number): void {
  const shared = threads > 1;
  const partial = gP ? scratch(Float64Array, `${kernel.name}.gP`, CHUNKS * gP.length, shared) : null;
  runTasks(kernel, { ...inputs, ...shareInputs(P, N, neighbors, shared), backward: true, totals: NONE, gP: partial } as A, CHUNKS, threads);
  if (!gP) return;
  // gP[j] += sum over ranges c, in order, of partial[c * length + j]
  const length = gP.length;
  for (let j = 0; j < length; j++) {
    let s = 0;
    for (let c = 0; c < CHUNKS; c++) s += partial![c * length + j];
    gP[j] += s;
  }
}

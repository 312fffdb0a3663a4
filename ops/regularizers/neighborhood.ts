// The neighbourhood graph of the surface regularizers (docs/dss.md §4): for each point
// the others within radius D, or its k nearest, as CSR rows. Building it is the costly part and the
// points move little per step, so the optimization loop rebuilds it on a schedule it controls
// (NeighborhoodSchedule), not at every evaluation of the losses.

import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { type NeighborMethod, buildNeighborIndex } from '../../geometry/neighbors.js';
import { checkCloud } from '../../geometry/neighborIndex.js';

/** CSR neighbour lists: the neighbours of point i are indices[offsets[i] .. offsets[i + 1]). */
export interface NeighborLists {
  offsets: Int32Array;
  indices: Int32Array;
}

/** Neighbour lists plus the D of eq. 15a they were built for. */
export interface Neighborhood extends NeighborLists {
  /** Euclidean distance of each entry (matching `indices`). */
  distances: Float64Array;
  /** The spatial scale D of eq. 15a: the radius, or for k nearest the mean distance to the k-th neighbour. */
  radius: number;
}

export interface NeighborhoodOptions {
  /** Neighbours within this distance (inclusive). With `k`, caps the k nearest at this distance. */
  radius?: number;
  /** The k nearest neighbours of each point. */
  k?: number;
  /** Search structure (default 'grid': the fastest measured here). */
  method?: NeighborMethod;
}

/** The neighbourhood graph of `positions` ([N, 3] tensor or flat xyz), each point excluding itself. */
export function buildNeighborhood(positions: Tensor | Float64Array | Float32Array, options: NeighborhoodOptions): Neighborhood {
  const points = positions instanceof Tensor ? positions.data : positions;
  checkCloud(points, 'buildNeighborhood: positions');
  const { radius, k } = options ?? {};
  if (radius === undefined && k === undefined) throw new ArgumentError('buildNeighborhood: pass options.radius (the D of eq. 15a) or options.k (nearest neighbours), or both.');
  if (radius !== undefined && !(radius > 0 && Number.isFinite(radius))) throw new ArgumentError(`buildNeighborhood: options.radius must be a positive finite number, got ${radius}.`);
  const index = buildNeighborIndex(points, { method: options.method ?? 'grid' });
  if (k === undefined) return { ...index.radius(radius!), radius: radius! };

  const n = points.length / 3;
  const found = index.knn(k); // checks k
  const offsets = new Int32Array(n + 1);
  const keep = radius ?? Infinity;
  let count = 0,
    farSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) if (found.distances[i * k + j] <= keep) count++;
    offsets[i + 1] = count;
    farSum += found.distances[i * k + k - 1];
  }
  const indices = new Int32Array(count),
    distances = new Float64Array(count);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const d = found.distances[i * k + j];
      if (d > keep) continue;
      indices[e] = found.indices[i * k + j];
      distances[e++] = d;
    }
  }
  const D = radius ?? farSum / n;
  if (!(D > 0)) throw new ArgumentError('buildNeighborhood: every point coincides with its k nearest neighbours, so the scale D of eq. 15a is 0; remove duplicate points or pass options.radius.');
  return { offsets, indices, distances, radius: D };
}

/**
 * Rebuilds the neighbourhood every `every` steps (and on the first call), so the loop reads
 * `schedule.at(step, positions)` each step and pays for a search only when one is due.
 */
export class NeighborhoodSchedule {
  private current: Neighborhood | null = null;
  private builtAt = -Infinity;
  /** How many times the graph has been built. */
  builds = 0;

  constructor(readonly options: NeighborhoodOptions & { every: number }) {
    if (!Number.isInteger(options.every) || options.every < 1)
      throw new ArgumentError(`NeighborhoodSchedule: options.every must be a whole number >= 1 (steps between rebuilds), got ${options.every}.`);
  }

  at(step: number, positions: Tensor | Float64Array | Float32Array): Neighborhood {
    if (this.current === null || step - this.builtAt >= this.options.every || step < this.builtAt) {
      this.current = buildNeighborhood(positions, this.options);
      this.builtAt = step;
      this.builds++;
    }
    return this.current;
  }

  /** Forces a rebuild at the next call. */
  invalidate(): void {
    this.current = null;
  }
}

/** Throws unless `neighbors` is a CSR graph over n points; `caller` names the function at fault. */
export function checkNeighbors(neighbors: NeighborLists, n: number, caller: string): void {
  if (!neighbors || !(neighbors.offsets instanceof Int32Array) || !(neighbors.indices instanceof Int32Array)) {
    throw new ArgumentError(`${caller}: neighbors must be CSR lists { offsets, indices } of Int32Array (from buildNeighborhood or radiusNeighbors).`);
  }
  if (neighbors.offsets.length !== n + 1) {
    throw new ShapeError(`${caller}: neighbors.offsets must have N + 1 = ${n + 1} entries for ${n} points, got ${neighbors.offsets.length}; rebuild the neighbourhood after changing the point count.`);
  }
  const { offsets, indices } = neighbors;
  if (offsets[0] !== 0 || offsets[n] !== indices.length)
    throw new ArgumentError(`${caller}: neighbors.offsets must run from 0 to indices.length (${indices.length}), got ${offsets[0]} .. ${offsets[n]}.`);
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] < 0 || indices[i] >= n)
      throw new ArgumentError(`${caller}: neighbors.indices[${i}] = ${indices[i]} is not a point index in [0, ${n}); rebuild the neighbourhood for these positions.`);
  }
}

// What every neighbour search structure shares: the interface, result layouts, argument checks
// and the per-row sort. Three implementations: kd-tree (kdTreeIndex.ts), uniform grid
// (gridIndex.ts) and the brute-force reference twin (bruteForceNeighbors.ts); specs check they agree.
//
// Conventions (all implementations):
// - distances are Euclidean (not squared);
// - each row is sorted by distance, ties by lower point index;
// - when `queries` is omitted the set is queried against itself and each point's OWN index is
//   excluded (pass includeSelf: true to keep it); other points at distance 0 (duplicates) are kept.
//   With explicit `queries` nothing is excluded, even if it is the same array as the points.
// - radius queries are inclusive: |p - q| <= radius.

import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';

/** Flat xyz triples. */
export type Coordinates = Float64Array | Float32Array;

export interface KnnResult {
  /** Neighbours per query. */
  k: number;
  /** Q x k point indices, row-major, each row nearest first. */
  indices: Int32Array;
  /** Q x k Euclidean distances matching `indices`. */
  distances: Float64Array;
}

/** Compressed sparse rows: the neighbours of query q are entries offsets[q] .. offsets[q + 1] - 1. */
export interface RadiusResult {
  /** Q + 1 row starts. */
  offsets: Int32Array;
  indices: Int32Array;
  distances: Float64Array;
}

export interface QueryOptions {
  /** Query points (flat xyz); omitted: the indexed points themselves, each excluding itself. */
  queries?: Coordinates;
  /** With `queries` omitted, keep each point as its own neighbour at distance 0 (default false). */
  includeSelf?: boolean;
}

/** A search structure built once over `points` and queried many times. */
export interface NeighborIndex {
  readonly points: Coordinates;
  /** Number of indexed points. */
  readonly size: number;
  knn(k: number, options?: QueryOptions): KnnResult;
  radius(radius: number, options?: QueryOptions): RadiusResult;
}

/** Throws unless `points` is a non-empty, finite array of xyz triples; returns the point count. */
export function checkCloud(points: Coordinates, what: string): number {
  if (!(points instanceof Float64Array || points instanceof Float32Array)) {
    throw new ArgumentError(`${what} must be a Float64Array or Float32Array of xyz triples.`);
  }
  if (points.length % 3 !== 0) throw new ShapeError(`${what} has ${points.length} values, not a multiple of 3; pass flat xyz triples.`);
  if (points.length === 0) throw new ArgumentError(`${what} is empty; pass at least one point.`);
  assertFinite(points, what, 'remove or fix the NaN/infinite coordinates');
  return points.length / 3;
}

/** The resolved query set: its coordinates, its size, and whether query i must skip point i. */
export interface ResolvedQueries {
  queries: Coordinates;
  count: number;
  excludeSelf: boolean;
}

export function resolveQueries(points: Coordinates, options: QueryOptions = {}): ResolvedQueries {
  if (options.queries === undefined) {
    return { queries: points, count: points.length / 3, excludeSelf: !options.includeSelf };
  }
  const count = checkCloud(options.queries, 'options.queries');
  return { queries: options.queries, count, excludeSelf: false };
}

/** Throws unless k is a whole number in [1, available]. */
export function checkK(k: number, size: number, excludeSelf: boolean): void {
  const available = excludeSelf ? size - 1 : size;
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`k must be a whole number >= 1, got ${k}.`);
  if (k > available) {
    throw new ArgumentError(`k = ${k} but only ${available} neighbours exist (${size} points${excludeSelf ? ', each excluding itself' : ''}); pass k <= ${available}.`);
  }
}

export function checkRadius(radius: number): void {
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0) {
    throw new ArgumentError(`radius must be a finite number >= 0, got ${radius}.`);
  }
}

/** |p_j - q|^2 (every index compares squared distances to radius^2, so all agree at the boundary). */
export function squaredDistance(p: Coordinates, j: number, qx: number, qy: number, qz: number): number {
  const dx = p[3 * j] - qx,
    dy = p[3 * j + 1] - qy,
    dz = p[3 * j + 2] - qz;
  return dx * dx + dy * dy + dz * dz;
}

/** True when (da, ia) orders before (db, ib): nearer first, ties by lower index. */
export function nearerThan(da: number, ia: number, db: number, ib: number): boolean {
  return da < db || (da === db && ia < ib);
}

/** Puts (d2, j) in its place among slots 0 .. last of a sorted list, dropping what was in slot `last`. */
export function insertSorted(bestD2: Float64Array, bestI: Int32Array, last: number, d2: number, j: number): void {
  let i = last;
  while (i > 0 && nearerThan(d2, j, bestD2[i - 1], bestI[i - 1])) {
    bestD2[i] = bestD2[i - 1];
    bestI[i] = bestI[i - 1];
    i--;
  }
  bestD2[i] = d2;
  bestI[i] = j;
}

/**
 * Sorts entries start .. end - 1 of parallel arrays by (distance, index). Insertion sort for the
 * short rows neighbour queries produce; a permutation sort beyond that.
 */
export function sortRow(indices: Int32Array, distances: Float64Array, start: number, end: number): void {
  const n = end - start;
  if (n <= 32) {
    for (let i = start + 1; i < end; i++) {
      const d = distances[i],
        id = indices[i];
      let j = i - 1;
      while (j >= start && nearerThan(d, id, distances[j], indices[j])) {
        distances[j + 1] = distances[j];
        indices[j + 1] = indices[j];
        j--;
      }
      distances[j + 1] = d;
      indices[j + 1] = id;
    }
    return;
  }
  const order = Array.from({ length: n }, (_, i) => start + i);
  order.sort((a, b) => distances[a] - distances[b] || indices[a] - indices[b]);
  const d = order.map((i) => distances[i]);
  const id = order.map((i) => indices[i]);
  for (let i = 0; i < n; i++) {
    distances[start + i] = d[i];
    indices[start + i] = id[i];
  }
}

/** Growable CSR storage for radius results: append a row's entries, then close the row. */
export class CsrBuilder {
  private readonly offsets: Int32Array;
  private indices: Int32Array;
  private distances: Float64Array;
  private length = 0;
  private rows = 0;

  constructor(rowCount: number, capacity = 16) {
    this.offsets = new Int32Array(rowCount + 1);
    this.indices = new Int32Array(Math.max(capacity, 16));
    this.distances = new Float64Array(Math.max(capacity, 16));
  }

  push(index: number, distance: number): void {
    if (this.length === this.indices.length) {
      const indices = new Int32Array(this.length * 2);
      indices.set(this.indices);
      this.indices = indices;
      const distances = new Float64Array(this.length * 2);
      distances.set(this.distances);
      this.distances = distances;
    }
    this.indices[this.length] = index;
    this.distances[this.length] = distance;
    this.length++;
  }

  /** Sorts the current row and starts the next one. */
  endRow(): void {
    sortRow(this.indices, this.distances, this.offsets[this.rows], this.length);
    this.offsets[++this.rows] = this.length;
  }

  finish(): RadiusResult {
    return { offsets: this.offsets, indices: this.indices.slice(0, this.length), distances: this.distances.slice(0, this.length) };
  }
}

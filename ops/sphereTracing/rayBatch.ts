// The rays of one pyramid level of one task, and the marching step over them (docs/dist.md §3):
// each step gathers the points of the rays still marching into one batch, evaluates the SDF on
// the whole batch at once (an MLP runs as matrix products), moves every ray by eq. 14 and drops
// the rays that converged or left the sphere, so they are never evaluated again.

import type { ResolvedTraceOptions } from './options.js';
import type { TraceCamera } from './rays.js';
import type { BatchValues } from './sdf/evaluate.js';

/** Ray states. */
export const ACTIVE = 0,
  HIT = 1,
  MISS = 2,
  INSIDE = 3,
  OUTSIDE = 4;

/** Per-ray arrays of one level, grown on demand and reused from call to call. */
export class RayLevel {
  count = 0;
  /** Columns and first row of the level's grid that this task holds. */
  cols = 0;
  row0 = 0;
  dir = new Float64Array(0);
  /** Camera z of a unit step (eq. 13). */
  zScale = new Float64Array(0);
  entry = new Float64Array(0);
  exit = new Float64Array(0);
  dist = new Float64Array(0);
  value = new Float64Array(0);
  minValue = new Float64Array(0);
  minDist = new Float64Array(0);
  /** 1 while the minimum is an ancestor's sample (its value there, an estimate of this ray's), not one of this ray's own. */
  minInherited = new Uint8Array(0);
  state = new Uint8Array(0);
  steps = new Int32Array(0);

  resize(count: number): void {
    this.count = count;
    if (this.dist.length >= count) return;
    const n = Math.max(count, 2 * this.dist.length);
    this.dir = new Float64Array(3 * n);
    this.zScale = new Float64Array(n);
    this.entry = new Float64Array(n);
    this.exit = new Float64Array(n);
    this.dist = new Float64Array(n);
    this.value = new Float64Array(n);
    this.minValue = new Float64Array(n);
    this.minDist = new Float64Array(n);
    this.minInherited = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.steps = new Int32Array(n);
  }
}

/** The active list and the batch buffers of a task (reused). */
export class Batch {
  active = new Int32Array(0);
  points = new Float64Array(0);
  values = new Float64Array(0);

  ensure(n: number): void {
    if (this.active.length >= n) return;
    const m = Math.max(n, 2 * this.active.length);
    this.active = new Int32Array(m);
    this.points = new Float64Array(3 * m);
    this.values = new Float64Array(m);
  }
}

/** A non-finite SDF value met while marching: where, so the error can name the point. */
export interface NonFinite {
  value: number;
  point: [number, number, number];
}

/** Writes the points eye + dist * dir of the listed rays into batch.points. */
export function gatherPoints(level: RayLevel, eye: Float64Array, list: Int32Array, m: number, dists: Float64Array, points: Float64Array): void {
  const dir = level.dir;
  for (let k = 0; k < m; k++) {
    const r = list[k],
      d = dists[r],
      o = 3 * r;
    points[3 * k] = eye[0] + d * dir[o];
    points[3 * k + 1] = eye[1] + d * dir[o + 1];
    points[3 * k + 2] = eye[2] + d * dir[o + 2];
  }
}

/**
 * Marches the level's active rays until each has converged, left the sphere or reached
 * `stepLimit` steps (counting its ancestors'); rays stopped by the limit stay ACTIVE (they go on
 * at the next level, or become misses at the last). Returns the evaluations made, or a
 * NonFinite when the SDF returned NaN or infinity.
 */
export function marchLevel(level: RayLevel, f: BatchValues, cam: TraceCamera, o: ResolvedTraceOptions, exact: boolean, stepLimit: number, batch: Batch): number | NonFinite {
  batch.ensure(level.count);
  const { active, points, values } = batch;
  // the level's arrays in locals: this loop runs once per evaluation
  const { state, steps, dist, value, minValue, minDist, minInherited, exit } = level;
  let m = 0;
  for (let r = 0; r < level.count; r++) if (state[r] === ACTIVE && steps[r] < stepLimit) active[m++] = r;
  const { ratio, maxStep, threshold } = o;
  let evaluations = 0;
  while (m > 0) {
    gatherPoints(level, cam.eye, active, m, dist, points);
    f(points, m, values);
    evaluations += m;
    let kept = 0;
    for (let k = 0; k < m; k++) {
      const r = active[k];
      const v = values[k];
      if (v - v !== 0) return { value: v, point: [points[3 * k], points[3 * k + 1], points[3 * k + 2]] };
      const d = dist[r];
      value[r] = v;
      if (v < minValue[r]) {
        minValue[r] = v;
        minDist[r] = d;
        minInherited[r] = 0;
      }
      const s = steps[r] + 1;
      steps[r] = s;
      if (v < threshold) {
        // a ray that starts inside the shape (or on it) is not a hit
        if (s === 1) {
          state[r] = INSIDE;
          continue;
        }
        if (v > -threshold) {
          state[r] = HIT;
          continue;
        }
      }
      // eq. 14: aggressive marching with clamped steps (back by f itself from inside); eq. 14b:
      // f's own step where it is longer
      const step = (v < 0 ? 1 : ratio) * (v > maxStep ? maxStep : v < -maxStep ? -maxStep : v);
      const next = d + (exact && v > step ? v : step);
      dist[r] = next;
      if (next > exit[r]) state[r] = MISS;
      else if (s < stepLimit) active[kept++] = r;
    }
    m = kept;
  }
  return evaluations;
}

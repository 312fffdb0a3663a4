// One task of the fast tracer (docs/dist.md §3): a band of coarse rows marched through every
// pyramid level, then its misses' minima refined (eq. 18) and the SDF's gradient taken at its hits
// (for the implicit depth weight of eq. 20 and the analytic normals). Everything a task writes
// belongs to its own pixels, so the result does not depend on how tasks fall on threads.

import { ACTIVE, Batch, HIT, INSIDE, MISS, type NonFinite, RayLevel, gatherPoints, marchLevel } from './rayBatch.js';
import type { ResolvedTraceOptions } from './options.js';
import { gridSize, initLevel } from './pyramid.js';
import type { TraceCamera } from './rays.js';
import { RefineBuffers, refineMinima } from './refineMinimum.js';
import { type BatchValues, SdfWorkspace, batchValues, sdfValuesAndGradients } from './sdf/evaluate.js';
import type { PlainSdf } from './sdf/sdf.js';

/** Per-pixel results of the marching (shared arrays when the pool runs it). */
export interface TraceBuffers {
  /** rayBatch.ts states: HIT, MISS, INSIDE or OUTSIDE. */
  state: Uint8Array;
  /** Distance from the eye: of the hit, or of the minimum of f along a miss. */
  dist: Float64Array;
  /** f there (for OUTSIDE rays: 0, the tape computes their value; for misses when recording: possibly a coarse ancestor's estimate, the tape evaluates it). */
  value: Float64Array;
  /** df/dp at hits (3 per pixel), 0 elsewhere. */
  grad: Float64Array;
  /** Camera z of a unit step along the pixel's ray (eq. 13). */
  zScale: Float64Array;
  /** Marching steps of each pixel's ray, its ancestors' included. */
  steps: Int32Array;
  /** Per task: evaluations while marching, refining minima, and at hits for the gradient. */
  evaluations: Float64Array;
  /** Per task: 1 and the point where the SDF gave a non-finite value (4 numbers), else 0. */
  nonFinite: Float64Array;
}

export interface TraceArgs {
  sdf: PlainSdf;
  camera: TraceCamera;
  options: ResolvedTraceOptions;
  /** Coarse rows per task. */
  bandRows: number;
  /** The tape will evaluate f at every ray's point: the marching need not (eq. 19). */
  recording: boolean;
  /** eq. 14b on (resolved from options.exactSteps and the SDF). */
  exactSteps: boolean;
  out: TraceBuffers;
}

// per thread: reused from call to call
const levels = [new RayLevel(), new RayLevel()];
const batch = new Batch();
const refine = new RefineBuffers();
let lists = { misses: new Int32Array(0), hits: new Int32Array(0), grad: new Float64Array(0) };
const workspace = new SdfWorkspace();

function fail(out: TraceBuffers, task: number, bad: NonFinite): void {
  out.nonFinite[4 * task] = 1;
  out.nonFinite[4 * task + 1] = bad.point[0];
  out.nonFinite[4 * task + 2] = bad.point[1];
  out.nonFinite[4 * task + 3] = bad.point[2];
}

/** Task `task`: coarse rows [task * bandRows, ...) and everything below them. */
export function traceBand(a: TraceArgs, task: number): void {
  const { camera: cam, options: o, sdf, out } = a;
  const scales = o.pyramid;
  const [, coarseRows] = gridSize(cam.width, cam.height, scales[0]);
  const J0 = task * a.bandRows,
    J1 = Math.min(coarseRows, J0 + a.bandRows);
  const f = batchValues(sdf, workspace);
  let parent: RayLevel | null = null;
  let marched = 0;
  let level = levels[0];
  for (let l = 0; l < scales.length; l++) {
    const scale = scales[l];
    const factor = scales[0] / scale;
    const [, rows] = gridSize(cam.width, cam.height, scale);
    level = levels[l % 2];
    initLevel(level, cam, scale, J0 * factor, Math.min(rows, J1 * factor), parent, o.boundingRadius);
    const last = l === scales.length - 1;
    const limit = last ? o.steps : Math.min(o.steps, (l + 1) * o.stepsPerLevel);
    // eq. 14b at the last level only: a coarse ray's long step could carry its children past
    // a surface beside its own ray
    const r = marchLevel(level, f, cam, o, a.exactSteps && last, limit, batch);
    if (typeof r !== 'number') {
      fail(out, task, r);
      return;
    }
    marched += r;
    parent = level;
  }
  out.evaluations[3 * task] = marched;
  finishRays(a, task, level, f);
}

/** Misses get their minimum refined, hits the SDF's gradient; then the level goes to the pixels. */
function finishRays(a: TraceArgs, task: number, level: RayLevel, f: BatchValues): void {
  const { camera: cam, options: o, sdf, out } = a;
  const n = level.count;
  batch.ensure(n);
  if (lists.misses.length < n) lists = { misses: new Int32Array(n), hits: new Int32Array(n), grad: new Float64Array(3 * n) };
  const { misses, hits, grad } = lists;
  let m = 0,
    h = 0;
  for (let r = 0; r < n; r++) {
    const s = level.state[r];
    if (s === ACTIVE) level.state[r] = MISS; // out of steps without converging
    if (level.state[r] === MISS) misses[m++] = r;
    else if (s === HIT) hits[h++] = r;
  }
  const refined = refineMinima(level, misses, m, f, cam, o, refine, !a.recording);
  if (typeof refined !== 'number') {
    fail(out, task, refined);
    return;
  }
  // the SDF's gradient at the hits
  const { points, values } = batch;
  if (h > 0) {
    gatherPoints(level, cam.eye, hits, h, level.dist, points);
    sdfValuesAndGradients(sdf, points, h, values, grad, workspace);
    for (let k = 0; k < h; k++) level.value[hits[k]] = values[k];
  }
  out.evaluations[3 * task + 1] = refined;
  out.evaluations[3 * task + 2] = h;
  // to the pixels
  const W = cam.width;
  let k = 0;
  for (let r = 0; r < n; r++) {
    const p = (level.row0 + Math.floor(r / level.cols)) * W + (r % level.cols);
    const s = level.state[r];
    out.state[p] = s;
    out.steps[p] = level.steps[r];
    out.zScale[p] = level.zScale[r];
    if (s === HIT) {
      out.dist[p] = level.dist[r];
      out.value[p] = level.value[r];
      out.grad[3 * p] = grad[3 * k];
      out.grad[3 * p + 1] = grad[3 * k + 1];
      out.grad[3 * p + 2] = grad[3 * k + 2];
      k++;
    } else if (s === MISS || s === INSIDE) {
      out.dist[p] = level.minDist[r];
      out.value[p] = level.minValue[r];
    }
  }
}

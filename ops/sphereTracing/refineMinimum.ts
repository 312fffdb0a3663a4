// The silhouette's value on a ray that misses (docs/dist.md §4, eq. 17-18) is the minimum of f
// along the ray. Marching only samples the ray, so the smallest sample is refined by a few steps
// of a bracketing line search: f at t - h and t + h; if a side is lower, one more h beyond it
// (the bracket walks), else the vertex of the parabola through the three (and h / 4); the best
// sample so far is kept. At the true minimum df/dt = 0, so the minimum's derivative in
// any parameter is f's own at the fixed t (the envelope theorem): that is what the tape computes,
// and why the refined value matches finite differences of the whole render.

import type { ResolvedTraceOptions } from './options.js';
import type { NonFinite, RayLevel } from './rayBatch.js';
import type { TraceCamera } from './rays.js';
import type { BatchValues } from './sdf/evaluate.js';

/** Buffers of the refinement (reused). */
export class RefineBuffers {
  t = new Float64Array(0);
  h = new Float64Array(0);
  points = new Float64Array(0);
  values = new Float64Array(0);
  list = new Int32Array(0);
  pair = new Int32Array(0);
  third = new Float64Array(0);
  shrink = new Uint8Array(0);

  ensure(m: number): void {
    if (this.h.length >= m) return;
    const n = Math.max(m, 2 * this.h.length);
    this.t = new Float64Array(2 * n);
    this.h = new Float64Array(n);
    this.points = new Float64Array(6 * n);
    this.values = new Float64Array(2 * n);
    this.list = new Int32Array(n);
    this.pair = new Int32Array(2 * n);
    this.third = new Float64Array(n);
    this.shrink = new Uint8Array(n);
  }
}

/** Points eye + t_k dir_{list[k]} for k < m into points. */
function pointsAt(level: RayLevel, eye: Float64Array, list: Int32Array, m: number, t: Float64Array, points: Float64Array): void {
  const dir = level.dir;
  for (let k = 0; k < m; k++) {
    const o = 3 * list[k],
      d = t[k];
    points[3 * k] = eye[0] + d * dir[o];
    points[3 * k + 1] = eye[1] + d * dir[o + 1];
    points[3 * k + 2] = eye[2] + d * dir[o + 2];
  }
}

function check(values: Float64Array, points: Float64Array, n: number): NonFinite | null {
  for (let k = 0; k < n; k++) {
    const f = values[k];
    if (f - f !== 0) return { value: f, point: [points[3 * k], points[3 * k + 1], points[3 * k + 2]] };
  }
  return null;
}

/**
 * eq. 18, the third sample of a refinement step around (t0, f0) with the samples at tm = t0 - h
 * and tp = t0 + h (clipped to the ray's span [lo, hi]): where a side is lower than the centre the
 * minimum lies beyond it, so one more h that way (the bracket walks); else the vertex of the
 * parabola through the three samples. Shared with the twin.
 */
export function nextProbe(t0: number, f0: number, tm: number, fm: number, tp: number, fp: number, h: number, lo: number, hi: number): number {
  if (fm < f0 || fp < f0) return fm < fp ? Math.max(lo, tm - h) : Math.min(hi, tp + h);
  // divided differences on the (possibly clipped) abscissae
  const d1 = (f0 - fm) / (t0 - tm || 1),
    d2 = (fp - f0) / (tp - t0 || 1);
  const curvature = (d2 - d1) / (tp - tm || 1);
  if (!(curvature > 0) || !(tp > tm)) return t0;
  const tv = 0.5 * (t0 + tm) - d1 / (2 * curvature);
  return tv < tm ? tm : tv > tp ? tp : tv;
}

/**
 * Refines minValue / minDist of the listed rays (misses inside the sphere) in place: the rays
 * whose minimum is below `refineBelow` take `refineIterations` steps of eq. 18 within the ray's
 * span in the sphere, after their minimum, where a coarse ancestor found it, is evaluated on the
 * ray itself. With `evaluateAll` every inherited minimum is evaluated (its value is then the
 * output; otherwise the tape evaluates it). Returns the evaluations made, or a NonFinite.
 */
export function refineMinima(level: RayLevel, list: Int32Array, m: number, f: BatchValues, cam: TraceCamera, o: ResolvedTraceOptions, buf: RefineBuffers, evaluateAll: boolean): number | NonFinite {
  buf.ensure(m);
  const { t, h, points, values } = buf;
  let evaluations = 0;
  const refining = o.refineIterations > 0;
  // the inherited minima that matter, on this ray
  let q = 0;
  const { list: sub, pair, third, shrink } = buf;
  for (let k = 0; k < m; k++) {
    const r = list[k];
    if (level.minInherited[r] && (evaluateAll || (refining && level.minValue[r] < o.refineBelow))) sub[q++] = r;
  }
  if (q > 0) {
    for (let k = 0; k < q; k++) t[k] = level.minDist[sub[k]];
    pointsAt(level, cam.eye, sub, q, t, points);
    f(points, q, values);
    evaluations += q;
    const bad = check(values, points, q);
    if (bad) return bad;
    for (let k = 0; k < q; k++) {
      level.minValue[sub[k]] = values[k];
      level.minInherited[sub[k]] = 0;
    }
  }
  if (o.refineIterations === 0) return evaluations;
  let n = 0;
  for (let k = 0; k < m; k++) if (level.minValue[list[k]] < o.refineBelow && !level.minInherited[list[k]]) sub[n++] = list[k];
  if (n === 0) return evaluations;
  const { ratio, maxStep, threshold } = o;
  for (let k = 0; k < n; k++) {
    const f = level.minValue[sub[k]];
    h[k] = ratio * (f > maxStep ? maxStep : f < threshold ? threshold : f); // the marching's step from there
  }
  for (let k = 0; k < n; k++) pair[2 * k] = pair[2 * k + 1] = sub[k];
  for (let it = 0; it < o.refineIterations; it++) {
    // f at t - h and t + h
    for (let k = 0; k < n; k++) {
      const r = sub[k];
      t[2 * k] = Math.max(level.entry[r], level.minDist[r] - h[k]);
      t[2 * k + 1] = Math.min(level.exit[r], level.minDist[r] + h[k]);
    }
    pointsAt(level, cam.eye, pair, 2 * n, t, points);
    f(points, 2 * n, values);
    evaluations += 2 * n;
    let bad = check(values, points, 2 * n);
    if (bad) return bad;
    // a side lower than the centre: walk on, one more h that way; else the parabola's vertex
    for (let k = 0; k < n; k++) {
      const r = sub[k];
      const t0 = level.minDist[r],
        f0 = level.minValue[r];
      const tm = t[2 * k],
        tp = t[2 * k + 1],
        fm = values[2 * k],
        fp = values[2 * k + 1];
      third[k] = nextProbe(t0, f0, tm, fm, tp, fp, h[k], level.entry[r], level.exit[r]);
      shrink[k] = fm >= f0 && fp >= f0 ? 1 : 0;
      if (fm < level.minValue[r]) {
        level.minValue[r] = fm;
        level.minDist[r] = tm;
      }
      if (fp < level.minValue[r]) {
        level.minValue[r] = fp;
        level.minDist[r] = tp;
      }
    }
    pointsAt(level, cam.eye, sub, n, third, points);
    f(points, n, values);
    evaluations += n;
    bad = check(values, points, n);
    if (bad) return bad;
    for (let k = 0; k < n; k++) {
      const r = sub[k];
      if (values[k] < level.minValue[r]) {
        level.minValue[r] = values[k];
        level.minDist[r] = third[k];
      }
      if (shrink[k]) h[k] *= 0.25;
    }
  }
  return evaluations;
}

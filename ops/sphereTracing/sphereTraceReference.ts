// The textbook twin of sphereTrace (docs/dist.md): the same render, written to be read first.
// Every pixel's ray marches the same number of steps in one dense batch (a converged ray stays
// where it is, like the PyTorch peer), the minima of misses are refined one ray at a time, and
// the gradient is built from generic tape ops. sphereTrace gets the same images (to the marching
// threshold) from a pyramid of rays, dropping converged ones, with fused tape ops.

import type { Camera } from '../../geometry/camera.js';
import { fromArray, tensor, zeros } from '../../lib/create.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, mul, sub } from '../arithmetic.js';
import { stack } from '../concat.js';
import { indexSelect, scatterAdd } from '../gather.js';
import { matmul } from '../matmul.js';
import { sum } from '../reduce.js';
import { reshape } from '../reshape.js';
import { neg, sqrt } from '../unary.js';
import { normalize } from '../vector.js';
import { where } from '../where.js';
import { type ResolvedTraceOptions, resolveTraceOptions } from './options.js';
import { ACTIVE, HIT, INSIDE, MISS, OUTSIDE } from './rayBatch.js';
import { cameraDirection, rayDirection, sphereSpan, traceCamera } from './rays.js';
import { nextProbe } from './refineMinimum.js';
import { SdfWorkspace, sdfValues, sdfValuesAndGradients } from './sdf/evaluate.js';
import type { Sdf } from './sdf/sdf.js';
import { type SphereTraceCall, type SphereTraceRender, checkEyeOutside, implicitWeight, resolvePose, throwIfNonFinite, validateTraceInputs } from './sphereTrace.js';

export function sphereTraceReference(sdf: Sdf, camera: Camera, options: SphereTraceCall = {}): SphereTraceRender {
  validateTraceInputs(sdf, camera);
  const o: ResolvedTraceOptions = resolveTraceOptions(options as SphereTraceCall & Record<string, unknown>);
  const pose = resolvePose(sdf, camera, options.pose);
  const cam = traceCamera(camera, pose.R.data, pose.t.data, false);
  checkEyeOutside(cam.eye, o.boundingRadius);
  const plain = sdf.plain();
  const ws = new SdfWorkspace();
  const W = camera.width,
    H = camera.height,
    P = W * H;
  const nonFinite = new Float64Array(4);
  /** f at n points, checked. */
  const f = (points: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n);
    sdfValues(plain, points, n, out, ws);
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(out[i])) continue;
      nonFinite.set([1, points[3 * i], points[3 * i + 1], points[3 * i + 2]]);
      throwIfNonFinite(nonFinite, 1);
    }
    return out;
  };

  // 1. every pixel's ray, from where it enters the bounding sphere (eq. 11-12)
  const dir = new Float64Array(3 * P),
    zScale = new Float64Array(P),
    entry = new Float64Array(P),
    exit = new Float64Array(P);
  const state = new Uint8Array(P),
    steps = new Int32Array(P);
  const dist = new Float64Array(P),
    minValue = new Float64Array(P).fill(Infinity),
    minDist = new Float64Array(P);
  const span = new Float64Array(2);
  for (let p = 0; p < P; p++) {
    zScale[p] = rayDirection(cam, (p % W) + 0.5, Math.floor(p / W) + 0.5, dir, 3 * p);
    if (sphereSpan(cam.eye, dir, 3 * p, o.boundingRadius, span)) {
      entry[p] = dist[p] = span[0];
      exit[p] = span[1];
      state[p] = ACTIVE;
    } else state[p] = OUTSIDE;
  }
  const pointAt = (p: number, d: number, out: Float64Array, k: number) => {
    for (let j = 0; j < 3; j++) out[3 * k + j] = cam.eye[j] + d * dir[3 * p + j];
  };

  // 2. dense marching: every ray every step; a ray that converged or left the sphere stays put
  const exact = o.exactSteps ?? sdf.distanceBound;
  const inSphere = [...state.keys()].filter((p) => state[p] !== OUTSIDE);
  const points = new Float64Array(3 * inSphere.length);
  let marchEvaluations = 0;
  for (let step = 0; step < o.steps; step++) {
    inSphere.forEach((p, k) => pointAt(p, dist[p], points, k));
    const values = f(points, inSphere.length);
    marchEvaluations += inSphere.length;
    inSphere.forEach((p, k) => {
      if (state[p] !== ACTIVE) return;
      const v = values[k];
      if (v < minValue[p]) {
        minValue[p] = v;
        minDist[p] = dist[p];
      }
      steps[p]++;
      if (step === 0 && v < o.threshold)
        state[p] = INSIDE; // starts inside the shape: not a hit
      else if (Math.abs(v) < o.threshold) state[p] = HIT;
      else {
        const step = (v < 0 ? 1 : o.ratio) * Math.max(-o.maxStep, Math.min(o.maxStep, v)); // eq. 14
        dist[p] += exact && v > step ? v : step; // eq. 14b
        if (dist[p] > exit[p]) state[p] = MISS;
      }
    });
  }
  for (const p of inSphere) if (state[p] === ACTIVE) state[p] = MISS; // out of steps

  // 3. the minimum of f along each miss, refined by parabolic steps (eq. 18)
  let refineEvaluations = 0;
  const one = new Float64Array(3);
  const fAt = (p: number, d: number): number => {
    pointAt(p, d, one, 0);
    refineEvaluations++;
    return f(one, 1)[0];
  };
  for (const p of inSphere) {
    if (state[p] !== MISS || o.refineIterations === 0 || !(minValue[p] < o.refineBelow)) continue;
    let h = o.ratio * Math.max(o.threshold, Math.min(o.maxStep, minValue[p]));
    for (let it = 0; it < o.refineIterations; it++) {
      const t0 = minDist[p],
        f0 = minValue[p];
      const tm = Math.max(entry[p], t0 - h),
        tp = Math.min(exit[p], t0 + h);
      const fm = fAt(p, tm),
        fp = fAt(p, tp);
      const t3 = nextProbe(t0, f0, tm, fm, tp, fp, h, entry[p], exit[p]);
      const f3 = fAt(p, t3);
      for (const [t, v] of [
        [tm, fm],
        [tp, fp],
        [t3, f3],
      ]) {
        if (v < minValue[p]) [minValue[p], minDist[p]] = [v, t];
      }
      if (fm >= f0 && fp >= f0) h *= 0.25;
    }
  }

  // 4. the SDF's gradient at the hits, for the implicit depth weight (eq. 20)
  const hits = inSphere.filter((p) => state[p] === HIT);
  const hitPoints = new Float64Array(3 * hits.length);
  hits.forEach((p, k) => pointAt(p, dist[p], hitPoints, k));
  const hitValues = new Float64Array(hits.length),
    hitGrad = new Float64Array(3 * hits.length);
  sdfValuesAndGradients(plain, hitPoints, hits.length, hitValues, hitGrad, ws);

  // 5. the tape: one point per ray meeting the sphere, at its hit or at the minimum of a miss
  const rays = inSphere; // every ray inside the sphere, in pixel order
  const q = new Float64Array(3 * rays.length),
    d = new Float64Array(rays.length);
  rays.forEach((p, k) => {
    cameraDirection(camera, (p % W) + 0.5, Math.floor(p / W) + 0.5, q, 3 * k);
    d[k] = state[p] === HIT ? dist[p] : minDist[p];
  });
  const dt = sdf.dtype;
  const { R, t } = pose;
  // eq. 11 as rows: v = q R, eye = -t R, p = eye + d v
  const V = matmul(tensor(q, { dtype: dt, shape: [rays.length, 3] }), R);
  const eye = neg(matmul(reshape(t, [1, 3]), R));
  const points3 = add(eye, mul(tensor(d, { dtype: dt, shape: [rays.length, 1] }), V));
  const F = sdf.distance(points3);
  // eq. 20: depth = d z_scale, with derivative z_scale w df (the value of f - f0 is 0)
  const grad = new Float64Array(3 * P);
  hits.forEach((p, k) => grad.set(hitGrad.subarray(3 * k, 3 * k + 3), 3 * p));
  const dz = new Float64Array(rays.length),
    wz = new Float64Array(rays.length),
    wd = new Float64Array(rays.length);
  rays.forEach((p, k) => {
    if (state[p] !== HIT) return;
    wd[k] = implicitWeight(grad, p, R.data, q, k, o.minCosine);
    wz[k] = wd[k] * zScale[p];
    dz[k] = dist[p] * zScale[p];
  });
  const C = (a: Float64Array, shape: number[]) => tensor(a, { dtype: dt, shape });
  const change = sub(F, F.detach());
  const rayDepth = add(C(dz, [rays.length]), mul(C(wz, [rays.length]), change));
  const rayIndex = Int32Array.from(rays);
  const depth = reshape(scatterAdd(zeros([P], { dtype: dt }), 0, rayIndex, rayDepth), [H, W]);
  // eq. 16-19: the silhouette is f at the ray's point; a ray that misses the sphere gets its
  // distance to the sphere's centre (t in camera space) less the radius, plus the threshold
  const outside = Int32Array.from([...state.keys()].filter((p) => state[p] === OUTSIDE));
  let minSdf = scatterAdd(zeros([P], { dtype: dt }), 0, rayIndex, F);
  if (outside.length > 0) {
    const qo = new Float64Array(3 * outside.length);
    outside.forEach((p, k) => cameraDirection(camera, (p % W) + 0.5, Math.floor(p / W) + 0.5, qo, 3 * k));
    const along = reshape(matmul(C(qo, [outside.length, 3]), reshape(t, [3, 1])), [outside.length]);
    const front = Array.from(along.data, (b) => (b > 0 ? 1 : 0));
    const tt = sum(mul(t, t));
    const distance = sqrt(sub(tt, mul(where(front, along, 0), where(front, along, 0))));
    minSdf = scatterAdd(minSdf, 0, outside, add(distance, o.threshold - o.boundingRadius));
  }
  minSdf = reshape(minSdf, [H, W]);

  // eq. 15 and 21: normals by central differences around hit points that move with f
  let normal: Tensor | null = null;
  const hitRows = Int32Array.from(rays.flatMap((p, k) => (state[p] === HIT ? [k] : [])));
  if (o.normals === 'analytic') {
    const N = new Float64Array(3 * P);
    hits.forEach((p, k) => {
      const g = hitGrad.subarray(3 * k, 3 * k + 3);
      const l = Math.hypot(g[0], g[1], g[2]);
      if (l > 0) for (let j = 0; j < 3; j++) N[3 * p + j] = g[j] / l;
    });
    normal = C(N, [H, W, 3]);
  } else if (o.normals === 'centralDifferences' && hitRows.length > 0) {
    const h = hitRows.length;
    const distance = add(
      C(
        Float64Array.from(hitRows, (k) => d[k]),
        [h, 1],
      ),
      mul(
        C(
          Float64Array.from(hitRows, (k) => wd[k]),
          [h, 1],
        ),
        reshape(indexSelect(change, 0, hitRows), [h, 1]),
      ),
    );
    const hitPoint = add(eye, mul(distance, indexSelect(V, 0, hitRows)));
    const e = o.normalStep;
    const offsets = C(new Float64Array([e, 0, 0, -e, 0, 0, 0, e, 0, 0, -e, 0, 0, 0, e, 0, 0, -e]), [1, 6, 3]);
    const probes = reshape(add(reshape(hitPoint, [h, 1, 3]), offsets), [6 * h, 3]);
    const f6 = reshape(sdf.distance(probes), [h, 6]);
    const column = (j: number) => reshape(indexSelect(f6, 1, [j]), [h]);
    const n = normalize(stack([sub(column(0), column(1)), sub(column(2), column(3)), sub(column(4), column(5))], 1), 1);
    const index = fromArray(Float64Array.from(Array.from(hitRows).flatMap((k) => [rays[k], rays[k], rays[k]])), [h, 3]);
    normal = reshape(scatterAdd(zeros([P, 3], { dtype: dt }), 0, index, n), [H, W, 3]);
  } else if (o.normals === 'centralDifferences') normal = zeros([H, W, 3], { dtype: dt });

  return {
    depth,
    minSdf,
    normal,
    hit: Uint8Array.from(state, (s) => (s === HIT ? 1 : 0)),
    state,
    steps,
    evaluations: { march: marchEvaluations, refine: refineEvaluations, gradient: hits.length, tape: rays.length + (normal && o.normals === 'centralDifferences' ? 6 * hitRows.length : 0) },
    options: o,
  };
}

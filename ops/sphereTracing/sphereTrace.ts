// DIST's differentiable sphere tracer (docs/dist.md), public entry: an SDF seen from a camera ->
// depth, silhouette (the minimum of f along each ray) and optionally normal images, differentiable
// in the SDF's parameters and in the camera pose.
//
// This file validates, marches (march.ts over the pool: coarse to fine, converged rays dropped,
// batched SDF evaluations) and records the few tape ops of traceTape.ts. To learn the algorithm,
// read sphereTraceReference.ts first: the same render with dense marching and generic tape ops.

import { Camera } from '../../geometry/camera.js';
import { tensor } from '../../lib/create.js';
import { type FloatArray, arrayConstructor } from '../../lib/dtype.js';
import { ArgumentError, DTypeError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { scratch, scratchUnset } from '../../parallel/scratch.js';
import { isGradEnabled } from '../../lib/tape.js';
import { Tensor } from '../../lib/tensor.js';
import { runTasks } from '../../parallel/workerPool.js';
import { traceBands } from './kernels.js';
import type { TraceArgs, TraceBuffers } from './march.js';
import { type ResolvedTraceOptions, type SphereTraceOptions, resolveTraceOptions } from './options.js';
import { gridSize } from './pyramid.js';
import { HIT, OUTSIDE } from './rayBatch.js';
import { traceCamera } from './rays.js';
import { tapeDistance } from './sdf/compiledDistance.js';
import { Sdf } from './sdf/sdf.js';
import { type ImagePlan, type ProbePlan, normalImage, normalProbes, rayPoints, traceImages } from './traceTape.js';

/** A camera pose as tensors (world-to-camera, x_cam = R x + t), e.g. R = rotationFromVector(omega). */
export interface TracePose {
  R: Tensor;
  t: Tensor;
}

export interface SphereTraceCall extends SphereTraceOptions {
  /** The pose to render from, on the tape (default: the camera's own, a constant). */
  pose?: TracePose;
}

export interface SphereTraceRender {
  /** Camera z of each pixel's hit, 0 where the ray missed [H, W] (eq. 13). */
  depth: Tensor;
  /** The minimum of f along each ray [H, W]: below `threshold` on the shape (eq. 16-19). */
  minSdf: Tensor;
  /** World-space unit normals at the hits [H, W, 3] (0 elsewhere), or null with normals: 'none'. */
  normal: Tensor | null;
  /** 1 where the ray hit the shape (it converged inside the sphere and did not start inside). */
  hit: Uint8Array;
  /** Per pixel: HIT 1, MISS 2, INSIDE 3 (started inside the shape), OUTSIDE 4 (missed the sphere). */
  state: Uint8Array;
  /** Marching steps of each pixel's ray (its coarse ancestors' included). */
  steps: Int32Array;
  /** SDF evaluations: marching, refining the minima of misses, the gradient at hits; and the tape's. */
  evaluations: { march: number; refine: number; gradient: number; tape: number };
  options: ResolvedTraceOptions;
}

/** Camera pose values and tensors of a call, validated. */
export function resolvePose(sdf: Sdf, camera: Camera, pose: TracePose | undefined): { R: Tensor; t: Tensor } {
  if (pose === undefined) {
    return { R: tensor(Array.from(camera.R), { dtype: sdf.dtype, shape: [3, 3] }), t: tensor(Array.from(camera.t), { dtype: sdf.dtype }) };
  }
  const { R, t } = pose;
  if (!(R instanceof Tensor) || !(t instanceof Tensor)) throw new ArgumentError('sphereTrace: options.pose must be { R: Tensor [3, 3], t: Tensor [3] } (world to camera).');
  if (R.size !== 9 || R.ndim !== 2) throw new ShapeError(`sphereTrace: options.pose.R has shape [${R.shape}]; it must be [3, 3].`);
  if (t.size !== 3 || t.ndim !== 1) throw new ShapeError(`sphereTrace: options.pose.t has shape [${t.shape}]; it must be [3].`);
  for (const [name, x] of [
    ['R', R],
    ['t', t],
  ] as const) {
    if (x.dtype !== sdf.dtype) throw new DTypeError(`sphereTrace: options.pose.${name} is ${x.dtype} but the SDF is ${sdf.dtype}; convert it with .to('${sdf.dtype}').`);
  }
  const M = R.data;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const d = M[i * 3] * M[j * 3] + M[i * 3 + 1] * M[j * 3 + 1] + M[i * 3 + 2] * M[j * 3 + 2];
      const tol = R.dtype === 'float64' ? 1e-6 : 1e-4;
      if (Math.abs(d - (i === j ? 1 : 0)) > tol) {
        throw new ArgumentError(`sphereTrace: options.pose.R is not a rotation (row ${i} . row ${j} = ${d}); build it with rotationFromVector(omega) so it stays one while it is optimized.`);
      }
    }
  }
  return { R, t };
}

/** Throws unless the eye is outside the bounding sphere (rays must enter it from outside). */
export function checkEyeOutside(eye: ArrayLike<number>, radius: number): void {
  const r = Math.hypot(eye[0], eye[1], eye[2]);
  if (!(r > radius)) {
    throw new ArgumentError(
      `sphereTrace: the camera is inside the bounding sphere (its eye is ${r.toPrecision(4)} from the origin, the sphere's radius is ${radius}); move the camera back, or scale the scene so the shape fits a smaller options.boundingRadius.`,
    );
  }
}

export function validateTraceInputs(sdf: unknown, camera: unknown): asserts sdf is Sdf {
  if (!(sdf instanceof Sdf)) throw new ArgumentError('sphereTrace: sdf must be an Sdf (sphere(...), union(...), mlpSdf(...), functionSdf(...)).');
  if (!(camera instanceof Camera)) throw new ArgumentError('sphereTrace: camera must be a Camera (Camera.lookAt(...) or Camera.fromMatrix(...)); pass a pose tensor in options.pose to optimize it.');
}

/**
 * Coarse rows per task: tasks of about 1,024 pixels (2 for a 48 x 48 image, 4 for 64 x 64), at
 * most 32 (256 x 256 and up); a number that depends on the image alone, never on the threads.
 */
function bandRows(coarseRows: number, width: number, height: number): number {
  const tasks = Math.min(32, Math.max(1, Math.round((width * height) / 1024)));
  return Math.max(1, Math.ceil(coarseRows / tasks));
}

/**
 * Renders `sdf` from `camera` by sphere tracing (docs/dist.md §2-5). The gradient reaches the
 * SDF's parameters and `options.pose` through the implicit depth (eq. 20), the silhouette's
 * minimum (eq. 19) and, with normals: 'centralDifferences', the normals (eq. 21).
 */
export function sphereTrace(sdf: Sdf, camera: Camera, options: SphereTraceCall = {}): SphereTraceRender {
  validateTraceInputs(sdf, camera);
  const o = resolveTraceOptions(options as SphereTraceCall & Record<string, unknown>);
  const pose = resolvePose(sdf, camera, options.pose);
  const threads = sdf.transferable ? o.threads : 1;
  const shared = threads > 1;
  const cam = traceCamera(camera, pose.R.data, pose.t.data, shared);
  checkEyeOutside(cam.eye, o.boundingRadius);

  const P = cam.width * cam.height;
  const [, coarseRows] = gridSize(cam.width, cam.height, o.pyramid[0]);
  const rows = bandRows(coarseRows, cam.width, cam.height);
  const tasks = Math.ceil(coarseRows / rows);
  // reused buffers: the tasks write every entry a later step reads (march.ts finishRays)
  const out: TraceBuffers = {
    state: scratchUnset(Uint8Array, 'sphereTrace.state', P, shared),
    dist: scratchUnset(Float64Array, 'sphereTrace.dist', P, shared),
    value: scratchUnset(Float64Array, 'sphereTrace.value', P, shared),
    grad: scratchUnset(Float64Array, 'sphereTrace.grad', 3 * P, shared),
    zScale: scratchUnset(Float64Array, 'sphereTrace.zScale', P, shared),
    steps: scratchUnset(Int32Array, 'sphereTrace.steps', P, shared),
    evaluations: scratch(Float64Array, 'sphereTrace.evaluations', 3 * tasks, shared),
    nonFinite: scratch(Float64Array, 'sphereTrace.nonFinite', 4 * tasks, shared),
  };
  const recording = isGradEnabled() && (pose.R.requiresGrad || pose.t.requiresGrad || sdf.parameters().some((t) => t.requiresGrad));
  const args: TraceArgs = { sdf: sdf.plain(shared), camera: cam, options: o, bandRows: rows, recording, exactSteps: o.exactSteps ?? sdf.distanceBound, out };
  runTasks(traceBands, args, tasks, threads);
  throwIfNonFinite(out.nonFinite, tasks);

  const evaluations = { march: 0, refine: 0, gradient: 0, tape: 0 };
  for (let k = 0; k < tasks; k++) {
    evaluations.march += out.evaluations[3 * k];
    evaluations.refine += out.evaluations[3 * k + 1];
    evaluations.gradient += out.evaluations[3 * k + 2];
  }
  const images = traceOutputs(sdf, camera, pose, o, out, evaluations, recording);
  const hit = new Uint8Array(P);
  for (let p = 0; p < P; p++) hit[p] = out.state[p] === HIT ? 1 : 0;
  return { ...images, hit, state: Uint8Array.from(out.state), steps: Int32Array.from(out.steps), evaluations, options: o };
}

export function throwIfNonFinite(nonFinite: Float64Array, tasks: number): void {
  for (let k = 0; k < tasks; k++) {
    if (nonFinite[4 * k] !== 1) continue;
    const p = [nonFinite[4 * k + 1], nonFinite[4 * k + 2], nonFinite[4 * k + 3]].map((v) => +v.toPrecision(6));
    throw new NonFiniteError(
      `sphereTrace: the SDF returned a non-finite distance at point [${p.join(', ')}]; an SDF must be finite everywhere inside the bounding sphere (check its parameters, or the function's domain there).`,
    );
  }
}

/** The images from the marching's per-pixel results, on the tape when something needs a gradient. */
function traceOutputs(
  sdf: Sdf,
  camera: Camera,
  pose: { R: Tensor; t: Tensor },
  o: ResolvedTraceOptions,
  out: TraceBuffers,
  evaluations: { tape: number },
  recording: boolean,
): Pick<SphereTraceRender, 'depth' | 'minSdf' | 'normal'> {
  const { width: W, height: H } = camera;
  const P = W * H;
  let m = 0,
    mo = 0,
    h = 0;
  for (let p = 0; p < P; p++) {
    const s = out.state[p];
    if (s === OUTSIDE) mo++;
    else m++;
    if (s === HIT) h++;
  }
  const Arr = arrayConstructor(sdf.dtype);
  const plan: ImagePlan = {
    width: W,
    height: H,
    pixels: new Int32Array(m),
    depth: new Arr(m),
    depthWeight: new Arr(m),
    outsidePixels: new Int32Array(mo),
    outsideDirections: new Arr(3 * mo),
    radius: o.boundingRadius,
    threshold: o.threshold,
  };
  const q = new Arr(3 * m),
    dist = new Arr(m);
  const withProbes = o.normals === 'centralDifferences';
  const hp = withProbes ? h : 0;
  const probe: ProbePlan = { rays: new Int32Array(hp), directions: new Arr(3 * hp), dist: new Arr(hp), distWeight: new Arr(hp), step: o.normalStep };
  const hitRays = o.normals === 'analytic' ? new Int32Array(h) : null;
  const R = pose.R.data;
  const { fx, fy, cx, cy } = camera;
  let i = 0,
    io = 0,
    ih = 0;
  for (let p = 0, v = 0.5; v < H; v++) {
    const b = (v - cy) / fy;
    for (let u = 0.5; u < W; u++, p++) {
      const s = out.state[p];
      const a = (u - cx) / fx;
      // eq. 11: the unit camera direction, 1/|q| being the marching's z scale (eq. 13)
      const zs = s === OUTSIDE ? 1 / Math.sqrt(a * a + b * b + 1) : out.zScale[p];
      if (s === OUTSIDE) {
        plan.outsidePixels[io] = p;
        plan.outsideDirections[3 * io] = a * zs;
        plan.outsideDirections[3 * io + 1] = b * zs;
        plan.outsideDirections[3 * io + 2] = zs;
        io++;
        continue;
      }
      plan.pixels[i] = p;
      q[3 * i] = a * zs;
      q[3 * i + 1] = b * zs;
      q[3 * i + 2] = zs;
      dist[i] = out.dist[p];
      if (s === HIT) {
        plan.depth[i] = out.dist[p] * zs;
        const w = implicitWeight(out.grad, p, R, q, i, o.minCosine);
        plan.depthWeight[i] = w * zs;
        if (hitRays) hitRays[ih] = i;
        if (withProbes) {
          probe.rays[ih] = i;
          probe.directions[3 * ih] = q[3 * i];
          probe.directions[3 * ih + 1] = q[3 * i + 1];
          probe.directions[3 * ih + 2] = q[3 * i + 2];
          probe.dist[ih] = out.dist[p];
          probe.distWeight[ih] = w;
        }
        ih++;
      }
      i++;
    }
  }

  let depth: Tensor, minSdf: Tensor, f: Tensor | null;
  if (recording) {
    const points = rayPoints(pose.R, pose.t, q, dist);
    f = tapeDistance(sdf, points);
    evaluations.tape += m;
    [depth, minSdf] = traceImages(f, pose.t, plan);
  } else {
    // nothing to differentiate: the marching's values are the images (the same numbers)
    f = null;
    const value = tensor(
      new Float64Array(m).map((_, k) => out.value[plan.pixels[k]]),
      { dtype: sdf.dtype },
    );
    [depth, minSdf] = traceImages(value, pose.t, plan);
  }
  let normal: Tensor | null = null;
  if (o.normals === 'analytic') normal = analyticNormals(out, plan, hitRays!, sdf.dtype, W, H);
  else if (o.normals === 'centralDifferences') {
    const hitPixels = new Int32Array(h);
    for (let k = 0; k < h; k++) hitPixels[k] = plan.pixels[probe.rays[k]];
    if (recording && f) {
      const f6 = tapeDistance(sdf, normalProbes(pose.R, pose.t, f, probe));
      evaluations.tape += 6 * h;
      normal = normalImage(f6, hitPixels, W, H);
    } else {
      const f0 = tensor(new Float64Array(m), { dtype: sdf.dtype });
      const f6 = sdf.distance(normalProbes(pose.R, pose.t, f0, probe));
      normal = normalImage(f6, hitPixels, W, H);
    }
  }
  return { depth, minSdf, normal };
}

/** eq. 20: 1 / max(-grad f . v, minCosine |grad f|) at the hit of pixel p, v = R^T q. */
export function implicitWeight(grad: Float64Array, p: number, R: FloatArray, q: FloatArray, i: number, minCosine: number): number {
  const gx = grad[3 * p],
    gy = grad[3 * p + 1],
    gz = grad[3 * p + 2];
  const o = 3 * i;
  const vx = R[0] * q[o] + R[3] * q[o + 1] + R[6] * q[o + 2],
    vy = R[1] * q[o] + R[4] * q[o + 1] + R[7] * q[o + 2],
    vz = R[2] * q[o] + R[5] * q[o + 1] + R[8] * q[o + 2];
  const cosine = -(gx * vx + gy * vy + gz * vz);
  const floor = minCosine * Math.sqrt(gx * gx + gy * gy + gz * gz);
  const c = cosine > floor ? cosine : floor;
  return c > 0 ? 1 / c : 0;
}

/** The SDF's exact gradient at the hits, normalized: a constant of the tape. */
function analyticNormals(out: TraceBuffers, plan: ImagePlan, hitRays: Int32Array, dtype: Sdf['dtype'], W: number, H: number): Tensor {
  const N = new Float64Array(3 * W * H);
  for (let k = 0; k < hitRays.length; k++) {
    const p = plan.pixels[hitRays[k]];
    const gx = out.grad[3 * p],
      gy = out.grad[3 * p + 1],
      gz = out.grad[3 * p + 2];
    const l = Math.hypot(gx, gy, gz);
    if (l > 0) {
      N[3 * p] = gx / l;
      N[3 * p + 1] = gy / l;
      N[3 * p + 2] = gz / l;
    }
  }
  return tensor(N, { dtype, shape: [H, W, 3] });
}

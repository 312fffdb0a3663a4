// `splatgrad demo fm-pose`: pose estimation with Fuzzy Metaballs (docs/fm.md §7, paper §7.1). For
// each model (bunny, teapot, trefoil knot), `trials` seeded random views: the target depth and
// silhouette at 64 x 64 come from the triangle rasterizer (not from the metaballs); the start is
// the true pose turned up to 45 degrees about a random axis and moved up to 50% of the model's
// size; estimatePose (optim/fitPose.ts) recovers it. Error as the paper: the geometric mean of
// the rotation error (degrees) and the translation error (% of the model size), mean and IQR over
// the trials; once on clean targets and once on noisy ones (depth noise and ragged silhouettes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Camera } from '../../geometry/camera.js';
import { depthToColor } from '../../geometry/colormap.js';
import { contactSheet } from '../../geometry/contactSheet.js';
import { type FloatImage, imageFromData } from '../../geometry/image.js';
import { writePng } from '../../geometry/png.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { tensor } from '../../lib/create.js';
import { Random } from '../../lib/random.js';
import { noGrad } from '../../lib/tape.js';
import { rotationErrorDegrees, rotationMatrix } from '../../ops/cameraPose.js';
import { fuzzyMetaballs } from '../../ops/metaballs/fuzzyMetaballs.js';
import { type Metaballs, metaballTensors } from '../../ops/metaballs/options.js';
import { type EstimatePoseOptions, type PoseEstimate, type PoseTarget, estimatePose } from '../../optim/fitPose.js';
import { lossCurveSvg } from '../fit/fitOutputs.js';
import { FM_MODELS, type FmModel, fmModel } from './fmModels.js';

export interface FmPoseOptions {
  out?: string | null;
  models?: readonly string[];
  /** Trials per model (default 20). */
  trials?: number;
  seed?: number;
  threads?: number;
  /** Image side in pixels (default 64). */
  size?: number;
  /** Also run the noisy variant (default true). */
  noisy?: boolean;
  /** Gaussians per model and the surface samples they are fitted to (defaults 40 and 10,000). */
  components?: number;
  samples?: number;
  /** Settings of estimatePose (default its POSE_DEFAULTS). */
  pose?: Omit<EstimatePoseOptions, 'centre' | 'scale' | 'threads'>;
  onProgress?: (line: string) => void;
}

export interface PoseStats {
  /** Mean over trials of sqrt(rotation error x translation error). */
  meanError: number;
  /** Interquartile range of the same (75th - 25th percentile). */
  iqr: number;
  medianError: number;
  /** Means of the rotation error (degrees) and translation error (% of size), and of the starts' pose error. */
  rotationError: number;
  translationError: number;
  initialError: number;
  trials: number;
}

export interface TrialRecord {
  initial: { rotation: number; translation: number; error: number };
  clean: { rotation: number; translation: number; error: number; steps: number; seconds: number };
  noisy?: { rotation: number; translation: number; error: number; steps: number; seconds: number };
}

export interface FmPoseSummary {
  demo: 'fm-pose';
  overall: { clean: PoseStats; noisy: PoseStats | null };
  secondsPerTrial: number;
  models: Record<string, { clean: PoseStats; noisy: PoseStats | null; secondsPerTrial: number; scale: number; size: number; trials: TrialRecord[] }>;
  settings: { trials: number; size: number; seed: number; maxRotationDegrees: number; maxTranslationFraction: number };
  seconds: number;
  out: string | null;
}

const MAX_ROTATION = 45;
const MAX_TRANSLATION = 0.5;
/** Camera distance in shape scales and field of view, as the reference's pose notebook. */
const DISTANCE = 2.7;
const FOV = 60;

function unitVector(rng: Random): [number, number, number] {
  for (;;) {
    const v: [number, number, number] = [rng.normal(), rng.normal(), rng.normal()];
    const n = Math.hypot(...v);
    if (n > 1e-6) return [v[0] / n, v[1] / n, v[2] / n];
  }
}

/** Percentile q in [0, 1] of sorted values, linearly interpolated. */
function percentile(sorted: number[], q: number): number {
  const x = q * (sorted.length - 1),
    i = Math.floor(x);
  return sorted[i] + (sorted[Math.min(i + 1, sorted.length - 1)] - sorted[i]) * (x - i);
}

function stats(records: { rotation: number; translation: number; error: number }[], initial: number[]): PoseStats {
  const errors = records.map((r) => r.error).sort((a, b) => a - b);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return {
    meanError: mean(errors),
    iqr: percentile(errors, 0.75) - percentile(errors, 0.25),
    medianError: percentile(errors, 0.5),
    rotationError: mean(records.map((r) => r.rotation)),
    translationError: mean(records.map((r) => r.translation)),
    initialError: mean(initial),
    trials: records.length,
  };
}

/** Camera-space position of `centre` under pose (R, t). */
function cameraPoint(R: ArrayLike<number>, t: ArrayLike<number>, x: ArrayLike<number>): number[] {
  return [0, 1, 2].map((i) => R[3 * i] * x[0] + R[3 * i + 1] * x[1] + R[3 * i + 2] * x[2] + t[i]);
}

/**
 * Depth noise and ragged silhouettes (docs/fm.md §7): every pixel on the silhouette's edge (a
 * 4-neighbour differs) flips with probability 1/2 (a pixel turned on takes a neighbour's depth),
 * then every depth gets Gaussian noise of 1% of the mean depth.
 */
export function noisyPoseTarget(depth: ArrayLike<number>, mask: ArrayLike<number>, width: number, height: number, rng: Random): { depth: Float32Array; mask: Float32Array } {
  const m = Float32Array.from(mask),
    z = Float32Array.from(depth);
  let sum = 0,
    count = 0;
  for (let p = 0; p < m.length; p++) {
    if (mask[p] > 0) {
      sum += depth[p];
      count++;
    }
  }
  const sigma = count ? (0.01 * sum) / count : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const on = mask[p] > 0;
      let neighbour = -1;
      let edge = false;
      for (const [dx, dy] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ]) {
        const qx = x + dx,
          qy = y + dy;
        if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
        const q = qy * width + qx;
        if (mask[q] > 0 !== on) edge = true;
        if (mask[q] > 0) neighbour = q;
      }
      if (!edge || rng.next() >= 0.5) continue;
      m[p] = on ? 0 : 1;
      z[p] = on ? 0 : depth[neighbour];
    }
  }
  for (let p = 0; p < m.length; p++) if (m[p] > 0) z[p] += sigma * rng.normal();
  return { depth: z, mask: m };
}

interface Trial {
  camera: Camera;
  target: PoseTarget;
  noisy: PoseTarget;
  start: { R: Float64Array; t: Float64Array };
  initial: { rotation: number; translation: number; error: number };
}

function makeTrial(model: FmModel, size: number, rng: Random): Trial {
  const d = unitVector(rng);
  const up = Math.abs(d[1]) > 0.99 ? [0, 0, 1] : [0, 1, 0];
  const distance = DISTANCE * model.scale;
  const camera = Camera.lookAt({ eye: model.centre.map((c, i) => c + distance * d[i]), target: model.centre, up, width: size, height: size, fovY: FOV });
  const r = rasterizeMesh(model.mesh, camera);
  const target: PoseTarget = { camera, depth: r.depth.data, mask: r.alpha.data };
  const noise = noisyPoseTarget(r.depth.data, r.alpha.data, size, size, rng);
  const noisy: PoseTarget = { camera, depth: noise.depth, mask: noise.mask };
  // the start: the object turned about its centre by up to 45 degrees and moved up to 50% of its size
  const axis = unitVector(rng),
    angle = ((rng.next() - 0.5) * 2 * MAX_ROTATION * Math.PI) / 180;
  const dir = unitVector(rng),
    shift = rng.next() * MAX_TRANSLATION * model.size;
  const Rw = rotationMatrix(axis.map((a) => a * angle));
  const R = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) R[3 * i + j] = Rw[3 * i] * camera.R[j] + Rw[3 * i + 1] * camera.R[3 + j] + Rw[3 * i + 2] * camera.R[6 + j];
  const c0 = cameraPoint(camera.R, camera.t, model.centre),
    Rc = cameraPoint(R, [0, 0, 0], model.centre);
  const t = Float64Array.from([0, 1, 2], (i) => c0[i] + shift * dir[i] - Rc[i]);
  const rotation = (Math.abs(angle) * 180) / Math.PI,
    translation = (100 * shift) / model.size;
  return { camera, target, noisy, start: { R, t }, initial: { rotation, translation, error: Math.sqrt(rotation * translation) } };
}

function errors(model: FmModel, camera: Camera, est: PoseEstimate): { rotation: number; translation: number; error: number } {
  const rotation = rotationErrorDegrees(est.R, camera.R);
  const a = cameraPoint(est.R, est.t, model.centre),
    b = cameraPoint(camera.R, camera.t, model.centre);
  const translation = (100 * Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])) / model.size;
  return { rotation, translation, error: Math.sqrt(rotation * translation) };
}

/** Alpha and depth of `fm` under a pose, as images for the sheets. */
function renderPose(fm: Metaballs, model: FmModel, camera: Camera, pose: { R: ArrayLike<number>; t: ArrayLike<number> }): { alpha: FloatImage; depth: FloatImage } {
  const r = noGrad(() =>
    fuzzyMetaballs(fm, camera, { scale: model.scale, pose: { R: tensor(Float64Array.from(pose.R), { dtype: 'float64', shape: [3, 3] }), t: tensor(Float64Array.from(pose.t), { dtype: 'float64' }) } }),
  );
  const W = camera.width,
    H = camera.height;
  // depth only where the render is opaque, so the sheet shows the silhouette's depth
  const depth = Float32Array.from(r.depth.data, (z, p) => (r.alpha.data[p] > 0.5 ? z : 0));
  return { alpha: imageFromData(Float32Array.from(r.alpha.data), W, H, 1), depth: imageFromData(depth, W, H, 1) };
}

export function fmPose(options: FmPoseOptions = {}): FmPoseSummary {
  const t0 = performance.now();
  const names = options.models ?? FM_MODELS;
  const trials = options.trials ?? 20;
  const size = options.size ?? 64;
  const seed = options.seed ?? 0;
  const withNoise = options.noisy ?? true;
  const log = options.onProgress ?? (() => {});
  const out = options.out ?? null;
  if (out) mkdirSync(out, { recursive: true });
  const models: FmPoseSummary['models'] = {};
  const allClean: TrialRecord['clean'][] = [],
    allNoisy: NonNullable<TrialRecord['noisy']>[] = [],
    allInitial: number[] = [];
  let fitSeconds = 0,
    fits = 0;
  names.forEach((name, index) => {
    const model = fmModel(name, { components: options.components, samples: options.samples });
    const fm = metaballTensors(model.metaballs);
    const rng = new Random(1000 * seed + index + 1);
    const records: TrialRecord[] = [];
    const sheet: FloatImage[] = [],
      labels: string[] = [];
    let curve: number[] = [];
    for (let k = 0; k < trials; k++) {
      const trial = makeTrial(model, size, rng);
      const run = (target: PoseTarget) => {
        const s0 = performance.now();
        const est = estimatePose(fm, target, trial.start, { ...options.pose, centre: model.centre, scale: model.scale, threads: options.threads });
        const seconds = (performance.now() - s0) / 1000;
        fitSeconds += seconds;
        fits++;
        return { est, result: { ...errors(model, trial.camera, est), steps: est.steps, seconds } };
      };
      const clean = run(trial.target);
      const record: TrialRecord = { initial: trial.initial, clean: clean.result };
      let noisyEst: PoseEstimate | null = null;
      if (withNoise) {
        const noisy = run(trial.noisy);
        record.noisy = noisy.result;
        noisyEst = noisy.est;
        allNoisy.push(noisy.result);
      }
      records.push(record);
      allClean.push(clean.result);
      allInitial.push(trial.initial.error);
      if (k === 0) curve = clean.est.losses;
      log(
        `${name} trial ${k + 1}/${trials}: start ${trial.initial.error.toFixed(1)} -> clean ${clean.result.error.toFixed(2)} (${clean.result.rotation.toFixed(1)} deg, ${clean.result.translation.toFixed(1)}%)${record.noisy ? `, noisy ${record.noisy.error.toFixed(2)}` : ''}`,
      );
      if (out && k < 6) {
        const W = size;
        const start = renderPose(fm, model, trial.camera, trial.start),
          end = renderPose(fm, model, trial.camera, clean.est);
        const gray = (a: ArrayLike<number>) => imageFromData(Float32Array.from(a), W, W, 1);
        sheet.push(gray(trial.target.mask), start.alpha, end.alpha, depthToColor(gray(trial.target.depth), { background: 'black' }), depthToColor(end.depth, { background: 'black' }));
        labels.push('target', `start ${trial.initial.error.toFixed(0)}`, `clean ${clean.result.error.toFixed(1)}`, 'depth', 'fit depth');
        if (noisyEst) {
          sheet.push(gray(trial.noisy.mask), renderPose(fm, model, trial.camera, noisyEst).alpha);
          labels.push('noisy', `noisy ${record.noisy!.error.toFixed(1)}`);
        }
      }
    }
    const clean = stats(
      records.map((r) => r.clean),
      records.map((r) => r.initial.error),
    );
    const noisy = withNoise
      ? stats(
          records.map((r) => r.noisy!),
          records.map((r) => r.initial.error),
        )
      : null;
    const seconds = records.reduce((s, r) => s + r.clean.seconds + (r.noisy?.seconds ?? 0), 0) / (records.length * (withNoise ? 2 : 1));
    models[name] = { clean, noisy, secondsPerTrial: seconds, scale: model.scale, size: model.size, trials: records };
    log(
      `${name}: clean ${clean.meanError.toFixed(2)} (IQR ${clean.iqr.toFixed(2)})${noisy ? `, noisy ${noisy.meanError.toFixed(2)} (IQR ${noisy.iqr.toFixed(2)})` : ''}, ${seconds.toFixed(2)} s per trial`,
    );
    if (out) {
      writePng(join(out, `pose-${name}.png`), contactSheet(sheet, { columns: withNoise ? 7 : 5, labels, labelScale: 1 }));
      writeFileSync(join(out, `loss-${name}.svg`), lossCurveSvg(curve, `${name}, trial 1: pose loss per step`));
    }
  });
  return {
    demo: 'fm-pose',
    overall: { clean: stats(allClean, allInitial), noisy: withNoise ? stats(allNoisy, allInitial) : null },
    secondsPerTrial: fitSeconds / Math.max(1, fits),
    models,
    settings: { trials, size, seed, maxRotationDegrees: MAX_ROTATION, maxTranslationFraction: MAX_TRANSLATION },
    seconds: (performance.now() - t0) / 1000,
    out,
  };
}

// The pose-recovery protocol of the Fuzzy Metaballs paper (sec. 7.1), shared by every method's
// pose demo so their figures compare: the object is turned by up to 45 degrees about a random
// axis (about its own centre) and moved by up to 50% of its size in a random direction; a
// recovered pose scores the geometric mean of its rotation error (degrees) and its translation
// error (% of the model's size); a method reports the mean and the interquartile range over
// seeded trials. The model's size is the fm-pose demo's (cli/demos/fmPose.ts, the reference's
// model size): the mean side of its bounding box.

import { ArgumentError } from '../lib/errors.js';
import type { Random } from '../lib/random.js';
import { rotationErrorDegrees, rotationMatrix } from '../ops/cameraPose.js';

export const POSE_PERTURBATION = { maxDegrees: 45, maxTranslation: 0.5 } as const;

/** An object's pose in camera coordinates: x_cam = R (x - centre) + position. */
export interface ObjectPose {
  /** Row-major 3x3. */
  R: Float64Array;
  /** Where the object's centre is, in camera coordinates. */
  position: Float64Array;
}

/** The size and centre of a model from points on its surface (flat xyz): the mean side and the centre of their bounding box. */
export function modelSize(points: ArrayLike<number>): { size: number; centre: [number, number, number] } {
  const n = points.length / 3;
  if (!(n >= 2)) throw new ArgumentError('modelSize: give at least two points on the surface.');
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < 3 * n; i++) {
    lo[i % 3] = Math.min(lo[i % 3], points[i]);
    hi[i % 3] = Math.max(hi[i % 3], points[i]);
  }
  return { size: (hi[0] - lo[0] + hi[1] - lo[1] + hi[2] - lo[2]) / 3, centre: [0, 1, 2].map((k) => (lo[k] + hi[k]) / 2) as [number, number, number] };
}

/** A unit vector uniform on the sphere. */
export function randomAxis(rng: Random): [number, number, number] {
  for (;;) {
    const v: [number, number, number] = [rng.normal(), rng.normal(), rng.normal()];
    const l = Math.hypot(...v);
    if (l > 1e-9) return [v[0] / l, v[1] / l, v[2] / l];
  }
}

/**
 * The truth turned by an angle uniform in [0, maxDegrees] about a random axis and moved by a
 * distance uniform in [0, maxTranslation x size] in a random direction.
 */
export function perturbPose(truth: ObjectPose, size: number, rng: Random, limits: { maxDegrees: number; maxTranslation: number } = POSE_PERTURBATION): ObjectPose {
  const angle = (rng.uniform(0, limits.maxDegrees) * Math.PI) / 180;
  const axis = randomAxis(rng);
  const D = rotationMatrix([axis[0] * angle, axis[1] * angle, axis[2] * angle]);
  const R = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) R[i * 3 + j] = D[i * 3] * truth.R[j] + D[i * 3 + 1] * truth.R[3 + j] + D[i * 3 + 2] * truth.R[6 + j];
  const dir = randomAxis(rng);
  const dist = rng.uniform(0, limits.maxTranslation * size);
  const position = Float64Array.from(truth.position, (x, k) => x + dist * dir[k]);
  return { R, position };
}

export interface PoseError {
  rotationDegrees: number;
  translationPercent: number;
  /** sqrt(rotation x translation): the score of one trial. */
  error: number;
}

export function poseError(estimate: ObjectPose, truth: ObjectPose, size: number): PoseError {
  const rotationDegrees = rotationErrorDegrees(estimate.R, truth.R);
  const translationPercent = (100 * Math.hypot(...estimate.position.map((x, k) => x - truth.position[k]))) / size;
  return { rotationDegrees, translationPercent, error: Math.sqrt(rotationDegrees * translationPercent) };
}

/** Mean and interquartile range (linear interpolation between order statistics). */
export function meanAndIqr(values: readonly number[]): { meanError: number; iqr: number; median: number } {
  if (values.length === 0) throw new ArgumentError('meanAndIqr: no values.');
  const s = [...values].sort((a, b) => a - b);
  const q = (f: number) => {
    const x = f * (s.length - 1);
    const i = Math.floor(x);
    return i + 1 < s.length ? s[i] + (x - i) * (s[i + 1] - s[i]) : s[i];
  };
  return { meanError: values.reduce((a, b) => a + b, 0) / values.length, iqr: q(0.75) - q(0.25), median: q(0.5) };
}

/** World-to-camera R, t of an object pose around `centre`: t = position - R centre. */
export function worldToCamera(pose: ObjectPose, centre: ArrayLike<number>): { R: Float64Array; t: Float64Array } {
  const R = pose.R;
  const t = new Float64Array(3);
  for (let i = 0; i < 3; i++) t[i] = pose.position[i] - (R[i * 3] * centre[0] + R[i * 3 + 1] * centre[1] + R[i * 3 + 2] * centre[2]);
  return { R: Float64Array.from(R), t };
}

// Camera rays and the bounding sphere (docs/dist.md §2). A ray leaves the eye c = -R^T t along
// the unit direction v = R^T q / |q|, q = ((u - cx)/fx, (v - cy)/fy, 1), and is marched only
// inside the sphere |p| <= radius that holds the shape (eq. 11-12). Its depth is the camera z of
// the point at distance d: z = d / |q| (eq. 13, the paper's eq. 2).

import type { Camera } from '../../geometry/camera.js';
import { float64 } from '../../lib/sharedMemory.js';

/** What the tracer reads of a camera, as plain arrays (shared when the pool needs them). */
export interface TraceCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** World-to-camera rotation, row-major. */
  R: Float64Array;
  t: Float64Array;
  /** The eye, -R^T t. */
  eye: Float64Array;
}

/** The tracer's camera: intrinsics of `camera`, pose R, t (the camera's own unless given). */
export function traceCamera(camera: Camera, R: ArrayLike<number>, t: ArrayLike<number>, shared: boolean): TraceCamera {
  const Rs = float64(9, shared),
    ts = float64(3, shared),
    eye = float64(3, shared);
  for (let k = 0; k < 9; k++) Rs[k] = R[k];
  for (let k = 0; k < 3; k++) ts[k] = t[k];
  for (let j = 0; j < 3; j++) eye[j] = -(Rs[j] * ts[0] + Rs[3 + j] * ts[1] + Rs[6 + j] * ts[2]);
  return { width: camera.width, height: camera.height, fx: camera.fx, fy: camera.fy, cx: camera.cx, cy: camera.cy, R: Rs, t: ts, eye };
}

/**
 * eq. 11: the unit world direction of the ray through continuous pixel position (u, v) into
 * dir[o..o+2]; returns 1/|q|, the camera z of a unit step along it (eq. 13).
 */
export function rayDirection(cam: TraceCamera, u: number, v: number, dir: Float64Array, o: number): number {
  const a = (u - cam.cx) / cam.fx,
    b = (v - cam.cy) / cam.fy;
  const il = 1 / Math.sqrt(a * a + b * b + 1);
  const R = cam.R;
  // v = R^T q / |q|
  dir[o] = (R[0] * a + R[3] * b + R[6]) * il;
  dir[o + 1] = (R[1] * a + R[4] * b + R[7]) * il;
  dir[o + 2] = (R[2] * a + R[5] * b + R[8]) * il;
  return il;
}

/** The camera-space unit direction through (u, v) into out[o..o+2] (what the tape's ray ops read). */
export function cameraDirection(cam: Pick<TraceCamera, 'fx' | 'fy' | 'cx' | 'cy'>, u: number, v: number, out: Float64Array, o: number): void {
  const a = (u - cam.cx) / cam.fx,
    b = (v - cam.cy) / cam.fy;
  const il = 1 / Math.sqrt(a * a + b * b + 1);
  out[o] = a * il;
  out[o + 1] = b * il;
  out[o + 2] = il;
}

/**
 * eq. 12: where the ray eye + d dir enters and leaves the sphere |p| = radius, into span[0..1];
 * false when it misses the sphere (or the sphere is behind the eye).
 */
export function sphereSpan(eye: Float64Array, dir: Float64Array, o: number, radius: number, span: Float64Array): boolean {
  const b = eye[0] * dir[o] + eye[1] * dir[o + 1] + eye[2] * dir[o + 2];
  const c = eye[0] * eye[0] + eye[1] * eye[1] + eye[2] * eye[2] - radius * radius;
  const disc = b * b - c;
  if (disc < 0) return false;
  const root = Math.sqrt(disc);
  if (-b + root <= 0) return false;
  span[0] = -b - root;
  span[1] = -b + root;
  return true;
}

// Pinhole camera with OpenCV-style axes: x right, y down, z forward into the scene.
//   docs/dss.md §2: camera coordinates c = R p + t,  pixel = (fx c_x / c_z + cx, fy c_y / c_z + cy)
// Pixel coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is
// (i + 0.5, j + 0.5) and the default principal point (width/2, height/2) is the image centre.
// Field-of-view angles are in degrees.

import { ArgumentError, NonFiniteError, ShapeError, assertFinite } from '../lib/errors.js';
import { type Vec3, cross3, dot3, unit3, vec3 } from './vector3.js';

/** Points at depth c_z <= near cannot be projected (default near, in scene units). */
export const DEFAULT_NEAR = 1e-4;
/** Vertical field of view used when neither a focal length nor a field of view is given. */
export const DEFAULT_FOV_Y = 60;
/** How far R R^T may be from the identity before a rotation is rejected. */
const ROTATION_TOLERANCE = 1e-5;

export type PointArray = Float64Array | Float32Array | readonly number[];

/** Intrinsics: explicit fx/fy, or one `focal` (pixels) for both, or a vertical field of view `fovY` (degrees). */
export interface IntrinsicsOptions {
  width: number;
  height: number;
  fx?: number;
  fy?: number;
  focal?: number;
  fovY?: number;
  cx?: number;
  cy?: number;
  near?: number;
}

export interface LookAtOptions extends IntrinsicsOptions {
  eye: ArrayLike<number>;
  target: ArrayLike<number>;
  /** World up direction (default +y); it ends up pointing to the top of the image. */
  up?: ArrayLike<number>;
}

/** A 4x4 matrix as nested rows or as 16 row-major numbers. */
export type Matrix4Like = readonly (readonly number[])[] | ArrayLike<number>;

export interface FromMatrixOptions extends IntrinsicsOptions {
  /** World-to-camera rigid transform [R t; 0 0 0 1]; or give R and t. */
  worldToCamera?: Matrix4Like;
  R?: ArrayLike<number>;
  t?: ArrayLike<number>;
}

/** The plain-data form written by toJSON and read by Camera.fromMatrix and the camera file format. */
export interface CameraJSON {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** 4x4 row-major rows. */
  worldToCamera: number[][];
  near?: number;
}

/** Resolved intrinsics: the camera file's numbers with the near plane filled in. */
interface Intrinsics extends Omit<CameraJSON, 'worldToCamera' | 'near'> {
  near: number;
}

function positiveNumber(v: unknown, what: string, fix: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ArgumentError(`${what} must be a finite positive number, got ${JSON.stringify(v)}; ${fix}.`);
  }
  return v;
}

function finiteNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${what} must be a finite number, got ${JSON.stringify(v)}.`);
  return v;
}

/** Focal length in pixels that gives a vertical field of view of `fovY` degrees over `height` pixels. */
export function focalFromFov(fovY: number, height: number): number {
  if (!(fovY > 0 && fovY < 180)) throw new ArgumentError(`fovY must be an angle in degrees strictly between 0 and 180, got ${fovY}.`);
  return height / 2 / Math.tan((fovY * Math.PI) / 360);
}

/** Field of view in degrees spanned by `size` pixels at focal length `focal` (inverse of focalFromFov). */
export function fovFromFocal(focal: number, size: number): number {
  return (360 / Math.PI) * Math.atan(size / 2 / focal);
}

function resolveIntrinsics(o: IntrinsicsOptions): Intrinsics {
  const width = positiveNumber(o.width, 'width', 'give the image width in pixels');
  const height = positiveNumber(o.height, 'height', 'give the image height in pixels');
  const given = [o.fx !== undefined || o.fy !== undefined, o.focal !== undefined, o.fovY !== undefined].filter(Boolean).length;
  if (given > 1) throw new ArgumentError('give only one of fx/fy, focal and fovY: they all set the focal length.');
  let fx: number, fy: number;
  if (o.fx !== undefined || o.fy !== undefined) {
    fx = positiveNumber(o.fx ?? o.fy, 'fx', 'give the focal length in pixels');
    fy = positiveNumber(o.fy ?? o.fx, 'fy', 'give the focal length in pixels');
  } else if (o.focal !== undefined) {
    fx = fy = positiveNumber(o.focal, 'focal', 'give the focal length in pixels');
  } else {
    fx = fy = focalFromFov(finiteNumber(o.fovY ?? DEFAULT_FOV_Y, 'fovY'), height);
  }
  const cx = o.cx === undefined ? width / 2 : finiteNumber(o.cx, 'cx');
  const cy = o.cy === undefined ? height / 2 : finiteNumber(o.cy, 'cy');
  const near = o.near === undefined ? DEFAULT_NEAR : positiveNumber(o.near, 'near', 'use a small positive depth such as 1e-4');
  return { width, height, fx, fy, cx, cy, near };
}

/** 16 row-major values from nested rows or a flat array, or throws naming `what`. */
export function matrix4(m: unknown, what: string): Float64Array {
  const out = new Float64Array(16);
  const rows = m as ArrayLike<unknown>;
  if (rows && typeof rows === 'object' && rows.length === 4 && Array.isArray(rows[0])) {
    for (let i = 0; i < 4; i++) {
      const r = rows[i] as ArrayLike<unknown>;
      if (!Array.isArray(r) || r.length !== 4) throw new ShapeError(`${what}[${i}] must be a row of 4 numbers; ${what} is a 4x4 matrix.`);
      for (let j = 0; j < 4; j++) out[i * 4 + j] = finiteNumber(r[j], `${what}[${i}][${j}]`);
    }
    return out;
  }
  if (rows && typeof rows === 'object' && rows.length === 16) {
    for (let k = 0; k < 16; k++) out[k] = finiteNumber(rows[k], `${what}[${k}]`);
    return out;
  }
  throw new ShapeError(`${what} must be a 4x4 matrix (4 rows of 4 numbers, or 16 row-major numbers), got ${JSON.stringify(m)?.slice(0, 80)}.`);
}

/** Throws unless R (row-major 3x3) is a proper rotation: R R^T = I and det R = +1. */
function checkRotation(R: Float64Array, what: string): void {
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const d = R[i * 3] * R[j * 3] + R[i * 3 + 1] * R[j * 3 + 1] + R[i * 3 + 2] * R[j * 3 + 2];
      if (Math.abs(d - (i === j ? 1 : 0)) > ROTATION_TOLERANCE) {
        throw new ArgumentError(`${what} is not a rotation (row ${i} . row ${j} = ${d}); the world-to-camera matrix must be rigid, without scale or shear.`);
      }
    }
  }
  const det = R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]);
  if (det < 0) throw new ArgumentError(`${what} has determinant ${det}, a reflection; flip the sign of one camera axis so it is a proper rotation.`);
}

/** What projecting a point needs: rotation, translation and focal lengths (plain data a worker can receive). */
export interface CameraPose {
  readonly R: ArrayLike<number>;
  readonly t: ArrayLike<number>;
  readonly fx: number;
  readonly fy: number;
}

/** Everything a Camera holds, as plain data. */
export interface PlainCamera extends CameraPose {
  readonly cx: number;
  readonly cy: number;
  readonly width: number;
  readonly height: number;
  readonly near: number;
}

/** A camera as plain arrays and numbers (structured-clone friendly, for the thread pool). */
export function plainCamera(c: PlainCamera): PlainCamera {
  return { R: Array.from(c.R), t: Array.from(c.t), fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy, width: c.width, height: c.height, near: c.near };
}

export class Camera {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  /** Depth below which projection is refused. */
  readonly near: number;
  /** World-to-camera rotation, row-major 3x3: its rows are the camera axes (right, down, forward) in world coordinates. */
  readonly R: Float64Array;
  /** World-to-camera translation. */
  readonly t: Float64Array;

  private constructor(k: Intrinsics, R: Float64Array, t: Float64Array) {
    this.width = k.width;
    this.height = k.height;
    this.fx = k.fx;
    this.fy = k.fy;
    this.cx = k.cx;
    this.cy = k.cy;
    this.near = k.near;
    this.R = R;
    this.t = t;
    Object.freeze(this);
  }

  /** A camera at `eye` looking at `target`, with `up` (default +y) towards the top of the image. */
  static lookAt(options: LookAtOptions): Camera {
    const eye = vec3(options.eye, 'eye');
    const target = vec3(options.target, 'target');
    const up = vec3(options.up ?? [0, 1, 0], 'up');
    const k = resolveIntrinsics(options);
    const f = unit3([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]], 'target - eye (the viewing direction: eye and target coincide)');
    const upUnit = unit3(up, 'up');
    // x right = forward x up; y down = forward x right (right-handed: x cross y = z)
    const rightRaw = cross3(f, upUnit);
    if (Math.hypot(...rightRaw) < 1e-9) {
      throw new ArgumentError(`up ${JSON.stringify(up)} is parallel to the viewing direction; pass an up vector that is not along target - eye.`);
    }
    const right = unit3(rightRaw, 'forward x up');
    const down = cross3(f, right);
    const R = new Float64Array([...right, ...down, ...f]);
    const t = new Float64Array([-dot3(right, eye), -dot3(down, eye), -dot3(f, eye)]);
    return new Camera(k, R, t);
  }

  /** A camera from a world-to-camera matrix (4x4, or R and t) and intrinsics. */
  static fromMatrix(options: FromMatrixOptions): Camera {
    const k = resolveIntrinsics(options);
    const R = new Float64Array(9);
    const t = new Float64Array(3);
    if (options.worldToCamera !== undefined) {
      if (options.R !== undefined || options.t !== undefined) throw new ArgumentError('give either worldToCamera or R and t, not both.');
      const m = matrix4(options.worldToCamera, 'worldToCamera');
      if (m[12] !== 0 || m[13] !== 0 || m[14] !== 0 || m[15] !== 1) {
        throw new ArgumentError(`worldToCamera's last row must be [0, 0, 0, 1], got [${Array.from(m.subarray(12))}].`);
      }
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) R[i * 3 + j] = m[i * 4 + j];
        t[i] = m[i * 4 + 3];
      }
    } else {
      const r = options.R as ArrayLike<number> | undefined;
      if (r?.length !== 9) throw new ArgumentError('R must be 9 numbers (a row-major 3x3 world-to-camera rotation), or give worldToCamera.');
      for (let k2 = 0; k2 < 9; k2++) R[k2] = finiteNumber(r[k2], `R[${k2}]`);
      t.set(vec3(options.t, 't'));
    }
    checkRotation(R, options.worldToCamera !== undefined ? 'worldToCamera (upper-left 3x3)' : 'R');
    return new Camera(k, R, t);
  }

  /** The camera centre (eye) in world coordinates: -R^T t. */
  get center(): Vec3 {
    const R = this.R,
      t = this.t;
    return [-(R[0] * t[0] + R[3] * t[1] + R[6] * t[2]), -(R[1] * t[0] + R[4] * t[1] + R[7] * t[2]), -(R[2] * t[0] + R[5] * t[1] + R[8] * t[2])];
  }

  /** Viewing direction (camera +z) in world coordinates. */
  get forward(): Vec3 {
    return [this.R[6], this.R[7], this.R[8]];
  }

  /** Image right (camera +x) in world coordinates. */
  get right(): Vec3 {
    return [this.R[0], this.R[1], this.R[2]];
  }

  /** Image down (camera +y) in world coordinates. */
  get down(): Vec3 {
    return [this.R[3], this.R[4], this.R[5]];
  }

  /** Vertical field of view in degrees. */
  get fovY(): number {
    return fovFromFocal(this.fy, this.height);
  }

  /** Horizontal field of view in degrees. */
  get fovX(): number {
    return fovFromFocal(this.fx, this.width);
  }

  /** Camera coordinates c = R p + t of N points (flat xyz triples), docs/dss.md §2. */
  toCamera(points: PointArray): Float64Array {
    checkPoints(points, 'points');
    const n = points.length / 3;
    const out = new Float64Array(points.length);
    const R = this.R,
      t = this.t;
    for (let i = 0; i < n; i++) {
      const o = i * 3;
      const x = points[o],
        y = points[o + 1],
        z = points[o + 2];
      out[o] = R[0] * x + R[1] * y + R[2] * z + t[0];
      out[o + 1] = R[3] * x + R[4] * y + R[5] * z + t[1];
      out[o + 2] = R[6] * x + R[7] * y + R[8] * z + t[2];
    }
    return out;
  }

  /** Pixel positions (N x 2) and depths c_z (N) of N world points; throws for points at or behind the camera. */
  project(points: PointArray): { pixels: Float64Array; depth: Float64Array } {
    const c = this.toCamera(points);
    const n = c.length / 3;
    const pixels = new Float64Array(n * 2);
    const depth = new Float64Array(n);
    const { fx, fy, cx, cy } = this;
    for (let i = 0; i < n; i++) {
      const z = c[i * 3 + 2];
      if (!(z > this.near)) throw behindCamera(i, z, this.near, points);
      // docs/dss.md §2, pixel = f c / c_z + o
      pixels[i * 2] = (fx * c[i * 3]) / z + cx;
      pixels[i * 2 + 1] = (fy * c[i * 3 + 1]) / z + cy;
      depth[i] = z;
    }
    return { pixels, depth };
  }

  /**
   * d pixel / d c at camera coordinates c (docs/dss.md §2, P'), row-major 2x3:
   *   [fx/z, 0, -fx x/z^2; 0, fy/z, -fy y/z^2]
   */
  perspectiveJacobian(c: ArrayLike<number>, out: Float64Array = new Float64Array(6)): Float64Array {
    const x = c[0],
      y = c[1],
      z = c[2];
    if (!(z > this.near)) throw new ArgumentError(`perspectiveJacobian: camera-space depth c[2] = ${z} is not in front of the camera (needs > near = ${this.near}).`);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new NonFiniteError(`perspectiveJacobian: c = [${x}, ${y}, ${z}] has a non-finite coordinate.`);
    const iz = 1 / z;
    out[0] = this.fx * iz;
    out[1] = 0;
    out[2] = -this.fx * x * iz * iz;
    out[3] = 0;
    out[4] = this.fy * iz;
    out[5] = -this.fy * y * iz * iz;
    return out;
  }

  /** The ray through continuous pixel position (u, v) (use i + 0.5 for the centre of pixel i): origin the eye, unit direction in world coordinates. */
  rayThroughPixel(u: number, v: number): { origin: Vec3; direction: Vec3 } {
    finiteNumber(u, 'u');
    finiteNumber(v, 'v');
    // inverse of the projection at depth 1: c = ((u - cx)/fx, (v - cy)/fy, 1), then world d = R^T c
    const a = (u - this.cx) / this.fx,
      b = (v - this.cy) / this.fy;
    const R = this.R;
    const d: Vec3 = [R[0] * a + R[3] * b + R[6], R[1] * a + R[4] * b + R[7], R[2] * a + R[5] * b + R[8]];
    return { origin: this.center, direction: unit3(d, 'ray direction') };
  }

  /** [R t; 0 0 0 1] as 16 row-major numbers. */
  worldToCameraMatrix(): Float64Array {
    const R = this.R,
      t = this.t;
    return new Float64Array([R[0], R[1], R[2], t[0], R[3], R[4], R[5], t[1], R[6], R[7], R[8], t[2], 0, 0, 0, 1]);
  }

  /** The inverse, [R^T -R^T t; 0 0 0 1]: columns are the camera axes and the eye in world coordinates. */
  cameraToWorldMatrix(): Float64Array {
    const R = this.R,
      e = this.center;
    return new Float64Array([R[0], R[3], R[6], e[0], R[1], R[4], R[7], e[1], R[2], R[5], R[8], e[2], 0, 0, 0, 1]);
  }

  /** Plain data that Camera.fromMatrix (and the camera file reader) turns back into an equal camera. */
  toJSON(): CameraJSON {
    const m = this.worldToCameraMatrix();
    // + 0 turns -0 into 0, so JSON text and deep equality are stable
    const rows = [0, 1, 2, 3].map((i) => Array.from(m.subarray(i * 4, i * 4 + 4), (v) => v + 0));
    const json: CameraJSON = { width: this.width, height: this.height, fx: this.fx, fy: this.fy, cx: this.cx, cy: this.cy, worldToCamera: rows };
    if (this.near !== DEFAULT_NEAR) json.near = this.near;
    return json;
  }
}

/** Throws unless `points` is a finite flat array of xyz triples. */
export function checkPoints(points: PointArray, what: string): void {
  if (points === null || typeof points !== 'object' || typeof points.length !== 'number') {
    throw new ArgumentError(`${what} must be a flat array of xyz triples (Float64Array, Float32Array or number[]).`);
  }
  if (points.length % 3 !== 0) throw new ShapeError(`${what} has ${points.length} values, not a multiple of 3; pass flat xyz triples.`);
  assertFinite(points, what, 'remove or fix the NaN/infinite coordinates');
}

function behindCamera(i: number, z: number, near: number, points: PointArray): ArgumentError {
  const p = [points[i * 3], points[i * 3 + 1], points[i * 3 + 2]];
  return new ArgumentError(
    `point ${i} [${p}] has depth ${z} in camera coordinates, at or behind the camera (needs > near = ${near}); move the camera back or drop points that are not in front of it before projecting.`,
  );
}

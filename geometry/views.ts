// Sets of cameras looking at an object from around it (docs/dss.md §5, "Multi-view"): evenly spread on
// a sphere (Fibonacci spiral), uniformly random (seeded), or on an azimuth x elevation grid.
// World +y is up; azimuth is measured in the xz-plane from +z toward +x, elevation from the
// xz-plane toward +y; angles in degrees. Every camera looks at `target`, with +y toward the top
// of the image (or +z for views straight down or up, where +y is along the viewing direction).

import { ArgumentError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { Camera, DEFAULT_FOV_Y, focalFromFov } from './camera.js';
import { type Vec3, vec3 } from './vector3.js';

export interface ViewOptions {
  /** Point every camera looks at (default the origin). */
  target?: ArrayLike<number>;
  /** Bounding radius of the object around target (default 1). */
  radius?: number;
  width?: number;
  height?: number;
  /** Vertical field of view in degrees (default 60). */
  fovY?: number;
  /** Fraction of the smaller image side the object's bounding sphere should fill (default 0.8). */
  fill?: number;
  /** Camera distance from target; overrides radius and fill. */
  distance?: number;
  /**
   * Points that must all be in view (flat xyz triples, e.g. a mesh's vertices): each camera then
   * sits at the distance where their projections span `fill` of the frame in its tighter
   * direction (distanceToFrame); overrides radius. The projection of a triangle lies within that
   * of its corners, so a mesh framed by its vertices is wholly in view.
   */
  points?: ArrayLike<number>;
}

const DEFAULT_SIZE = 256;
const DEFAULT_FILL = 0.8;

/**
 * Distance at which a sphere of `radius` spans `fraction` of a field of view of `fovY` degrees:
 * its silhouette has angular radius asin(r/d), which projects to f tan(asin(r/d)), and that
 * should be fraction * f tan(fovY/2). So d = r / sin(atan(fraction tan(fovY/2))).
 */
export function distanceToFill(radius: number, fovY: number, fraction: number): number {
  if (!(radius > 0) || !Number.isFinite(radius)) throw new ArgumentError(`radius must be a finite positive bounding radius, got ${radius}.`);
  if (!(fovY > 0 && fovY < 180)) throw new ArgumentError(`fovY must be an angle in degrees strictly between 0 and 180, got ${fovY}.`);
  if (!(fraction > 0) || !Number.isFinite(fraction)) throw new ArgumentError(`fraction must be a positive fraction of the frame (e.g. 0.8), got ${fraction}.`);
  return radius / Math.sin(Math.atan(fraction * Math.tan((fovY * Math.PI) / 360)));
}

/**
 * Distance from `target` along unit `direction` at which a camera looking at `target` (rotation
 * `R`, focal lengths fx, fy) sees every point within `fill` of each half of the frame. A point with
 * camera coordinates (x, y, z0 + d) at distance d projects inside when |x| <= fill (W/2) / fx
 * (z0 + d), and likewise for y; the smallest d that meets every bound is the answer (and keeps
 * every point in front of the camera).
 */
export function distanceToFrame(points: ArrayLike<number>, target: Vec3, R: ArrayLike<number>, k: { fx: number; fy: number; width: number; height: number }, fill: number): number {
  if (!(fill > 0) || !Number.isFinite(fill)) throw new ArgumentError(`fill must be a positive fraction of the frame (e.g. 0.8), got ${fill}.`);
  if (points.length < 3 || points.length % 3 !== 0) throw new ArgumentError(`points must be a non-empty flat array of xyz triples, got ${points.length} values.`);
  const tx = (fill * k.width) / 2 / k.fx,
    ty = (fill * k.height) / 2 / k.fy;
  let d = 0,
    reach = 0;
  for (let i = 0; i < points.length; i += 3) {
    const px = points[i] - target[0],
      py = points[i + 1] - target[1],
      pz = points[i + 2] - target[2];
    if (!Number.isFinite(px + py + pz)) throw new ArgumentError(`points[${i / 3}] has a non-finite coordinate; remove or fix it.`);
    const x = R[0] * px + R[1] * py + R[2] * pz,
      y = R[3] * px + R[4] * py + R[5] * pz,
      z = R[6] * px + R[7] * py + R[8] * pz;
    d = Math.max(d, Math.abs(x) / tx - z, Math.abs(y) / ty - z);
    reach = Math.max(reach, Math.hypot(px, py, pz));
  }
  // all points at the target: any distance frames them; keep the camera off them
  return Math.max(d, 1e-3 * reach, 1e-6);
}

/** A camera at target + distance * direction (direction a unit vector) looking at target. */
function cameraFrom(direction: Vec3, options: ViewOptions): Camera {
  const target = vec3(options.target ?? [0, 0, 0], 'target');
  const width = options.width ?? DEFAULT_SIZE;
  const height = options.height ?? DEFAULT_SIZE;
  const fovY = options.fovY ?? DEFAULT_FOV_Y;
  const f = focalFromFov(fovY, height);
  // fill the smaller of the two fields of view
  const fovMin = (360 / Math.PI) * Math.atan(Math.min(width, height) / 2 / f);
  const up: Vec3 = Math.abs(direction[1]) > 0.999 ? [0, 0, direction[1] > 0 ? -1 : 1] : [0, 1, 0];
  const at = (d: number) => Camera.lookAt({ eye: [target[0] + d * direction[0], target[1] + d * direction[1], target[2] + d * direction[2]], target, up, width, height, focal: f });
  let distance: number;
  if (options.distance !== undefined) distance = options.distance;
  else if (options.points !== undefined) {
    // the rotation does not depend on the distance: take it from a camera at distance 1
    distance = distanceToFrame(options.points, target, at(1).R, { fx: f, fy: f, width, height }, options.fill ?? DEFAULT_FILL);
  } else distance = distanceToFill(options.radius ?? 1, fovMin, options.fill ?? DEFAULT_FILL);
  if (!(distance > 0) || !Number.isFinite(distance)) throw new ArgumentError(`distance must be a finite positive number, got ${distance}.`);
  return at(distance);
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`n must be a positive integer number of views, got ${n}.`);
}

/** n unit directions on a Fibonacci (golden-angle) spiral: near-uniform spacing on the sphere. */
export function fibonacciDirections(n: number): Vec3[] {
  checkCount(n);
  const golden = Math.PI * (3 - Math.sqrt(5));
  const dirs: Vec3[] = [];
  for (let i = 0; i < n; i++) {
    const y = 1 - (2 * i + 1) / n; // equal-area bands: y uniform in (-1, 1)
    const r = Math.sqrt(1 - y * y);
    const phi = i * golden;
    dirs.push([r * Math.sin(phi), y, r * Math.cos(phi)]);
  }
  return dirs;
}

/** n cameras evenly spread on a sphere around target. */
export function fibonacciViews(n: number, options: ViewOptions = {}): Camera[] {
  return fibonacciDirections(n).map((d) => cameraFrom(d, options));
}

/** n cameras at uniformly random directions around target (reproducible for a seed). */
export function randomViews(n: number, options: ViewOptions & { seed?: number } = {}): Camera[] {
  checkCount(n);
  const rng = new Random(options.seed ?? 0);
  const cams: Camera[] = [];
  while (cams.length < n) {
    // a normalized Gaussian vector is uniform on the sphere
    const x = rng.normal(),
      y = rng.normal(),
      z = rng.normal();
    const len = Math.hypot(x, y, z);
    if (len < 1e-9) continue;
    cams.push(cameraFrom([x / len, y / len, z / len], options));
  }
  return cams;
}

/** One camera per (elevation, azimuth) pair, elevations outer, azimuths inner (degrees). */
export function gridViews(azimuths: readonly number[], elevations: readonly number[], options: ViewOptions = {}): Camera[] {
  if (!Array.isArray(azimuths) || azimuths.length === 0) throw new ArgumentError('azimuths must be a non-empty array of angles in degrees.');
  if (!Array.isArray(elevations) || elevations.length === 0) throw new ArgumentError('elevations must be a non-empty array of angles in degrees.');
  const cams: Camera[] = [];
  for (const [ei, el] of elevations.entries()) {
    if (!Number.isFinite(el) || Math.abs(el) > 90) throw new ArgumentError(`elevations[${ei}] = ${el} must be an angle in degrees within [-90, 90].`);
    for (const [ai, az] of azimuths.entries()) {
      if (!Number.isFinite(az)) throw new ArgumentError(`azimuths[${ai}] = ${az} must be a finite angle in degrees.`);
      const e = (el * Math.PI) / 180,
        a = (az * Math.PI) / 180;
      cams.push(cameraFrom([Math.cos(e) * Math.sin(a), Math.sin(e), Math.cos(e) * Math.cos(a)], options));
    }
  }
  return cams;
}

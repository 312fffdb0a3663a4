// Voxel carving: the visual hull of silhouettes seen by known cameras (Laurentini 1994), the
// largest shape whose every view falls inside its mask. Each view's mask becomes a signed distance
// image s (pixels, positive inside: the distance to the nearest pixel off the object less half a
// pixel inside, minus the distance to the object less half a pixel outside, so 0 is on the mask's
// pixel edges); a grid point's value is the least of its views' s, bilinearly sampled at its
// projection. The hull is where that value is > 0: a grid point off any mask, or off any image, or
// behind any camera, is carved. Interpolating the values rather than the 0/1 occupancy puts the
// surface between grid points (marchingCubes.ts), so it is smooth rather than a staircase; the grid's
// outer layer counts as outside, so the surface is closed even where the hull reaches the box.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import type { Camera } from './camera.js';
import { maskDistance } from './distanceTransform.js';
import type { Mesh } from './mesh.js';
import { marchingCubes } from './marchingCubes.js';
import { type Vec3, vec3 } from './vector3.js';

export interface HullView {
  camera: Camera;
  /** H * W, 1 on the object (> 0.5 counts as on it). */
  mask: ArrayLike<number>;
}

export interface VisualHullOptions {
  /** Grid cells along the longest side of the bounds (default 64). */
  resolution?: number;
  /** The box to carve (it should hold the object). */
  bounds: { min: ArrayLike<number>; max: ArrayLike<number> };
}

export interface VisualHull {
  /** Grid points per axis, x fastest; origin (the bounds' min corner) and spacing (cubic cells). */
  dims: [number, number, number];
  origin: Vec3;
  step: number;
  /** Per grid point: the least signed distance (pixels) over the views; > 0 inside the hull. */
  field: Float32Array;
  /** Per grid point: 1 inside the hull (field > 0), else 0. */
  occupancy: Uint8Array;
  /** Grid points inside. */
  inside: number;
  /** The hull's surface, closed, outward normals (empty when nothing is left). */
  mesh: Mesh;
}

/** Values below this (pixels) end a grid point's loop over views: it is carved, far from any surface. */
const FAR_OUTSIDE = -8;

/** The signed distance image of a mask (pixels, > 0 inside, 0 on pixel edges between inside and outside). */
export function signedMaskDistance(mask: ArrayLike<number>, width: number, height: number): Float32Array {
  const toObject = maskDistance(mask, width, height);
  const complement = new Float32Array(width * height);
  for (let p = 0; p < complement.length; p++) complement[p] = mask[p] > 0.5 ? 0 : 1;
  const toBackground = maskDistance(complement, width, height);
  const out = new Float32Array(width * height);
  let any = false;
  for (let p = 0; p < out.length; p++) {
    if (mask[p] > 0.5) {
      any = true;
      // a mask that covers the whole image has no background to be distant from: call it far inside
      out[p] = toBackground[p] > 0 ? toBackground[p] - 0.5 : width + height;
    } else out[p] = -(toObject[p] - 0.5);
  }
  if (!any) out.fill(-(width + height)); // an empty mask carves everything
  return out;
}

/** Carves a grid over `options.bounds` with every view's mask and extracts the hull's surface. */
export function visualHull(views: readonly HullView[], options: VisualHullOptions): VisualHull {
  if (!Array.isArray(views) || views.length === 0) throw new ArgumentError('visualHull: views must be a non-empty array of { camera, mask }.');
  const resolution = options.resolution ?? 64;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1024)
    throw new ArgumentError(`visualHull: options.resolution must be a whole number of cells from 2 to 1024, got ${resolution}.`);
  const min = vec3(options.bounds?.min, 'visualHull: options.bounds.min');
  const max = vec3(options.bounds?.max, 'visualHull: options.bounds.max');
  const side = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(side > 0) || [0, 1, 2].some((c) => max[c] < min[c])) throw new ArgumentError(`visualHull: options.bounds must have max >= min on every axis and some extent, got min [${min}], max [${max}].`);
  const step = side / resolution;
  const dims = [0, 1, 2].map((c) => Math.max(2, Math.round((max[c] - min[c]) / step) + 1)) as [number, number, number];
  const signed = views.map((v, i) => {
    const { width, height } = v.camera;
    if (width < 2 || height < 2) throw new ArgumentError(`visualHull: views[${i}]'s image is ${width} x ${height}; carving needs at least 2 x 2 pixels.`);
    if (!v.mask || v.mask.length !== width * height) throw new ShapeError(`visualHull: views[${i}].mask must have its camera's ${width} x ${height} pixels, got ${v.mask?.length}.`);
    return signedMaskDistance(v.mask, width, height);
  });

  const [nx, ny, nz] = dims;
  const field = new Float32Array(nx * ny * nz);
  // marching cubes asks for the grid's points layer by layer: carve each, keep its value, and
  // report the outer layer as outside so the surface closes
  const carve = (points: Float64Array): Float64Array => {
    const out = new Float64Array(points.length / 3);
    for (let q = 0; q < out.length; q++) {
      const x = points[3 * q],
        y = points[3 * q + 1],
        z = points[3 * q + 2];
      let least = Infinity;
      for (let v = 0; v < views.length && least > FAR_OUTSIDE; v++) least = Math.min(least, sampleSigned(views[v].camera, signed[v], x, y, z));
      const i = Math.round((x - min[0]) / step),
        j = Math.round((y - min[1]) / step),
        k = Math.round((z - min[2]) / step);
      field[(k * ny + j) * nx + i] = least;
      const border = i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1;
      out[q] = border ? Math.min(least, -1) : least;
    }
    return out;
  };
  const top: [number, number, number] = [0, 1, 2].map((c) => min[c] + step * (dims[c] - 1)) as [number, number, number];
  const mesh = marchingCubes(carve, { bounds: { min, max: top }, resolution: dims, inside: 'above', level: 0 });
  const occupancy = new Uint8Array(field.length);
  let inside = 0;
  for (let p = 0; p < field.length; p++) if (field[p] > 0) inside += occupancy[p] = 1;
  return { dims, origin: min, step, field, occupancy, inside, mesh };
}

/** A view's signed distance at the projection of (x, y, z), bilinear; far outside when behind the camera or off the image. */
function sampleSigned(camera: Camera, s: Float32Array, x: number, y: number, z: number): number {
  const { R, t, fx, fy, cx, cy, width: W, height: H } = camera;
  const cz = R[6] * x + R[7] * y + R[8] * z + t[2];
  if (!(cz > camera.near)) return -(W + H);
  const u = (fx * (R[0] * x + R[1] * y + R[2] * z + t[0])) / cz + cx - 0.5;
  const v = (fy * (R[3] * x + R[4] * y + R[5] * z + t[1])) / cz + cy - 0.5;
  if (!(u >= -0.5 && v >= -0.5 && u <= W - 0.5 && v <= H - 0.5)) return -(W + H);
  const i = Math.min(W - 2, Math.max(0, Math.floor(u))),
    j = Math.min(H - 2, Math.max(0, Math.floor(v)));
  const a = Math.min(1, Math.max(0, u - i)),
    b = Math.min(1, Math.max(0, v - j));
  const p = j * W + i;
  return (1 - b) * ((1 - a) * s[p] + a * s[p + 1]) + b * ((1 - a) * s[p + W] + a * s[p + W + 1]);
}

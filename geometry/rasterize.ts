// A plain (non-differentiable) triangle rasterizer for ground-truth images of meshes, so that
// targets never come from the splat renderer under test. Conventions, shared with the splats:
// - Pixel (i, j) covers [i, i+1) x [j, j+1); it is sampled once, at its centre (i + 0.5, j + 0.5)
//   (no antialiasing). Edge pixels follow a top-left style fill rule: a pixel centre exactly on
//   an edge shared by two triangles belongs to exactly one of them, so meshes have no gaps or
//   double coverage.
// - Depth is the camera-space c_z (distance along the viewing axis), interpolated perspective-
//   correctly; 0 where no triangle is drawn (as in the splat renderer's depth image).
// - Near plane: triangles are clipped against z = camera.near in camera space (Sutherland-
//   Hodgman); the part behind it is dropped, the rest is drawn.
// - Backfaces: a triangle's outside is the side its vertex normals point to when the mesh has
//   normals, else the side of (b - a) x (c - a) (counter-clockwise seen from outside). A backface
//   shows its inside to the camera. Drawn by default with the normal flipped toward the camera
//   (two-sided lighting, so open surfaces look lit from both sides); cullBackfaces: true drops them.
// - Shading is deferred: after the z-buffer pass each covered pixel is shaded once with
//   shadeLambert (lights.ts) at its surface point: albedo from mesh.colors (interpolated) or
//   options.albedo, normal from mesh.normals (interpolated, 'smooth') or the face ('flat').
//   Colours are not clamped (ambient + suns may exceed 1); writePng clamps.

import { ArgumentError, assertFinite } from '../lib/errors.js';
import type { Camera } from './camera.js';
import { type FloatImage, createImage } from './image.js';
import { type Light, defaultLights, shadeLambert, validateLights } from './lights.js';
import { type Mesh, validateMesh } from './mesh.js';

export interface RasterizeOptions {
  /** Default: defaultLights(camera) (DSS red/green/blue suns and ambient, seed 0). */
  lights?: readonly Light[];
  /** Albedo where the mesh has no colours (default [1, 1, 1]). */
  albedo?: ArrayLike<number>;
  /** 'smooth' (interpolated vertex normals; default when the mesh has normals) or 'flat'. */
  shading?: 'smooth' | 'flat';
  /** Drop triangles facing away from the camera (default false: draw them two-sided). */
  cullBackfaces?: boolean;
  /** Colour where nothing is drawn (default [0, 0, 0]). */
  background?: ArrayLike<number>;
}

export interface RasterImages {
  /** H x W x 3 shaded colour. */
  color: FloatImage;
  /** H x W camera depth c_z, 0 where empty. */
  depth: FloatImage;
  /** H x W x 3 unit world-space shading normal (facing the camera), 0 where empty. */
  normal: FloatImage;
  /** H x W coverage: 1 where a triangle is drawn, else 0. */
  alpha: FloatImage;
  /** H x W index of the visible triangle, -1 where empty. */
  faceIndex: Int32Array;
}

/** Camera-space vertices and barycentrics (w.r.t. the whole triangle) of a clipped polygon: at most 4 corners. */
interface ClipPolygon {
  count: number;
  cam: Float64Array; // 4 x 3
  bary: Float64Array; // 4 x 3
}

export function rasterizeMesh(mesh: Mesh, camera: Camera, options: RasterizeOptions = {}): RasterImages {
  validateMesh(mesh, 'mesh');
  if (mesh.normals) assertFinite(mesh.normals, 'mesh.normals');
  if (mesh.colors) assertFinite(mesh.colors, 'mesh.colors');
  const lights = options.lights ?? defaultLights(camera);
  validateLights(lights, 'options.lights');
  const albedo = threeNumbers(options.albedo ?? [1, 1, 1], 'options.albedo');
  const background = threeNumbers(options.background ?? [0, 0, 0], 'options.background');
  const shading = options.shading ?? (mesh.normals ? 'smooth' : 'flat');
  if (shading !== 'smooth' && shading !== 'flat') throw new ArgumentError(`options.shading must be 'smooth' or 'flat', got ${JSON.stringify(shading)}.`);
  if (shading === 'smooth' && !mesh.normals) throw new ArgumentError("options.shading is 'smooth' but the mesh has no normals; compute vertex normals or use 'flat'.");

  const { width, height } = camera;
  const P = width * height;
  const cam = camera.toCamera(mesh.positions);
  const faceCount = mesh.faces.length / 3;
  const front = new Uint8Array(faceCount);
  const zbuffer = new Float64Array(P).fill(Infinity);
  const faceIndex = new Int32Array(P).fill(-1);
  const pixelBary = new Float64Array(3 * P);
  const polygon: ClipPolygon = { count: 0, cam: new Float64Array(12), bary: new Float64Array(12) };
  const target = { zbuffer, faceIndex, pixelBary, width, height, face: 0 };

  const eye = camera.center,
    V = mesh.positions,
    N = mesh.normals;
  for (let f = 0; f < faceCount; f++) {
    const i0 = 3 * mesh.faces[3 * f],
      i1 = 3 * mesh.faces[3 * f + 1],
      i2 = 3 * mesh.faces[3 * f + 2];
    const ux = V[i1] - V[i0],
      uy = V[i1 + 1] - V[i0 + 1],
      uz = V[i1 + 2] - V[i0 + 2];
    const vx = V[i2] - V[i0],
      vy = V[i2 + 1] - V[i0 + 1],
      vz = V[i2 + 2] - V[i0 + 2];
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    let facing = nx * (eye[0] - V[i0]) + ny * (eye[1] - V[i0 + 1]) + nz * (eye[2] - V[i0 + 2]);
    if (facing === 0) continue; // seen edge-on (or zero area): covers no pixel centre
    if (N) {
      // the vertex normals define the outside when the mesh has them (its winding may disagree)
      const sx = N[i0] + N[i1] + N[i2],
        sy = N[i0 + 1] + N[i1 + 1] + N[i2 + 1],
        sz = N[i0 + 2] + N[i1 + 2] + N[i2 + 2];
      if (sx * nx + sy * ny + sz * nz < 0) facing = -facing;
    }
    front[f] = facing > 0 ? 1 : 0;
    if (options.cullBackfaces && !front[f]) continue;
    clipToNearPlane(cam, i0, i1, i2, camera.near, polygon);
    target.face = f;
    for (let j = 1; j + 1 < polygon.count; j++) rasterizeTriangle(polygon, 0, j, j + 1, camera, target);
  }

  // deferred shading: each covered pixel once
  const color = createImage(width, height, 3, Array.from(background));
  const depth = createImage(width, height, 1);
  const normal = createImage(width, height, 3);
  const alpha = createImage(width, height, 1);
  const pos = new Float64Array(3),
    n = new Float64Array(3),
    a = new Float64Array(3),
    rgb = new Float64Array(3);
  const C = mesh.colors;
  for (let p = 0; p < P; p++) {
    const f = faceIndex[p];
    if (f < 0) continue;
    const i0 = 3 * mesh.faces[3 * f],
      i1 = 3 * mesh.faces[3 * f + 1],
      i2 = 3 * mesh.faces[3 * f + 2];
    const b0 = pixelBary[3 * p],
      b1 = pixelBary[3 * p + 1],
      b2 = pixelBary[3 * p + 2];
    for (let k = 0; k < 3; k++) pos[k] = b0 * V[i0 + k] + b1 * V[i1 + k] + b2 * V[i2 + k];
    let len = 0;
    if (N && shading === 'smooth') {
      for (let k = 0; k < 3; k++) n[k] = b0 * N[i0 + k] + b1 * N[i1 + k] + b2 * N[i2 + k];
      len = Math.hypot(n[0], n[1], n[2]);
    }
    let faceNormal = false;
    if (!(len > 1e-12)) {
      // flat, or vertex normals that cancel here: the face normal (b - a) x (c - a)
      faceNormal = true;
      const ux = V[i1] - V[i0],
        uy = V[i1 + 1] - V[i0 + 1],
        uz = V[i1 + 2] - V[i0 + 2];
      const vx = V[i2] - V[i0],
        vy = V[i2 + 1] - V[i0 + 1],
        vz = V[i2 + 2] - V[i0 + 2];
      n[0] = uy * vz - uz * vy;
      n[1] = uz * vx - ux * vz;
      n[2] = ux * vy - uy * vx;
      len = Math.hypot(n[0], n[1], n[2]);
    }
    // two-sided: a backface shades with its normal flipped. The face normal comes from the winding,
    // so it also flips when the winding disagrees with the vertex normals (see the pass above).
    const windingAgrees = !faceNormal || !N || n[0] * sumNormal(N, i0, i1, i2, 0) + n[1] * sumNormal(N, i0, i1, i2, 1) + n[2] * sumNormal(N, i0, i1, i2, 2) >= 0;
    const s = ((front[f] ? 1 : -1) * (windingAgrees ? 1 : -1)) / len;
    for (let k = 0; k < 3; k++) n[k] *= s;
    if (C) for (let k = 0; k < 3; k++) a[k] = b0 * C[i0 + k] + b1 * C[i1 + k] + b2 * C[i2 + k];
    else a.set(albedo);
    shadeLambert(a, n, pos, lights, rgb);
    for (let k = 0; k < 3; k++) {
      color.data[3 * p + k] = rgb[k];
      normal.data[3 * p + k] = n[k];
    }
    depth.data[p] = zbuffer[p];
    alpha.data[p] = 1;
  }
  return { color, depth, normal, alpha, faceIndex };
}

/**
 * The part of triangle (i0, i1, i2) (flat offsets into camera-space `cam`) with z >= near, as a
 * polygon of 0, 3 or 4 corners, each with its barycentric coordinates in the original triangle.
 */
function clipToNearPlane(cam: Float64Array, i0: number, i1: number, i2: number, near: number, out: ClipPolygon): void {
  out.count = 0;
  for (let e = 0; e < 3; e++) {
    const a = e === 0 ? i0 : e === 1 ? i1 : i2;
    const b = e === 0 ? i1 : e === 1 ? i2 : i0;
    const za = cam[a + 2],
      zb = cam[b + 2];
    const aIn = za >= near,
      bIn = zb >= near;
    if (aIn) emit(out, cam, a, b, 0, e, (e + 1) % 3);
    // the edge crosses the plane: add the crossing point
    if (aIn !== bIn) emit(out, cam, a, b, (near - za) / (zb - za), e, (e + 1) % 3);
  }
}

/** Appends the point a + t (b - a) of edge (corner ea -> corner eb) to the polygon. */
function emit(out: ClipPolygon, cam: Float64Array, a: number, b: number, t: number, ea: number, eb: number): void {
  const o = 3 * out.count;
  for (let k = 0; k < 3; k++) {
    out.cam[o + k] = cam[a + k] + t * (cam[b + k] - cam[a + k]);
    out.bary[o + k] = 0;
  }
  out.bary[o + ea] = 1 - t;
  out.bary[o + eb] = t;
  out.count++;
}

interface RasterTarget {
  zbuffer: Float64Array;
  faceIndex: Int32Array;
  pixelBary: Float64Array;
  width: number;
  height: number;
  face: number;
}

/** Z-buffered scan of one (clipped) triangle, corners j0, j1, j2 of the polygon. */
function rasterizeTriangle(poly: ClipPolygon, j0: number, j1: number, j2: number, camera: Camera, t: RasterTarget): void {
  const { fx, fy, cx, cy } = camera;
  const c = poly.cam;
  const z0 = c[3 * j0 + 2],
    z1 = c[3 * j1 + 2],
    z2 = c[3 * j2 + 2];
  const x0 = (fx * c[3 * j0]) / z0 + cx,
    y0 = (fy * c[3 * j0 + 1]) / z0 + cy;
  let x1 = (fx * c[3 * j1]) / z1 + cx,
    y1 = (fy * c[3 * j1 + 1]) / z1 + cy;
  let x2 = (fx * c[3 * j2]) / z2 + cx,
    y2 = (fy * c[3 * j2 + 1]) / z2 + cy;
  let area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
  if (area === 0 || !Number.isFinite(area)) return;
  let w1 = z1,
    w2 = z2,
    k1 = j1,
    k2 = j2;
  if (area < 0) {
    // make the winding positive so "inside" is all edge functions >= 0
    [x1, x2, y1, y2, w1, w2, k1, k2] = [x2, x1, y2, y1, w2, w1, k2, k1];
    area = -area;
  }
  const xs = Math.max(0, Math.ceil(Math.min(x0, x1, x2) - 0.5)),
    xe = Math.min(t.width - 1, Math.floor(Math.max(x0, x1, x2) - 0.5));
  const ys = Math.max(0, Math.ceil(Math.min(y0, y1, y2) - 0.5)),
    ye = Math.min(t.height - 1, Math.floor(Math.max(y0, y1, y2) - 0.5));
  if (xs > xe || ys > ye) return;
  // fill rule: a centre exactly on an edge counts only for edges this test owns; an edge shared
  // by two triangles is walked in opposite directions by them, so exactly one owns it
  const own12 = owns(x2 - x1, y2 - y1),
    own20 = owns(x0 - x2, y0 - y2),
    own01 = owns(x1 - x0, y1 - y0);
  const b = poly.bary,
    inv = 1 / area;
  for (let py = ys; py <= ye; py++) {
    const yc = py + 0.5;
    for (let px = xs; px <= xe; px++) {
      const xc = px + 0.5;
      // edge functions: twice the signed areas of the sub-triangles opposite each corner
      const e0 = (x2 - x1) * (yc - y1) - (y2 - y1) * (xc - x1);
      const e1 = (x0 - x2) * (yc - y2) - (y0 - y2) * (xc - x2);
      const e2 = (x1 - x0) * (yc - y0) - (y1 - y0) * (xc - x0);
      if (e0 < 0 || e1 < 0 || e2 < 0) continue;
      if ((e0 === 0 && !own12) || (e1 === 0 && !own20) || (e2 === 0 && !own01)) continue;
      // perspective-correct: screen barycentrics / depth interpolate linearly
      const q0 = (e0 * inv) / z0,
        q1 = (e1 * inv) / w1,
        q2 = (e2 * inv) / w2;
      const s = q0 + q1 + q2;
      const z = 1 / s;
      const p = py * t.width + px;
      if (!(z < t.zbuffer[p])) continue;
      t.zbuffer[p] = z;
      t.faceIndex[p] = t.face;
      // barycentrics in the original triangle: the corners' own, weighted
      const l0 = q0 * z,
        l1 = q1 * z,
        l2 = q2 * z;
      for (let k = 0; k < 3; k++) t.pixelBary[3 * p + k] = l0 * b[3 * j0 + k] + l1 * b[3 * k1 + k] + l2 * b[3 * k2 + k];
    }
  }
}

function sumNormal(N: Float64Array, i0: number, i1: number, i2: number, k: number): number {
  return N[i0 + k] + N[i1 + k] + N[i2 + k];
}

function owns(dx: number, dy: number): boolean {
  return dy > 0 || (dy === 0 && dx < 0);
}

function threeNumbers(v: ArrayLike<number>, what: string): Float64Array {
  if (v?.length !== 3) throw new ArgumentError(`${what} must be three numbers (RGB), got ${JSON.stringify(v)}.`);
  const out = Float64Array.from(v);
  assertFinite(out, what);
  return out;
}

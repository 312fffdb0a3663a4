// Oriented point clouds from triangle meshes: the starting and target clouds of every demo.
//
// Plain sampling: pick a triangle with probability proportional to its area (binary search in the
// cumulative areas), then a uniform point in it from two uniforms (u = sqrt(r1): the square root
// undoes the crowding toward the first vertex). Three draws per point, so a seed gives the same
// cloud on every platform.
//
// Normals: the mesh's vertex normals interpolated with the point's barycentric weights and
// normalized, so smooth shapes give smooth normals and a mesh that splits vertices at an edge (the
// cube) keeps it sharp; the face normal where the mesh has none, or where the interpolation
// cancels out. Colours: interpolated vertex colours, when the mesh has them.
//
// Even sampling (`even: true`): draw `oversample` times too many candidates and thin them to n
// by weighted sample elimination (sampleElimination.ts): blue-noise-like, near-even spacing.

import { ArgumentError, assertFinite } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { validateMesh, type Mesh, type PointCloud } from './mesh.js';
import { eliminateSamples } from './sampleElimination.js';

export interface SampleOptions {
  /** Seed of the generator (default 0): the same seed gives the same cloud. */
  seed?: number;
  /** Spread the points evenly (Poisson-disk-like) instead of independently (default false). */
  even?: boolean;
  /** Candidates per output point for `even` (default 5, from 2 to 32). */
  oversample?: number;
}

/** Upper bound on n, so a typo cannot allocate gigabytes. */
const MAX_POINTS = 50_000_000;

/** n points on the surface of `mesh`, with unit normals, and colours when the mesh has them. */
export function samplePoints(mesh: Mesh, n: number, options: SampleOptions = {}): PointCloud {
  validateMesh(mesh, 'mesh');
  if (mesh.normals) assertFinite(mesh.normals, 'mesh.normals', 'fix or recompute the vertex normals');
  if (mesh.colors) assertFinite(mesh.colors, 'mesh.colors', 'fix the vertex colours');
  if (!Number.isInteger(n) || n < 1 || n > MAX_POINTS) throw new ArgumentError(`samplePoints: n must be an integer from 1 to ${MAX_POINTS}, got ${n}.`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ArgumentError(`samplePoints: options.seed must be an integer, got ${seed}.`);
  const oversample = options.oversample ?? 5;
  if (!Number.isInteger(oversample) || oversample < 2 || oversample > 32) throw new ArgumentError(`samplePoints: options.oversample must be an integer from 2 to 32, got ${oversample}.`);
  if (mesh.faces.length === 0) throw new ArgumentError('samplePoints: mesh has no faces; a point cloud cannot be sampled (use it as it is).');

  const cumulative = cumulativeAreas(mesh);
  const total = cumulative[cumulative.length - 1];
  if (!(total > 0)) throw new ArgumentError('samplePoints: every face of mesh has zero area; there is no surface to sample.');

  const count = options.even ? n * oversample : n;
  const candidates = drawSurfacePoints(mesh, cumulative, count, new Random(seed));
  const chosen = options.even ? eliminateSamples(candidates.positions, n, total) : undefined;
  return surfaceAttributes(mesh, candidates, chosen);
}

/** cumulative[f] = total area of faces 0..f. */
function cumulativeAreas(mesh: Mesh): Float64Array {
  const { positions: p, faces } = mesh;
  const cumulative = new Float64Array(faces.length / 3);
  let sum = 0;
  for (let f = 0; f < cumulative.length; f++) {
    const a = 3 * faces[3 * f],
      b = 3 * faces[3 * f + 1],
      c = 3 * faces[3 * f + 2];
    const e1x = p[b] - p[a],
      e1y = p[b + 1] - p[a + 1],
      e1z = p[b + 2] - p[a + 2];
    const e2x = p[c] - p[a],
      e2y = p[c + 1] - p[a + 1],
      e2z = p[c + 2] - p[a + 2];
    sum += 0.5 * Math.hypot(e1y * e2z - e1z * e2y, e1z * e2x - e1x * e2z, e1x * e2y - e1y * e2x);
    cumulative[f] = sum;
  }
  return cumulative;
}

/** Surface points as positions plus where they lie: the face and the barycentric weights of its vertices b and c. */
interface SurfacePoints {
  positions: Float64Array;
  faces: Uint32Array;
  /** (weight of b, weight of c) per point; the weight of a is 1 minus both. */
  weights: Float64Array;
}

function drawSurfacePoints(mesh: Mesh, cumulative: Float64Array, count: number, random: Random): SurfacePoints {
  const p = mesh.positions,
    faces = mesh.faces;
  const total = cumulative[cumulative.length - 1];
  const out: SurfacePoints = { positions: new Float64Array(3 * count), faces: new Uint32Array(count), weights: new Float64Array(2 * count) };
  for (let i = 0; i < count; i++) {
    // first face whose cumulative area exceeds the target; zero-area faces can never be it
    const target = random.next() * total;
    let lo = 0,
      hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    const s = Math.sqrt(random.next()),
      r2 = random.next();
    const wb = s * (1 - r2),
      wc = s * r2,
      wa = 1 - wb - wc;
    const a = 3 * faces[3 * lo],
      b = 3 * faces[3 * lo + 1],
      c = 3 * faces[3 * lo + 2];
    out.positions[3 * i] = wa * p[a] + wb * p[b] + wc * p[c];
    out.positions[3 * i + 1] = wa * p[a + 1] + wb * p[b + 1] + wc * p[c + 1];
    out.positions[3 * i + 2] = wa * p[a + 2] + wb * p[b + 2] + wc * p[c + 2];
    out.faces[i] = lo;
    out.weights[2 * i] = wb;
    out.weights[2 * i + 1] = wc;
  }
  return out;
}

/** The output cloud: positions, normals and colours of the chosen points (all when `chosen` is undefined). */
function surfaceAttributes(mesh: Mesh, points: SurfacePoints, chosen: Int32Array | undefined): PointCloud {
  const n = chosen ? chosen.length : points.faces.length;
  const positions = new Float64Array(3 * n);
  const normals = new Float64Array(3 * n);
  const colors = mesh.colors ? new Float32Array(3 * n) : undefined;
  const p = mesh.positions,
    vn = mesh.normals,
    vc = mesh.colors,
    faces = mesh.faces;
  for (let i = 0; i < n; i++) {
    const k = chosen ? chosen[i] : i;
    positions[3 * i] = points.positions[3 * k];
    positions[3 * i + 1] = points.positions[3 * k + 1];
    positions[3 * i + 2] = points.positions[3 * k + 2];
    const f = points.faces[k];
    const wb = points.weights[2 * k],
      wc = points.weights[2 * k + 1],
      wa = 1 - wb - wc;
    const a = 3 * faces[3 * f],
      b = 3 * faces[3 * f + 1],
      c = 3 * faces[3 * f + 2];
    let nx = 0,
      ny = 0,
      nz = 0;
    if (vn) {
      nx = wa * vn[a] + wb * vn[b] + wc * vn[c];
      ny = wa * vn[a + 1] + wb * vn[b + 1] + wc * vn[c + 1];
      nz = wa * vn[a + 2] + wb * vn[b + 2] + wc * vn[c + 2];
    }
    let len = Math.hypot(nx, ny, nz);
    if (!(len > 1e-12)) {
      // no vertex normals, or they cancel here: the face normal (counter-clockwise is outside)
      const e1x = p[b] - p[a],
        e1y = p[b + 1] - p[a + 1],
        e1z = p[b + 2] - p[a + 2];
      const e2x = p[c] - p[a],
        e2y = p[c + 1] - p[a + 1],
        e2z = p[c + 2] - p[a + 2];
      nx = e1y * e2z - e1z * e2y;
      ny = e1z * e2x - e1x * e2z;
      nz = e1x * e2y - e1y * e2x;
      len = Math.hypot(nx, ny, nz);
    }
    normals[3 * i] = nx / len;
    normals[3 * i + 1] = ny / len;
    normals[3 * i + 2] = nz / len;
    if (colors && vc) {
      for (let ch = 0; ch < 3; ch++) colors[3 * i + ch] = wa * vc[a + ch] + wb * vc[b + ch] + wc * vc[c + ch];
    }
  }
  return colors ? { positions, normals, colors } : { positions, normals };
}

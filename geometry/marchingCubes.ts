// Marching cubes (Lorensen and Cline 1987; docs/toolbox.md §5): the level set of a field sampled on
// a regular grid, as an indexed, closed, outward-wound triangle mesh with normals.
//   - the field is evaluated layer by layer in large batches (a plain function of flat xyz
//     triples, or a module such as an MLP run without the tape), so memory stays at a few layers;
//   - each grid edge the surface crosses gets one vertex, shared by the four cells around that edge
//     (the x/y edges of two layers and the z edges of one slab are cached), so the mesh is indexed
//     and watertight where the surface stays inside the bounds;
//   - the case table (marchingCubesTable.ts) resolves ambiguous faces with the asymptotic decider
//     from the face's own four values, so neighbouring cells always agree;
//   - inside is where the field is below the level (a signed distance's convention), and triangles
//     wind counter-clockwise seen from outside; options.inside: 'above' flips that convention for
//     occupancies and densities;
//   - vertex normals are the field's gradient (central differences on the grid, interpolated along
//     the edge like the position), pointing out; where it vanishes, the faces' normals stand in.

import { ArgumentError, NonFiniteError, ShapeError } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { noGrad } from '../lib/tape.js';
import type { Mesh } from './mesh.js';
import { EDGE_CORNERS, FACES, caseTable } from './marchingCubesTable.js';
import { computeVertexNormals } from './shapes/vertexNormals.js';

/** Values at points given as flat xyz triples (one value per point). */
export type FieldFunction = (points: Float64Array) => ArrayLike<number> | Tensor;
/** A module (e.g. an MLP) or anything with forward(x [B, 3]) -> [B] or [B, 1]; run without the tape. */
export interface TensorField {
  forward(x: Tensor): Tensor;
}
export type Field = FieldFunction | TensorField;

export type Vec3Like = readonly [number, number, number];

export interface MarchingCubesOptions {
  /** The box sampled (default min [-1, -1, -1], max [1, 1, 1]). */
  bounds?: { min: Vec3Like; max: Vec3Like };
  /** Grid points per axis, one number or [nx, ny, nz] (default 128; at least 2). */
  resolution?: number | Vec3Like;
  /** The iso-value (default 0). */
  level?: number;
  /** 'below' (default): inside is field < level (signed distances); 'above': field > level (occupancy). */
  inside?: 'below' | 'above';
  /** Points per field call (default 65,536; whole layers). */
  batchSize?: number;
  /** dtype of the tensor a module field receives (default: its first parameter's, else float32). */
  dtype?: 'float32' | 'float64';
}

interface Grid {
  n: [number, number, number];
  min: [number, number, number];
  step: [number, number, number];
}

function resolveGrid(options: MarchingCubesOptions): Grid {
  const bounds = options.bounds ?? { min: [-1, -1, -1], max: [1, 1, 1] };
  const r = options.resolution ?? 128;
  const n = (typeof r === 'number' ? [r, r, r] : Array.from(r)) as [number, number, number];
  if (n.length !== 3 || n.some((v) => !Number.isInteger(v) || v < 2)) {
    throw new ArgumentError(`marchingCubes: options.resolution must be a whole number >= 2 (grid points per axis) or three of them, got ${JSON.stringify(r)}.`);
  }
  if (n[0] * n[1] * n[2] > 2 ** 31) throw new ArgumentError(`marchingCubes: a ${n.join(' x ')} grid is too large; lower options.resolution.`);
  const lo = Array.from(bounds?.min ?? []),
    hi = Array.from(bounds?.max ?? []);
  if (lo.length !== 3 || hi.length !== 3 || [...lo, ...hi].some((v) => !Number.isFinite(v)) || lo.some((v, a) => !(hi[a] > v))) {
    throw new ArgumentError(`marchingCubes: options.bounds must be { min: [x, y, z], max: [x, y, z] } with finite min < max on every axis, got ${JSON.stringify(bounds)}.`);
  }
  return { n, min: lo as [number, number, number], step: [0, 1, 2].map((a) => (hi[a] - lo[a]) / (n[a] - 1)) as [number, number, number] };
}

/** Evaluates whole layers of the grid in batches, keeping only the layers still needed. */
class Layers {
  private readonly layers = new Map<number, Float64Array>();
  private readonly perLayer: number;
  private readonly batchLayers: number;
  private readonly evaluate: (points: Float64Array) => ArrayLike<number>;
  private nextLayer = 0;

  constructor(
    private readonly grid: Grid,
    field: Field,
    private readonly sign: number,
    private readonly level: number,
    batchSize: number,
    dtype: 'float32' | 'float64' | undefined,
  ) {
    this.perLayer = grid.n[0] * grid.n[1];
    this.batchLayers = Math.max(1, Math.floor(batchSize / this.perLayer));
    this.evaluate = fieldEvaluator(field, dtype);
  }

  /** The values of layer k, relative to the level and signed so that inside is negative. */
  layer(k: number): Float64Array {
    while (!this.layers.has(k)) this.evaluateBatch();
    return this.layers.get(k)!;
  }

  /** Forgets layers below k. */
  release(k: number): void {
    for (const key of this.layers.keys()) if (key < k) this.layers.delete(key);
  }

  private evaluateBatch(): void {
    const [nx, ny, nz] = this.grid.n;
    const k0 = this.nextLayer,
      k1 = Math.min(nz, k0 + this.batchLayers);
    const count = (k1 - k0) * this.perLayer;
    const points = new Float64Array(3 * count);
    const [ox, oy, oz] = this.grid.min,
      [hx, hy, hz] = this.grid.step;
    let p = 0;
    for (let k = k0; k < k1; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          points[p++] = ox + i * hx;
          points[p++] = oy + j * hy;
          points[p++] = oz + k * hz;
        }
      }
    }
    const values = this.evaluate(points);
    if (!values || values.length !== count) {
      throw new ShapeError(`marchingCubes: the field returned ${values ? values.length : String(values)} values for ${count} points; it must return one value per xyz triple.`);
    }
    for (let k = k0; k < k1; k++) {
      const out = new Float64Array(this.perLayer);
      const base = (k - k0) * this.perLayer;
      for (let q = 0; q < this.perLayer; q++) {
        const v = values[base + q];
        if (!Number.isFinite(v)) {
          const at = Array.from(points.subarray(3 * (base + q), 3 * (base + q) + 3), (x) => +x.toPrecision(6));
          throw new NonFiniteError(`marchingCubes: the field is ${v} at [${at}]; it must be finite everywhere in the bounds.`);
        }
        out[q] = this.sign * (v - this.level);
      }
      this.layers.set(k, out);
    }
    this.nextLayer = k1;
  }
}

function fieldEvaluator(field: Field, dtype: 'float32' | 'float64' | undefined): (points: Float64Array) => ArrayLike<number> {
  if (typeof field === 'function') {
    return (points) => {
      const v = field(points);
      return v instanceof Tensor ? v.data : v;
    };
  }
  if (field && typeof (field as TensorField).forward === 'function') {
    const params = (field as { parameters?: () => Tensor[] }).parameters?.();
    const type = dtype ?? (params?.length ? params[0].dtype : 'float32');
    return (points) =>
      noGrad(() => {
        const x = new Tensor(type === 'float64' ? points : Float32Array.from(points), [points.length / 3, 3]);
        const y = (field as TensorField).forward(x);
        if (!(y instanceof Tensor)) throw new ArgumentError('marchingCubes: the field module returned no tensor; forward must return [B] or [B, 1].');
        return y.data;
      });
  }
  throw new ArgumentError('marchingCubes: field must be a function of flat xyz triples returning one value per point, or a module with forward(x [B, 3]).');
}

/** Gradient of the grid values at point (i, j) of layer k (central differences, one-sided at the edges). */
function gradientAt(g: Grid, below: Float64Array | null, here: Float64Array, above: Float64Array | null, i: number, j: number, out: Float64Array, o: number): void {
  const [nx, ny] = g.n;
  const q = j * nx + i;
  const d = (lo: number, hi: number, span: number, h: number) => (hi - lo) / (span * h);
  out[o] = i === 0 ? d(here[q], here[q + 1], 1, g.step[0]) : i === nx - 1 ? d(here[q - 1], here[q], 1, g.step[0]) : d(here[q - 1], here[q + 1], 2, g.step[0]);
  out[o + 1] = j === 0 ? d(here[q], here[q + nx], 1, g.step[1]) : j === ny - 1 ? d(here[q - nx], here[q], 1, g.step[1]) : d(here[q - nx], here[q + nx], 2, g.step[1]);
  out[o + 2] = !below ? d(here[q], above![q], 1, g.step[2]) : !above ? d(below[q], here[q], 1, g.step[2]) : d(below[q], above[q], 2, g.step[2]);
}

/** Growable output arrays. */
class MeshBuilder {
  positions = new Float64Array(3 * 4096);
  normals = new Float64Array(3 * 4096);
  faces = new Uint32Array(3 * 8192);
  vertexCount = 0;
  faceCount = 0;

  addVertex(x: number, y: number, z: number, nx: number, ny: number, nz: number): number {
    if (3 * (this.vertexCount + 1) > this.positions.length) {
      this.positions = grow(this.positions);
      this.normals = grow(this.normals);
    }
    const o = 3 * this.vertexCount;
    this.positions[o] = x;
    this.positions[o + 1] = y;
    this.positions[o + 2] = z;
    this.normals[o] = nx;
    this.normals[o + 1] = ny;
    this.normals[o + 2] = nz;
    return this.vertexCount++;
  }

  addFace(a: number, b: number, c: number): void {
    if (3 * (this.faceCount + 1) > this.faces.length) this.faces = grow(this.faces);
    const o = 3 * this.faceCount++;
    this.faces[o] = a;
    this.faces[o + 1] = b;
    this.faces[o + 2] = c;
  }
}

function grow<T extends Float64Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(2 * a.length);
  b.set(a);
  return b;
}

// per corner of a cell: its offset in x, y and which of the two layers
const CX = [0, 1, 0, 1, 0, 1, 0, 1],
  CY = [0, 0, 1, 1, 0, 0, 1, 1],
  CZ = [0, 0, 0, 0, 1, 1, 1, 1];

/**
 * The surface where `field` equals `options.level` inside `options.bounds`, from a grid of
 * `options.resolution` points per axis, as a mesh { positions, faces, normals } like loadMesh's.
 * `field` is f(points: Float64Array of xyz triples) -> one value per point, or a module (an MLP).
 * A surface that leaves the bounds is cut open there; keep the inside within the bounds for a
 * closed mesh. An empty mesh means the level is not crossed inside the bounds.
 */
export function marchingCubes(field: Field, options: MarchingCubesOptions = {}): Mesh {
  const grid = resolveGrid(options);
  const level = options.level ?? 0;
  if (!Number.isFinite(level)) throw new ArgumentError(`marchingCubes: options.level must be a finite number, got ${level}.`);
  const inside = options.inside ?? 'below';
  if (inside !== 'below' && inside !== 'above') throw new ArgumentError(`marchingCubes: options.inside must be 'below' (field < level is inside) or 'above', got ${JSON.stringify(inside)}.`);
  const batchSize = options.batchSize ?? 65536;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`marchingCubes: options.batchSize must be a whole number >= 1, got ${batchSize}.`);
  const layers = new Layers(grid, field, inside === 'below' ? 1 : -1, level, batchSize, options.dtype);
  const { ambiguous, starts, counts, edges } = caseTable();
  const [nx, ny, nz] = grid.n;
  const [ox, oy, oz] = grid.min,
    [hx, hy, hz] = grid.step;
  const perLayer = nx * ny;
  const out = new MeshBuilder();
  // vertex cache: x and y edges of the slab's two layers, z edges of the slab (-1: none yet)
  let xLow = new Int32Array(perLayer).fill(-1),
    xHigh = new Int32Array(perLayer).fill(-1);
  let yLow = new Int32Array(perLayer).fill(-1),
    yHigh = new Int32Array(perLayer).fill(-1);
  const zSlab = new Int32Array(perLayer);
  const gradients = new Float64Array(6);
  const cornerValue = new Float64Array(8);
  const cellVertex = new Int32Array(12);
  const faceCorners = FACES.map((f) => f.corners);

  for (let k = 0; k + 1 < nz; k++) {
    const below = k > 0 ? layers.layer(k - 1) : null;
    const v0 = layers.layer(k),
      v1 = layers.layer(k + 1);
    const above = k + 2 < nz ? layers.layer(k + 2) : null;
    layers.release(k - 1);
    zSlab.fill(-1);
    const layerOf = (c: number) => (CZ[c] ? v1 : v0);

    /** The vertex on edge e of cell (i, j), made the first time a cell asks for it. */
    const vertexOn = (e: number, i: number, j: number): number => {
      const [c0, c1] = EDGE_CORNERS[e];
      const i0 = i + CX[c0],
        j0 = j + CY[c0];
      const q = j0 * nx + i0;
      const cache = e < 4 ? (CZ[c0] ? xHigh : xLow) : e < 8 ? (CZ[c0] ? yHigh : yLow) : zSlab;
      if (cache[q] >= 0) return cache[q];
      const a = cornerValue[c0],
        b = cornerValue[c1];
      const t = a / (a - b); // where the linear interpolant crosses 0
      const i1 = i + CX[c1],
        j1 = j + CY[c1];
      const z0 = k + CZ[c0],
        z1 = k + CZ[c1];
      gradientAt(grid, CZ[c0] ? v0 : below, layerOf(c0), CZ[c0] ? above : v1, i0, j0, gradients, 0);
      gradientAt(grid, CZ[c1] ? v0 : below, layerOf(c1), CZ[c1] ? above : v1, i1, j1, gradients, 3);
      const s = 1 - t;
      cache[q] = out.addVertex(
        ox + (s * i0 + t * i1) * hx,
        oy + (s * j0 + t * j1) * hy,
        oz + (s * z0 + t * z1) * hz,
        s * gradients[0] + t * gradients[3],
        s * gradients[1] + t * gradients[4],
        s * gradients[2] + t * gradients[5],
      );
      return cache[q];
    };

    for (let j = 0; j + 1 < ny; j++) {
      for (let i = 0; i + 1 < nx; i++) {
        const q = j * nx + i;
        let c = 0;
        if (v0[q] < 0) c |= 1;
        if (v0[q + 1] < 0) c |= 2;
        if (v0[q + nx] < 0) c |= 4;
        if (v0[q + nx + 1] < 0) c |= 8;
        if (v1[q] < 0) c |= 16;
        if (v1[q + 1] < 0) c |= 32;
        if (v1[q + nx] < 0) c |= 64;
        if (v1[q + nx + 1] < 0) c |= 128;
        if (c === 0 || c === 255) continue;
        for (let corner = 0; corner < 8; corner++) cornerValue[corner] = layerOf(corner)[q + CX[corner] + CY[corner] * nx];
        let join = 0;
        const amb = ambiguous[c];
        if (amb) {
          // asymptotic decider: the bilinear interpolant's saddle value on each ambiguous face
          for (let f = 0; f < 6; f++) {
            if (!((amb >> f) & 1)) continue;
            const fc = faceCorners[f];
            const a = cornerValue[fc[0]],
              b = cornerValue[fc[1]],
              cc = cornerValue[fc[2]],
              d = cornerValue[fc[3]];
            if ((a * cc - b * d) / (a + cc - b - d) < 0) join |= 1 << f;
          }
        }
        const key = c * 64 + join;
        cellVertex.fill(-1);
        for (let t = starts[key], end = t + counts[key]; t < end; t += 3) {
          for (let m = 0; m < 3; m++) {
            const e = edges[t + m];
            if (cellVertex[e] < 0) cellVertex[e] = vertexOn(e, i, j);
          }
          out.addFace(cellVertex[edges[t]], cellVertex[edges[t + 1]], cellVertex[edges[t + 2]]);
        }
      }
    }
    // the upper layer's x and y edges are the next slab's lower ones
    [xLow, xHigh] = [xHigh, xLow];
    [yLow, yHigh] = [yHigh, yLow];
    xHigh.fill(-1);
    yHigh.fill(-1);
  }
  const positions = out.positions.slice(0, 3 * out.vertexCount);
  const faces = out.faces.slice(0, 3 * out.faceCount);
  const normals = out.normals.slice(0, 3 * out.vertexCount);
  finishNormals(positions, faces, normals);
  return { positions, faces, normals };
}

/** Unit normals; a vertex where the field's gradient vanishes takes its faces' normal. */
function finishNormals(positions: Float64Array, faces: Uint32Array, normals: Float64Array): void {
  let fallback: Float64Array | null = null;
  for (let v = 0; v < normals.length; v += 3) {
    const len = Math.hypot(normals[v], normals[v + 1], normals[v + 2]);
    if (len > 1e-300) {
      normals[v] /= len;
      normals[v + 1] /= len;
      normals[v + 2] /= len;
      continue;
    }
    fallback ??= computeVertexNormals(positions, faces);
    normals[v] = fallback[v];
    normals[v + 1] = fallback[v + 1];
    normals[v + 2] = fallback[v + 2];
  }
}

// The plain data that geometry passes around: triangle meshes and oriented point clouds as flat
// typed arrays (xyz triples), so they convert to tensors and to worker memory without copying.

import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';

export interface Mesh {
  /** Vertex positions, V x 3. */
  positions: Float64Array;
  /** Triangles as vertex indices, F x 3. */
  faces: Uint32Array;
  /** Optional per-vertex normals, V x 3. */
  normals?: Float64Array;
  /** Optional per-vertex colours in [0, 1], V x 3. */
  colors?: Float32Array;
}

export interface PointCloud {
  /** Point positions, N x 3. */
  positions: Float64Array;
  /** Optional unit normals, N x 3. */
  normals?: Float64Array;
  /** Optional colours in [0, 1], N x 3. */
  colors?: Float32Array;
}

export function vertexCount(m: { positions: Float64Array }): number {
  return m.positions.length / 3;
}

/** Checks sizes, finiteness and face indices; `what` names the argument in errors. */
export function validateMesh(m: Mesh, what = 'mesh'): void {
  if (!(m.positions instanceof Float64Array) || m.positions.length % 3 !== 0) {
    throw new ShapeError(`${what}.positions must be a Float64Array of xyz triples (length divisible by 3).`);
  }
  if (!(m.faces instanceof Uint32Array) || m.faces.length % 3 !== 0) {
    throw new ShapeError(`${what}.faces must be a Uint32Array of vertex-index triples (length divisible by 3).`);
  }
  assertFinite(m.positions, `${what}.positions`);
  const v = m.positions.length / 3;
  for (let i = 0; i < m.faces.length; i++) {
    if (m.faces[i] >= v) throw new ArgumentError(`${what}.faces[${i}] = ${m.faces[i]} but the mesh has only ${v} vertices; fix the face list.`);
  }
  if (m.normals && m.normals.length !== m.positions.length) throw new ShapeError(`${what}.normals must have one xyz triple per vertex (${m.positions.length} values), got ${m.normals.length}.`);
  if (m.colors && m.colors.length !== m.positions.length) throw new ShapeError(`${what}.colors must have one rgb triple per vertex (${m.positions.length} values), got ${m.colors.length}.`);
}

/**
 * Axis-aligned bounds and the length of their diagonal (the unit of every reported distance), of
 * flat xyz triples, or of a mesh or point cloud ({ positions }). Throws a typed error for anything
 * else and for non-finite coordinates, rather than answer Infinity or NaN.
 */
export function boundingBox(points: Float64Array | Float32Array | readonly number[] | { positions: Float64Array | Float32Array }): {
  min: [number, number, number];
  max: [number, number, number];
  center: [number, number, number];
  diagonal: number;
} {
  const positions = coordinatesOf(points);
  if (positions.length < 3) throw new ArgumentError('boundingBox: positions is empty; pass at least one point.');
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  let nan = false;
  for (let i = 0; i < positions.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const x = positions[i + c];
      if (x < min[c]) min[c] = x;
      if (x > max[c]) max[c] = x;
      if (Number.isNaN(x)) nan = true;
    }
  }
  // NaN fails every comparison above (so it is flagged), an infinity shows in the bounds
  if (nan || ![...min, ...max].every(Number.isFinite)) assertFinite(positions, 'boundingBox: positions', 'remove or fix the NaN/infinite coordinates');
  const diagonal = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const center: [number, number, number] = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  return { min, max, center, diagonal };
}

function coordinatesOf(points: unknown): ArrayLike<number> {
  if (points instanceof Float64Array || points instanceof Float32Array || Array.isArray(points)) {
    if (points.length % 3 !== 0) throw new ShapeError(`boundingBox: positions has ${points.length} values, not a multiple of 3; pass flat xyz triples.`);
    return points;
  }
  if (points !== null && typeof points === 'object' && 'positions' in points) return coordinatesOf((points as { positions: unknown }).positions);
  const what = points === null ? 'null' : ArrayBuffer.isView(points) ? `a ${(points as object).constructor.name}` : typeof points;
  throw new ArgumentError(`boundingBox: expected flat xyz triples (Float64Array, Float32Array or number[]) or a mesh or point cloud { positions }, got ${what}.`);
}

// Per-vertex normals from the faces around each vertex, weighted by face area: the cross product
// of two triangle edges has length twice the area, so summing the raw cross products weighs each
// face by its area for free and keeps slivers from tilting the result.

import type { Mesh } from '../mesh.js';
import { normalizeTripleAt } from '../vector3.js';

/**
 * Unit normals, one per vertex: the normalized sum of (b - a) x (c - a) over the faces (a, b, c)
 * that use the vertex. Faces must be counter-clockwise seen from outside for the normals to point
 * outward. A vertex that no face of positive area touches gets (0, 0, 0).
 */
export function computeVertexNormals(positions: Float64Array, faces: Uint32Array): Float64Array {
  const normals = new Float64Array(positions.length);
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f],
      b = 3 * faces[f + 1],
      c = 3 * faces[f + 2];
    const e1x = positions[b] - positions[a],
      e1y = positions[b + 1] - positions[a + 1],
      e1z = positions[b + 2] - positions[a + 2];
    const e2x = positions[c] - positions[a],
      e2y = positions[c + 1] - positions[a + 1],
      e2z = positions[c + 2] - positions[a + 2];
    const nx = e1y * e2z - e1z * e2y,
      ny = e1z * e2x - e1x * e2z,
      nz = e1x * e2y - e1y * e2x;
    normals[a] += nx;
    normals[a + 1] += ny;
    normals[a + 2] += nz;
    normals[b] += nx;
    normals[b + 1] += ny;
    normals[b + 2] += nz;
    normals[c] += nx;
    normals[c + 1] += ny;
    normals[c + 2] += nz;
  }
  for (let i = 0; i < normals.length; i += 3) {
    normalizeTripleAt(normals, i);
  }
  return normals;
}

/**
 * The mesh shaded flat: each triangle gets its own three vertices carrying its unit normal (and
 * the corners' colours), so it renders and samples with hard edges, as faceted CAD parts look.
 * A triangle of zero area gets the normal (0, 0, 0).
 */
export function flatShaded(mesh: Mesh): Mesh {
  const { positions: P, faces: F } = mesh;
  const positions = new Float64Array(3 * F.length);
  const normals = new Float64Array(3 * F.length);
  const colors = mesh.colors ? new Float32Array(3 * F.length) : undefined;
  for (let f = 0; f < F.length; f += 3) {
    for (let c = 0; c < 3; c++) {
      for (let a = 0; a < 3; a++) positions[3 * (f + c) + a] = P[3 * F[f + c] + a];
      if (colors) for (let a = 0; a < 3; a++) colors[3 * (f + c) + a] = mesh.colors![3 * F[f + c] + a];
    }
    const o = 3 * f;
    const e1 = [positions[o + 3] - positions[o], positions[o + 4] - positions[o + 1], positions[o + 5] - positions[o + 2]];
    const e2 = [positions[o + 6] - positions[o], positions[o + 7] - positions[o + 1], positions[o + 8] - positions[o + 2]];
    normals[o] = e1[1] * e2[2] - e1[2] * e2[1];
    normals[o + 1] = e1[2] * e2[0] - e1[0] * e2[2];
    normals[o + 2] = e1[0] * e2[1] - e1[1] * e2[0];
    normalizeTripleAt(normals, o);
    for (const c of [1, 2]) for (let a = 0; a < 3; a++) normals[o + 3 * c + a] = normals[o + a];
  }
  const faces = new Uint32Array(F.length).map((_, i) => i);
  return colors ? { positions, faces, normals, colors } : { positions, faces, normals };
}

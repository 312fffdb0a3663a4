// Per-vertex normals from the faces around each vertex, weighted by face area: the cross product
// of two triangle edges has length twice the area, so summing the raw cross products weighs each
// face by its area for free and keeps slivers from tilting the result.

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

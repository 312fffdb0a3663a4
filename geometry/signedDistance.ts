// Signed distance from points to a closed triangle mesh: the exact unsigned distance to the
// nearest surface point (pointToMesh.ts's BVH search), negative inside. The sign is the
// generalized winding number's (the sum of the triangles' solid angles over 4 pi, 1 inside and 0
// outside a closed surface; van Oosterom & Strackee's formula per triangle), which stays right
// at edges and vertices where a nearest-normal test can flip. O(triangles) per point: meant for
// training samples and checks, not hot loops.

import { ArgumentError } from '../lib/errors.js';
import { type Mesh, validateMesh } from './mesh.js';
import { pointToMeshDistance } from './pointToMesh.js';
import { type PointsLike, pointsOf } from './points.js';

/** The generalized winding number of the mesh at each point (about 1 inside, 0 outside). */
export function windingNumbers(cloud: PointsLike, mesh: Mesh): Float64Array {
  const points = pointsOf(cloud, 'points');
  validateMesh(mesh, 'mesh');
  const V = mesh.positions,
    F = mesh.faces;
  const n = points.length / 3;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const px = points[3 * i],
      py = points[3 * i + 1],
      pz = points[3 * i + 2];
    let total = 0;
    for (let f = 0; f < F.length; f += 3) {
      const a = 3 * F[f],
        b = 3 * F[f + 1],
        c = 3 * F[f + 2];
      const ax = V[a] - px,
        ay = V[a + 1] - py,
        az = V[a + 2] - pz;
      const bx = V[b] - px,
        by = V[b + 1] - py,
        bz = V[b + 2] - pz;
      const cx = V[c] - px,
        cy = V[c + 1] - py,
        cz = V[c + 2] - pz;
      const la = Math.sqrt(ax * ax + ay * ay + az * az),
        lb = Math.sqrt(bx * bx + by * by + bz * bz),
        lc = Math.sqrt(cx * cx + cy * cy + cz * cz);
      // tan(Omega / 2) = det[a b c] / (la lb lc + (a.b) lc + (a.c) lb + (b.c) la)
      const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
      const den = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (ax * cx + ay * cy + az * cz) * lb + (bx * cx + by * cy + bz * cz) * la;
      total += 2 * Math.atan2(det, den);
    }
    out[i] = total / (4 * Math.PI);
  }
  return out;
}

/** Signed distances (negative inside) from each point to a closed mesh with counter-clockwise outward faces. */
export function signedDistanceToMesh(cloud: PointsLike, mesh: Mesh): Float64Array {
  const points = pointsOf(cloud, 'points');
  if (points.length === 0) throw new ArgumentError('signedDistanceToMesh: no points.');
  const { distances } = pointToMeshDistance(points, mesh);
  const w = windingNumbers(points, mesh);
  for (let i = 0; i < distances.length; i++) if (w[i] > 0.5) distances[i] = -distances[i];
  return distances;
}

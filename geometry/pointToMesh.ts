// Exact distance from each point to a triangle mesh surface (closest point on any triangle,
// closestPointOnTriangle.ts), accelerated by a BVH over the triangles (triangleBvh.ts).
// Reported raw and in units of the mesh's bounding-box diagonal, like every splatgrad distance.

import { ArgumentError } from '../lib/errors.js';
import { type Mesh, boundingBox, validateMesh } from './mesh.js';
import { checkCloud } from './neighborIndex.js';
import { type PointsLike, pointsOf } from './points.js';
import { type NearestTriangle, TriangleBvh } from './triangleBvh.js';

export interface PointToMeshResult {
  /** Per point: distance to the nearest point of the surface. */
  distances: Float64Array;
  /** Per point: the nearest surface point (xyz triples). */
  closestPoints: Float64Array;
  /** Per point: index of the triangle holding the nearest surface point. */
  faces: Int32Array;
  mean: number;
  max: number;
  /** mean / diagonal and max / diagonal. */
  meanNormalized: number;
  maxNormalized: number;
  /** Bounding-box diagonal of the mesh's vertices. */
  diagonal: number;
}

export function pointToMeshDistance(cloud: PointsLike, mesh: Mesh): PointToMeshResult {
  const points = pointsOf(cloud, 'points');
  const n = checkCloud(points, 'points');
  validateMesh(mesh, 'mesh');
  if (mesh.faces.length === 0) throw new ArgumentError('mesh has no faces; point-to-mesh distance needs at least one triangle.');
  const { diagonal } = boundingBox(mesh.positions);
  if (!(diagonal > 0)) throw new ArgumentError('mesh has zero extent (all vertices coincide), so distances cannot be normalized by its diagonal; pass a real surface.');

  const bvh = new TriangleBvh(mesh.positions, mesh.faces);
  const distances = new Float64Array(n);
  const closestPoints = new Float64Array(3 * n);
  const faces = new Int32Array(n);
  const found: NearestTriangle = { distance2: 0, face: 0 };
  let sum = 0,
    max = 0;
  for (let i = 0; i < n; i++) {
    bvh.nearest(points[3 * i], points[3 * i + 1], points[3 * i + 2], closestPoints, 3 * i, found);
    const d = Math.sqrt(found.distance2);
    distances[i] = d;
    faces[i] = found.face;
    sum += d;
    if (d > max) max = d;
  }
  const mean = sum / n;
  return { distances, closestPoints, faces, mean, max, meanNormalized: mean / diagonal, maxNormalized: max / diagonal, diagonal };
}

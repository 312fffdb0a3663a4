// Built-in shapes share one frame: centred at the origin (the centre of the bounding box) and
// scaled so the largest side of the box is 1, so every demo can use the same cameras and radii.

import { ArgumentError } from '../../lib/errors.js';
import { boundingBox, type Mesh } from '../mesh.js';
import { computeVertexNormals } from './vertexNormals.js';

/** New positions moved and uniformly scaled so the bounding box is centred at 0 with largest side 1. */
export function fitUnitCube(positions: Float64Array, what = 'positions'): Float64Array {
  const { min, max } = boundingBox(positions);
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(extent > 0) || !Number.isFinite(extent)) {
    throw new ArgumentError(`${what}: all points coincide (or are not finite), so there is no size to scale to 1; pass at least two distinct finite points.`);
  }
  const scale = 1 / extent;
  const cx = (min[0] + max[0]) / 2,
    cy = (min[1] + max[1]) / 2,
    cz = (min[2] + max[2]) / 2;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    out[i] = (positions[i] - cx) * scale;
    out[i + 1] = (positions[i + 1] - cy) * scale;
    out[i + 2] = (positions[i + 2] - cz) * scale;
  }
  return out;
}

/** A built-in shape's mesh: positions fitted to the unit cube, area-weighted outward vertex normals. */
export function unitShapeMesh(positions: Float64Array, faces: Uint32Array): Mesh {
  const fitted = fitUnitCube(positions);
  return { positions: fitted, faces, normals: computeVertexNormals(fitted, faces) };
}

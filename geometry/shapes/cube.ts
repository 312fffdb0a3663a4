// The unit cube as 12 triangles. Each side has its own 4 vertices so that vertex normals are the
// side normals: a cube with 8 shared corners would get diagonal normals and shade like a blob.

import type { Mesh } from '../mesh.js';
import { unitShapeMesh } from './fitUnitCube.js';

/** Axis-aligned cube of side 1 centred at the origin: 24 vertices (4 per side), 12 triangles. */
export function cube(): Mesh {
  const positions: number[] = [];
  const faces: number[] = [];
  for (let axis = 0; axis < 3; axis++) {
    // u x v = e_axis, so (-,-), (+,-), (+,+), (-,+) in (u, v) runs counter-clockwise seen from +axis
    const u = (axis + 1) % 3,
      v = (axis + 2) % 3;
    for (const side of [-0.5, 0.5]) {
      const base = positions.length / 3;
      const corners =
        side > 0
          ? [
              [-1, -1],
              [1, -1],
              [1, 1],
              [-1, 1],
            ]
          : [
              [-1, -1],
              [-1, 1],
              [1, 1],
              [1, -1],
            ];
      for (const [su, sv] of corners) {
        const p = [0, 0, 0];
        p[axis] = side;
        p[u] = su * 0.5;
        p[v] = sv * 0.5;
        positions.push(p[0], p[1], p[2]);
      }
      faces.push(base, base + 1, base + 2, base, base + 2, base + 3);
    }
  }
  return unitShapeMesh(new Float64Array(positions), new Uint32Array(faces));
}

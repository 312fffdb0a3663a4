// A flat square of triangles in the xy-plane facing +z: the starting shape of the 2-D demo, where
// a sheet of points is pulled into a silhouette seen by one camera looking along -z.

import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';

/** The square [-0.5, 0.5]^2 at z = 0 in segments x segments cells of two triangles, normals +z. */
export function grid(segments = 16): Mesh {
  checkCount(segments, 'grid: segments', 1, 4096);
  const side = segments + 1;
  const positions = new Float64Array(3 * side * side);
  const normals = new Float64Array(3 * side * side);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const k = 3 * (j * side + i);
      positions[k] = i / segments - 0.5;
      positions[k + 1] = j / segments - 0.5;
      normals[k + 2] = 1;
    }
  }
  const faces = new Uint32Array(6 * segments * segments);
  let f = 0;
  for (let j = 0; j < segments; j++) {
    for (let i = 0; i < segments; i++) {
      const a = j * side + i,
        b = a + 1,
        c = a + side + 1,
        d = a + side;
      // +x then +y: counter-clockwise seen from +z
      faces[f++] = a;
      faces[f++] = b;
      faces[f++] = c;
      faces[f++] = a;
      faces[f++] = c;
      faces[f++] = d;
    }
  }
  return { positions, faces, normals };
}

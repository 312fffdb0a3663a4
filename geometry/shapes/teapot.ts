// The Utah teapot, tessellated from Newell's 32 bicubic Bezier patches: each patch is evaluated
// on a (segments + 1)^2 parameter grid, the seams between patches are welded, and the triangles
// that collapse at the poles of the lid and the bottom (where a whole row of control points is one
// point) are dropped. The data is z-up; we turn it to y-up like every other world in splatgrad.

import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';
import { unitShapeMesh } from './fitUnitCube.js';
import { weldVertices } from './weldVertices.js';
import { TEAPOT_CONTROL_POINTS, TEAPOT_PATCHES, TEAPOT_PATCH_COUNT } from './teapotPatches.js';

/** Welding distance in the data's units (the teapot is about 6 across): far above rounding, far below a cell. */
const SEAM_TOLERANCE = 1e-6;

/** Utah teapot (with its bottom) fitted to the unit cube, y up, spout toward +x. segments 1 to 64 per patch side (default 8). */
export function teapot(segments = 8): Mesh {
  checkCount(segments, 'teapot: segments', 1, 64);
  const side = segments + 1;
  const positions = new Float64Array(TEAPOT_PATCH_COUNT * side * side * 3);
  const faces = new Uint32Array(TEAPOT_PATCH_COUNT * segments * segments * 6);
  const basis = bernsteinTable(segments);
  let f = 0;
  for (let patch = 0; patch < TEAPOT_PATCH_COUNT; patch++) {
    const first = patch * side * side;
    for (let iv = 0; iv < side; iv++) {
      for (let iu = 0; iu < side; iu++) {
        let x = 0,
          y = 0,
          z = 0;
        for (let r = 0; r < 4; r++) {
          for (let c = 0; c < 4; c++) {
            const w = basis[4 * iv + r] * basis[4 * iu + c];
            const p = 3 * TEAPOT_PATCHES[16 * patch + 4 * r + c];
            x += w * TEAPOT_CONTROL_POINTS[p];
            y += w * TEAPOT_CONTROL_POINTS[p + 1];
            z += w * TEAPOT_CONTROL_POINTS[p + 2];
          }
        }
        // z-up (x, y, z) to y-up (x, z, -y): a rotation, so windings keep their orientation
        const k = 3 * (first + iv * side + iu);
        positions[k] = x;
        positions[k + 1] = z;
        positions[k + 2] = -y;
      }
    }
    for (let iv = 0; iv < segments; iv++) {
      for (let iu = 0; iu < segments; iu++) {
        const a = first + iv * side + iu,
          b = a + 1,
          c = a + side + 1,
          d = a + side;
        // every patch of the data has d/du x d/dv pointing outward, so +u then +v is counter-clockwise outside
        faces[f++] = a;
        faces[f++] = b;
        faces[f++] = c;
        faces[f++] = a;
        faces[f++] = c;
        faces[f++] = d;
      }
    }
  }
  const welded = weldVertices(positions, faces, SEAM_TOLERANCE);
  return unitShapeMesh(welded.positions, welded.faces);
}

/** basis[4 * i + k] = the k-th cubic Bernstein polynomial at t = i / segments. */
function bernsteinTable(segments: number): Float64Array {
  const basis = new Float64Array(4 * (segments + 1));
  for (let i = 0; i <= segments; i++) {
    const t = i / segments,
      s = 1 - t;
    basis[4 * i] = s * s * s;
    basis[4 * i + 1] = 3 * t * s * s;
    basis[4 * i + 2] = 3 * t * t * s;
    basis[4 * i + 3] = t * t * t;
  }
  return basis;
}

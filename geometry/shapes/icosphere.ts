// A sphere made by splitting each triangle of an icosahedron into four and pushing the new
// vertices out to the sphere: triangles stay nearly equal in size, unlike a latitude/longitude
// sphere that crowds them at the poles.

import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';
import { unitShapeMesh } from './fitUnitCube.js';

/**
 * Icosphere of diameter 1 at the origin: 20 * 4^subdivisions triangles, 10 * 4^subdivisions + 2
 * vertices. subdivisions from 0 to 8 (default 4: 5,120 triangles).
 */
export function icosphere(subdivisions = 4): Mesh {
  checkCount(subdivisions, 'icosphere: subdivisions', 0, 8);
  const positions: number[] = [];
  const phi = (1 + Math.sqrt(5)) / 2;
  // the 12 vertices are the cyclic permutations of (0, +-1, +-phi)
  for (let axis = 0; axis < 3; axis++) {
    for (const a of [-1, 1]) {
      for (const b of [-phi, phi]) {
        const p = [0, 0, 0];
        p[(axis + 1) % 3] = a;
        p[(axis + 2) % 3] = b;
        positions.push(p[0], p[1], p[2]);
      }
    }
  }
  let faces = icosahedronFaces(positions);
  const midpoints = new Map<number, number>();
  const midpoint = (i: number, j: number): number => {
    const key = Math.min(i, j) * 0x1000000 + Math.max(i, j);
    let m = midpoints.get(key);
    if (m === undefined) {
      m = positions.length / 3;
      positions.push((positions[3 * i] + positions[3 * j]) / 2, (positions[3 * i + 1] + positions[3 * j + 1]) / 2, (positions[3 * i + 2] + positions[3 * j + 2]) / 2);
      midpoints.set(key, m);
    }
    return m;
  };
  for (let s = 0; s < subdivisions; s++) {
    const next: number[] = [];
    for (let f = 0; f < faces.length; f += 3) {
      const a = faces[f],
        b = faces[f + 1],
        c = faces[f + 2];
      const ab = midpoint(a, b),
        bc = midpoint(b, c),
        ca = midpoint(c, a);
      next.push(a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca);
    }
    faces = next;
    midpoints.clear();
  }
  const out = new Float64Array(positions);
  for (let i = 0; i < out.length; i += 3) {
    const len = Math.hypot(out[i], out[i + 1], out[i + 2]);
    out[i] /= len;
    out[i + 1] /= len;
    out[i + 2] /= len;
  }
  return unitShapeMesh(out, new Uint32Array(faces));
}

/**
 * The 20 faces of the icosahedron: the vertex triples whose pairwise distances are all the edge
 * length (2), each wound counter-clockwise seen from outside.
 */
function icosahedronFaces(p: readonly number[]): number[] {
  const d2 = (i: number, j: number) => (p[3 * i] - p[3 * j]) ** 2 + (p[3 * i + 1] - p[3 * j + 1]) ** 2 + (p[3 * i + 2] - p[3 * j + 2]) ** 2;
  const isEdge = (i: number, j: number) => Math.abs(d2(i, j) - 4) < 1e-9;
  const faces: number[] = [];
  for (let a = 0; a < 12; a++) {
    for (let b = a + 1; b < 12; b++) {
      if (!isEdge(a, b)) continue;
      for (let c = b + 1; c < 12; c++) {
        if (!isEdge(a, c) || !isEdge(b, c)) continue;
        // (b - a) x (c - a) . a > 0 means counter-clockwise seen from outside (the centre is the origin)
        const e1 = [p[3 * b] - p[3 * a], p[3 * b + 1] - p[3 * a + 1], p[3 * b + 2] - p[3 * a + 2]];
        const e2 = [p[3 * c] - p[3 * a], p[3 * c + 1] - p[3 * a + 1], p[3 * c + 2] - p[3 * a + 2]];
        const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
        const outward = n[0] * p[3 * a] + n[1] * p[3 * a + 1] + n[2] * p[3 * a + 2] > 0;
        faces.push(...(outward ? [a, b, c] : [a, c, b]));
      }
    }
  }
  return faces;
}

// A solid made of the filled cells of a rectilinear grid, cut by the planes x = xs[a], y = ys[b],
// z = zs[c]: frames, plates with square holes, tables. Its surface is every face between a filled
// cell and an empty one (or the outside), so it is closed with no faces inside, and each face
// keeps its own vertices: the edges stay sharp in the shading.

import { ArgumentError } from '../../lib/errors.js';
import type { Mesh } from '../mesh.js';
import { MeshBuilder } from './meshBuilder.js';

export function cellSolid(xs: readonly number[], ys: readonly number[], zs: readonly number[], filled: (a: number, b: number, c: number) => boolean): Mesh {
  const planes = [xs, ys, zs];
  for (const [i, p] of planes.entries()) {
    if (p.length < 2 || p.some((v, k) => !Number.isFinite(v) || (k > 0 && !(v > p[k - 1])))) {
      throw new ArgumentError(`cellSolid: the ${'xyz'[i]} planes must be 2 or more increasing finite numbers, got [${p}].`);
    }
  }
  const n = planes.map((p) => p.length - 1);
  const inside = (cell: number[]) => cell.every((v, i) => v >= 0 && v < n[i]) && filled(cell[0], cell[1], cell[2]);
  const m = new MeshBuilder();
  for (let a = 0; a < n[0]; a++) {
    for (let b = 0; b < n[1]; b++) {
      for (let c = 0; c < n[2]; c++) {
        const cell = [a, b, c];
        if (!filled(a, b, c)) continue;
        for (let axis = 0; axis < 3; axis++) {
          for (const side of [0, 1]) {
            const next = cell.slice();
            next[axis] += side ? 1 : -1;
            if (inside(next)) continue;
            // the face on this side, counter-clockwise seen from outside (u x v = e_axis)
            const u = (axis + 1) % 3,
              v = (axis + 2) % 3;
            const corners = side
              ? [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                ]
              : [
                  [0, 0],
                  [0, 1],
                  [1, 1],
                  [1, 0],
                ];
            const ids = corners.map(([cu, cv]) => {
              const p = [0, 0, 0];
              p[axis] = planes[axis][cell[axis] + side];
              p[u] = planes[u][cell[u] + cu];
              p[v] = planes[v][cell[v] + cv];
              return m.vertex(p[0], p[1], p[2]);
            });
            m.quad(ids[0], ids[1], ids[2], ids[3]);
          }
        }
      }
    }
  }
  return m.build();
}

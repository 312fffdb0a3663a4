// Nearest neighbours for the point-set losses: each query's single nearest point over the uniform
// grid of geometry/gridIndex.ts (the points counting-sorted by cell), searched ring by ring as its
// knn does and stopped once no unvisited cell can hold a nearer point. Flat arrays only, so a
// range of queries runs in a pool worker (kernels.ts).

import type { FloatArray } from '../../lib/dtype.js';
import { GridIndex } from '../../geometry/gridIndex.js';

export interface GridLayout {
  points: FloatArray;
  origin: Float64Array;
  cellSize: number;
  dims: Int32Array;
  cellStart: Int32Array;
  cellPoints: Int32Array;
}

/** The grid over `points` (the default cell size of GridIndex: about one point per cell). */
export function gridLayout(points: FloatArray): GridLayout {
  const g = new GridIndex(points);
  return { points, origin: g.origin, cellSize: g.cellSize, dims: g.dims, cellStart: g.cellStart, cellPoints: g.cellPoints };
}

/**
 * For queries q0..q1-1: index[q] = the nearest grid point (ties: the lower index), d2[q] = its
 * squared distance.
 */
export function nearestRange(grid: GridLayout, queries: FloatArray, index: Int32Array, d2: Float64Array, q0: number, q1: number): void {
  const { points: p, origin: o, cellSize: h, dims: d, cellStart: start, cellPoints } = grid;
  const dx = d[0],
    dy = d[1],
    dz = d[2];
  for (let q = q0; q < q1; q++) {
    const qx = queries[3 * q],
      qy = queries[3 * q + 1],
      qz = queries[3 * q + 2];
    const cx = Math.floor((qx - o[0]) / h),
      cy = Math.floor((qy - o[1]) / h),
      cz = Math.floor((qz - o[2]) / h);
    let best = Infinity,
      bestIndex = -1;
    // shells nearer than the grid's edge hold no cells
    for (let r = Math.max(0, -cx, cx - dx + 1, -cy, cy - dy + 1, -cz, cz - dz + 1); ; r++) {
      const x0 = cx - r,
        x1 = cx + r,
        y0 = cy - r,
        y1 = cy + r,
        z0 = cz - r,
        z1 = cz + r;
      const xs = Math.max(x0, 0),
        xe = Math.min(x1, dx - 1);
      for (let z = Math.max(z0, 0), ze = Math.min(z1, dz - 1); z <= ze; z++) {
        for (let y = Math.max(y0, 0), ye = Math.min(y1, dy - 1); y <= ye; y++) {
          const onShell = z === z0 || z === z1 || y === y0 || y === y1;
          // inside the shell only the row's two end cells are new
          const step = onShell ? 1 : x1 - x0;
          for (let x = onShell ? xs : x0; x <= xe; x += step) {
            if (x < 0) continue;
            const c = (z * dy + y) * dx + x;
            for (let s = start[c], e = start[c + 1]; s < e; s++) {
              const j = cellPoints[s];
              const ex = p[3 * j] - qx,
                ey = p[3 * j + 1] - qy,
                ez = p[3 * j + 2] - qz;
              const dd = ex * ex + ey * ey + ez * ez;
              if (dd < best || (dd === best && j < bestIndex)) {
                best = dd;
                bestIndex = j;
              }
            }
          }
        }
      }
      if (x0 <= 0 && y0 <= 0 && z0 <= 0 && x1 >= dx - 1 && y1 >= dy - 1 && z1 >= dz - 1) break;
      if (bestIndex >= 0) {
        // the nearest an unvisited point can be: the distance from q to the visited block's boundary
        const bound = Math.min(qx - (o[0] + x0 * h), o[0] + (x1 + 1) * h - qx, qy - (o[1] + y0 * h), o[1] + (y1 + 1) * h - qy, qz - (o[2] + z0 * h), o[2] + (z1 + 1) * h - qz);
        if (best < bound * bound) break;
      }
    }
    index[q] = bestIndex;
    d2[q] = best;
  }
}

// What DRWR's workers run: the structure-aware repulsion (docs/drwr.md eq. 5) of a fixed range of
// points of one view, each point gathering over the binned neighbours within the cutoff. A point
// writes only its own sums, so no task adds into memory another writes; the forward's per-range
// totals are added in task order. Same bits for any thread count. One job covers every view of a
// call: task t is range t % REPULSION_CHUNKS of view floor(t / REPULSION_CHUNKS).

import type { FloatArray } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';

/** Cells are cutoff / this wide, so a point visits (2 this + 1)^2 of them: 25 cells of (c sigma / 2)^2 cover 30% less ground than 9 of (c sigma)^2. */
export const CELLS_PER_CUTOFF = 2;

/** Ranges each view's points are cut into. */
export const REPULSION_CHUNKS = 8;

/** Per view in `grids`: x0, y0 (cell (0, 0)'s corner), cell side, nx, ny, 1 / sigma^2, cutoff^2 (px^2), e^(-c^2). */
export const GRID_FIELDS = 8;

export interface RepulsionRangeArgs {
  /** Views' points are points[pointOffset[v] .. pointOffset[v + 1]) of the flat arrays below. */
  pointOffset: Int32Array;
  /** Pixel positions (2 per point), weights w, and a = w e^delta. */
  P: FloatArray;
  w: FloatArray;
  a: FloatArray;
  grids: Float64Array;
  /** View v's cell starts are start[cellOffset[v] .. cellOffset[v + 1]) (nx ny + 1 of them), into the binned lists below. */
  cellOffset: Int32Array;
  start: Int32Array;
  /** The binned points cell by cell: their view-local index, and copies of x, y, w and a in that order (read in sequence). */
  order: Int32Array;
  SX: Float64Array;
  SY: Float64Array;
  SW: Float64Array;
  SA: Float64Array;
  /** Every point of view v, cell by cell (view-local indices, at pointOffset[v]): the order tasks visit them in. */
  queries: Int32Array;
  /** Also compute what the backward needs (sumA, gx, gy). */
  gradients: boolean;
  /** Per task: sum over its points j of a_j sumW_j. */
  totals: Float64Array;
  /** Per point j: sum_j' w_j' k_jj', sum_j' a_j' k_jj', and sum_j' (a_j w_j' + a_j' w_j) e_jj' (p_j - p_j'). */
  sumW: Float64Array;
  sumA: Float64Array;
  gx: Float64Array;
  gy: Float64Array;
}

export const repulsionRanges = defineKernel<RepulsionRangeArgs>('silhouette.repulsion', import.meta.url, (args, task) => {
  const { pointOffset, P, w, a, grids, cellOffset, start, order, SX, SY, SW, SA, queries, gradients, sumW, sumA, gx, gy } = args;
  const view = Math.floor(task / REPULSION_CHUNKS),
    c = task % REPULSION_CHUNKS;
  const base = pointOffset[view],
    n = pointOffset[view + 1] - base;
  const g = view * GRID_FIELDS;
  const x0 = grids[g],
    y0 = grids[g + 1],
    cell = grids[g + 2],
    nx = grids[g + 3],
    ny = grids[g + 4],
    invSigma2 = grids[g + 5],
    cutoff2 = grids[g + 6],
    floor = grids[g + 7];
  const cells = cellOffset[view];
  const q0 = base + Math.floor((c * n) / REPULSION_CHUNKS),
    q1 = base + Math.floor(((c + 1) * n) / REPULSION_CHUNKS);
  let total = 0;
  for (let q = q0; q < q1; q++) {
    const local = queries[q],
      j = base + local;
    const x = P[2 * j],
      y = P[2 * j + 1];
    const wj = w[j],
      aj = a[j];
    let sw = 0,
      sa = 0,
      sx = 0,
      sy = 0;
    const cx = Math.floor((x - x0) / cell),
      cy = Math.floor((y - y0) / cell);
    const ax = Math.max(0, cx - CELLS_PER_CUTOFF),
      bx = Math.min(nx - 1, cx + CELLS_PER_CUTOFF),
      ay = Math.max(0, cy - CELLS_PER_CUTOFF),
      by = Math.min(ny - 1, cy + CELLS_PER_CUTOFF);
    for (let row = ay; row <= by; row++) {
      const first = start[cells + row * nx + ax],
        last = start[cells + row * nx + bx + 1]; // cells ax..bx of a row are contiguous in `order`
      for (let e = first; e < last; e++) {
        const dx = x - SX[e],
          dy = y - SY[e];
        const d2 = dx * dx + dy * dy;
        if (d2 >= cutoff2 || order[e] === local) continue;
        const ex = Math.exp(-d2 * invSigma2);
        const kernel = ex - floor;
        sw += SW[e] * kernel;
        if (gradients) {
          sa += SA[e] * kernel;
          const f = (aj * SW[e] + SA[e] * wj) * ex;
          sx += f * dx;
          sy += f * dy;
        }
      }
    }
    sumW[j] = sw;
    total += aj * sw;
    if (gradients) {
      sumA[j] = sa;
      gx[j] = sx;
      gy[j] = sy;
    }
  }
  args.totals[task] = total;
});

// A uniform grid over projected points (docs/drwr.md §4, "binned"): square cells at least half as
// wide as the repulsion's cutoff, so every pair within the cutoff lies at most two cells apart and a
// point visits 5 x 5 cells instead of every other point (O(N) per view at a fixed density).
// Only points whose weight is not zero are binned: the others add nothing to anyone's sum.
// Points are listed cell by cell in index order (a stable counting sort), so every point's
// neighbour sums run in one fixed order, whichever thread computes them.

import type { FloatArray } from '../../lib/dtype.js';
import { int32 } from '../../lib/sharedMemory.js';

export interface PixelBins {
  /** Cell side in pixels (>= the side asked for). */
  cell: number;
  /** Lower corner of cell (0, 0) and the grid's size in cells. */
  x0: number;
  y0: number;
  nx: number;
  ny: number;
  /** Points of cell c (c = cy * nx + cx) are order[start[c] .. start[c + 1] - 1]. */
  start: Int32Array;
  order: Int32Array;
  /** Every point (binned or not), cell by cell (clamped to the grid): the order to visit them in, so neighbouring queries share their neighbours in cache. */
  queries: Int32Array;
}

/** At most this many cells per binned point (a scattered cloud gets coarser cells, not a huge grid). */
const CELLS_PER_POINT = 4;

/** Bins the points k of `pixels` [N x 2] with weights[k] !== 0 into cells of side >= `side`; `shared` puts the lists on shared memory. */
export function binPixels(pixels: FloatArray, weights: FloatArray, side: number, shared: boolean): PixelBins {
  const n = weights.length;
  let count = 0,
    xMin = Infinity,
    yMin = Infinity,
    xMax = -Infinity,
    yMax = -Infinity;
  for (let k = 0; k < n; k++) {
    if (weights[k] === 0) continue;
    const x = pixels[2 * k],
      y = pixels[2 * k + 1];
    count++;
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  if (count === 0) return { cell: side, x0: 0, y0: 0, nx: 0, ny: 0, start: int32(1, shared), order: int32(0, shared), queries: Int32Array.from({ length: n }, (_, k) => k) };
  let cell = side;
  const spanX = xMax - xMin,
    spanY = yMax - yMin;
  if ((spanX / cell + 1) * (spanY / cell + 1) > CELLS_PER_POINT * count + 16) cell = Math.max(cell, Math.sqrt((spanX * spanY) / (CELLS_PER_POINT * count)), spanX / 4096, spanY / 4096);
  const nx = Math.floor(spanX / cell) + 1,
    ny = Math.floor(spanY / cell) + 1;
  const start = int32(nx * ny + 1, shared);
  const order = int32(count, shared);
  const cellOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    if (weights[k] === 0) continue;
    const cx = Math.min(nx - 1, Math.floor((pixels[2 * k] - xMin) / cell)),
      cy = Math.min(ny - 1, Math.floor((pixels[2 * k + 1] - yMin) / cell));
    cellOf[k] = cy * nx + cx;
    start[cellOf[k] + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nx * ny);
  for (let k = 0; k < n; k++) if (weights[k] !== 0) order[fill[cellOf[k]]++] = k;
  // the queries: every point by its clamped cell (a second stable counting sort)
  const queryStart = new Int32Array(nx * ny + 1);
  for (let k = 0; k < n; k++) {
    const cx = Math.max(0, Math.min(nx - 1, Math.floor((pixels[2 * k] - xMin) / cell))),
      cy = Math.max(0, Math.min(ny - 1, Math.floor((pixels[2 * k + 1] - yMin) / cell)));
    cellOf[k] = cy * nx + cx;
    queryStart[cellOf[k] + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) queryStart[c + 1] += queryStart[c];
  const queries = new Int32Array(n);
  for (let k = 0; k < n; k++) queries[queryStart[cellOf[k]]++] = k;
  return { cell, x0: xMin, y0: yMin, nx, ny, start, order, queries };
}

// Neighbour queries over a uniform grid of cubic cells, all in flat typed arrays: points are
// counting-sorted by cell (cellStart / cellPoints, CSR), so a query touches only the cells
// around it. The flat-array alternative to the kd-tree (no per-point objects), for the benchmark.
//
// k-nearest: visit cells in growing shells (Chebyshev rings) around the query's cell, keeping the
// k best so far; stop once the k-th best is nearer than any point outside the visited block can be.

import { ArgumentError } from '../lib/errors.js';
import {
  type Coordinates,
  type KnnResult,
  type NeighborIndex,
  type QueryOptions,
  type RadiusResult,
  CsrBuilder,
  checkCloud,
  checkK,
  checkRadius,
  insertSorted,
  nearerThan,
  resolveQueries,
  squaredDistance,
} from './neighborIndex.js';

export interface GridIndexOptions {
  /** Cell edge length; default: the smallest that keeps the cell count at or below the point count. */
  cellSize?: number;
}

/** Upper bound on the cell count, so an explicit tiny cellSize cannot exhaust memory. */
const MAX_CELLS = 1 << 26;

export class GridIndex implements NeighborIndex {
  readonly points: Coordinates;
  readonly size: number;
  readonly cellSize: number;
  /** Grid cells along x, y, z. */
  readonly dims: Int32Array;
  /** Corner of cell (0, 0, 0): the points' minimum. */
  readonly origin: Float64Array;
  /** Cell c = (z * dims[1] + y) * dims[0] + x holds points cellPoints[cellStart[c] .. cellStart[c + 1] - 1]. */
  readonly cellStart: Int32Array;
  readonly cellPoints: Int32Array;

  constructor(points: Coordinates, options: GridIndexOptions = {}) {
    this.size = checkCloud(points, 'points');
    this.points = points;
    const n = this.size;
    const lo = [Infinity, Infinity, Infinity],
      hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 3; a++) {
        const v = points[3 * i + a];
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
    const extent = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
    this.origin = new Float64Array(lo);
    const h = options.cellSize === undefined ? defaultCellSize(extent, n) : options.cellSize;
    if (!(h > 0) || !Number.isFinite(h)) throw new ArgumentError(`options.cellSize must be a finite positive length, got ${options.cellSize}.`);
    this.cellSize = h;
    this.dims = new Int32Array(extent.map((e) => Math.floor(e / h) + 1));
    const cells = this.dims[0] * this.dims[1] * this.dims[2];
    if (cells > MAX_CELLS) throw new ArgumentError(`options.cellSize = ${h} makes ${cells} cells for this cloud; pass a larger cellSize (or omit it).`);

    // counting sort of the points by cell
    const cellOf = new Int32Array(n);
    this.cellStart = new Int32Array(cells + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(this.axisCell(points[3 * i], 0), this.axisCell(points[3 * i + 1], 1), this.axisCell(points[3 * i + 2], 2));
      cellOf[i] = c;
      this.cellStart[c + 1]++;
    }
    for (let c = 0; c < cells; c++) this.cellStart[c + 1] += this.cellStart[c];
    const fill = this.cellStart.slice(0, cells);
    this.cellPoints = new Int32Array(n);
    for (let i = 0; i < n; i++) this.cellPoints[fill[cellOf[i]]++] = i;
  }

  /** Cell coordinate of `v` along `axis`, unclamped (queries may lie outside the grid). */
  private axisCell(v: number, axis: number): number {
    return Math.floor((v - this.origin[axis]) / this.cellSize);
  }

  private cellIndex(x: number, y: number, z: number): number {
    const d = this.dims;
    // clamp: rounding may put the maximum point one cell past the end
    x = x < 0 ? 0 : x >= d[0] ? d[0] - 1 : x;
    y = y < 0 ? 0 : y >= d[1] ? d[1] - 1 : y;
    z = z < 0 ? 0 : z >= d[2] ? d[2] - 1 : z;
    return (z * d[1] + y) * d[0] + x;
  }

  knn(k: number, options: QueryOptions = {}): KnnResult {
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    checkK(k, this.size, excludeSelf);
    const indices = new Int32Array(count * k);
    const distances = new Float64Array(count * k);
    // the k best so far, sorted by (squared distance, index)
    const bestD2 = new Float64Array(k);
    const bestI = new Int32Array(k);
    const p = this.points,
      d = this.dims,
      h = this.cellSize,
      o = this.origin;
    const start = this.cellStart,
      cellPoints = this.cellPoints;

    for (let q = 0; q < count; q++) {
      const qx = queries[3 * q],
        qy = queries[3 * q + 1],
        qz = queries[3 * q + 2];
      const cx = this.axisCell(qx, 0),
        cy = this.axisCell(qy, 1),
        cz = this.axisCell(qz, 2);
      const self = excludeSelf ? q : -1;
      let found = 0;
      // rings nearer than the grid's edge hold no cells
      let r = Math.max(0, -cx, cx - d[0] + 1, -cy, cy - d[1] + 1, -cz, cz - d[2] + 1);
      for (; ; r++) {
        const x0 = cx - r,
          x1 = cx + r,
          y0 = cy - r,
          y1 = cy + r,
          z0 = cz - r,
          z1 = cz + r;
        const zs = Math.max(z0, 0),
          ze = Math.min(z1, d[2] - 1);
        const ys = Math.max(y0, 0),
          ye = Math.min(y1, d[1] - 1);
        const xs = Math.max(x0, 0),
          xe = Math.min(x1, d[0] - 1);
        for (let z = zs; z <= ze; z++) {
          for (let y = ys; y <= ye; y++) {
            const onShell = z === z0 || z === z1 || y === y0 || y === y1;
            // inside the shell only the two end cells of the row are new
            const step = onShell ? 1 : x1 - x0;
            for (let x = onShell ? xs : x0; x <= xe; x += step) {
              if (x < 0) continue;
              const c = (z * d[1] + y) * d[0] + x;
              for (let s = start[c], e = start[c + 1]; s < e; s++) {
                const j = cellPoints[s];
                if (j === self) continue;
                const d2 = squaredDistance(p, j, qx, qy, qz);
                if (found < k) found++;
                else if (!nearerThan(d2, j, bestD2[k - 1], bestI[k - 1])) continue;
                insertSorted(bestD2, bestI, found - 1, d2, j);
              }
            }
          }
        }
        if (x0 <= 0 && y0 <= 0 && z0 <= 0 && x1 >= d[0] - 1 && y1 >= d[1] - 1 && z1 >= d[2] - 1) break;
        if (found === k) {
          // nearest any unvisited point can be: the distance from q to the visited block's boundary
          const bound = Math.min(qx - (o[0] + x0 * h), o[0] + (x1 + 1) * h - qx, qy - (o[1] + y0 * h), o[1] + (y1 + 1) * h - qy, qz - (o[2] + z0 * h), o[2] + (z1 + 1) * h - qz);
          if (bestD2[k - 1] < bound * bound) break;
        }
      }
      for (let m = 0; m < k; m++) {
        indices[q * k + m] = bestI[m];
        distances[q * k + m] = Math.sqrt(bestD2[m]);
      }
    }
    return { k, indices, distances };
  }

  radius(radius: number, options: QueryOptions = {}): RadiusResult {
    checkRadius(radius);
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    const p = this.points,
      d = this.dims,
      r2 = radius * radius;
    const start = this.cellStart,
      cellPoints = this.cellPoints;
    const out = new CsrBuilder(count);
    for (let q = 0; q < count; q++) {
      const qx = queries[3 * q],
        qy = queries[3 * q + 1],
        qz = queries[3 * q + 2];
      const self = excludeSelf ? q : -1;
      const xs = Math.max(0, this.axisCell(qx - radius, 0)),
        xe = Math.min(d[0] - 1, this.axisCell(qx + radius, 0));
      const ys = Math.max(0, this.axisCell(qy - radius, 1)),
        ye = Math.min(d[1] - 1, this.axisCell(qy + radius, 1));
      const zs = Math.max(0, this.axisCell(qz - radius, 2)),
        ze = Math.min(d[2] - 1, this.axisCell(qz + radius, 2));
      for (let z = zs; z <= ze; z++) {
        for (let y = ys; y <= ye; y++) {
          for (let x = xs; x <= xe; x++) {
            const c = (z * d[1] + y) * d[0] + x;
            for (let s = start[c], e = start[c + 1]; s < e; s++) {
              const j = cellPoints[s];
              if (j === self) continue;
              const d2 = squaredDistance(p, j, qx, qy, qz);
              if (d2 <= r2) out.push(j, Math.sqrt(d2));
            }
          }
        }
      }
      out.endRow();
    }
    return out.finish();
  }
}

/** Smallest cell edge (within 1%) for which the grid has at most one cell per point. */
function defaultCellSize(extent: number[], n: number): number {
  const largest = Math.max(extent[0], extent[1], extent[2]);
  if (largest === 0) return 1; // all points coincide: one cell
  const cellsFor = (h: number) => (Math.floor(extent[0] / h) + 1) * (Math.floor(extent[1] / h) + 1) * (Math.floor(extent[2] / h) + 1);
  let lo = largest / (n + 1),
    hi = largest * 1.0001;
  while (hi / lo > 1.01) {
    const mid = Math.sqrt(lo * hi);
    if (cellsFor(mid) > n) lo = mid;
    else hi = mid;
  }
  return hi;
}

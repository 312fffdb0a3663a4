// The reference twin of the neighbour indexes: every query looks at every point (O(Q N)).
// Read this to learn what knn and radius return; the specs hold the fast indexes to it.

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

export class BruteForceIndex implements NeighborIndex {
  readonly points: Coordinates;
  readonly size: number;

  constructor(points: Coordinates) {
    this.size = checkCloud(points, 'points');
    this.points = points;
  }

  knn(k: number, options: QueryOptions = {}): KnnResult {
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    checkK(k, this.size, excludeSelf);
    const p = this.points,
      n = this.size;
    const indices = new Int32Array(count * k);
    const distances = new Float64Array(count * k);
    for (let q = 0; q < count; q++) {
      const qx = queries[3 * q],
        qy = queries[3 * q + 1],
        qz = queries[3 * q + 2];
      // the k nearest so far live in the row itself, sorted; a nearer point is inserted in place
      const rowD2 = distances.subarray(q * k, q * k + k);
      const rowIndex = indices.subarray(q * k, q * k + k);
      let found = 0;
      for (let j = 0; j < n; j++) {
        if (excludeSelf && j === q) continue;
        const d2 = squaredDistance(p, j, qx, qy, qz);
        if (found < k) found++;
        else if (!nearerThan(d2, j, rowD2[k - 1], rowIndex[k - 1])) continue;
        insertSorted(rowD2, rowIndex, found - 1, d2, j);
      }
      for (let m = 0; m < k; m++) rowD2[m] = Math.sqrt(rowD2[m]);
    }
    return { k, indices, distances };
  }

  radius(radius: number, options: QueryOptions = {}): RadiusResult {
    checkRadius(radius);
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    const p = this.points,
      n = this.size,
      r2 = radius * radius;
    const out = new CsrBuilder(count);
    for (let q = 0; q < count; q++) {
      const qx = queries[3 * q],
        qy = queries[3 * q + 1],
        qz = queries[3 * q + 2];
      for (let j = 0; j < n; j++) {
        if (excludeSelf && j === q) continue;
        const d2 = squaredDistance(p, j, qx, qy, qz);
        if (d2 <= r2) out.push(j, Math.sqrt(d2));
      }
      out.endRow();
    }
    return out.finish();
  }
}

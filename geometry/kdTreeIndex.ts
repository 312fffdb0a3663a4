// Neighbour queries through kd-tree-javascript. The library stores one object per point (here a
// 4-element array [x, y, z, index]) and returns unsorted [item, metric] pairs, so this adapter
// sorts them and converts to the flat result layouts of neighborIndex.ts. Its metric is the
// squared distance, which preserves the order and saves a square root per visited node.

import kdTreeJavascript from 'kd-tree-javascript';
import type { KdTree } from 'kd-tree-javascript';
import { type Coordinates, type KnnResult, type NeighborIndex, type QueryOptions, type RadiusResult, CsrBuilder, checkCloud, checkK, checkRadius, resolveQueries, sortRow } from './neighborIndex.js';

/** [x, y, z, point index] */
type TreeItem = number[];

const AXES = [0, 1, 2] as const;

function squaredMetric(a: TreeItem, b: TreeItem): number {
  const dx = a[0] - b[0],
    dy = a[1] - b[1],
    dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}

/** First neighbour count tried by a radius query; doubled until the radius is exhausted. */
const RADIUS_FIRST_BATCH = 16;

export class KdTreeIndex implements NeighborIndex {
  readonly points: Coordinates;
  readonly size: number;
  private readonly tree: KdTree<TreeItem>;

  constructor(points: Coordinates) {
    this.size = checkCloud(points, 'points');
    this.points = points;
    const items: TreeItem[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) items[i] = [points[3 * i], points[3 * i + 1], points[3 * i + 2], i];
    this.tree = new kdTreeJavascript.kdTree<TreeItem>(items, squaredMetric, AXES);
  }

  knn(k: number, options: QueryOptions = {}): KnnResult {
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    checkK(k, this.size, excludeSelf);
    const indices = new Int32Array(count * k);
    const distances = new Float64Array(count * k);
    // one extra when the query point itself is among the indexed points
    const want = excludeSelf ? k + 1 : k;
    let rowIndex = new Int32Array(want + 1);
    let rowDistance = new Float64Array(want + 1);
    const query: TreeItem = [0, 0, 0, -1]; // reused: the tree only reads it during a call
    for (let q = 0; q < count; q++) {
      query[0] = queries[3 * q];
      query[1] = queries[3 * q + 1];
      query[2] = queries[3 * q + 2];
      // The tree cuts ties at the k-th place arbitrarily; fetch past the cut until the last item is
      // strictly farther, so the (distance, index) order picks the same points as the other indexes.
      let ask = Math.min(this.size, want + 1);
      for (;;) {
        const found = this.tree.nearest(query, ask);
        if (rowIndex.length < ask) {
          rowIndex = new Int32Array(ask);
          rowDistance = new Float64Array(ask);
        }
        for (let j = 0; j < ask; j++) {
          rowIndex[j] = found[j][0][3];
          rowDistance[j] = found[j][1];
        }
        sortRow(rowIndex, rowDistance, 0, ask);
        if (ask === this.size || rowDistance[ask - 1] > rowDistance[want - 1]) break;
        ask = Math.min(this.size, ask * 2);
      }
      let m = 0;
      for (let j = 0; m < k; j++) {
        if (excludeSelf && rowIndex[j] === q) continue;
        indices[q * k + m] = rowIndex[j];
        distances[q * k + m] = Math.sqrt(rowDistance[j]);
        m++;
      }
    }
    return { k, indices, distances };
  }

  radius(radius: number, options: QueryOptions = {}): RadiusResult {
    checkRadius(radius);
    const { queries, count, excludeSelf } = resolveQueries(this.points, options);
    const r2 = radius * radius;
    // the tree keeps only items strictly below maxDistance, and treats 0 as "no limit": widen a
    // hair and filter exactly (<= r2) below
    const limit = r2 * (1 + 1e-9) + Number.MIN_VALUE;
    const out = new CsrBuilder(count);
    const query: TreeItem = [0, 0, 0, -1];
    for (let q = 0; q < count; q++) {
      query[0] = queries[3 * q];
      query[1] = queries[3 * q + 1];
      query[2] = queries[3 * q + 2];
      // kd-tree-javascript has no radius search: grow a bounded k-nearest search until it comes back short
      let batch = Math.min(this.size, RADIUS_FIRST_BATCH);
      let found = this.tree.nearest(query, batch, limit);
      while (found.length === batch && batch < this.size) {
        batch = Math.min(this.size, batch * 2);
        found = this.tree.nearest(query, batch, limit);
      }
      for (const [item, d2] of found) {
        if (d2 > r2 || (excludeSelf && item[3] === q)) continue;
        out.push(item[3], Math.sqrt(d2));
      }
      out.endRow();
    }
    return out.finish();
  }
}

// A bounding-volume hierarchy over a mesh's triangles in flat typed arrays, for nearest-triangle
// queries: median split on the longest axis of the centroids, small leaves, and a depth-first
// search that visits the nearer child first and skips boxes farther than the best triangle so far.

import { closestPointOnTriangleFlat } from './closestPointOnTriangle.js';

/** Triangles per leaf. */
const LEAF_SIZE = 4;

export interface NearestTriangle {
  /** Squared distance to the nearest triangle. */
  distance2: number;
  face: number;
}

export class TriangleBvh {
  private readonly positions: Float64Array;
  private readonly faces: Uint32Array;
  /** Per node: min xyz, max xyz. */
  private readonly bounds: Float64Array;
  /** Per node: first child (children are adjacent) or -1 for a leaf. */
  private readonly child: Int32Array;
  /** Per node: range start / count in `order` (leaves only). */
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  /** Face indices, grouped by leaf. */
  private readonly order: Int32Array;
  private nodeCount = 0;
  private readonly stack: Int32Array;
  private readonly scratch = new Float64Array(3);
  /** Face found by the previous query: a good first guess for the next, nearby one. */
  private lastFace = 0;

  constructor(positions: Float64Array, faces: Uint32Array) {
    this.positions = positions;
    this.faces = faces;
    const f = faces.length / 3;
    const maxNodes = Math.max(1, 2 * f);
    this.bounds = new Float64Array(6 * maxNodes);
    this.child = new Int32Array(maxNodes);
    this.start = new Int32Array(maxNodes);
    this.count = new Int32Array(maxNodes);
    this.order = Int32Array.from({ length: f }, (_, i) => i);
    const centroid = new Float64Array(3 * f);
    for (let t = 0; t < f; t++) {
      for (let a = 0; a < 3; a++) {
        centroid[3 * t + a] = (positions[3 * faces[3 * t] + a] + positions[3 * faces[3 * t + 1] + a] + positions[3 * faces[3 * t + 2] + a]) / 3;
      }
    }
    this.nodeCount = 1;
    this.build(0, 0, f, centroid);
    // depth is O(log F) for median splits; 64 per level covers any realistic mesh
    this.stack = new Int32Array(64 * 2 + 16);
  }

  private build(node: number, from: number, to: number, centroid: Float64Array): void {
    const b = this.bounds,
      o = 6 * node;
    b.fill(Infinity, o, o + 3);
    b.fill(-Infinity, o + 3, o + 6);
    const cmin = [Infinity, Infinity, Infinity],
      cmax = [-Infinity, -Infinity, -Infinity];
    for (let i = from; i < to; i++) {
      const t = this.order[i];
      for (let corner = 0; corner < 3; corner++) {
        const vi = 3 * this.faces[3 * t + corner];
        for (let a = 0; a < 3; a++) {
          const x = this.positions[vi + a];
          if (x < b[o + a]) b[o + a] = x;
          if (x > b[o + 3 + a]) b[o + 3 + a] = x;
        }
      }
      for (let a = 0; a < 3; a++) {
        const c = centroid[3 * t + a];
        if (c < cmin[a]) cmin[a] = c;
        if (c > cmax[a]) cmax[a] = c;
      }
    }
    if (to - from <= LEAF_SIZE) {
      this.child[node] = -1;
      this.start[node] = from;
      this.count[node] = to - from;
      return;
    }
    let axis = 0;
    for (let a = 1; a < 3; a++) if (cmax[a] - cmin[a] > cmax[axis] - cmin[axis]) axis = a;
    const mid = (from + to) >> 1;
    selectMedian(this.order, from, to, mid, centroid, axis);
    const left = this.nodeCount;
    this.nodeCount += 2;
    this.child[node] = left;
    this.build(left, from, mid, centroid);
    this.build(left + 1, mid, to, centroid);
  }

  /** Squared distance from p to the box of `node` (0 inside). */
  private boxDistance2(node: number, px: number, py: number, pz: number): number {
    const b = this.bounds,
      o = 6 * node;
    const dx = px < b[o] ? b[o] - px : px > b[o + 3] ? px - b[o + 3] : 0;
    const dy = py < b[o + 1] ? b[o + 1] - py : py > b[o + 4] ? py - b[o + 4] : 0;
    const dz = pz < b[o + 2] ? b[o + 2] - pz : pz > b[o + 5] ? pz - b[o + 5] : 0;
    return dx * dx + dy * dy + dz * dz;
  }

  /** The nearest triangle to p; its closest point goes to out[offset .. offset + 2]. */
  nearest(px: number, py: number, pz: number, out: Float64Array, offset: number, result: NearestTriangle): NearestTriangle {
    const v = this.positions,
      f = this.faces,
      scratch = this.scratch,
      stack = this.stack;
    let bestFace = this.lastFace;
    let best = closestPointOnTriangleFlat(px, py, pz, v, 3 * f[3 * bestFace], 3 * f[3 * bestFace + 1], 3 * f[3 * bestFace + 2], scratch);
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.boxDistance2(node, px, py, pz) >= best) continue;
      const c = this.child[node];
      if (c < 0) {
        for (let i = this.start[node], end = i + this.count[node]; i < end; i++) {
          const t = this.order[i];
          const d2 = closestPointOnTriangleFlat(px, py, pz, v, 3 * f[3 * t], 3 * f[3 * t + 1], 3 * f[3 * t + 2], scratch);
          if (d2 < best) {
            best = d2;
            bestFace = t;
          }
        }
        continue;
      }
      // push the farther child first so the nearer one is searched first
      const dl = this.boxDistance2(c, px, py, pz),
        dr = this.boxDistance2(c + 1, px, py, pz);
      if (dl < dr) {
        stack[top++] = c + 1;
        stack[top++] = c;
      } else {
        stack[top++] = c;
        stack[top++] = c + 1;
      }
    }
    this.lastFace = bestFace;
    closestPointOnTriangleFlat(px, py, pz, v, 3 * f[3 * bestFace], 3 * f[3 * bestFace + 1], 3 * f[3 * bestFace + 2], scratch);
    out[offset] = scratch[0];
    out[offset + 1] = scratch[1];
    out[offset + 2] = scratch[2];
    result.distance2 = best;
    result.face = bestFace;
    return result;
  }
}

/**
 * Reorders order[from .. to - 1] so that order[mid] holds the face whose centroid (along `axis`)
 * would be there after sorting, with no larger one before it and no smaller one after
 * (quickselect: linear time on average, where a full sort per node would cost a log factor more).
 */
function selectMedian(order: Int32Array, from: number, to: number, mid: number, centroid: Float64Array, axis: number): void {
  let lo = from,
    hi = to - 1;
  while (lo < hi) {
    const pivot = centroid[3 * order[(lo + hi) >> 1] + axis];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (centroid[3 * order[i] + axis] < pivot) i++;
      while (centroid[3 * order[j] + axis] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    // [lo, j] <= pivot <= [i, hi]; keep the side holding mid
    if (mid <= j) hi = j;
    else if (mid >= i) lo = i;
    else return;
  }
}

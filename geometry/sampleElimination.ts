// Weighted sample elimination (Yuksel, "Sample Elimination for Generating Poisson Disk Sample
// Sets", Eurographics 2015): thin m random candidates to n well-spread ones. Each candidate is
// weighted by how crowded its neighbourhood is; the most crowded one is removed, its neighbours'
// weights drop, and so on until n remain. A heap keeps this O(m log m); neighbours come from a
// uniform grid once, so the whole pass is a few flat arrays.

/**
 * Indices (ascending) of the n candidates to keep. `area` is the area of the surface the
 * candidates lie on: rMax, the spacing n points would have in a hexagonal packing of it, sets
 * the neighbourhood (2 rMax) and the weight (1 - d / 2rMax)^8 of a neighbour at distance d.
 */
export function eliminateSamples(candidates: Float64Array, n: number, area: number): Int32Array {
  const m = candidates.length / 3;
  if (n >= m) return Int32Array.from({ length: m }, (_, i) => i);
  const rMax = Math.sqrt(area / (2 * Math.sqrt(3) * n));
  const reach = 2 * rMax;
  // weight limiting (the paper's r_min, gamma 1.5, beta 0.65): neighbours nearer than this count
  // as this near, so a few near-duplicates do not decide the order of removal
  const nearest = reach * (1 - Math.pow(n / m, 1.5)) * 0.65;
  const pairs = neighborPairs(candidates, reach, nearest);

  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let e = pairs.offsets[i]; e < pairs.offsets[i + 1]; e++) weights[i] += pairs.weights[e];
  }
  const heap = new IndexMaxHeap(weights);
  const removed = new Uint8Array(m);
  for (let left = m; left > n; left--) {
    const i = heap.pop();
    removed[i] = 1;
    for (let e = pairs.offsets[i]; e < pairs.offsets[i + 1]; e++) {
      const j = pairs.indices[e];
      if (removed[j]) continue;
      weights[j] -= pairs.weights[e]; // the pair weight is symmetric: what i added to j
      heap.decreased(j);
    }
  }
  const kept = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < m; i++) if (!removed[i]) kept[k++] = i;
  return kept;
}

/** Neighbours within `reach` of each point (itself excluded), as CSR rows with their weights. */
interface NeighborPairs {
  offsets: Int32Array;
  indices: Int32Array;
  weights: Float64Array;
}

function neighborPairs(points: Float64Array, reach: number, nearest: number): NeighborPairs {
  const m = points.length / 3;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], points[i + a]);
      hi[a] = Math.max(hi[a], points[i + a]);
    }
  }
  // cells at least `reach` wide (so the 27 around a point hold all its neighbours), but coarser
  // when that would make far more cells than points
  let cell = reach;
  const cellsAt = (h: number) => [0, 1, 2].map((a) => Math.floor((hi[a] - lo[a]) / h) + 1);
  let dims = cellsAt(cell);
  if (dims[0] * dims[1] * dims[2] > 8 * m) {
    const volume = [0, 1, 2].reduce((v, a) => v * Math.max(hi[a] - lo[a], reach), 1);
    cell = Math.max(reach, Math.cbrt(volume / (8 * m)) * 1.01);
    dims = cellsAt(cell);
  }
  const [dx, dy, dz] = dims;

  // counting sort of the points by cell
  const cellOf = new Int32Array(m);
  const cellStart = new Int32Array(dx * dy * dz + 1);
  for (let i = 0; i < m; i++) {
    const cx = Math.floor((points[3 * i] - lo[0]) / cell),
      cy = Math.floor((points[3 * i + 1] - lo[1]) / cell),
      cz = Math.floor((points[3 * i + 2] - lo[2]) / cell);
    cellOf[i] = (cz * dy + cy) * dx + cx;
    cellStart[cellOf[i] + 1]++;
  }
  for (let c = 0; c < dx * dy * dz; c++) cellStart[c + 1] += cellStart[c];
  const cellPoints = new Int32Array(m);
  const fill = cellStart.slice(0, dx * dy * dz);
  for (let i = 0; i < m; i++) cellPoints[fill[cellOf[i]]++] = i;

  // coordinates in cell order, so the inner loop reads memory front to back
  const sorted = new Float64Array(3 * m);
  for (let s = 0; s < m; s++) {
    const j = cellPoints[s];
    sorted[3 * s] = points[3 * j];
    sorted[3 * s + 1] = points[3 * j + 1];
    sorted[3 * s + 2] = points[3 * j + 2];
  }

  const offsets = new Int32Array(m + 1);
  let indices = new Int32Array(16 * m);
  let weights = new Float64Array(16 * m);
  let count = 0;
  const reach2 = reach * reach;
  for (let i = 0; i < m; i++) {
    const x = points[3 * i],
      y = points[3 * i + 1],
      z = points[3 * i + 2];
    const c = cellOf[i];
    const cx = c % dx,
      cy = Math.floor(c / dx) % dy,
      cz = Math.floor(c / (dx * dy));
    const z0 = Math.max(0, cz - 1),
      z1 = Math.min(dz - 1, cz + 1);
    const y0 = Math.max(0, cy - 1),
      y1 = Math.min(dy - 1, cy + 1);
    const x0 = Math.max(0, cx - 1),
      x1 = Math.min(dx - 1, cx + 1);
    for (let kz = z0; kz <= z1; kz++) {
      for (let ky = y0; ky <= y1; ky++) {
        for (let kx = x0; kx <= x1; kx++) {
          const k = (kz * dy + ky) * dx + kx;
          const end = cellStart[k + 1];
          for (let s = cellStart[k]; s < end; s++) {
            const j = cellPoints[s];
            if (j === i) continue;
            const ex = sorted[3 * s] - x,
              ey = sorted[3 * s + 1] - y,
              ez = sorted[3 * s + 2] - z;
            const d2 = ex * ex + ey * ey + ez * ez;
            if (d2 > reach2) continue;
            if (count === indices.length) {
              const grownIndices = new Int32Array(2 * count);
              grownIndices.set(indices);
              indices = grownIndices;
              const grownWeights = new Float64Array(2 * count);
              grownWeights.set(weights);
              weights = grownWeights;
            }
            const t = 1 - Math.max(Math.sqrt(d2), nearest) / reach;
            const t2 = t * t,
              t4 = t2 * t2;
            indices[count] = j;
            weights[count] = t4 * t4;
            count++;
          }
        }
      }
    }
    offsets[i + 1] = count;
  }
  return { offsets, indices, weights };
}

/**
 * A binary max-heap of the indices 0..m-1 ordered by weights[i] (ties: lower index first, so the
 * result does not depend on the heap's history), with decrease-key.
 */
class IndexMaxHeap {
  private readonly heap: Int32Array;
  /** Where each index sits in `heap`; -1 once popped. */
  private readonly slot: Int32Array;
  private size: number;

  constructor(private readonly weights: Float64Array) {
    const m = weights.length;
    this.heap = new Int32Array(m);
    this.slot = new Int32Array(m);
    this.size = m;
    for (let i = 0; i < m; i++) {
      this.heap[i] = i;
      this.slot[i] = i;
    }
    for (let s = (m >> 1) - 1; s >= 0; s--) this.siftDown(s);
  }

  /** Removes and returns the index of largest weight. */
  pop(): number {
    const top = this.heap[0];
    this.size--;
    if (this.size > 0) {
      this.place(this.heap[this.size], 0);
      this.siftDown(0);
    }
    this.slot[top] = -1;
    return top;
  }

  /** Restores the order after weights[i] went down. */
  decreased(i: number): void {
    const s = this.slot[i];
    if (s >= 0) this.siftDown(s);
  }

  private above(i: number, j: number): boolean {
    const wi = this.weights[i],
      wj = this.weights[j];
    return wi > wj || (wi === wj && i < j);
  }

  private place(i: number, s: number): void {
    this.heap[s] = i;
    this.slot[i] = s;
  }

  private siftDown(s: number): void {
    const item = this.heap[s];
    for (;;) {
      const left = 2 * s + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.above(this.heap[right], this.heap[left]) ? right : left;
      if (!this.above(this.heap[child], item)) break;
      this.place(this.heap[child], s);
      s = child;
    }
    this.place(item, s);
  }
}

// The exact assignment (Kuhn 1955, Munkres 1957) in its O(n^3) shortest-augmenting-path form with
// row and column potentials u, v (reduced costs c_ij - u_i - v_j >= 0, zero on matched pairs):
// rows join one at a time; each grows a Dijkstra-like tree over the columns until it reaches a free
// column, then the matching flips along the path. The twin of the auction (auction.ts): exact,
// O(n^3) time and O(n^2) memory for the cost matrix, so for clouds of up to a few thousand points.

import { ArgumentError } from '../../lib/errors.js';

/** The minimum-cost perfect matching of an n x n cost matrix (row-major): assignment[row] = column. */
export function hungarian(cost: ArrayLike<number>, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 1 || cost.length !== n * n) throw new ArgumentError(`hungarian: cost must hold n x n = ${n * n} values for n = ${n}, got ${cost.length}.`);
  // 1-based as in the textbook: column 0 is the virtual start of each augmenting path
  const u = new Float64Array(n + 1),
    v = new Float64Array(n + 1);
  const rowOf = new Int32Array(n + 1); // column -> its row (0: free)
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0];
      let delta = Infinity,
        j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[rowOf[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOf[j0] = rowOf[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[rowOf[j] - 1] = j - 1;
  return assignment;
}

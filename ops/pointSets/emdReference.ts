// The exact twin of emdLoss (emd.ts): the optimal bijection by the Hungarian algorithm
// (hungarian.ts) on the n x n matrix of distances, and the same mean distance and gradient through
// it. O(n^3): for checking the auction and for small clouds.

import type { FloatArray } from '../../lib/dtype.js';
import { ArgumentError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { assignedDistance, emdInputs } from './emd.js';
import { hungarian } from './hungarian.js';
import type { PointsLike } from '../../geometry/points.js';

/** Above this many points the n x n cost matrix and the O(n^3) solve get slow; use emdLoss. */
export const EXACT_EMD_LIMIT = 4096;

/** The optimal assignment between equal-sized flat clouds (assignment[i] = partner of a_i in b). */
export function exactAssignment(a: FloatArray, b: FloatArray): Int32Array {
  const n = a.length / 3;
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cost[i * n + j] = Math.hypot(a[3 * i] - b[3 * j], a[3 * i + 1] - b[3 * j + 1], a[3 * i + 2] - b[3 * j + 2]);
  }
  return hungarian(cost, n);
}

/** The exact EMD (mean distance under the optimal bijection) with its gradient. */
export function emdLossReference(a: PointsLike, b: PointsLike): { loss: Tensor; assignment: Int32Array } {
  const [ta, tb] = emdInputs(a, b, 'emdLossReference');
  if (ta.shape[0] > EXACT_EMD_LIMIT) throw new ArgumentError(`emdLossReference: ${ta.shape[0]} points; the exact solve is O(n^3), so above ${EXACT_EMD_LIMIT} use emdLoss.`);
  const assignment = exactAssignment(ta.data, tb.data);
  return { loss: assignedDistance(ta, tb, assignment), assignment };
}

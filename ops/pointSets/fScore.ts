// The F-score at a distance (docs/toolbox.md §3; Tatarchenko et al. 2019, "What do single-view 3D
// reconstruction networks learn?"): with `a` the prediction and `b` the reference,
//   precision = share of a within tau of b,  recall = share of b within tau of a,
//   F = 2 P R / (P + R)  (0 when both are 0).
// tau is a plain distance. AtlasNet thresholds squared distances at 0.001, which is tau = sqrt(0.001).

import { ArgumentError } from '../../lib/errors.js';
import { resolveThreads } from '../../parallel/threads.js';
import { nearestPairs } from './chamfer.js';
import type { PointsLike } from '../../geometry/points.js';
import { commonDType, pointsTensor } from './points.js';

export interface FScoreResult {
  precision: number;
  recall: number;
  fScore: number;
  tau: number;
}

export function fScore(a: PointsLike, b: PointsLike, tau: number, options: { threads?: number } = {}): FScoreResult {
  if (typeof tau !== 'number' || !Number.isFinite(tau) || tau < 0) throw new ArgumentError(`fScore: tau must be a finite distance >= 0, got ${tau}.`);
  const dtype = commonDType([a, b]);
  const A = pointsTensor(a, dtype, 'fScore: a').data,
    B = pointsTensor(b, dtype, 'fScore: b').data;
  const pairs = nearestPairs(A, B, resolveThreads(options.threads, 'fScore: options.threads'));
  const t2 = tau * tau;
  let inA = 0,
    inB = 0;
  for (const d of pairs.d2AToB) if (d <= t2) inA++;
  for (const d of pairs.d2BToA) if (d <= t2) inB++;
  const precision = inA / pairs.d2AToB.length,
    recall = inB / pairs.d2BToA.length;
  return { precision, recall, fScore: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, tau };
}

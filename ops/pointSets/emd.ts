// The Earth Mover's Distance between equal-sized clouds (docs/toolbox.md §4; Fan et al. 2017):
//   EMD(A, B) = min over bijections pi of  mean_i |a_i - b_pi(i)|   (plain distances)
// approximated by the auction algorithm (auction.ts). The loss is the mean distance under the
// assignment found; its gradient flows through that assignment, held fixed:
//   d/da_i = (a_i - b_pi(i)) / (n |a_i - b_pi(i)|),   d/db_pi(i) = the negative   (0 where equal).
// Settings (MSN): training eps 0.005 with 50 rounds, evaluation eps 0.002 with 10,000; eps is in
// the clouds' units, so these suit shapes scaled to about the unit cube.
// The exact twin, by the Hungarian algorithm, is emdReference.ts.

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { resolveThreads } from '../../parallel/threads.js';
import { scratchShared } from '../../parallel/scratch.js';
import { auction } from './auction.js';
import type { PointsLike } from '../../geometry/points.js';
import { commonDType, pointsTensor } from './points.js';

export const EMD_TRAINING = Object.freeze({ eps: 0.005, iterations: 50 });
export const EMD_EVALUATION = Object.freeze({ eps: 0.002, iterations: 10_000 });

export interface EmdOptions {
  /** The auction's bid increment: the mean is within eps of the optimum once it finishes (default 0.005). */
  eps?: number;
  /** Bidding rounds at most, over all eps-scaling phases (default 50). */
  iterations?: number;
  /** Threads of the bidding (default: every core; the same bits for any count). */
  threads?: number;
}

export interface EmdResult {
  /** The mean distance under the assignment (a scalar on the tape). */
  loss: Tensor;
  /** assignment[i]: the point of b paired with point i of a (always a permutation). */
  assignment: Int32Array;
  /** Bidding rounds run. */
  rounds: number;
  /** The eps reached (the requested one unless the rounds ran out in an earlier phase). */
  eps: number;
  /** Points the auction left unassigned, paired greedily with the nearest free point (0: it finished). */
  repaired: number;
}

/** mean_i |a_i - b_pi(i)| for a fixed assignment pi, with its gradient. */
export const assignedDistance = customOp({
  name: 'assignedDistance',
  forward(ctx, a: Tensor, b: Tensor, assignment: Int32Array) {
    const A = a.data,
      B = b.data;
    const n = assignment.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const j = assignment[i];
      s += Math.hypot(A[3 * i] - B[3 * j], A[3 * i + 1] - B[3 * j + 1], A[3 * i + 2] - B[3 * j + 2]);
    }
    const out = ctx.output([]);
    out.data[0] = s / n;
    ctx.save(a, b, assignment);
    return out;
  },
  backward(ctx, g) {
    const [a, b, assignment] = ctx.saved as [Tensor, Tensor, Int32Array];
    const A = a.data,
      B = b.data;
    const n = assignment.length;
    const gA = ctx.zeros(A.length),
      gB = ctx.zeros(B.length);
    for (let i = 0; i < n; i++) {
      const j = assignment[i];
      const dx = A[3 * i] - B[3 * j],
        dy = A[3 * i + 1] - B[3 * j + 1],
        dz = A[3 * i + 2] - B[3 * j + 2];
      const d = Math.hypot(dx, dy, dz);
      if (d === 0) continue;
      const f = g![0] / (n * d);
      gA[3 * i] += f * dx;
      gA[3 * i + 1] += f * dy;
      gA[3 * i + 2] += f * dz;
      gB[3 * j] -= f * dx;
      gB[3 * j + 1] -= f * dy;
      gB[3 * j + 2] -= f * dz;
    }
    return [gA, gB];
  },
});

/** Checks two clouds of equal size for the EMD ops; returns them as tensors of one dtype. */
export function emdInputs(a: PointsLike, b: PointsLike, caller: string): [Tensor, Tensor] {
  const dtype = commonDType([a, b]);
  const ta = pointsTensor(a, dtype, `${caller}: a`),
    tb = pointsTensor(b, dtype, `${caller}: b`);
  if (ta.shape[0] !== tb.shape[0]) {
    throw new ShapeError(`${caller}: a has ${ta.shape[0]} points and b ${tb.shape[0]}; the EMD pairs them one to one, so resample one to the other's count (samplePoints), or use chamferLoss.`);
  }
  return [ta, tb];
}

/** The auction EMD of equal-sized clouds a, b [N, 3] (tensors receive gradients). */
export function emdLoss(a: PointsLike, b: PointsLike, options: EmdOptions = {}): EmdResult {
  const [ta, tb] = emdInputs(a, b, 'emdLoss');
  const eps = options.eps ?? EMD_TRAINING.eps,
    iterations = options.iterations ?? EMD_TRAINING.iterations;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new ArgumentError(`emdLoss: options.eps must be a positive distance (0.005 trains, 0.002 evaluates), got ${eps}.`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new ArgumentError(`emdLoss: options.iterations must be a whole number >= 1 (50 trains, 10000 evaluates), got ${iterations}.`);
  const threads = resolveThreads(options.threads, 'emdLoss: options.threads');
  const shared = threads > 1;
  const n = ta.shape[0];
  const r = auction(scratchShared('emd.a', ta.data, shared), scratchShared('emd.b', tb.data, shared), n, eps, iterations, threads);
  return { loss: assignedDistance(ta, tb, r.assignment), assignment: r.assignment, rounds: r.rounds, eps: r.eps, repaired: r.repaired };
}

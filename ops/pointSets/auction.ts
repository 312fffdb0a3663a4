// The auction algorithm for the assignment behind the Earth Mover's Distance (docs/toolbox.md §4;
// Bertsekas 1988). Points of a bid for points of b; the cost of pairing a_i with b_j is
// c_ij = |a_i - b_j|. Each object j has a price p_j. In a round every unassigned bidder i finds
// its best and second-best values v_ij = -c_ij - p_j and bids for its best object j* the price
//   p_j* + (v_ij* - v_second) + eps
// (as much as it can offer before j* stops being its best, plus eps); each object goes to its
// highest bidder (ties: the lower index), its previous owner becomes unassigned, and its price
// becomes that bid. Every assignment it ends with is eps-optimal: its total cost is within n eps
// of the optimum, so its mean within eps.
// eps-scaling: phases from eps0 = (diagonal of the clouds' box) / 32, cut by SCALE_FACTOR down to
// the requested eps, the prices carried over, make the price wars short (measured on 1,024 points:
// 1,700 rounds to finish at eps 0.002 against 4,800 without scaling; a start at diagonal / 4 took
// more rounds at both settings). `iterations` caps the rounds over all phases; the bidders still
// unassigned then are paired with the free objects by the exact assignment among themselves (up to
// EXACT_REPAIR of them; greedily, nearest free first, beyond), or, when cheaper, the complete
// assignment of the last finished phase is kept; so the result is always a bijection and says how
// many were repaired.

import type { FloatArray } from '../../lib/dtype.js';
import { int32, float64 } from '../../lib/sharedMemory.js';
import { runTasks } from '../../parallel/workerPool.js';
import { hungarian } from './hungarian.js';
import { BID_CHUNK, type BidArgs } from './bids.js';
import { auctionBids } from './kernels.js';

export const SCALE_FACTOR = 4;
/** Leftovers up to this many are repaired by the exact (Hungarian) assignment among themselves. */
export const EXACT_REPAIR = 512;

export interface AuctionResult {
  /** assignment[i] = the point of b paired with point i of a (a permutation). */
  assignment: Int32Array;
  /** Bidding rounds run (over all eps phases). */
  rounds: number;
  /** The eps of the last phase that ran (the requested one unless the rounds ran out first). */
  eps: number;
  /** Points of a the auction left unassigned, then paired greedily (0 when it finished). */
  repaired: number;
}

/** The auction for equal-sized clouds a, b (n points each, flat xyz), over `threads` threads. */
export function auction(a: FloatArray, b: FloatArray, n: number, eps: number, iterations: number, threads: number): AuctionResult {
  const shared = threads > 1;
  const prices = float64(n, shared);
  const owner = new Int32Array(n).fill(-1); // object -> bidder
  const assignment = new Int32Array(n).fill(-1); // bidder -> object
  const bidders = int32(n, shared),
    target = int32(n, shared),
    offer = float64(n, shared);
  const roundBest = new Float64Array(n),
    roundWinner = new Int32Array(n).fill(-1);
  let phaseEps = Math.max(eps, boundsDiagonal(a, b, n) / 32);
  let rounds = 0;
  let complete: { assignment: Int32Array; eps: number } | null = null; // the last finished phase's
  const args: BidArgs = { a, b, n, prices, bidders, count: 0, eps: phaseEps, target, offer };
  for (;;) {
    owner.fill(-1);
    assignment.fill(-1);
    let unassigned = n;
    args.eps = phaseEps;
    while (unassigned > 0 && rounds < iterations) {
      let count = 0;
      for (let i = 0; i < n; i++) if (assignment[i] < 0) bidders[count++] = i;
      args.count = count;
      runTasks(auctionBids, args, Math.ceil(count / BID_CHUNK), threads);
      rounds++;
      // each object goes to its highest bidder of the round (bidders in index order: ties to the lower)
      const touched: number[] = [];
      for (let s = 0; s < count; s++) {
        const j = target[s];
        if (roundWinner[j] < 0) {
          touched.push(j);
          roundWinner[j] = bidders[s];
          roundBest[j] = offer[s];
        } else if (offer[s] > roundBest[j]) {
          roundWinner[j] = bidders[s];
          roundBest[j] = offer[s];
        }
      }
      for (const j of touched) {
        const i = roundWinner[j];
        roundWinner[j] = -1;
        if (owner[j] >= 0) assignment[owner[j]] = -1;
        else unassigned--;
        owner[j] = i;
        assignment[i] = j;
        prices[j] = roundBest[j];
      }
    }
    if (unassigned === 0 && phaseEps <= eps) return { assignment, rounds, eps: phaseEps, repaired: 0 };
    if (unassigned > 0) {
      // out of rounds: the repaired partial assignment, or the last phase's complete one if cheaper
      const repaired = repair(a, b, n, assignment, owner);
      if (complete && totalCost(a, b, complete.assignment) <= totalCost(a, b, assignment)) return { assignment: complete.assignment, rounds, eps: complete.eps, repaired: 0 };
      return { assignment, rounds, eps: phaseEps, repaired };
    }
    complete = { assignment: assignment.slice(), eps: phaseEps };
    phaseEps = Math.max(eps, phaseEps / SCALE_FACTOR);
  }
}

function totalCost(a: FloatArray, b: FloatArray, assignment: Int32Array): number {
  let s = 0;
  for (let i = 0; i < assignment.length; i++) {
    const j = assignment[i];
    s += Math.hypot(a[3 * i] - b[3 * j], a[3 * i + 1] - b[3 * j + 1], a[3 * i + 2] - b[3 * j + 2]);
  }
  return s;
}

/** The diagonal of the box around both clouds. */
function boundsDiagonal(a: FloatArray, b: FloatArray, n: number): number {
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (const p of [a, b]) {
    for (let i = 0; i < 3 * n; i++) {
      const c = i % 3;
      if (p[i] < lo[c]) lo[c] = p[i];
      if (p[i] > hi[c]) hi[c] = p[i];
    }
  }
  return Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
}

/** Pairs the unassigned bidders with the free objects (see the header); returns how many. */
function repair(a: FloatArray, b: FloatArray, n: number, assignment: Int32Array, owner: Int32Array): number {
  const bidders: number[] = [],
    free: number[] = [];
  for (let i = 0; i < n; i++) if (assignment[i] < 0) bidders.push(i);
  for (let j = 0; j < n; j++) if (owner[j] < 0) free.push(j);
  const k = bidders.length;
  const cost = (i: number, j: number) => Math.hypot(a[3 * i] - b[3 * j], a[3 * i + 1] - b[3 * j + 1], a[3 * i + 2] - b[3 * j + 2]);
  if (k === 0) return 0;
  if (k <= EXACT_REPAIR) {
    const c = new Float64Array(k * k);
    for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) c[x * k + y] = cost(bidders[x], free[y]);
    const match = hungarian(c, k);
    for (let x = 0; x < k; x++) assignment[bidders[x]] = free[match[x]];
    return k;
  }
  for (const i of bidders) {
    let best = Infinity,
      bestJ = -1;
    for (const j of free) {
      if (owner[j] >= 0) continue;
      const d = cost(i, j);
      if (d < best) {
        best = d;
        bestJ = j;
      }
    }
    owner[bestJ] = i;
    assignment[i] = bestJ;
  }
  return k;
}

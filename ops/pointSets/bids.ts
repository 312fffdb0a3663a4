// One round of the auction's bidding (auction.ts, docs/toolbox.md §4): each bidder of the round
// finds its best and second-best object and what it offers for the best. Bidders are independent,
// so ranges of them run as pool tasks (kernels.ts).

import type { FloatArray } from '../../lib/dtype.js';

/** Bidders per auction task. */
export const BID_CHUNK = 64;

export interface BidArgs {
  a: FloatArray;
  b: FloatArray;
  n: number;
  prices: Float64Array;
  /** The bidders of this round (unassigned), `count` of them. */
  bidders: Int32Array;
  count: number;
  eps: number;
  /** Written per bidder slot: the object it bids for and the price it offers. */
  target: Int32Array;
  offer: Float64Array;
}

/** Slots s0..s1-1 of the round's bidder list: each bidder's target object and offered price. */
export function bidRange(args: BidArgs, s0: number, s1: number): void {
  const { a, b, n, prices, bidders, eps, target, offer } = args;
  for (let s = s0; s < s1; s++) {
    const i = bidders[s];
    const ax = a[3 * i],
      ay = a[3 * i + 1],
      az = a[3 * i + 2];
    let best = -Infinity,
      second = -Infinity,
      bestJ = -1;
    for (let j = 0; j < n; j++) {
      const dx = ax - b[3 * j],
        dy = ay - b[3 * j + 1],
        dz = az - b[3 * j + 2];
      const v = -Math.sqrt(dx * dx + dy * dy + dz * dz) - prices[j];
      if (v > best) {
        second = best;
        best = v;
        bestJ = j;
      } else if (v > second) second = v;
    }
    target[s] = bestJ;
    // with one object there is no second best: any increment keeps it best
    offer[s] = prices[bestJ] + (second === -Infinity ? 0 : best - second) + eps;
  }
}

// The point-set losses cut into tasks for the thread pool. Each task writes only its own queries'
// (or bidders') entries, so which thread ran it never changes a value; sums over the entries are
// taken afterwards on the calling thread, in index order.

import type { FloatArray } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';
import { BID_CHUNK, type BidArgs, bidRange } from './bids.js';
import { type GridLayout, nearestRange } from './nearest.js';

/** Queries per nearest-neighbour task. */
export const QUERY_CHUNK = 512;

export interface NearestArgs {
  grid: GridLayout;
  queries: FloatArray;
  count: number;
  index: Int32Array;
  d2: Float64Array;
}

export const nearestQueries = defineKernel<NearestArgs>('pointSets.nearest', import.meta.url, (a, task) => {
  const q0 = task * QUERY_CHUNK;
  nearestRange(a.grid, a.queries, a.index, a.d2, q0, Math.min(a.count, q0 + QUERY_CHUNK));
});

export const auctionBids = defineKernel<BidArgs>('pointSets.auctionBids', import.meta.url, (a, task) => {
  const s0 = task * BID_CHUNK;
  bidRange(a, s0, Math.min(a.count, s0 + BID_CHUNK));
});

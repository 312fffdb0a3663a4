// The Chamfer loss between point clouds (docs/toolbox.md §3), a custom op with a hand-written
// backward. With d(x, Y) the distance from x to its nearest point of Y,
//   squared: true   L = mean_a d(a, B)^2 + mean_b d(b, A)^2   (AtlasNet's training loss and the
//                                                              figure it and DeepSDF report)
//   squared: false  L = mean_a d(a, B)   + mean_b d(b, A)     (distances; geometry/metrics.ts
//                                                              reports half of this, 'chamfer')
// reduction 'mean' as above, 'sum' (sums instead of means) or 'none' (the N + M distances: a's to B,
// then b's to A). The nearest neighbours come from a uniform grid (nearest.ts) over the pool; the
// backward is O(N + M): each point pulls itself toward its neighbour and pushes the neighbour back,
//   d d^2 / d a = 2 (a - b),   d d / d a = (a - b) / |a - b|   (0 where a = b, a subgradient).
// The O(N M) twin is chamferReference.ts.

import { customOp } from '../../lib/customOp.js';
import type { FloatArray } from '../../lib/dtype.js';
import { ArgumentError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { float64, int32 } from '../../lib/sharedMemory.js';
import { scratchShared } from '../../parallel/scratch.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { QUERY_CHUNK, nearestQueries } from './kernels.js';
import { type GridLayout, gridLayout } from './nearest.js';
import type { PointsLike } from '../../geometry/points.js';
import { commonDType, pointsTensor } from './points.js';

export type ChamferReduction = 'mean' | 'sum' | 'none';

export interface ChamferOptions {
  /** Required: squared distances (AtlasNet, DeepSDF) or plain ones. Papers mix both; say which. */
  squared: boolean;
  /** 'mean' (default): mean + mean; 'sum': sum + sum; 'none': the N + M per-point values. */
  reduction?: ChamferReduction;
  /** Threads of the neighbour search (default: every core; the same bits for any count). */
  threads?: number;
}

/** Each point's nearest neighbour in the other cloud, and the squared distance to it. */
export interface NearestPairs {
  aToB: Int32Array;
  d2AToB: Float64Array;
  bToA: Int32Array;
  d2BToA: Float64Array;
}

function shareGrid(g: GridLayout, name: string, shared: boolean): GridLayout {
  return {
    points: scratchShared(`${name}.points`, g.points, shared),
    origin: scratchShared(`${name}.origin`, g.origin, shared),
    cellSize: g.cellSize,
    dims: scratchShared(`${name}.dims`, g.dims, shared),
    cellStart: scratchShared(`${name}.cellStart`, g.cellStart, shared),
    cellPoints: scratchShared(`${name}.cellPoints`, g.cellPoints, shared),
  };
}

/** Nearest neighbours both ways between flat clouds a and b, over `threads` threads. */
export function nearestPairs(a: FloatArray, b: FloatArray, threads: number): NearestPairs {
  const shared = threads > 1;
  const n = a.length / 3,
    m = b.length / 3;
  const out = { aToB: int32(n, shared), d2AToB: float64(n, shared), bToA: int32(m, shared), d2BToA: float64(m, shared) };
  const A = scratchShared('chamfer.a', a, shared),
    B = scratchShared('chamfer.b', b, shared);
  runTasks(nearestQueries, { grid: shareGrid(gridLayout(b), 'chamfer.gridB', shared), queries: A, count: n, index: out.aToB, d2: out.d2AToB }, Math.ceil(n / QUERY_CHUNK), threads);
  runTasks(nearestQueries, { grid: shareGrid(gridLayout(a), 'chamfer.gridA', shared), queries: B, count: m, index: out.bToA, d2: out.d2BToA }, Math.ceil(m / QUERY_CHUNK), threads);
  return out;
}

interface Resolved {
  squared: boolean;
  reduction: ChamferReduction;
  threads: number;
}

const chamferOp = customOp({
  name: 'chamferLoss',
  forward(ctx, a: Tensor, b: Tensor, o: Resolved) {
    const pairs = nearestPairs(a.data, b.data, o.threads);
    const n = a.shape[0],
      m = b.shape[0];
    const value = (d2: number) => (o.squared ? d2 : Math.sqrt(d2));
    let out: Tensor;
    if (o.reduction === 'none') {
      out = ctx.output([n + m]);
      for (let i = 0; i < n; i++) out.data[i] = value(pairs.d2AToB[i]);
      for (let j = 0; j < m; j++) out.data[n + j] = value(pairs.d2BToA[j]);
    } else {
      let sa = 0,
        sb = 0;
      for (let i = 0; i < n; i++) sa += value(pairs.d2AToB[i]);
      for (let j = 0; j < m; j++) sb += value(pairs.d2BToA[j]);
      out = ctx.output([]);
      out.data[0] = o.reduction === 'mean' ? sa / n + sb / m : sa + sb;
    }
    ctx.save(a, b, pairs, o);
    return out;
  },
  backward(ctx, g) {
    const [a, b, pairs, o] = ctx.saved as [Tensor, Tensor, NearestPairs, Resolved];
    const A = a.data,
      B = b.data;
    const n = a.shape[0],
      m = b.shape[0];
    const G = g!;
    const gA = ctx.zeros(A.length),
      gB = ctx.zeros(B.length);
    // one direction: points P (gradient gP) pulled toward their neighbours in Q (gradient gQ)
    const pull = (P: FloatArray, Q: FloatArray, gP: FloatArray, gQ: FloatArray, nn: Int32Array, d2: Float64Array, count: number, seedAt: number, scale: number) => {
      for (let i = 0; i < count; i++) {
        const w = (o.reduction === 'none' ? G[seedAt + i] : G[0]) * scale;
        const f = o.squared ? 2 * w : d2[i] > 0 ? w / Math.sqrt(d2[i]) : 0;
        if (f === 0) continue;
        const j = nn[i];
        for (let c = 0; c < 3; c++) {
          const dx = f * (P[3 * i + c] - Q[3 * j + c]);
          gP[3 * i + c] += dx;
          gQ[3 * j + c] -= dx;
        }
      }
    };
    pull(A, B, gA, gB, pairs.aToB, pairs.d2AToB, n, 0, o.reduction === 'mean' ? 1 / n : 1);
    pull(B, A, gB, gA, pairs.bToA, pairs.d2BToA, m, n, o.reduction === 'mean' ? 1 / m : 1);
    return [gA, gB];
  },
});

/**
 * The Chamfer loss between clouds a [N, 3] and b [M, 3] (tensors receive gradients; clouds with
 * `positions` and flat xyz arrays are constants). `options.squared` is required.
 */
export function chamferLoss(a: PointsLike, b: PointsLike, options: ChamferOptions): Tensor {
  if (typeof options !== 'object' || options === null || typeof options.squared !== 'boolean') {
    throw new ArgumentError(
      "chamferLoss: options.squared is required: true for squared distances (AtlasNet's loss, AtlasNet's and DeepSDF's reported figure), false for plain distances; papers mix the two, so say which.",
    );
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new ArgumentError(`chamferLoss: options.reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}.`);
  const threads = resolveThreads(options.threads, 'chamferLoss: options.threads');
  const dtype = commonDType([a, b]);
  return chamferOp(pointsTensor(a, dtype, 'chamferLoss: a'), pointsTensor(b, dtype, 'chamferLoss: b'), { squared: options.squared, reduction, threads });
}

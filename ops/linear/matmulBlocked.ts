// matmul's path for large 2-d products (docs/toolbox.md §2): the blocked loops of gemm.ts over the
// pool. C = A B; backward dA = G B^T, dB = A^T G. ops/matmul.ts routes 2-d products of at least
// BLOCKED_MATMUL_WORK multiply-adds here; its plain triple loop stays the twin for small ones.

import { customOp } from '../../lib/customOp.js';
import { allocate } from '../../lib/dtype.js';
import { ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { scratchShared } from '../../parallel/scratch.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { gemmRows, gemmTiles, rowBlocks, tileCount } from './kernels.js';

/** m k n at or above which matmul of two 2-d tensors takes the blocked path. */
export const BLOCKED_MATMUL_WORK = 1 << 18;

const matmulBlockedOp = customOp({
  name: 'matmul',
  forward(ctx, a: Tensor, b: Tensor, threads: number) {
    const [m, k] = a.shape,
      n = b.shape[1];
    const on = threads > 1;
    const out = new Tensor(allocate(ctx.dtype, m * n, on), [m, n]);
    runTasks(gemmRows, { layout: 'nn', A: scratchShared('matmul.A', a.data, on), B: scratchShared('matmul.B', b.data, on), C: out.data, rows: m, n, k }, rowBlocks(m), threads);
    ctx.save(a, b, threads);
    return out;
  },
  backward(ctx, g) {
    const [a, b, threads] = ctx.saved as [Tensor, Tensor, number];
    const [m, k] = a.shape,
      n = b.shape[1];
    const on = threads > 1;
    const G = scratchShared('matmul.G', g!, on);
    let ga = null,
      gb = null;
    if (ctx.needsInputGrad[0]) {
      ga = allocate(ctx.dtype, m * k, on);
      runTasks(gemmRows, { layout: 'nt', A: G, B: scratchShared('matmul.B', b.data, on), C: ga, rows: m, n: k, k: n }, rowBlocks(m), threads);
    }
    if (ctx.needsInputGrad[1]) {
      gb = allocate(ctx.dtype, k * n, on);
      runTasks(gemmTiles, { A: scratchShared('matmul.A', a.data, on), B: G, C: gb, r: m, m: k, n, columnSums: null }, tileCount(k, n), threads);
    }
    return [ga, gb];
  },
});

/** a [m, k] @ b [k, n] by the blocked loops, over `threads` threads (default: every core; same bits for any count). */
export function matmulBlocked(a: Tensor, b: Tensor, options: { threads?: number } = {}): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.ndim !== 2 || b.ndim !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(`matmulBlocked: needs a [m, k] and b [k, n], got [${a instanceof Tensor ? a.shape : typeof a}] and [${b instanceof Tensor ? b.shape : typeof b}].`);
  }
  return matmulBlockedOp(a, b, resolveThreads(options.threads, 'matmulBlocked: options.threads'));
}

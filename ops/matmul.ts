// Matrix product with broadcast batch dimensions: C[b] = A[b] B[b], A[b] m x k, B[b] k x n.
// Backward (per batch, then summed over any batch axis an input was broadcast along):
//   dL/dA = G B^T,   dL/dB = A^T G.
// Plain triple loops: the target is many small matrices (3x3 rotations, 2x3 Jacobians). Large
// 2-d products with inner and outer sizes of 16 or more (an MLP's layers) take the blocked, threaded loops of ops/linear/matmulBlocked.ts.

import { customOp } from '../lib/customOp.js';
import { ShapeError } from '../lib/errors.js';
import { broadcastIndex, broadcastShapes } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { BLOCKED_MATMUL_WORK, matmulBlocked } from './linear/matmulBlocked.js';
import { reshape } from './reshape.js';

const matmulOp = customOp({
  name: 'matmul',
  forward(ctx, a: Tensor, b: Tensor) {
    const m = a.shape[a.ndim - 2],
      k = a.shape[a.ndim - 1],
      n = b.shape[b.ndim - 1];
    const batchA = a.shape.slice(0, -2),
      batchB = b.shape.slice(0, -2);
    const batch = broadcastShapes(batchA, batchB, ['a (batch dimensions)', 'b (batch dimensions)']);
    const out = ctx.output([...batch, m, n]);
    // which matrix of a and of b each output matrix reads
    const ia = broadcastIndex(batchA, batch),
      ib = broadcastIndex(batchB, batch);
    const A = a.data,
      B = b.data,
      C = out.data;
    for (let t = 0; t < ia.length; t++) {
      const ao = ia[t] * m * k,
        bo = ib[t] * k * n,
        co = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += A[ao + i * k + p] * B[bo + p * n + j];
          C[co + i * n + j] = s;
        }
      }
    }
    ctx.save(a, b, ia, ib, m, k, n);
    return out;
  },
  backward(ctx, g) {
    const [a, b, ia, ib, m, k, n] = ctx.saved as [Tensor, Tensor, Int32Array, Int32Array, number, number, number];
    const A = a.data,
      B = b.data,
      G = g!;
    const ga = ctx.needsInputGrad[0] ? ctx.zeros(a.size) : null;
    const gb = ctx.needsInputGrad[1] ? ctx.zeros(b.size) : null;
    for (let t = 0; t < ia.length; t++) {
      const ao = ia[t] * m * k,
        bo = ib[t] * k * n,
        go = t * m * n;
      if (ga) {
        // ga[i, p] += sum_j G[i, j] B[p, j]
        for (let i = 0; i < m; i++) {
          for (let p = 0; p < k; p++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += G[go + i * n + j] * B[bo + p * n + j];
            ga[ao + i * k + p] += s;
          }
        }
      }
      if (gb) {
        // gb[p, j] += sum_i A[i, p] G[i, j]
        for (let p = 0; p < k; p++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let i = 0; i < m; i++) s += A[ao + i * k + p] * G[go + i * n + j];
            gb[bo + p * n + j] += s;
          }
        }
      }
    }
    return [ga, gb];
  },
});

/**
 * a @ b. 2-d: [m, k] x [k, n] -> [m, n]. Batched: [..., m, k] x [..., k, n] with the batch
 * dimensions broadcast. A 1-d a is a row vector [1, k] and a 1-d b a column [k, 1]; the added
 * dimension is dropped from the result (so 1-d x 1-d is the dot product, a 0-d tensor).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: a [${a.shape}] and b [${b.shape}] must have at least one dimension each; use mul for scalars.`);
  }
  const k = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (k !== kb) {
    throw new ShapeError(`matmul: a has shape [${a.shape}] and b has shape [${b.shape}]; a's last dimension (${k}) must equal b's ${b.ndim === 1 ? 'length' : 'second-to-last dimension'} (${kb}).`);
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, k]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [k, 1]) : b;
  const n = b2.shape[b2.ndim - 1];
  const blocked = a2.ndim === 2 && b2.ndim === 2 && k >= 16 && n >= 16 && a2.shape[0] * k * n >= BLOCKED_MATMUL_WORK;
  const c = blocked ? matmulBlocked(a2, b2) : matmulOp(a2, b2);
  if (a.ndim > 1 && b.ndim > 1) return c;
  // drop the row (a 1-d) and/or column (b 1-d) dimension that was added above
  const m = c.shape[c.ndim - 2];
  const shape = [...c.shape.slice(0, -2), ...(a.ndim > 1 ? [m] : []), ...(b.ndim > 1 ? [n] : [])];
  return reshape(c, shape);
}

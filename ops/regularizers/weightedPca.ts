// Weighted PCA of each point's neighbourhood (docs/dss.md §4, eq. 16), a hand-written
// custom-gradient op. Per point i with neighbour weights w_ik (from pcaWeights, eq. 15):
//   m_i = sum_k w_ik p_k,   C_i = sum_k w_ik (p_k - m_i)(p_k - m_i)^T                       (16)
// (the patent prints p_i inside the sum; the SVD of sqrt(w_ik)(p_k - m_i) is meant, whose right
// singular vectors are the eigenvectors of C_i). C_i = V diag(lambda) V^T with lambda sorted
// descending: v_1, v_2 span the tangent plane (V~ of eq. 17), v_3 is the normal (V_n of eq. 18).
//
// Backward (the standard symmetric-eigensystem derivative): with lambda' and V' the incoming
// gradients,  C' = V (diag(lambda') + F o (V^T V')) V^T,  F_ij = 1 / (lambda_j - lambda_i) (i != j),
// guarded as F_ij = gap / (gap^2 + delta^2), delta = 1e-6 sum|lambda|, so equal eigenvalues give a
// finite (zero) coupling instead of Infinity (and C = 0, a point with < 2 neighbours, gives none).
// Then through eq. 16, with s = sum_k w_k (p_k - m):
//   dL/dp_k += 2 w_k C' (p_k - m) - 2 w_k C' s
//   dL/dw_k += (p_k - m)^T C' (p_k - m) - 2 (C' s) . p_k          (s = 0 when the w sum to 1)
// `detach: true` treats the frame as constant (no gradient into positions or weights), as the
// DSS reference does; the default differentiates through it.

import { customOp } from '../../lib/customOp.js';
import { type FloatArray, allocate } from '../../lib/dtype.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { defineKernel } from '../../parallel/kernels.js';
import { scratchShared } from '../../parallel/scratch.js';
import { float64 } from '../../lib/sharedMemory.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { type NeighborLists, checkNeighbors } from './neighborhood.js';
import { checkPoints } from './pcaWeights.js';
import { CHUNKS, chunkRange } from './pointChunks.js';
import { symmetricEigen3 } from './symmetricEigen3.js';

/** Relative guard on eigenvalue gaps in the backward. */
const GAP_GUARD = 1e-6;

export interface WeightedPcaResult {
  /** [N, 3]: lambda_1 >= lambda_2 >= lambda_3 per point. */
  eigenvalues: Tensor;
  /** [N, 3, 3]: row j of point i is eigenvector j (unit; rows 0-1 tangent, row 2 normal). */
  eigenvectors: Tensor;
  /** [N, 3]: the normal v_3 (the same values as row 2 of eigenvectors, as its own output). */
  normals: Tensor;
}

export interface WeightedPcaOptions {
  /** Treat the frame as constant: no gradient flows back through the decomposition (default false). */
  detach?: boolean;
  /** Threads for the forward (default: every core; the same result for any count). */
  threads?: number;
}

export interface WeightedPcaArgs {
  P: FloatArray;
  w: FloatArray;
  offsets: Int32Array;
  indices: Int32Array;
  /** Written per point: eigenvalues (3), eigenvectors (9), normal (3), mean (3). */
  L: FloatArray;
  V: FloatArray;
  normals: FloatArray;
  means: Float64Array;
}

/**
 * Range c of points: each one's weighted mean and covariance (eq. 16) and their eigensystem,
 * independent of the other points. (The backward scatters to the neighbours and stays on the
 * calling thread, as pcaWeights' does.)
 */
export const weightedPcaRanges = defineKernel<WeightedPcaArgs>('regularizer.weightedPca', import.meta.url, (a, c) => {
  const { P, w, offsets, indices, L, V, normals: Nn, means } = a;
  const [i0, i1] = chunkRange(offsets.length - 1, c);
  const C = new Float64Array(9);
  for (let i = i0; i < i1; i++) {
    let mx = 0,
      my = 0,
      mz = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const k = indices[e],
        we = w[e];
      mx += we * P[3 * k];
      my += we * P[3 * k + 1];
      mz += we * P[3 * k + 2];
    }
    let cxx = 0,
      cxy = 0,
      cxz = 0,
      cyy = 0,
      cyz = 0,
      czz = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const k = indices[e],
        we = w[e];
      const qx = P[3 * k] - mx,
        qy = P[3 * k + 1] - my,
        qz = P[3 * k + 2] - mz;
      cxx += we * qx * qx;
      cxy += we * qx * qy;
      cxz += we * qx * qz;
      cyy += we * qy * qy;
      cyz += we * qy * qz;
      czz += we * qz * qz;
    }
    C[0] = cxx;
    C[1] = cxy;
    C[2] = cxz;
    C[4] = cyy;
    C[5] = cyz;
    C[8] = czz;
    symmetricEigen3(C, 0, L, 3 * i, V, 9 * i);
    Nn[3 * i] = V[9 * i + 6];
    Nn[3 * i + 1] = V[9 * i + 7];
    Nn[3 * i + 2] = V[9 * i + 8];
    means[3 * i] = mx;
    means[3 * i + 1] = my;
    means[3 * i + 2] = mz;
  }
});

const weightedPcaOp = customOp({
  name: 'weightedPca',
  forward(ctx, positions: Tensor, weights: Tensor, neighbors: NeighborLists, threads: number) {
    const on = threads > 1;
    const n = neighbors.offsets.length - 1;
    const output = (shape: number[]) =>
      new Tensor(
        allocate(
          ctx.dtype,
          shape.reduce((x, y) => x * y, 1),
          on,
        ),
        shape,
      );
    const values = output([n, 3]),
      vectors = output([n, 3, 3]),
      normals = output([n, 3]);
    const means = float64(3 * n, on);
    runTasks(
      weightedPcaRanges,
      {
        P: scratchShared('weightedPca.P', positions.data, on),
        w: scratchShared('weightedPca.w', weights.data, on),
        offsets: scratchShared('weightedPca.offsets', neighbors.offsets, on),
        indices: scratchShared('weightedPca.indices', neighbors.indices, on),
        L: values.data,
        V: vectors.data,
        normals: normals.data,
        means,
      },
      CHUNKS,
      threads,
    );
    ctx.save(positions, weights, neighbors, means, values.data, vectors.data);
    return [values, vectors, normals];
  },
  backward(ctx, gValues, gVectors, gNormals) {
    const [positions, weights, neighbors, means, L, V] = ctx.saved as [Tensor, Tensor, NeighborLists, Float64Array, ArrayLike<number>, ArrayLike<number>];
    const P = positions.data,
      w = weights.data;
    const { offsets, indices } = neighbors;
    const n = offsets.length - 1;
    const gP = ctx.needsInputGrad[0] ? ctx.zeros(P.length) : null;
    const gW = ctx.needsInputGrad[1] ? ctx.zeros(w.length) : null;
    const Vb = new Float64Array(9),
      K = new Float64Array(9),
      G = new Float64Array(9);
    for (let i = 0; i < n; i++) {
      // incoming gradient of the eigenvectors (rows), the normal output adding into row 2
      for (let a = 0; a < 9; a++) Vb[a] = gVectors ? gVectors[9 * i + a] : 0;
      if (gNormals) for (let a = 0; a < 3; a++) Vb[6 + a] += gNormals[3 * i + a];
      const l0 = L[3 * i],
        l1 = L[3 * i + 1],
        l2 = L[3 * i + 2];
      const delta = GAP_GUARD * (Math.abs(l0) + Math.abs(l1) + Math.abs(l2));
      const lam = [l0, l1, l2];
      // K = diag(lambda') + F o (V^T V'),  (V^T V')_ij = v_i . v'_j
      let any = false;
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          let kv: number;
          if (r === c) kv = gValues ? gValues[3 * i + r] : 0;
          else {
            const m = V[9 * i + 3 * r] * Vb[3 * c] + V[9 * i + 3 * r + 1] * Vb[3 * c + 1] + V[9 * i + 3 * r + 2] * Vb[3 * c + 2];
            const gap = lam[c] - lam[r],
              denom = gap * gap + delta * delta;
            kv = denom > 0 ? (m * gap) / denom : 0; // a point with < 2 neighbours has C = 0: no coupling
          }
          K[3 * r + c] = kv;
          if (kv !== 0) any = true;
        }
      }
      if (!any) continue;
      // C' = sum_rc K_rc v_r v_c^T, symmetrized (C is symmetric)
      for (let a = 0; a < 3; a++) {
        for (let b = a; b < 3; b++) {
          let s = 0;
          for (let r = 0; r < 3; r++) {
            for (let c = 0; c < 3; c++) {
              const kv = K[3 * r + c];
              if (kv !== 0) s += kv * (V[9 * i + 3 * r + a] * V[9 * i + 3 * c + b] + V[9 * i + 3 * r + b] * V[9 * i + 3 * c + a]);
            }
          }
          G[3 * a + b] = G[3 * b + a] = 0.5 * s;
        }
      }
      const mx = means[3 * i],
        my = means[3 * i + 1],
        mz = means[3 * i + 2];
      // s = sum_k w_k (p_k - m), zero for normalized weights but kept so the op is exact for any w
      let sx = 0,
        sy = 0,
        sz = 0;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e],
          we = w[e];
        sx += we * (P[3 * k] - mx);
        sy += we * (P[3 * k + 1] - my);
        sz += we * (P[3 * k + 2] - mz);
      }
      const rx = -2 * (G[0] * sx + G[1] * sy + G[2] * sz);
      const ry = -2 * (G[3] * sx + G[4] * sy + G[5] * sz);
      const rz = -2 * (G[6] * sx + G[7] * sy + G[8] * sz);
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e],
          we = w[e];
        const qx = P[3 * k] - mx,
          qy = P[3 * k + 1] - my,
          qz = P[3 * k + 2] - mz;
        const gx = G[0] * qx + G[1] * qy + G[2] * qz;
        const gy = G[3] * qx + G[4] * qy + G[5] * qz;
        const gz = G[6] * qx + G[7] * qy + G[8] * qz;
        if (gP) {
          gP[3 * k] += we * (2 * gx + rx);
          gP[3 * k + 1] += we * (2 * gy + ry);
          gP[3 * k + 2] += we * (2 * gz + rz);
        }
        if (gW) gW[e] += qx * gx + qy * gy + qz * gz + rx * P[3 * k] + ry * P[3 * k + 1] + rz * P[3 * k + 2];
      }
    }
    return [gP, gW];
  },
});

/**
 * Per point, the weighted covariance of its neighbours (eq. 16) and its eigendecomposition:
 * the local frame of the regularizers. `weights` [E] holds one w_ik per neighbour-list entry
 * (pcaWeights); positions [N, 3].
 */
export function weightedPca(positions: Tensor, weights: Tensor, neighbors: NeighborLists, options: WeightedPcaOptions = {}): WeightedPcaResult {
  const n = checkPoints(positions, null, 'weightedPca');
  checkNeighbors(neighbors, n, 'weightedPca');
  if (!(weights instanceof Tensor)) throw new ArgumentError('weightedPca: weights must be a tensor of one w_ik per neighbour entry (from pcaWeights).');
  if (weights.size !== neighbors.indices.length)
    throw new ShapeError(`weightedPca: weights has ${weights.size} values but the neighbourhood has ${neighbors.indices.length} entries; compute them with pcaWeights on the same neighbourhood.`);
  const threads = resolveThreads(options.threads, 'weightedPca: options.threads');
  const [eigenvalues, eigenvectors, normals] = options.detach ? weightedPcaOp(positions.detach(), weights.detach(), neighbors, threads) : weightedPcaOp(positions, weights, neighbors, threads);
  return { eigenvalues, eigenvectors, normals };
}

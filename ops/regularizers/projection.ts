// Projection loss (docs/dss.md §4, eq. 18): pulls each point onto the plane its
// neighbours fit, so the image gradient cannot scatter points inside and outside the surface.
//   L_p = 1/N sum_i sum_{k in N(i)} w_ik |V_n V_n^T (p_i - p_k)|^2 = 1/N sum_i sum_k w_ik h_ik^2,
//   h_ik = n_i . (p_i - p_k),   n_i = V_n: the normal of point i's weighted PCA (eq. 16)
// (the patent prints V_n V^T; V_n V_n^T, the projection onto the normal, is meant).
// Differentiable in the positions, the normals n_i (so the PCA frame can pass its gradient on) and
// the weights w_ik (so pcaWeights can): with c = 2 g w h / N,
//   dL/dp_i = c n_i = -dL/dp_k,   dL/dn_i = c (p_i - p_k),   dL/dw_ik = g h^2 / N.

import { customOp } from '../../lib/customOp.js';
import { type FloatArray, allocate } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';
import { scratchShared } from '../../parallel/scratch.js';
import { resolveThreads } from '../../parallel/threads.js';
import { type RangeArgs, backwardRanges, chunkRange, forwardRanges } from './pointChunks.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { type NeighborLists, checkNeighbors } from './neighborhood.js';
import { checkPoints } from './pcaWeights.js';

export interface ProjectionArgs extends RangeArgs {
  w: FloatArray;
  /** dL/dL_p / N (backward). */
  scale: number;
  /** Backward: written per point i and per entry e, so straight into the gradients. */
  gN: FloatArray | null;
  gW: FloatArray | null;
}

/** Range c of points: its part of eq. 18 (forward) or of its gradient (backward). */
export const projectionRanges = defineKernel<ProjectionArgs>('regularizer.projection', import.meta.url, (a, c) => {
  const { P, N: Nn, w, offsets, indices } = a;
  const n = offsets.length - 1;
  const [i0, i1] = chunkRange(n, c);
  if (!a.backward) {
    let total = 0;
    for (let i = i0; i < i1; i++) {
      const nx = Nn[3 * i],
        ny = Nn[3 * i + 1],
        nz = Nn[3 * i + 2];
      const px = P[3 * i],
        py = P[3 * i + 1],
        pz = P[3 * i + 2];
      let row = 0;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const h = nx * (px - P[3 * k]) + ny * (py - P[3 * k + 1]) + nz * (pz - P[3 * k + 2]);
        row += w[e] * h * h;
      }
      total += row;
    }
    a.totals[c] = total;
    return;
  }
  const { scale, gN, gW } = a;
  const gP = a.gP ? a.gP.subarray(c * 3 * n, (c + 1) * 3 * n) : null;
  for (let i = i0; i < i1; i++) {
    const nx = Nn[3 * i],
      ny = Nn[3 * i + 1],
      nz = Nn[3 * i + 2];
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const k = indices[e];
      const dx = P[3 * i] - P[3 * k],
        dy = P[3 * i + 1] - P[3 * k + 1],
        dz = P[3 * i + 2] - P[3 * k + 2];
      const h = nx * dx + ny * dy + nz * dz;
      if (gW) gW[e] += scale * h * h;
      const g = 2 * scale * w[e] * h;
      if (gP) {
        gP[3 * i] += g * nx;
        gP[3 * i + 1] += g * ny;
        gP[3 * i + 2] += g * nz;
        gP[3 * k] -= g * nx;
        gP[3 * k + 1] -= g * ny;
        gP[3 * k + 2] -= g * nz;
      }
      if (gN) {
        gN[3 * i] += g * dx;
        gN[3 * i + 1] += g * dy;
        gN[3 * i + 2] += g * dz;
      }
    }
  }
});

const projectionOp = customOp({
  name: 'projectionLoss',
  forward(ctx, positions: Tensor, normals: Tensor, weights: Tensor, neighbors: NeighborLists, threads: number) {
    const w = scratchShared('projection.w', weights.data, threads > 1);
    const out = ctx.output([]);
    out.data[0] = forwardRanges(projectionRanges, positions.data, normals.data, neighbors, { w, scale: 0, gN: null, gW: null }, threads);
    ctx.save(positions, normals, weights, neighbors, threads);
    return out;
  },
  backward(ctx, g) {
    const [positions, normals, weights, neighbors, threads] = ctx.saved as [Tensor, Tensor, Tensor, NeighborLists, number];
    const shared = threads > 1;
    const [needP, needN, needW] = ctx.needsInputGrad;
    const gP = needP ? ctx.zeros(positions.size) : null;
    const gN = needN ? allocate(ctx.dtype, normals.size, shared) : null;
    const gW = needW ? allocate(ctx.dtype, weights.size, shared) : null;
    const w = scratchShared('projection.w', weights.data, shared);
    backwardRanges(projectionRanges, positions.data, normals.data, neighbors, { w, scale: g![0] / (neighbors.offsets.length - 1), gN, gW }, gP, threads);
    return [gP, gN, gW];
  },
});

/**
 * eq. 18 for positions [N, 3], per-point normals [N, 3] (the weighted-PCA normals V_n, eq. 16)
 * and weights [E] (one w_ik per neighbour entry, pcaWeights) over the same neighbourhood.
 */
export function projectionLoss(positions: Tensor, normals: Tensor, weights: Tensor, neighbors: NeighborLists, options: { threads?: number } = {}): Tensor {
  const n = checkPoints(positions, normals, 'projectionLoss');
  checkNeighbors(neighbors, n, 'projectionLoss');
  if (!(weights instanceof Tensor)) throw new ArgumentError('projectionLoss: weights must be a tensor of one w_ik per neighbour entry (from pcaWeights).');
  if (weights.size !== neighbors.indices.length)
    throw new ShapeError(`projectionLoss: weights has ${weights.size} values but the neighbourhood has ${neighbors.indices.length} entries; compute them with pcaWeights on the same neighbourhood.`);
  return projectionOp(positions, normals, weights, neighbors, resolveThreads(options.threads, 'projectionLoss: options.threads'));
}

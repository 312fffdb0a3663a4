// Repulsion loss (docs/dss.md §4, eq. 17): spreads points evenly inside
// their local tangent plane, so the image gradient cannot clump them at a common local minimum.
//   L_r = 1/N sum_i sum_{k in N(i)} psi_ik / (|d~_ik|^2 + eps),   psi_ik = exp(-|p_i - p_k|^2 / D^2)   (15a)
//   d~_ik = V~ V~^T (p_i - p_k) = T_i d,  T_i = I - n_i n_i^T,  d = p_i - p_k                      (17b)
// V~ holds the first two principal directions of point i's weighted PCA (eq. 16), so V~ V~^T is
// I - n_i n_i^T with n_i its normal (weightedPca's `normals`); fixed normals work the same way.
// eps = 1e-4 as in the patent. Written for any n (unit or not) so gradchecks can move it:
//   with t = T d, h = n . d, s = |t|^2 + eps:
//   dL/dd = -2 psi/s (d / D^2 + (t - n (n . t)) / s)   (dL/dp_i = dL/dd = -dL/dp_k)
//   dL/dn = 2 psi/s^2 (d (n . t) + h t)
// Normals given as a tensor carry a gradient when they require one (the differentiable PCA frame);
// given as a typed array they are constants.

import type { FloatArray } from '../../lib/dtype.js';
import { customOp } from '../../lib/customOp.js';
import { allocate } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';
import { resolveThreads } from '../../parallel/threads.js';
import { type RangeArgs, backwardRanges, chunkRange, forwardRanges } from './pointChunks.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { type NeighborLists, checkNeighbors } from './neighborhood.js';
import { checkPoints } from './pcaWeights.js';

export type { NeighborLists } from './neighborhood.js';

/** The eps of eq. 17a that keeps coincident points finite. */
export const REPULSION_EPSILON = 1e-4;

export interface RepulsionOptions {
  /** The eps of eq. 17a (default 1e-4, the patent's; in squared scene units). */
  epsilon?: number;
  /** Threads (default: every core; the result is the same for any count). */
  threads?: number;
}

export interface RepulsionArgs extends RangeArgs {
  invD2: number;
  eps: number;
  /** dL/dL_r / N (backward). */
  scale: number;
  /** Backward: written per point i, so straight into the gradient. */
  gN: FloatArray | null;
}

/** Range c of points: its part of eq. 17 (forward) or of its gradient (backward). */
export const repulsionRanges = defineKernel<RepulsionArgs>('regularizer.repulsion', import.meta.url, (a, c) => {
  const { P, N: Nn, offsets, indices, invD2, eps } = a;
  const n = offsets.length - 1;
  const [i0, i1] = chunkRange(n, c);
  if (!a.backward) {
    let total = 0;
    for (let i = i0; i < i1; i++) {
      const nx = Nn[3 * i],
        ny = Nn[3 * i + 1],
        nz = Nn[3 * i + 2];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const dx = P[3 * i] - P[3 * k],
          dy = P[3 * i + 1] - P[3 * k + 1],
          dz = P[3 * i + 2] - P[3 * k + 2];
        const h = dx * nx + dy * ny + dz * nz;
        const tx = dx - h * nx,
          ty = dy - h * ny,
          tz = dz - h * nz;
        const s = tx * tx + ty * ty + tz * tz + eps;
        total += Math.exp(-(dx * dx + dy * dy + dz * dz) * invD2) / s;
      }
    }
    a.totals[c] = total;
    return;
  }
  const { scale, gN } = a;
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
      const h = dx * nx + dy * ny + dz * nz;
      const tx = dx - h * nx,
        ty = dy - h * ny,
        tz = dz - h * nz;
      const s = tx * tx + ty * ty + tz * tz + eps;
      const psi = Math.exp(-(dx * dx + dy * dy + dz * dz) * invD2);
      const nt = nx * tx + ny * ty + nz * tz; // 0 for a unit normal
      if (gP) {
        const f = (-2 * psi * scale) / s;
        const gx = f * (dx * invD2 + (tx - nt * nx) / s);
        const gy = f * (dy * invD2 + (ty - nt * ny) / s);
        const gz = f * (dz * invD2 + (tz - nt * nz) / s);
        gP[3 * i] += gx;
        gP[3 * i + 1] += gy;
        gP[3 * i + 2] += gz;
        gP[3 * k] -= gx;
        gP[3 * k + 1] -= gy;
        gP[3 * k + 2] -= gz;
      }
      if (gN) {
        const f = (2 * psi * scale) / (s * s);
        gN[3 * i] += f * (dx * nt + h * tx);
        gN[3 * i + 1] += f * (dy * nt + h * ty);
        gN[3 * i + 2] += f * (dz * nt + h * tz);
      }
    }
  }
});

const repulsionOp = customOp({
  name: 'repulsionLoss',
  forward(ctx, positions: Tensor, normals: Tensor | FloatArray, neighbors: NeighborLists, radius: number, eps: number, threads: number) {
    const Nn = normals instanceof Tensor ? normals.data : normals;
    const invD2 = 1 / (radius * radius);
    const out = ctx.output([]);
    out.data[0] = forwardRanges(repulsionRanges, positions.data, Nn, neighbors, { invD2, eps, scale: 0, gN: null }, threads);
    ctx.save(positions, Nn, neighbors, invD2, eps, threads);
    return out;
  },
  backward(ctx, g) {
    const [positions, Nn, neighbors, invD2, eps, threads] = ctx.saved as [Tensor, FloatArray, NeighborLists, number, number, number];
    const gP = ctx.needsInputGrad[0] ? ctx.zeros(positions.size) : null;
    const gN = ctx.needsInputGrad[1] ? allocate(ctx.dtype, Nn.length, threads > 1) : null;
    backwardRanges(repulsionRanges, positions.data, Nn, neighbors, { invD2, eps, scale: g![0] / (neighbors.offsets.length - 1), gN }, gP, threads);
    return [gP, gN];
  },
});

/**
 * eq. 17 for positions [N, 3] with tangent planes from per-point normals [N, 3] (weightedPca's
 * `normals`, or any unit normals: a tensor that requires grad receives one, a typed array is
 * constant) over CSR neighbour lists, with the spatial scale D = `radius` of eq. 15a.
 */
export function repulsionLoss(positions: Tensor, normals: Tensor | Float64Array | Float32Array, neighbors: NeighborLists, radius: number, options: RepulsionOptions = {}): Tensor {
  const n = checkPoints(positions, null, 'repulsionLoss');
  const normalTensor = normals instanceof Tensor ? normals : null;
  const normalData = normalTensor ? normalTensor.data : normals;
  if (!(normalData instanceof Float64Array || normalData instanceof Float32Array) || normalData.length !== 3 * n) {
    throw new ShapeError(`repulsionLoss: normals must hold one xyz triple per position (${3 * n} values), got ${(normalData as { length?: number })?.length}.`);
  }
  if (normalTensor) checkPoints(positions, normalTensor, 'repulsionLoss');
  else checkPoints(positions, new Tensor(normalData, [n, 3]), 'repulsionLoss');
  checkNeighbors(neighbors, n, 'repulsionLoss');
  if (!(radius > 0) || !Number.isFinite(radius)) throw new ArgumentError(`repulsionLoss: radius must be a positive number (the D of eq. 15a), got ${radius}.`);
  const eps = options.epsilon ?? REPULSION_EPSILON;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ArgumentError(`repulsionLoss: options.epsilon must be a positive number (the 1e-4 of eq. 17a), got ${eps}.`);
  return repulsionOp(positions, normalTensor ?? normalData, neighbors, radius, eps, resolveThreads(options.threads, 'repulsionLoss: options.threads'));
}

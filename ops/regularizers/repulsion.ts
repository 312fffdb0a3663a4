// Repulsion loss (dss.md §4, eq. 17, patent [0082]): spreads points evenly inside their local
// tangent plane, so the image gradient cannot clump them at a common local minimum.
//   L_r = 1/N sum_i sum_{k in N(i)} psi_ik / (|T_i (p_i - p_k)|^2 + 1e-4),  psi_ik = exp(-|p_i - p_k|^2 / D^2)
// T_i = I - n_i n_i^T projects onto the tangent plane at i (n_i: the frame's normal, held constant
// here; the weighted-PCA frame of eq. 16 arrives with the regularization issue).
// With d = p_i - p_k, t = T_i d, s = |t|^2 + 1e-4: d(psi/s)/dd = -2 psi/s (d/D^2 + t/s).

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';

const GUARD = 1e-4;

/** Neighbour lists in CSR form: the neighbours of i are indices[offsets[i] .. offsets[i+1]). */
export interface NeighborLists {
  offsets: Int32Array;
  indices: Int32Array;
}

const repulsionOp = customOp({
  name: 'repulsion',
  forward(ctx, positions: Tensor, normals: Float64Array | Float32Array, neighbors: NeighborLists, radius: number) {
    const P = positions.data, n = positions.shape[0];
    const { offsets, indices } = neighbors;
    const invD2 = 1 / (radius * radius);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const nx = normals[3 * i], ny = normals[3 * i + 1], nz = normals[3 * i + 2];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const dx = P[3 * i] - P[3 * k], dy = P[3 * i + 1] - P[3 * k + 1], dz = P[3 * i + 2] - P[3 * k + 2];
        const dn = dx * nx + dy * ny + dz * nz;
        const tx = dx - dn * nx, ty = dy - dn * ny, tz = dz - dn * nz;
        const s = tx * tx + ty * ty + tz * tz + GUARD;
        total += Math.exp(-(dx * dx + dy * dy + dz * dz) * invD2) / s;
      }
    }
    const out = ctx.output([]);
    out.data[0] = total / n;
    ctx.save(positions, normals, neighbors, radius);
    return out;
  },
  backward(ctx, g) {
    const [positions, normals, neighbors, radius] = ctx.saved as [Tensor, Float64Array, NeighborLists, number];
    const P = positions.data, n = positions.shape[0];
    const { offsets, indices } = neighbors;
    const invD2 = 1 / (radius * radius);
    const gP = ctx.zeros(P.length);
    const scale = g![0] / n;
    for (let i = 0; i < n; i++) {
      const nx = normals[3 * i], ny = normals[3 * i + 1], nz = normals[3 * i + 2];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const dx = P[3 * i] - P[3 * k], dy = P[3 * i + 1] - P[3 * k + 1], dz = P[3 * i + 2] - P[3 * k + 2];
        const dn = dx * nx + dy * ny + dz * nz;
        const tx = dx - dn * nx, ty = dy - dn * ny, tz = dz - dn * nz;
        const s = tx * tx + ty * ty + tz * tz + GUARD;
        const psi = Math.exp(-(dx * dx + dy * dy + dz * dz) * invD2);
        const f = (-2 * psi * scale) / s;
        const gx = f * (dx * invD2 + tx / s), gy = f * (dy * invD2 + ty / s), gz = f * (dz * invD2 + tz / s);
        gP[3 * i] += gx;
        gP[3 * i + 1] += gy;
        gP[3 * i + 2] += gz;
        gP[3 * k] -= gx;
        gP[3 * k + 1] -= gy;
        gP[3 * k + 2] -= gz;
      }
    }
    return [gP];
  },
});

/**
 * eq. 17 for `positions` [N, 3] with tangent planes from unit `normals` [N, 3] (constant) over
 * the given neighbour lists (radius D, e.g. from radiusNeighbors).
 */
export function repulsionLoss(positions: Tensor, normals: Tensor | Float64Array | Float32Array, neighbors: NeighborLists, radius: number): Tensor {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) throw new ShapeError(`repulsionLoss: positions must be an N x 3 tensor, got ${positions instanceof Tensor ? `[${positions.shape}]` : typeof positions}.`);
  const n = positions.shape[0];
  if (n === 0) throw new ArgumentError('repulsionLoss: positions is empty.');
  const normalData = normals instanceof Tensor ? normals.data : normals;
  if (normalData.length !== 3 * n) throw new ShapeError(`repulsionLoss: normals must hold one xyz triple per position (${3 * n} values), got ${normalData.length}.`);
  if (!neighbors || neighbors.offsets.length !== n + 1) throw new ShapeError(`repulsionLoss: neighbors.offsets must have N + 1 = ${n + 1} entries (CSR rows from radiusNeighbors), got ${neighbors?.offsets.length}.`);
  if (!(radius > 0) || !Number.isFinite(radius)) throw new ArgumentError(`repulsionLoss: radius must be a positive number (the D of eq. 15a), got ${radius}.`);
  return repulsionOp(positions, normalData, neighbors, radius);
}

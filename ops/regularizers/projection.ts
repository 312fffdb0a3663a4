// Projection loss (dss.md §4, eq. 18, patent [0083], [0090]): pulls each point onto the plane its
// neighbours fit, so the image gradient cannot scatter points inside and outside the surface.
//   L_p = 1/N sum_i sum_{k in N(i)} w_ik |V_n V_n^T (p_i - p_k)|^2 = 1/N sum_i sum_k w_ik h_ik^2,
//   h_ik = n_i . (p_i - p_k),   n_i = V_n: the normal of point i's weighted PCA (eq. 16)
// (the patent prints V_n V^T; V_n V_n^T, the projection onto the normal, is meant).
// Differentiable in the positions, the normals n_i (so the PCA frame can pass its gradient on) and
// the weights w_ik (so pcaWeights can): with c = 2 g w h / N,
//   dL/dp_i = c n_i = -dL/dp_k,   dL/dn_i = c (p_i - p_k),   dL/dw_ik = g h^2 / N.

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { type NeighborLists, checkNeighbors } from './neighborhood.js';
import { checkPoints } from './pcaWeights.js';

const projectionOp = customOp({
  name: 'projectionLoss',
  forward(ctx, positions: Tensor, normals: Tensor, weights: Tensor, neighbors: NeighborLists) {
    const P = positions.data, Nn = normals.data, w = weights.data;
    const { offsets, indices } = neighbors;
    const n = offsets.length - 1;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const nx = Nn[3 * i], ny = Nn[3 * i + 1], nz = Nn[3 * i + 2];
      const px = P[3 * i], py = P[3 * i + 1], pz = P[3 * i + 2];
      let row = 0;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const h = nx * (px - P[3 * k]) + ny * (py - P[3 * k + 1]) + nz * (pz - P[3 * k + 2]);
        row += w[e] * h * h;
      }
      total += row;
    }
    const out = ctx.output([]);
    out.data[0] = total / n;
    ctx.save(positions, normals, weights, neighbors);
    return out;
  },
  backward(ctx, g) {
    const [positions, normals, weights, neighbors] = ctx.saved as [Tensor, Tensor, Tensor, NeighborLists];
    const P = positions.data, Nn = normals.data, w = weights.data;
    const { offsets, indices } = neighbors;
    const n = offsets.length - 1;
    const scale = g![0] / n;
    const [needP, needN, needW] = ctx.needsInputGrad;
    const gP = needP ? ctx.zeros(P.length) : null;
    const gN = needN ? ctx.zeros(Nn.length) : null;
    const gW = needW ? ctx.zeros(w.length) : null;
    for (let i = 0; i < n; i++) {
      const nx = Nn[3 * i], ny = Nn[3 * i + 1], nz = Nn[3 * i + 2];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const k = indices[e];
        const dx = P[3 * i] - P[3 * k], dy = P[3 * i + 1] - P[3 * k + 1], dz = P[3 * i + 2] - P[3 * k + 2];
        const h = nx * dx + ny * dy + nz * dz;
        if (gW) gW[e] += scale * h * h;
        const c = 2 * scale * w[e] * h;
        if (gP) {
          gP[3 * i] += c * nx; gP[3 * i + 1] += c * ny; gP[3 * i + 2] += c * nz;
          gP[3 * k] -= c * nx; gP[3 * k + 1] -= c * ny; gP[3 * k + 2] -= c * nz;
        }
        if (gN) {
          gN[3 * i] += c * dx; gN[3 * i + 1] += c * dy; gN[3 * i + 2] += c * dz;
        }
      }
    }
    return [gP, gN, gW];
  },
});

/**
 * eq. 18 for positions [N, 3], per-point normals [N, 3] (the weighted-PCA normals V_n, eq. 16)
 * and weights [E] (one w_ik per neighbour entry, pcaWeights) over the same neighbourhood.
 */
export function projectionLoss(positions: Tensor, normals: Tensor, weights: Tensor, neighbors: NeighborLists): Tensor {
  const n = checkPoints(positions, normals, 'projectionLoss');
  checkNeighbors(neighbors, n, 'projectionLoss');
  if (!(weights instanceof Tensor)) throw new ArgumentError('projectionLoss: weights must be a tensor of one w_ik per neighbour entry (from pcaWeights).');
  if (weights.size !== neighbors.indices.length) throw new ShapeError(`projectionLoss: weights has ${weights.size} values but the neighbourhood has ${neighbors.indices.length} entries; compute them with pcaWeights on the same neighbourhood.`);
  return projectionOp(positions, normals, weights, neighbors);
}

// Reference twins of the fused regularizer kernels (pcaWeights, projectionLoss, repulsionLoss):
// the textbook formulas of eq. 15, 17 and 18 written with the tape's generic ops, one tensor of
// E neighbour entries at a time, so their gradients come from the tape rather than from hand-derived
// backwards. Slow and allocation-heavy; specs hold the fast kernels equal to these.

import { full, fromArray } from '../../lib/create.js';
import { allocate } from '../../lib/dtype.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, div, mul, sub } from '../arithmetic.js';
import { indexSelect, scatterAdd } from '../gather.js';
import { sum } from '../reduce.js';
import { unsqueeze } from '../reshape.js';
import { exp } from '../unary.js';
import { dot } from '../vector.js';
import type { NeighborLists } from './neighborhood.js';
import { REPULSION_EPSILON } from './repulsion.js';

/** Row (point i) of each CSR entry. */
function rowsOf(neighbors: NeighborLists): Int32Array {
  const n = neighbors.offsets.length - 1;
  const rows = new Int32Array(neighbors.indices.length);
  for (let i = 0; i < n; i++) rows.fill(i, neighbors.offsets[i], neighbors.offsets[i + 1]);
  return rows;
}

/** d_ik = p_i - p_k per entry, [E, 3]. */
function differences(positions: Tensor, neighbors: NeighborLists, rows: Int32Array): Tensor {
  return sub(indexSelect(positions, 0, rows), indexSelect(positions, 0, neighbors.indices));
}

/** eq. 15-16 with tape ops: w = psi theta phi / sum_k psi theta phi. */
export function pcaWeightsReference(
  positions: Tensor,
  normals: Tensor | null,
  neighbors: NeighborLists,
  radius: number,
  options: { occlusion?: ArrayLike<number>; normalAngle?: number } = {},
): Tensor {
  const n = positions.shape[0],
    rows = rowsOf(neighbors);
  const d = differences(positions, neighbors, rows);
  let u = exp(mul(dot(d, d), -1 / (radius * radius))); // psi (15a)
  if (normals) {
    const sigma = Math.max(1e-5, 1 - Math.cos(options.normalAngle ?? Math.PI / 3));
    const c = sub(1, dot(indexSelect(normals, 0, rows), indexSelect(normals, 0, neighbors.indices)));
    u = mul(u, exp(mul(mul(c, c), -1 / sigma))); // theta (15b)
  }
  const phi = allocate(positions.dtype, rows.length);
  for (let e = 0; e < rows.length; e++) phi[e] = 1 / ((options.occlusion?.[neighbors.indices[e]] ?? 0) + 1); // (15c)
  u = mul(u, fromArray(phi, [rows.length]));
  const sums = scatterAdd(full([n], 0, { dtype: positions.dtype }), 0, rows, u);
  return div(u, indexSelect(sums, 0, rows));
}

/** eq. 18 with tape ops: 1/N sum w (n_i . d)^2. */
export function projectionLossReference(positions: Tensor, normals: Tensor, weights: Tensor, neighbors: NeighborLists): Tensor {
  const rows = rowsOf(neighbors);
  const h = dot(indexSelect(normals, 0, rows), differences(positions, neighbors, rows));
  return div(sum(mul(weights, mul(h, h))), positions.shape[0]);
}

/** eq. 17 with tape ops: 1/N sum psi / (|d - (n_i . d) n_i|^2 + eps). */
export function repulsionLossReference(positions: Tensor, normals: Tensor, neighbors: NeighborLists, radius: number, epsilon = REPULSION_EPSILON): Tensor {
  const rows = rowsOf(neighbors);
  const d = differences(positions, neighbors, rows);
  const ni = indexSelect(normals, 0, rows);
  const t = sub(d, mul(ni, unsqueeze(dot(ni, d), 1)));
  const psi = exp(mul(dot(d, d), -1 / (radius * radius)));
  return div(sum(div(psi, add(dot(t, t), epsilon))), positions.shape[0]);
}

// The textbook twin of repulsion.ts (docs/drwr.md eq. 5): every pair of points of the view, as
// plain tape ops on an N x N matrix, differentiated by the tape rather than by hand. O(N^2) time
// and memory; read this first, then the binned op.
//   E = sum_j sum_j' [j != j'] a_j w_j' max(0, e^(-|p_j - p_j'|^2 / sigma^2) - e^(-c^2)),  a = w e^delta

import { tensor } from '../../lib/create.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, mul, sub } from '../../ops/arithmetic.js';
import { sum } from '../../ops/reduce.js';
import { unsqueeze } from '../../ops/reshape.js';
import { exp, relu } from '../../ops/unary.js';
import { REPULSION_CUTOFF, type RepulsionView, type StructureRepulsionOptions, checkRepulsionInputs } from './repulsion.js';

/** structureAwareRepulsion over all N^2 pairs (same arguments; `threads` is ignored). */
export function structureAwareRepulsionReference(pixels: Tensor, weights: Tensor, bias: Tensor, options: StructureRepulsionOptions): Tensor {
  const c = options.cutoff ?? REPULSION_CUTOFF;
  const n = checkRepulsionInputs(pixels, weights, bias, options?.sigma, c, 'structureAwareRepulsionReference');
  const difference = sub(unsqueeze(pixels, 1), unsqueeze(pixels, 0)); // [N, N, 2]: p_j - p_j'
  const distance2 = sum(mul(difference, difference), 2); // [N, N]
  const kernel = relu(sub(exp(mul(distance2, -1 / (options.sigma * options.sigma))), Math.exp(-c * c)));
  const others = new Float64Array(n * n).fill(1);
  for (let j = 0; j < n; j++) others[j * n + j] = 0; // no point repels itself
  const pairs = mul(kernel, tensor(others, { dtype: pixels.dtype, shape: [n, n] }));
  const a = mul(weights, exp(bias));
  return sum(mul(mul(unsqueeze(a, 1), pairs), unsqueeze(weights, 0)));
}

/** The sum over views of structureAwareRepulsionReference (the twin of structureAwareRepulsionViews). */
export function structureAwareRepulsionViewsReference(views: readonly RepulsionView[], options: Omit<StructureRepulsionOptions, 'sigma'> = {}): Tensor {
  return views.map((v) => structureAwareRepulsionReference(v.pixels, v.weights, v.bias, { ...options, sigma: v.sigma })).reduce((s, e) => add(s, e));
}

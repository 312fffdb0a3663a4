// The textbook twin of chamferLoss (chamfer.ts): every pairwise squared distance as an N x M
// tensor, its row and column minima, their means, all tape ops, O(N M) time and memory. What a
// learner reads first. Unsquared, sqrt has an infinite derivative at a distance of exactly 0,
// which the tape reports (the fast op takes 0 there).

import type { Tensor } from '../../lib/tensor.js';
import { add, mul, sub } from '../arithmetic.js';
import { min } from '../minmax.js';
import { mean, sum } from '../reduce.js';
import { unsqueeze } from '../reshape.js';
import { concat } from '../concat.js';
import { sqrt } from '../unary.js';
import type { ChamferReduction } from './chamfer.js';

export function chamferLossReference(a: Tensor, b: Tensor, options: { squared: boolean; reduction?: ChamferReduction }): Tensor {
  const diff = sub(unsqueeze(a, 1), unsqueeze(b, 0)); // [N, M, 3]
  const d2 = sum(mul(diff, diff), 2); // [N, M]
  let toB = min(d2, 1), // each a's nearest b
    toA = min(d2, 0); // each b's nearest a
  if (!options.squared) {
    toB = sqrt(toB);
    toA = sqrt(toA);
  }
  switch (options.reduction ?? 'mean') {
    case 'none':
      return concat([toB, toA], 0);
    case 'sum':
      return add(sum(toB), sum(toA));
    default:
      return add(mean(toB), mean(toA));
  }
}

// The textbook twin of the fused linear op (linear.ts): y = act(x W^T + b) as separate tape ops,
// each with its own backward. What a learner reads first; specs check the two agree.

import type { Tensor } from '../../lib/tensor.js';
import { add } from '../arithmetic.js';
import { matmul } from '../matmul.js';
import { transpose } from '../permute.js';
import { relu, sigmoid, tanh } from '../unary.js';
import { type Activation, softplus } from './activation.js';

export function applyActivation(z: Tensor, activation: Activation = 'none'): Tensor {
  switch (activation) {
    case 'relu':
      return relu(z);
    case 'tanh':
      return tanh(z);
    case 'sigmoid':
      return sigmoid(z);
    case 'softplus':
      return softplus(z);
    default:
      return z;
  }
}

/** act(x W^T + b) for x [..., in], weight [out, in], bias [out] or null. */
export function linearReference(x: Tensor, weight: Tensor, bias: Tensor | null = null, activation: Activation = 'none'): Tensor {
  const z = matmul(x, transpose(weight));
  return applyActivation(bias ? add(z, bias) : z, activation);
}

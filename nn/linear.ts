// Linear: y = act(x W^T + b) with W [out, in] and b [out], PyTorch's torch.nn.Linear layout (the
// state dict names 'weight' and 'bias'), so a safetensors file moves between the two. The
// activation is fused into the op (ops/linear/linear.ts); 'none' gives torch's Linear exactly.

import { type DType, allocate, checkDType } from '../lib/dtype.js';
import { ArgumentError } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { canShareMemory } from './shared.js';
import { type Activation, activationCode } from '../ops/linear/activation.js';
import { linear } from '../ops/linear/linear.js';
import { type Init, initUniform } from './init.js';
import { Module } from './module.js';

export interface LinearLayerOptions {
  /** Learn a bias (default true; initialized to 0). */
  bias?: boolean;
  /** Fused activation (default 'none'). */
  activation?: Activation;
  /** Weight initialization (default 'kaiming' before a relu or softplus, else 'xavier'). */
  init?: Init;
  /** Seed of the initialization (default 0). */
  seed?: number;
  dtype?: DType;
  /** Threads of the forward and backward (default: every core; the same bits for any count). */
  threads?: number;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  activation: Activation;
  threads: number | undefined;

  constructor(inFeatures: number, outFeatures: number, options: LinearLayerOptions = {}) {
    super();
    for (const [what, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`Linear: ${what} must be a whole number >= 1, got ${v}.`);
    }
    const activation = options.activation ?? 'none';
    activationCode(activation, 'Linear: options.activation');
    const dtype = checkDType(options.dtype ?? 'float32', 'Linear: options.dtype');
    const init = options.init ?? (activation === 'relu' || activation === 'softplus' ? 'kaiming' : 'xavier');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.activation = activation;
    this.threads = options.threads;
    // on shared memory, so the pool's workers read the weights without a copy each call
    const shared = canShareMemory();
    const w = allocate(dtype, outFeatures * inFeatures, shared);
    initUniform(w, init, inFeatures, outFeatures, options.seed ?? 0);
    this.weight = this.registerParameter('weight', new Tensor(w, [outFeatures, inFeatures]));
    this.bias = (options.bias ?? true) ? this.registerParameter('bias', new Tensor(allocate(dtype, outFeatures, shared), [outFeatures])) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, { activation: this.activation, threads: this.threads });
  }
}

// Activations as parameter-free modules, for Sequential (they take an index there, as in PyTorch,
// so `Sequential(Linear, ReLU, Linear)` names its weights '0.weight' and '2.weight' like torch does).

import type { Tensor } from '../lib/tensor.js';
import type { Activation } from '../ops/linear/activation.js';
import { applyActivation } from '../ops/linear/linearReference.js';
import { Module } from './module.js';

export class ActivationModule extends Module {
  constructor(readonly activation: Activation) {
    super();
  }

  forward(x: Tensor): Tensor {
    return applyActivation(x, this.activation);
  }
}

export class ReLU extends ActivationModule {
  constructor() {
    super('relu');
  }
}

export class Tanh extends ActivationModule {
  constructor() {
    super('tanh');
  }
}

export class Sigmoid extends ActivationModule {
  constructor() {
    super('sigmoid');
  }
}

export class Softplus extends ActivationModule {
  constructor() {
    super('softplus');
  }
}

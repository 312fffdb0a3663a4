// Sequential: modules applied in order, named '0', '1', ... (torch.nn.Sequential's names).

import { ArgumentError } from '../lib/errors.js';
import type { Tensor } from '../lib/tensor.js';
import { Module } from './module.js';

export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    if (layers.length === 0) throw new ArgumentError('Sequential: pass at least one module.');
    layers.forEach((m, i) => this.registerModule(String(i), m));
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}

// MLP: fully connected layers sizes[0] -> sizes[1] -> ... -> sizes[L], each a fused linear op
// (ops/linear/linear.ts) with `activation` between layers and `outputActivation` after the last.
// `skip` lists layers whose input gets the network's input appended (concatenated along the
// features), as DeepSDF re-injects its latent code and xyz at layer 4: layer i then takes
// sizes[i] + sizes[0] features. State-dict names 'layers.<i>.weight' / '.bias' match a PyTorch
// module holding an nn.ModuleList of nn.Linear called `layers`.

import type { DType } from '../lib/dtype.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { concat } from '../ops/concat.js';
import { type Activation, activationCode } from '../ops/linear/activation.js';
import type { Init } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

export interface MlpOptions {
  /** Between layers (default 'relu'). */
  activation?: Activation;
  /** After the last layer (default 'none': a regression output, e.g. a signed distance). */
  outputActivation?: Activation;
  /** Layer indices (1 .. L-1) whose input is [h, x]: the network input appended (default none). */
  skip?: readonly number[];
  /** Weight initialization of every layer (default: by activation, see Linear). */
  init?: Init;
  /** Seed; layer i is seeded with seed + i (default 0). */
  seed?: number;
  dtype?: DType;
  /** Threads (default: every core; the same bits for any count). */
  threads?: number;
}

export class MLP extends Module {
  readonly sizes: readonly number[];
  readonly layers: readonly Linear[];
  readonly skip: ReadonlySet<number>;

  constructor(sizes: readonly number[], options: MlpOptions = {}) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new ArgumentError(`MLP: sizes must list at least two whole numbers >= 1 (input, ..., output), got ${JSON.stringify(sizes)}.`);
    }
    const activation = options.activation ?? 'relu';
    const outputActivation = options.outputActivation ?? 'none';
    activationCode(activation, 'MLP: options.activation');
    activationCode(outputActivation, 'MLP: options.outputActivation');
    const depth = sizes.length - 1;
    const skip = new Set(options.skip ?? []);
    for (const s of skip) {
      if (!Number.isInteger(s) || s < 1 || s >= depth) throw new ArgumentError(`MLP: options.skip holds ${s}; skips re-inject the input before layers 1 .. ${depth - 1}.`);
    }
    this.sizes = Object.freeze(sizes.slice());
    this.skip = skip;
    const list = new ListModule();
    this.registerModule('layers', list);
    const layers: Linear[] = [];
    for (let i = 0; i < depth; i++) {
      const layer = new Linear(sizes[i] + (skip.has(i) ? sizes[0] : 0), sizes[i + 1], {
        activation: i === depth - 1 ? outputActivation : activation,
        init: options.init,
        seed: (options.seed ?? 0) + i,
        dtype: options.dtype,
        threads: options.threads,
      });
      list.add(String(i), layer);
      layers.push(layer);
    }
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[1] !== this.sizes[0]) {
      throw new ShapeError(`MLP: x must be [batch, ${this.sizes[0]}], got ${x instanceof Tensor ? `[${x.shape}]` : typeof x}.`);
    }
    let h = x;
    this.layers.forEach((layer, i) => {
      if (this.skip.has(i)) h = concat([h, x], 1);
      h = layer.forward(h);
    });
    return h;
  }
}

/** A plain list of children (nn.ModuleList): no forward of its own. */
class ListModule extends Module {
  add(name: string, m: Module): void {
    this.registerModule(name, m);
  }

  forward(): Tensor {
    throw new ArgumentError('a module list has no forward; call its layers.');
  }
}

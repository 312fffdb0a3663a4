// A DeepSDF-style network SDF (docs/dist.md §8, eq. 27), here in nn/ as a module user: an nn/ MLP on [latent code, xyz] with a
// skip layer re-injecting its input, tanh output scaled to the clamp range of its training
// distances. On the tape it is the MLP's fused linear layers; plain, mlpPlain.ts runs the same
// weights as matrix products over a batch (what the tracer marches with, on any thread).
// An auto-decoder is one network and one code per shape: `withLatent` makes the SDF of another
// code on the same network.

import { tensor, randn } from '../lib/create.js';
import { customOp } from '../lib/customOp.js';
import type { DType, FloatArray } from '../lib/dtype.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { isShared, typedArray } from '../lib/sharedMemory.js';
import { Tensor } from '../lib/tensor.js';
import { MLP } from './mlp.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { concat } from '../ops/concat.js';
import { mul } from '../ops/arithmetic.js';
import { reshape } from '../ops/reshape.js';
import { type PlainLayer, type PlainSdf, Sdf, checkPoints } from '../ops/sphereTracing/sdf/sdf.js';

export interface MlpSdfOptions {
  /** Length of the shape code (default 0: a network of one shape). */
  latentSize?: number;
  /** Width of the hidden layers (default 64). */
  width?: number;
  /** Hidden layers (default 4). */
  depth?: number;
  /** Hidden layers whose input gets [code, xyz] appended (default: the middle one, DeepSDF's). */
  skip?: readonly number[];
  /** 'relu' (DeepSDF's) or 'softplus' (default 'relu'). */
  activation?: 'relu' | 'softplus';
  /** f = outputScale tanh(last layer): the clamp of the training distances (default 0.1). */
  outputScale?: number;
  seed?: number;
  dtype?: DType;
  /** Threads of the network's layers on the tape (default: every core). */
  threads?: number;
}

/** latent [L] -> [n, L]: the code on every row; backward sums the rows. */
const repeatRows = customOp({
  name: 'sdf.repeatCode',
  forward(ctx, code: Tensor, n: number) {
    const L = code.size;
    const out = ctx.output([n, L]);
    const Z = code.data,
      Y = out.data;
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) Y[i * L + j] = Z[j];
    ctx.save(n, L);
    return out;
  },
  backward(ctx, g) {
    const [n, L] = ctx.saved as [number, number];
    const G = g!;
    const acc = new Float64Array(L);
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) acc[j] += G[i * L + j];
    const out = ctx.zeros(L);
    out.set(acc);
    return [out];
  },
});

export class MlpSdf extends Sdf {
  readonly network: MLP;
  readonly latentSize: number;
  readonly outputScale: number;
  readonly activation: 'relu' | 'softplus';
  /** The shape code [latentSize] (its own leaf; give it requiresGrad to recover a shape). */
  latent: Tensor;

  constructor(options: MlpSdfOptions & { network?: MLP; latent?: Tensor } = {}) {
    super();
    const latentSize = options.latentSize ?? options.latent?.size ?? 0;
    if (!Number.isInteger(latentSize) || latentSize < 0) throw new ArgumentError(`mlpSdf: options.latentSize must be a whole number >= 0, got ${latentSize}.`);
    const depth = options.depth ?? 4,
      width = options.width ?? 64;
    this.activation = options.activation ?? 'relu';
    if (this.activation !== 'relu' && this.activation !== 'softplus') throw new ArgumentError(`mlpSdf: options.activation must be 'relu' or 'softplus', got ${JSON.stringify(this.activation)}.`);
    this.outputScale = options.outputScale ?? 0.1;
    if (!(this.outputScale > 0)) throw new ArgumentError(`mlpSdf: options.outputScale must be > 0, got ${this.outputScale}.`);
    this.network =
      options.network ??
      new MLP([latentSize + 3, ...new Array<number>(depth).fill(width), 1], {
        activation: this.activation,
        outputActivation: 'tanh',
        skip: options.skip ?? (depth >= 2 ? [Math.floor(depth / 2)] : []),
        seed: options.seed,
        dtype: options.dtype,
        threads: options.threads,
      });
    if (this.network.sizes[0] !== latentSize + 3) {
      throw new ShapeError(`mlpSdf: the network takes ${this.network.sizes[0]} inputs, so its codes have ${this.network.sizes[0] - 3} values, not ${latentSize}; pass a code of that size.`);
    }
    this.latentSize = latentSize;
    this.latent = options.latent ?? tensor(new Float64Array(latentSize), { dtype: this.dtype });
    this.checkLatent(this.latent);
  }

  get dtype(): DType {
    return this.network.layers[0].weight.dtype;
  }

  override get distanceBound(): boolean {
    return false;
  }

  private checkLatent(z: Tensor): void {
    if (!(z instanceof Tensor)) throw new ArgumentError('mlpSdf: a shape code must be a Tensor.');
    if (z.size !== this.latentSize || z.ndim !== 1) {
      throw new ShapeError(`mlpSdf: the shape code has shape [${z.shape}] but the network takes codes of ${this.latentSize} values; pass a tensor of shape [${this.latentSize}].`);
    }
    if (z.dtype !== this.dtype) throw new ArgumentError(`mlpSdf: the shape code is ${z.dtype} but the network is ${this.dtype}; convert it with .to('${this.dtype}').`);
  }

  /** The SDF of another code on the same network (an auto-decoder's shapes share it). */
  withLatent(latent: Tensor): MlpSdf {
    const twin = new MlpSdf({ network: this.network, latent, latentSize: this.latentSize, activation: this.activation, outputScale: this.outputScale });
    return twin;
  }

  /** The network's input rows [N, L + 3] for points [N, 3]: [code, xyz]. */
  inputs(points: Tensor, code: Tensor = this.latent): Tensor {
    const n = points.shape[0];
    return this.latentSize === 0 ? points : concat([repeatRows(code, n), points], 1);
  }

  distance(points: Tensor): Tensor {
    checkPoints(points, this.dtype, 'mlpSdf.distance');
    const n = points.shape[0];
    return mul(reshape(this.network.forward(this.inputs(points)), [n]), this.outputScale);
  }

  parameters(): Tensor[] {
    return [...this.network.parameters(), this.latent];
  }

  plain(shared = false): PlainSdf {
    const copy = (a: FloatArray): FloatArray => {
      if (!shared || isShared(a)) return a; // the live weights: read at once, during this call
      const out = a instanceof Float64Array ? typedArray(Float64Array, a.length, true) : typedArray(Float32Array, a.length, true);
      out.set(a);
      return out;
    };
    const layers: PlainLayer[] = this.network.layers.map((layer, i) => ({
      inputs: layer.inFeatures,
      outputs: layer.outFeatures,
      weight: copy(layer.weight.data),
      bias: layer.bias ? copy(layer.bias.data) : this.dtype === 'float64' ? typedArray(Float64Array, layer.outFeatures, shared) : typedArray(Float32Array, layer.outFeatures, shared),
      skip: this.network.skip.has(i),
    }));
    const latent = this.dtype === 'float64' ? typedArray(Float64Array, this.latentSize, shared) : typedArray(Float32Array, this.latentSize, shared);
    latent.set(this.latent.data);
    return { kind: 'mlp', layers, latent, activation: this.activation, outputScale: this.outputScale };
  }
}

/** A DeepSDF-style network SDF (see MlpSdfOptions for the defaults). */
export function mlpSdf(options: MlpSdfOptions & { network?: MLP; latent?: Tensor } = {}): MlpSdf {
  return new MlpSdf(options);
}

/** `count` codes of `size` values, N(0, std^2) as DeepSDF starts them (default std 0.01). */
export function initialCodes(count: number, size: number, options: { std?: number; seed?: number; dtype?: DType } = {}): Tensor {
  return randn([count, size], { std: options.std ?? 0.01, seed: options.seed ?? 0, dtype: options.dtype, requiresGrad: true });
}

/** The file form of an MlpSdf: the network's state dict and its code as safetensors, its layout in the metadata. */
export function saveMlpSdf(path: string, sdf: MlpSdf, metadata: Record<string, string> = {}): void {
  const tensors: Record<string, Tensor> = { ...sdf.network.stateDict() };
  if (sdf.latentSize > 0) tensors.latent = sdf.latent;
  saveSafetensors(path, tensors, {
    metadata: {
      ...metadata,
      format: 'splatgrad-mlp-sdf',
      sizes: JSON.stringify(sdf.network.sizes),
      skip: JSON.stringify([...sdf.network.skip]),
      activation: sdf.activation,
      outputScale: String(sdf.outputScale),
    },
  });
}

/** An MlpSdf saved by saveMlpSdf, and the file's other metadata. */
export function loadMlpSdf(path: string, options: { dtype?: DType; threads?: number } = {}): { sdf: MlpSdf; metadata: Record<string, string> } {
  const file = loadSafetensors(path, { dtype: options.dtype ?? 'float32' });
  const m = file.metadata ?? {};
  if (m.format !== 'splatgrad-mlp-sdf') throw new ArgumentError(`loadMlpSdf: '${path}' is not an MLP SDF written by saveMlpSdf (its metadata has no format 'splatgrad-mlp-sdf').`);
  const sizes = JSON.parse(m.sizes) as number[];
  const activation = m.activation as 'relu' | 'softplus';
  const network = new MLP(sizes, { activation, outputActivation: 'tanh', skip: JSON.parse(m.skip), dtype: options.dtype ?? 'float32', threads: options.threads });
  const { latent, ...weights } = file.tensors;
  network.loadStateDict(weights);
  const sdf = new MlpSdf({ network, latentSize: sizes[0] - 3, latent, activation, outputScale: Number(m.outputScale) });
  return { sdf, metadata: m };
}

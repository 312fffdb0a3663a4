// The fused linear layer y = act(x W^T + b) (docs/toolbox.md §1-2): the fast op behind nn's
// Linear and MLP. W is [out, in] as in PyTorch, so weights move between the two unchanged.
// Backward, with dZ = dY * act'(z):
//   dX = dZ W,   dW = dZ^T X,   db = sum over rows of dZ.
// Forward and dX run over the pool by blocks of rows, dW by tiles of its own (kernels.ts); the
// textbook twin is linearReference.ts (matmul, add and the activation as separate tape ops).

import { customOp } from '../../lib/customOp.js';
import { type DType, type FloatArray, allocate } from '../../lib/dtype.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { scratchShared, scratchUnset } from '../../parallel/scratch.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { type Activation, NONE, activationCode } from './activation.js';
import { gemmTiles, linearForwardRows, linearInputGradRows, rowBlocks, tileCount } from './kernels.js';

export interface LinearOptions {
  /** Applied to x W^T + b inside the op (default 'none'). */
  activation?: Activation;
  /** Threads (default: every core; the same bits for any count). */
  threads?: number;
}

/** A temporary float array of `dtype` that the caller fully overwrites. */
export function floatScratch(dtype: DType, name: string, length: number, shared: boolean): FloatArray {
  return dtype === 'float64' ? scratchUnset(Float64Array, name, length, shared) : scratchUnset(Float32Array, name, length, shared);
}

interface Layout {
  rows: number;
  inFeatures: number;
  outFeatures: number;
  code: number;
  threads: number;
}

const linearOp = customOp({
  name: 'linear',
  forward(ctx, x: Tensor, weight: Tensor, bias: Tensor | null, layout: Layout) {
    const { rows, inFeatures, outFeatures, code, threads } = layout;
    const on = threads > 1;
    const out = new Tensor(allocate(ctx.dtype, rows * outFeatures, on), [...x.shape.slice(0, -1), outFeatures]);
    runTasks(
      linearForwardRows,
      {
        X: scratchShared('linear.X', x.data, on),
        W: scratchShared('linear.W', weight.data, on),
        bias: bias ? scratchShared('linear.bias', bias.data, on) : null,
        Y: out.data,
        rows,
        inFeatures,
        outFeatures,
        activation: code,
      },
      rowBlocks(rows),
      threads,
    );
    ctx.save(x, weight, bias, out.data, layout);
    return out;
  },
  backward(ctx, g) {
    const [x, weight, bias, Y, layout] = ctx.saved as [Tensor, Tensor, Tensor | null, FloatArray, Layout];
    const { rows, inFeatures, outFeatures, code, threads } = layout;
    const on = threads > 1;
    const [needX, needW, needB] = ctx.needsInputGrad;
    const dY = scratchShared('linear.dY', g!, on);
    const dZ = code === NONE ? dY : floatScratch(ctx.dtype, 'linear.dZ', dY.length, on);
    const W = scratchShared('linear.W', weight.data, on);
    const dX = needX ? allocate(ctx.dtype, x.size, on) : null;
    if (dX || code !== NONE) {
      runTasks(linearInputGradRows, { dY, Y: scratchShared('linear.Y', Y, on), dZ, W, dX, rows, inFeatures, outFeatures, activation: code }, rowBlocks(rows), threads);
    }
    let dW: FloatArray | null = null,
      db: FloatArray | null = null;
    if (needW || (bias && needB)) {
      dW = allocate(ctx.dtype, weight.size, on);
      db = bias && needB ? allocate(ctx.dtype, outFeatures, on) : null;
      runTasks(gemmTiles, { A: dZ, B: scratchShared('linear.X', x.data, on), C: dW, r: rows, m: outFeatures, n: inFeatures, columnSums: db }, tileCount(outFeatures, inFeatures), threads);
    }
    return bias ? [dX, needW ? dW : null, db] : [dX, needW ? dW : null];
  },
});

/**
 * y = act(x W^T + b) for x [..., in] (a 1-d x is one row), weight [out, in], bias [out] or null:
 * y has shape [..., out]. The activation is fused ('none', 'relu', 'tanh', 'sigmoid', 'softplus').
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: LinearOptions = {}): Tensor {
  if (!(x instanceof Tensor) || x.ndim < 1) throw new ShapeError(`linear: x must be a tensor [..., in], got ${x instanceof Tensor ? 'a 0-d tensor' : typeof x}.`);
  if (!(weight instanceof Tensor) || weight.ndim !== 2) {
    throw new ShapeError(`linear: weight must be a 2-d tensor [out, in] (PyTorch's layout), got ${weight instanceof Tensor ? `[${weight.shape}]` : typeof weight}.`);
  }
  const [outFeatures, inFeatures] = weight.shape;
  if (x.shape[x.ndim - 1] !== inFeatures) {
    throw new ShapeError(`linear: x has shape [${x.shape}] but weight [${weight.shape}] takes ${inFeatures} input features; x's last dimension must be ${inFeatures}.`);
  }
  if (bias !== null && bias !== undefined && (!(bias instanceof Tensor) || bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new ShapeError(`linear: bias must be a 1-d tensor of ${outFeatures} values (one per output feature), got ${bias instanceof Tensor ? `[${bias.shape}]` : typeof bias}.`);
  }
  if (typeof options !== 'object' || options === null) throw new ArgumentError('linear: options must be an object { activation, threads }.');
  const code = activationCode(options.activation, 'linear: options.activation');
  const threads = resolveThreads(options.threads, 'linear: options.threads');
  const rows = x.size / inFeatures;
  return linearOp(x, weight, bias ?? null, { rows, inFeatures, outFeatures, code, threads });
}

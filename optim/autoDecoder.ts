// DeepSDF's auto-decoder (docs/dist.md §8): one network and one code per training shape, fitted
// together to clamped signed-distance samples (eq. 28: L1 between the network's 0.1 tanh output
// and the clamped distance, plus 1e-4 |z|^2 on the codes), and DIST's use of it: a new shape's
// code recovered from depth images and silhouettes through the tracer (eq. 29, the paper's eq.
// 5), the network held fixed.

import type { Camera } from '../geometry/camera.js';
import { tensor, zeros } from '../lib/create.js';
import { ArgumentError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import type { Tensor } from '../lib/tensor.js';
import { noGrad } from '../lib/tape.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { abs } from '../ops/unary.js';
import { concat } from '../ops/concat.js';
import { indexSelect } from '../ops/gather.js';
import { mean, sum } from '../ops/reduce.js';
import { depthSilhouetteLoss, latentL2 } from '../ops/sphereTracing/losses.js';
import { type MlpSdf, type MlpSdfOptions, mlpSdf } from '../nn/mlpSdf.js';
import type { SphereTraceOptions } from '../ops/sphereTracing/options.js';
import { sphereTrace } from '../ops/sphereTracing/sphereTrace.js';
import { Adam } from './adam.js';
import type { SdfSamples } from './sdfSamples.js';

export interface AutoDecoderOptions extends Omit<MlpSdfOptions, 'latentSize'> {
  /** Code length (default 8). */
  latentSize?: number;
  /** Stop after this many steps, or when `seconds` run out, whichever comes first (default: no step limit, 60 s). */
  steps?: number;
  seconds?: number;
  /** Shapes per step and samples per shape (default 16 x 256). */
  shapesPerStep?: number;
  samplesPerShape?: number;
  /** Learning rates of the network and of the codes (default 2e-3 and 5e-3), cosine-decayed to a tenth. */
  lr?: number;
  codeLr?: number;
  /** Weight of |z|^2 per code (default 1e-4, DeepSDF's). */
  codeRegularization?: number;
  /** Standard deviation of the initial codes (default 0.01). */
  codeStd?: number;
  onStep?: (step: number, loss: number) => void;
}

export interface AutoDecoder {
  /** The network, with the first shape's code. */
  sdf: MlpSdf;
  /** Every training shape's code [shapes, latentSize]. */
  codes: Tensor;
  steps: number;
  losses: number[];
  /** The SDF of training shape `i`. */
  shape(i: number): MlpSdf;
}

export function trainAutoDecoder(shapes: readonly SdfSamples[], options: AutoDecoderOptions = {}): AutoDecoder {
  if (!Array.isArray(shapes) || shapes.length === 0) throw new ArgumentError('trainAutoDecoder: give the samples of at least one shape.');
  const S = shapes.length;
  const L = options.latentSize ?? 8;
  const dtype = options.dtype ?? 'float32';
  const net = mlpSdf({ ...options, latentSize: L, dtype });
  const rng = new Random(options.seed ?? 0);
  const codes = tensor(
    Float64Array.from({ length: S * L }, () => (options.codeStd ?? 0.01) * rng.normal()),
    { dtype, shape: [S, L], requiresGrad: true },
  );
  const lr = options.lr ?? 2e-3,
    codeLr = options.codeLr ?? 5e-3;
  const adam = new Adam([
    { params: net.network.parameters(), lr },
    { params: L === 0 ? [] : [codes], lr: codeLr },
  ]);
  const perShape = options.samplesPerShape ?? 256,
    shapesPerStep = Math.min(options.shapesPerStep ?? 16, S);
  const B = perShape * shapesPerStep;
  const reg = options.codeRegularization ?? 1e-4;
  const seconds = options.seconds ?? 60,
    maxSteps = options.steps ?? Infinity;
  const index = new Int32Array(B),
    xyz = new Float32Array(3 * B),
    target = new Float32Array(B);
  const losses: number[] = [];
  const t0 = performance.now();
  let step = 0;
  for (;;) {
    const elapsed = (performance.now() - t0) / 1000;
    // whichever budget runs out first; the learning rate follows it
    const progress = Math.max(step / maxSteps, elapsed / seconds);
    if (progress >= 1) break;
    const decay = 0.1 + 0.45 * (1 + Math.cos(Math.PI * progress));
    adam.paramGroups[0].lr = lr * decay;
    adam.paramGroups[1].lr = codeLr * decay;
    for (let s = 0; s < shapesPerStep; s++) {
      const shape = rng.int(S),
        data = shapes[shape];
      const n = data.distances.length;
      for (let j = 0; j < perShape; j++) {
        const i = s * perShape + j,
          k = rng.int(n);
        index[i] = shape;
        xyz[3 * i] = data.points[3 * k];
        xyz[3 * i + 1] = data.points[3 * k + 1];
        xyz[3 * i + 2] = data.points[3 * k + 2];
        target[i] = data.distances[k];
      }
    }
    const points = tensor(xyz, { dtype, shape: [B, 3] });
    const x = L === 0 ? points : concat([indexSelect(codes, 0, index), points], 1);
    const predicted = mul(net.network.forward(x), net.outputScale);
    const fit = mean(abs(sub(predicted, tensor(target, { dtype, shape: [B, 1] }))));
    const loss = L === 0 ? fit : add(fit, mul(sum(mul(codes, codes)), reg / S));
    adam.zeroGrad();
    loss.backward();
    adam.step();
    losses.push(fit.item());
    options.onStep?.(step, losses[losses.length - 1]);
    step++;
  }
  const shape = (i: number): MlpSdf => {
    if (!Number.isInteger(i) || i < 0 || i >= S) throw new ArgumentError(`autoDecoder.shape: no training shape ${i}; there are ${S}.`);
    return net.withLatent(tensor(Array.from(codes.data.subarray(i * L, i * L + L)), { dtype }));
  };
  net.latent = shape(0).latent;
  return { sdf: net, codes, steps: step, losses, shape };
}

/** One view of a shape to recover: a camera with its depth image and silhouette. */
export interface CodeView {
  camera: Camera;
  depth: ArrayLike<number>;
  mask: ArrayLike<number>;
}

export interface CodeFitOptions {
  /** Adam steps (default 100) at lr (default 0.02, cosine-decayed to a tenth). */
  iterations?: number;
  lr?: number;
  /** Weights: depth L1, silhouette hinge, |z|^2 (default 10, 1 and 1e-3). */
  depthWeight?: number;
  silhouetteWeight?: number;
  codeWeight?: number;
  /** Starting code (default the mean of nothing: zeros). */
  start?: ArrayLike<number>;
  trace?: SphereTraceOptions;
  onStep?: (step: number, loss: number) => void;
}

/**
 * The code under which `sdf`'s network renders `views` (depth L1 + silhouette hinge summed over
 * the views, + a small |z|^2), from `start`, by Adam through the tracer (the network fixed).
 */
export function fitCode(sdf: MlpSdf, views: readonly CodeView[], options: CodeFitOptions = {}): { code: Float64Array; losses: number[] } {
  if (!Array.isArray(views) || views.length === 0) throw new ArgumentError('fitCode: give at least one view.');
  const dtype = sdf.dtype;
  const code = options.start ? tensor(Array.from(options.start), { dtype, requiresGrad: true }) : zeros([sdf.latentSize], { dtype, requiresGrad: true });
  const shape = sdf.withLatent(code);
  const iterations = options.iterations ?? 100,
    lr = options.lr ?? 0.02;
  const wd = options.depthWeight ?? 10,
    ws = options.silhouetteWeight ?? 1,
    wz = options.codeWeight ?? 1e-3;
  const adam = new Adam([code], { lr });
  const losses: number[] = [];
  // the network is held fixed: no gradient is taken for its weights
  const weights = sdf.network.parameters();
  const before = weights.map((w) => w.requiresGrad);
  for (const w of weights) w.requiresGrad = false;
  try {
    for (let step = 0; step < iterations; step++) {
      adam.paramGroups[0].lr = lr * (0.1 + 0.45 * (1 + Math.cos((Math.PI * step) / Math.max(1, iterations - 1))));
      let loss = mul(latentL2(code), wz);
      for (const v of views) {
        const r = sphereTrace(shape, v.camera, options.trace);
        loss = add(loss, depthSilhouetteLoss(r, v.depth, v.mask, wd, ws));
      }
      adam.zeroGrad();
      loss.backward();
      adam.step();
      losses.push(loss.item());
      options.onStep?.(step, losses[losses.length - 1]);
    }
  } finally {
    weights.forEach((w, i) => (w.requiresGrad = before[i]));
  }
  return { code: Float64Array.from(code.data), losses };
}

/**
 * The loss of each candidate code on the views, without the tape (forward renders only): for
 * starting a code fit from the best training shape's code instead of a mean that may fall between
 * the family's kinds.
 */
export function rankCodes(
  sdf: MlpSdf,
  views: readonly CodeView[],
  candidates: readonly ArrayLike<number>[],
  options: Pick<CodeFitOptions, 'depthWeight' | 'silhouetteWeight' | 'trace'> = {},
): number[] {
  const wd = options.depthWeight ?? 10,
    ws = options.silhouetteWeight ?? 1;
  return noGrad(() =>
    candidates.map((c) => {
      const shape = sdf.withLatent(tensor(Array.from(c), { dtype: sdf.dtype }));
      let total = 0;
      for (const v of views) {
        const r = sphereTrace(shape, v.camera, options.trace);
        total += depthSilhouetteLoss(r, v.depth, v.mask, wd, ws).item();
      }
      return total;
    }),
  );
}

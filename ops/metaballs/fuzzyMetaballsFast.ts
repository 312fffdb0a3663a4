// The fast path of the renderer (docs/fm.md §2-5): one custom op whose forward and backward are
// written by hand over typed arrays.
//   forward:  each Gaussian in camera space (cameraSpace.ts); each Gaussian's pixel span on every
//             row (footprint.ts, eq. 15), which also sizes the per-pixel pair cache; then bands of
//             rows on the pool (kernels.ts -> blendRows.ts): pairs, blend, cache.
//   backward: bands of rows into per-band sums per Gaussian, reduced in band order, then the
//             chain to mu, U, lambda and the pose (cameraSpace.ts).
// fuzzyMetaballs.ts is its public entry; fuzzyMetaballsReference.ts is the same op as tape ops.

import type { Camera } from '../../geometry/camera.js';
import { customOp } from '../../lib/customOp.js';
import { type DType, type FloatArray, allocate } from '../../lib/dtype.js';
import { float64, int32 } from '../../lib/sharedMemory.js';
import type { Tensor } from '../../lib/tensor.js';
import { Tensor as TensorClass } from '../../lib/tensor.js';
import { scratch, scratchShared, scratchUnset } from '../../parallel/scratch.js';
import { runTasks } from '../../parallel/workerPool.js';
import { AUX_STRIDE, type BlendConstants, type PairCache, columnRays } from './blendRows.js';
import { GAUSSIAN_STRIDE, SUM_STRIDE, gaussiansToCamera, gaussiansToCameraBackward } from './cameraSpace.js';
import { rowSpans } from './footprint.js';
import { backwardBands, bandCount, forwardBands } from './kernels.js';
import type { ResolvedMetaballOptions } from './options.js';

interface RenderView {
  camera: Camera;
  options: ResolvedMetaballOptions;
  /** Filled by the forward. */
  stats?: { candidates: number; pairs: number; kept: number };
}

function output(dtype: DType, n: number, shape: number[], shared: boolean): Tensor {
  return new TensorClass(allocate(dtype, n, shared), shape);
}

function constantsOf(camera: Camera, o: ResolvedMetaballOptions, K: number): BlendConstants {
  const { beta1, beta2, beta3, beta4, beta5 } = o.betas;
  return {
    width: camera.width,
    height: camera.height,
    K,
    fx: camera.fx,
    fy: camera.fy,
    cx: camera.cx,
    cy: camera.cy,
    cutoff: o.cutoff,
    relativeCutoff: o.relativeCutoff,
    frontOnly: o.front === 'hard',
    tanhAlpha: o.alpha === 'sigmoid',
    beta1s: beta1 / o.scale,
    beta2s: beta2 / o.scale,
    beta3,
    beta4,
    beta5,
  };
}

const renderOp = customOp({
  name: 'fuzzyMetaballs',
  forward(ctx, means: Tensor, precisions: Tensor, logWeights: Tensor, R: Tensor, t: Tensor, view: RenderView) {
    const { camera, options: o } = view;
    const K = means.shape[0];
    const W = camera.width,
      H = camera.height,
      P = W * H;
    const threads = o.threads,
      shared = threads > 1;
    const c = constantsOf(camera, o, K);
    // what the backward keeps is fresh memory; a render no backward will follow (no tape) takes
    // this thread's reused temporaries instead (parallel/scratch.ts: no page faults, no garbage)
    const keep = ctx.recording;
    const f64 = (name: string, n: number) => (keep ? float64(n, shared) : scratchUnset(Float64Array, `metaballs.${name}`, n, shared));
    const i32 = (name: string, n: number) => (keep ? int32(n, shared) : scratchUnset(Int32Array, `metaballs.${name}`, n, shared));
    // §2 per Gaussian
    const gaussians = f64('gaussians', K * GAUSSIAN_STRIDE);
    gaussiansToCamera(means.data, precisions.data, logWeights.data, R.data, t.data, gaussians);
    // eq. 15: spans per row, and the pair slots they size
    const spans = i32('spans', 2 * K * H);
    const coverage = scratch(Int32Array, 'metaballs.coverage', P, false);
    let candidates = 0;
    for (let j = 0; j < H; j++) candidates += rowSpans(j, gaussians, K, W, c.fx, c.cx, (j + 0.5 - c.cy) / c.fy, c.cutoff, c.frontOnly, spans, coverage);
    const start = i32('start', P + 1);
    start[0] = 0;
    for (let p = 0; p < P; p++) start[p + 1] = start[p] + coverage[p];
    const cache: PairCache = { start, kept: i32('kept', P), gaussian: i32('gaussian', candidates), first: f64('first', candidates), second: f64('second', candidates) };
    const depth = output(ctx.dtype, P, [H, W], shared),
      alpha = output(ctx.dtype, P, [H, W], shared),
      normal = output(ctx.dtype, 3 * P, [H, W, 3], shared);
    const aux = f64('aux', AUX_STRIDE * P);
    const bands = bandCount(H);
    const pairs = float64(bands, shared);
    const xs = columnRays(W, c.fx, c.cx);
    runTasks(
      forwardBands,
      { constants: c, gaussians, spans, xs: scratchShared('metaballs.xs', xs, shared), cache, out: { depth: depth.data, alpha: alpha.data, normal: normal.data, aux }, pairs },
      bands,
      threads,
    );
    let kept = 0;
    for (let p = 0; p < P; p++) kept += cache.kept[p];
    view.stats = { candidates, pairs: pairs.reduce((a, b) => a + b, 0), kept };
    ctx.save(means, precisions, R, t, view, c, gaussians, cache, aux, xs);
    return [depth, alpha, normal];
  },
  backward(ctx, gDepth, gAlpha, gNormal) {
    const [means, precisions, R, t, view, c, gaussians, cache, aux, xs] = ctx.saved as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      RenderView,
      BlendConstants,
      Float64Array,
      PairCache,
      Float64Array,
      Float64Array,
    ];
    const [needMeans, needPrecisions, needLogWeights, needR, needT] = ctx.needsInputGrad;
    const K = c.K;
    const threads = view.options.threads,
      shared = threads > 1;
    const bands = bandCount(c.height);
    const partial = scratch(Float64Array, 'metaballs.partial', bands * K * SUM_STRIDE, shared);
    const share = (name: string, g: FloatArray | null) => (g ? scratchShared(name, g, shared) : null);
    runTasks(
      backwardBands,
      {
        constants: c,
        gaussians,
        xs: scratchShared('metaballs.xs', xs, shared),
        cache,
        aux,
        grads: { depth: share('metaballs.gDepth', gDepth), alpha: share('metaballs.gAlpha', gAlpha), normal: share('metaballs.gNormal', gNormal) },
        partial,
      },
      bands,
      threads,
    );
    // band partials in band order: the same sums for any thread count
    const sums = new Float64Array(K * SUM_STRIDE);
    for (let b = 0; b < bands; b++) {
      const o = b * K * SUM_STRIDE;
      for (let i = 0; i < sums.length; i++) sums[i] += partial[o + i];
    }
    const g = {
      gMeans: needMeans ? new Float64Array(3 * K) : null,
      gPrecisions: needPrecisions ? new Float64Array(6 * K) : null,
      gLogWeights: needLogWeights ? new Float64Array(K) : null,
      gR: needR ? new Float64Array(9) : null,
      gT: needT ? new Float64Array(3) : null,
    };
    gaussiansToCameraBackward(means.data, precisions.data, R.data, t.data, sums, g);
    const as = (a: Float64Array | null): FloatArray | null => {
      if (!a) return null;
      if (ctx.dtype === 'float64') return a;
      const out = allocate(ctx.dtype, a.length);
      out.set(a);
      return out;
    };
    return [as(g.gMeans), as(g.gPrecisions), as(g.gLogWeights), as(g.gR), as(g.gT)];
  },
});

/** Runs the fast op on validated inputs and resolved options. */
export function renderFast(means: Tensor, precisions: Tensor, logWeights: Tensor, R: Tensor, t: Tensor, camera: Camera, options: ResolvedMetaballOptions) {
  const view: RenderView = { camera, options };
  const [depth, alpha, normal] = renderOp(means, precisions, logWeights, R, t, view);
  return { depth, alpha, normal, options, stats: view.stats! };
}

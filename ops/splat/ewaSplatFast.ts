// The fast path of the splat op (docs/dss.md §2-3): the forward and backward cut into jobs for the
// thread pool (kernels.ts), the buffers a render loop may hand back (options.reuse), and the
// frozen-visibility mode the smooth gradient is checked in. ewaSplat.ts is its public entry;
// ewaSplatReference.ts computes the same op as plain loops.
//
// Forward: screen-space splats by ranges of points, then bands of rows (rasterize, visible
// prefix, composite). Backward: the exact part per band into per-entry partial sums
// (smoothBackward.ts), the artificial gradient per splat in tile order (artificialGradient.ts),
// then the chain to p and n per range of points.

import type { Camera } from '../../geometry/camera.js';
import { plainCamera } from '../../geometry/camera.js';
import { customOp } from '../../lib/customOp.js';
import { type DType, allocate } from '../../lib/dtype.js';
import { ArgumentError } from '../../lib/errors.js';
import { float64, int32, isShared } from '../../lib/sharedMemory.js';
import { Tensor } from '../../lib/tensor.js';
import { scratch, scratchShared, scratchUnset } from '../../parallel/scratch.js';
import { runTasks } from '../../parallel/workerPool.js';
import { emptyPixelRecords } from './artificialGradient.js';
import { composite } from './composite.js';
import { artificialSplats, backwardBands, chainPoints, forwardBands, screenPoints } from './kernels.js';
import type { ResolvedSplatOptions } from './options.js';
import { type RasterStats, binSplats } from './rasterizeSplats.js';
import { type CullCounts, type ScreenSplats, behindCameraError, countsOf, emptyScreenSplats, screenSplats, tileOrder } from './screenSplats.js';
import { PACK, SUMS, entryStride, packSplats } from './smoothBackward.js';
import { type SplatCache, emptyCache, refreshWeights } from './splatCache.js';
import { type SplatRender, nonFinitePixel } from './splatRender.js';

interface SplatView {
  camera: Camera;
  options: ResolvedSplatOptions;
  visibility?: SplatCache;
  /** Threads of this call (set by the forward; the backward uses as many). */
  threads?: number;
  /** An earlier render's view whose buffers this call may take (options.reuse). */
  reuse?: SplatView;
  /** Set when a later call took this render's buffers: its backward must not run. */
  recycled?: boolean;
  /** Filled by the forward. */
  result?: { cache: SplatCache; culled: CullCounts; stats: RasterStats; images: RenderImages };
}

interface RenderImages {
  image: Tensor;
  depth: Tensor;
  normal: Tensor;
  alpha: Tensor;
}

/**
 * The view behind each render, for options.reuse: a hidden property, not a WeakMap, whose
 * entries outlive the minor collections and so would hold large buffers longer.
 */
const VIEW = Symbol('ewaSplat.view');

/**
 * The images and cache of the render behind `old`, marked used up, when they fit this call;
 * else null. The cache keeps its arrays; its lists are rebuilt band by band by forwardBands.
 */
function recycle(old: SplatView, W: number, H: number, channels: number, frontCount: number, dtype: DType, shared: boolean, pointDepth: Float64Array): { out: RenderImages; cache: SplatCache } | null {
  const r = old.result;
  if (!r || old.recycled) return null;
  const c = r.cache,
    im = r.images;
  const fits = c.width === W && c.height === H && c.frontCount === frontCount && isShared(c.index) === shared && im.image.shape[2] === channels && im.image.dtype === dtype;
  if (!fits) return null;
  old.recycled = true;
  return {
    out: { image: new Tensor(im.image.data, [H, W, channels]), depth: new Tensor(im.depth.data, [H, W]), normal: new Tensor(im.normal.data, [H, W, 3]), alpha: new Tensor(im.alpha.data, [H, W]) },
    cache: { width: W, height: H, frontCount, index: c.index, rho: c.rho, pointDepth, count: c.count, visible: c.visible },
  };
}

/** Output tensor storage: shared when the pool's workers write it. */
function output(dtype: DType, shape: number[], shared: boolean): Tensor {
  return new Tensor(
    allocate(
      dtype,
      shape.reduce((a, b) => a * b, 1),
      shared,
    ),
    shape,
  );
}

const imagesOf = (t: RenderImages) => ({ image: t.image.data, depth: t.depth.data, normal: t.normal.data, alpha: t.alpha.data });

const splatOp = customOp({
  name: 'ewaSplat',
  allowNonFinite: true, // inputs are validated and composite checks every output pixel, in parallel
  forward(ctx, positions: Tensor, normals: Tensor, attributes: Tensor, view: SplatView) {
    const { camera, options: o } = view;
    const channels = attributes.shape[1];
    const H = camera.height,
      W = camera.width;
    // the frozen-visibility mode is for checking, and runs on this thread
    const threads = (view.threads = view.visibility ? 1 : o.threads);
    const shared = threads > 1;
    const outputs = (): RenderImages => ({
      image: output(ctx.dtype, [H, W, channels], shared),
      depth: output(ctx.dtype, [H, W], shared),
      normal: output(ctx.dtype, [H, W, 3], shared),
      alpha: output(ctx.dtype, [H, W], shared),
    });
    let out: RenderImages;
    let cache: SplatCache, culled: CullCounts, stats: RasterStats;
    let screen: ScreenSplats;
    let bad = -1; // first pixel with a non-finite output
    if (view.visibility) {
      // h frozen: same lists, fresh smooth weights (no culling: the lists decide)
      ({ splats: screen, culled } = screenSplats(positions.data, normals.data, camera, { ...o, backfaceCulling: false, behindCamera: 'cull' }));
      cache = refreshWeights(view.visibility, screen);
      stats = { evaluations: 0 };
      out = outputs();
      bad = composite(cache, null, attributes.data, channels, normals.data, o.background, imagesOf(out), 0, W * H, true);
    } else {
      const n = positions.shape[0];
      const P = scratchShared('splat.forward.positions', positions.data, shared);
      const N = scratchShared('splat.forward.normals', normals.data, shared);
      screen = emptyScreenSplats(n, shared);
      const chunk = Math.max(256, Math.ceil(n / 32)),
        tasks = Math.ceil(n / chunk);
      const cam = plainCamera(camera);
      const culledBy = int32(3 * tasks, shared),
        behind = int32(tasks, shared);
      // zero-filling the outputs and the cache (~5 MB at 256 x 256) overlaps the workers' start;
      // an earlier render's buffers (options.reuse) need none: forwardBands then writes every pixel
      let made: { out: RenderImages; cache: SplatCache; zeroed: boolean } | null = null;
      runTasks(screenPoints, { positions: P, normals: N, camera: cam, options: o, screen, count: n, chunk, culled: culledBy, behind }, tasks, threads, () => {
        const taken = view.reuse && recycle(view.reuse, W, H, channels, o.frontCount, ctx.dtype, shared, screen.depth);
        made = taken ? { ...taken, zeroed: false } : { out: outputs(), cache: emptyCache(W, H, o.frontCount, screen.depth, ctx.dtype, shared, false), zeroed: true };
      });
      const { zeroed } = made!;
      ({ out, cache } = made!);
      const first = behind.find((k) => k >= 0);
      if (first !== undefined) throw behindCameraError(positions.data, first, cam);
      const sum = [0, 0, 0];
      culledBy.forEach((c, i) => (sum[i % 3] += c));
      culled = countsOf(sum);
      const bins = binSplats(screen, H, shared);
      const evaluations = float64(bins.bands, shared);
      const nonFinite = int32(bins.bands, shared);
      runTasks(
        forwardBands,
        {
          screen,
          bins,
          cache,
          cutoff: o.cutoff,
          mergeThreshold: o.mergeThreshold,
          attributes: scratchShared('splat.forward.attributes', attributes.data, shared),
          channels,
          normals: N,
          background: o.background,
          out: imagesOf(out),
          zeroed,
          evaluations,
          nonFinite,
        },
        bins.bands,
        threads,
      );
      bad = nonFinite.find((p) => p >= 0) ?? -1;
      cache.bins = bins;
      stats = { evaluations: evaluations.reduce((a, b) => a + b, 0) };
    }
    if (bad >= 0) throw nonFinitePixel(bad, W);
    ctx.markNonDifferentiable(out.depth, out.normal, out.alpha);
    view.result = { cache, culled, stats, images: out };
    ctx.save(positions, normals, attributes, view, screen, cache, out.image);
    return [out.image, out.depth, out.normal, out.alpha];
  },
  backward(ctx, gImage) {
    const [positions, normals, attributes, view, screen, cache, image] = ctx.saved as [Tensor, Tensor, Tensor, SplatView, ScreenSplats, SplatCache, Tensor];
    if (view.recycled) throw new ArgumentError("ewaSplat: this render's buffers were overwritten by a later call that passed it as options.reuse; run its backward before reusing it.");
    const [needP, needN, needW] = ctx.needsInputGrad;
    const n = positions.shape[0],
      channels = attributes.shape[1];
    const threads = view.threads!,
      shared = threads > 1;
    const gP = needP ? allocate(ctx.dtype, 3 * n, shared) : null;
    const gN = needN ? allocate(ctx.dtype, 3 * n, shared) : null;
    const gW = needW ? allocate(ctx.dtype, attributes.size, shared) : null;
    if (!gImage) return [gP, gN, gW];
    const bins = cache.bins!;
    const focal = 0.5 * (view.camera.fx + view.camera.fy);
    const artificialOn = gP !== null && view.options.window > 0 && !view.visibility;
    const inputs = {
      cache,
      attributes: scratchShared('splat.attributes', attributes.data, shared),
      image: image.data,
      gImage: scratchShared('splat.gImage', gImage, shared),
    };
    // the exact part (eq. 11 without the visibility term), per band into per-entry partial sums
    const bandArgs = {
      ...inputs,
      bins,
      channels,
      packed: packSplats(screen, attributes.data, channels, scratchUnset(Float64Array, 'splat.packed', PACK * n, shared)),
      partial: scratchUnset(Float64Array, 'splat.partial', bins.splats.length * entryStride(channels), shared),
      pixelRecords: artificialOn ? emptyPixelRecords(cache.width * cache.height, channels, shared) : null,
    };
    // what the later jobs need, made while the workers start on the bands
    const prepare = () => ({
      positions: scratchShared('splat.positions', positions.data, shared),
      normals: scratchShared('splat.normals', normals.data, shared),
      order: artificialOn ? tileOrder(screen, cache.width, cache.height, shared) : null,
      gScreen: artificialOn ? scratch(Float64Array, 'splat.gScreen', 3 * n, shared) : null,
    });
    let later: ReturnType<typeof prepare> | undefined;
    runTasks(backwardBands, bandArgs, bins.bands, threads, () => (later = prepare()));
    const { order, gScreen, positions: positionsShared, normals: normalsShared } = later!;
    // the artificial gradient in place of the visibility part of dI/dp (eq. 11a-14), per splat
    // in screen space; dh/dn = 0 (eq. 10)
    if (order && gScreen) {
      const chunk = Math.max(16, Math.ceil(order.length / 64));
      runTasks(
        artificialSplats,
        {
          cache,
          attributes: inputs.attributes,
          screen,
          channels,
          focal,
          order,
          chunk,
          gScreen,
          pixelRecords: bandArgs.pixelRecords!,
          options: { window: view.options.window, cutoff: view.options.cutoff, mergeThreshold: view.options.mergeThreshold, background: view.options.background },
        },
        Math.ceil(order.length / chunk),
        threads,
      );
    }
    // per point: the chain to p and n of the smooth sums and the screen-space artificial gradient
    const chunk = Math.max(64, Math.ceil(n / 64));
    runTasks(
      chainPoints,
      {
        count: n,
        chunk,
        bins,
        partial: bandArgs.partial,
        packed: bandArgs.packed,
        channels,
        width: cache.width,
        sums: scratchUnset(Float64Array, 'splat.sums', SUMS * n, shared),
        gW,
        positions: positionsShared,
        normals: normalsShared,
        pose: plainCamera(view.camera),
        sigma: view.options.sigma,
        gP,
        gN,
        gScreen,
        focal,
      },
      Math.ceil(n / chunk),
      threads,
    );
    return [gP, gN, gW];
  },
});

export interface FastSplatModes {
  /** Freeze the visibility h (eq. 9) to these front lists; see SplatCall.visibility. */
  visibility?: SplatCache;
  /** An earlier render whose buffers this call may overwrite; see SplatCall.reuse. */
  reuse?: SplatRender;
}

/** The view behind a render of this path, or undefined for anything else. */
function viewOf(render: unknown): SplatView | undefined {
  return (render as { [VIEW]?: SplatView } | null)?.[VIEW];
}

/** Runs the fast op on validated inputs and resolved options. */
export function renderFast(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: ResolvedSplatOptions, modes: FastSplatModes = {}): SplatRender {
  let reuse: SplatView | undefined;
  if (modes.reuse !== undefined) {
    reuse = viewOf(modes.reuse);
    if (!reuse) throw new ArgumentError('options.reuse must be a render returned by ewaSplat (whose buffers this call may overwrite), or undefined.');
  }
  const view: SplatView = { camera, options, visibility: modes.visibility, reuse };
  const [image, depth, normal, alpha] = splatOp(positions, normals, attributes, view);
  const r = view.result!;
  view.reuse = undefined; // nothing keeps a chain of earlier renders alive
  const render: SplatRender = { image, depth, normal, alpha, cache: r.cache, options, culled: r.culled, stats: r.stats };
  Object.defineProperty(render, VIEW, { value: view });
  return render;
}

// The DSS splat op (dss.md §2): oriented points -> image, depth, normal and alpha images plus the
// per-pixel cache of the A front-most splats. A custom op: positions, normals and attributes are
// its tensor inputs; the camera and options pass through.
//
// Its backward is the DSS factorization (dss.md §3): exact through rho_bar and the attributes
// (smoothBackward.ts), plus the artificial gradient in place of the visibility term
// (artificialGradient.ts). With `visibility` frozen the render is smooth and only the exact part runs.

import type { Camera } from '../../geometry/camera.js';
import { customOp } from '../../lib/customOp.js';
import { ArgumentError, NonFiniteError, ShapeError, firstNonFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { allocate, type DType } from '../../lib/dtype.js';
import { plainCamera } from '../../geometry/camera.js';
import { runTasks } from '../../parallel/workerPool.js';
import { float64, int32, isShared } from '../../lib/sharedMemory.js';
import { scratch, scratchShared, scratchUnset } from '../../parallel/scratch.js';
import { composite } from './composite.js';
import { ewaSplatReference } from './ewaSplatReference.js';
import { type ResolvedSplatOptions, type SplatOptions, resolveSplatOptions } from './options.js';
import { type RasterStats, binSplats } from './rasterizeSplats.js';
import { type CullCounts, type ScreenSplats, behindCameraError, countsOf, emptyScreenSplats, screenSplats, tileOrder } from './screenSplats.js';
import { type SplatCache, emptyCache, refreshWeights } from './splatCache.js';
import { PACK, SUMS, entryStride, packSplats } from './smoothBackward.js';
import { emptyPixelRecords } from './artificialGradient.js';
import { artificialSplats, backwardBands, chainPoints, forwardBands, screenPoints } from './kernels.js';
import { splatBackwardReference } from './splatBackwardReference.js';
import { cloudScale } from './cloudScale.js';

export interface SplatRender {
  /** H x W x C rendered attributes (differentiable w.r.t. positions, normals, attributes). */
  image: Tensor;
  /** H x W camera depth (0 where empty). */
  depth: Tensor;
  /** H x W x 3 world normals (0 where empty). */
  normal: Tensor;
  /** H x W coverage (1 where a splat is visible). */
  alpha: Tensor;
  /** The front-most splats of every pixel (for the backward and the occlusion counter). */
  cache: SplatCache;
  /** The options after defaults (sigma, merge threshold...). */
  options: ResolvedSplatOptions;
  culled: CullCounts;
  stats: RasterStats;
}

export interface SplatCall extends SplatOptions {
  /** 'fast' (default) or 'reference' (the textbook twins of the forward and the backward). */
  implementation?: 'fast' | 'reference';
  /**
   * Freeze the visibility h (eq. 9): render with these front lists (from an earlier render's
   * `cache`), recomputing only the smooth weights rho_bar. For checking the smooth gradient.
   */
  visibility?: SplatCache;
  /**
   * An earlier render (of the fast path) whose images and per-pixel cache this call may overwrite
   * instead of allocating its own: same size, channels, front count, dtype and thread sharing,
   * else it is left alone and fresh buffers are used. A render loop that passes its last render
   * allocates nothing large per call. The earlier render is used up: its tensors and cache hold
   * this call's values and its backward throws, so run its backward first, and feed neither it
   * nor its cache (as `visibility`, say) into this call.
   */
  reuse?: SplatRender;
}

/** Checks shapes and values at the public boundary; returns the number of channels. */
function validate(positions: Tensor, normals: Tensor, attributes: Tensor): number {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) {
    throw new ShapeError(`positions must be an N x 3 tensor, got ${positions instanceof Tensor ? `[${positions.shape}]` : typeof positions}.`);
  }
  const n = positions.shape[0];
  if (n === 0) throw new ArgumentError('positions is empty: the cloud needs at least one point to render.');
  if (!(normals instanceof Tensor) || normals.ndim !== 2 || normals.shape[0] !== n || normals.shape[1] !== 3) {
    throw new ShapeError(`normals must be an N x 3 tensor with N = ${n} (one per position), got ${normals instanceof Tensor ? `[${normals.shape}]` : typeof normals}.`);
  }
  if (!(attributes instanceof Tensor) || attributes.ndim !== 2 || attributes.shape[0] !== n || attributes.shape[1] < 1) {
    throw new ShapeError(`attributes must be an N x C tensor with N = ${n} (e.g. shaded RGB colours), got ${attributes instanceof Tensor ? `[${attributes.shape}]` : typeof attributes}.`);
  }
  for (const [t, name] of [[positions, 'positions'], [normals, 'normals'], [attributes, 'attributes']] as const) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) throw new NonFiniteError(`${name}[${Math.floor(bad / t.shape[1])}] has a non-finite value (${t.data[bad]}); remove or fix that point before rendering.`);
  }
  const N = normals.data;
  for (let k = 0; k < n; k++) {
    if (N[3 * k] === 0 && N[3 * k + 1] === 0 && N[3 * k + 2] === 0) {
      throw new ArgumentError(`normals[${k}] is the zero vector, so the splat has no orientation; give every point a non-zero normal.`);
    }
  }
  return attributes.shape[1];
}

interface SplatView {
  camera: Camera;
  options: ResolvedSplatOptions;
  implementation: 'fast' | 'reference';
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
 * The view behind each render ewaSplat returned, for options.reuse: a hidden property, not a
 * WeakMap, whose entries outlive the minor collections and so would hold large buffers longer.
 */
const VIEW = Symbol('ewaSplat.view');

/**
 * The images and cache of the render behind `old`, marked used up, when they fit this call;
 * else null. The cache keeps its arrays; its lists are rebuilt band by band by forwardBands.
 */
function recycle(old: SplatView, W: number, H: number, channels: number, frontCount: number, dtype: DType, shared: boolean, pointDepth: Float64Array): { out: RenderImages; cache: SplatCache } | null {
  const r = old.result;
  if (!r || old.recycled) return null;
  const c = r.cache, im = r.images;
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
  return new Tensor(allocate(dtype, shape.reduce((a, b) => a * b, 1), shared), shape);
}

const splatOp = customOp({
  name: 'ewaSplat',
  allowNonFinite: true, // inputs are validated and composite checks every output pixel, in parallel
  forward(ctx, positions: Tensor, normals: Tensor, attributes: Tensor, view: SplatView) {
    const { camera, options: o } = view;
    const channels = attributes.shape[1];
    const H = camera.height, W = camera.width;
    // the frozen-visibility and reference paths are for checking, and run on this thread
    const threads = (view.threads = view.visibility || view.implementation === 'reference' ? 1 : o.threads);
    const shared = threads > 1;
    const outputs = (): RenderImages => ({ image: output(ctx.dtype, [H, W, channels], shared), depth: output(ctx.dtype, [H, W], shared), normal: output(ctx.dtype, [H, W, 3], shared), alpha: output(ctx.dtype, [H, W], shared) });
    const imagesOf = (t: RenderImages) => ({ image: t.image.data, depth: t.depth.data, normal: t.normal.data, alpha: t.alpha.data });
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
      bad = composite(cache, attributes.data, channels, normals.data, o.background, imagesOf(out));
    } else if (view.implementation === 'reference') {
      ({ splats: screen, culled } = screenSplats(positions.data, normals.data, camera, o));
      cache = ewaSplatReference(positions.data, normals.data, camera, o);
      cache.bins = binSplats(screen, H);
      stats = { evaluations: positions.shape[0] * W * H };
      out = outputs();
      bad = composite(cache, attributes.data, channels, normals.data, o.background, imagesOf(out));
    } else {
      const n = positions.shape[0];
      const P = scratchShared('splat.forward.positions', positions.data, shared);
      const N = scratchShared('splat.forward.normals', normals.data, shared);
      screen = emptyScreenSplats(n, shared);
      const chunk = Math.max(256, Math.ceil(n / 32)), tasks = Math.ceil(n / chunk);
      const cam = plainCamera(camera);
      const culledBy = int32(3 * tasks, shared), behind = int32(tasks, shared);
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
      runTasks(forwardBands, {
        screen, bins, cache, cutoff: o.cutoff, mergeThreshold: o.mergeThreshold,
        attributes: scratchShared('splat.forward.attributes', attributes.data, shared), channels, normals: N, background: o.background,
        out: imagesOf(out), zeroed, evaluations, nonFinite,
      }, bins.bands, threads);
      bad = nonFinite.find((p) => p >= 0) ?? -1;
      cache.bins = bins;
      stats = { evaluations: evaluations.reduce((a, b) => a + b, 0) };
    }
    if (bad >= 0) {
      throw new NonFiniteError(`ewaSplat: pixel (${bad % W}, ${Math.floor(bad / W)}) came out non-finite from finite inputs (an overflow: extreme coordinates, or a sigma far from the point spacing); rescale the scene or pass a sigma.`);
    }
    ctx.markNonDifferentiable(out.depth, out.normal, out.alpha);
    view.result = { cache, culled, stats, images: out };
    ctx.save(positions, normals, attributes, view, screen, cache, out.image);
    return [out.image, out.depth, out.normal, out.alpha];
  },
  backward(ctx, gImage) {
    const [positions, normals, attributes, view, screen, cache, image] = ctx.saved as [Tensor, Tensor, Tensor, SplatView, ScreenSplats, SplatCache, Tensor];
    if (view.recycled) throw new ArgumentError('ewaSplat: this render\'s buffers were overwritten by a later call that passed it as options.reuse; run its backward before reusing it.');
    const [needP, needN, needW] = ctx.needsInputGrad;
    const n = positions.shape[0], channels = attributes.shape[1];
    const threads = view.threads!, shared = threads > 1;
    const gP = needP ? allocate(ctx.dtype, 3 * n, shared) : null;
    const gN = needN ? allocate(ctx.dtype, 3 * n, shared) : null;
    const gW = needW ? allocate(ctx.dtype, attributes.size, shared) : null;
    if (!gImage) return [gP, gN, gW];
    if (view.implementation === 'reference' && !view.visibility) {
      const ref = splatBackwardReference(cache, screen, positions.data, normals.data, attributes.data, channels, view.camera, view.options, gImage);
      gP?.set(ref.gP);
      gN?.set(ref.gN);
      gW?.set(ref.gW);
      return [gP, gN, gW];
    }
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
      ...inputs, bins, channels, packed: packSplats(screen, attributes.data, channels, scratchUnset(Float64Array, 'splat.packed', PACK * n, shared)),
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
      runTasks(artificialSplats, {
        cache, attributes: inputs.attributes, screen, channels, focal, order, chunk, gScreen, pixelRecords: bandArgs.pixelRecords!,
        options: { window: view.options.window, cutoff: view.options.cutoff, mergeThreshold: view.options.mergeThreshold, background: view.options.background },
      }, Math.ceil(order.length / chunk), threads);
    }
    // per point: the chain to p and n of the smooth sums and the screen-space artificial gradient
    const chunk = Math.max(64, Math.ceil(n / 64));
    runTasks(chainPoints, {
      count: n, chunk, bins, partial: bandArgs.partial, packed: bandArgs.packed, channels, width: cache.width,
      sums: scratchUnset(Float64Array, 'splat.sums', SUMS * n, shared), gW, positions: positionsShared, normals: normalsShared,
      pose: plainCamera(view.camera), sigma: view.options.sigma, gP, gN, gScreen, focal,
    }, Math.ceil(n / chunk), threads);
    return [gP, gN, gW];
  },
});

/**
 * Renders oriented points with screen-space EWA splats from one camera (dss.md §2).
 * positions, normals: N x 3; attributes: N x C (e.g. shaded colours from `shade`).
 */
export function ewaSplat(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: SplatCall = {}): SplatRender {
  const channels = validate(positions, normals, attributes);
  if (!camera || typeof camera.toCamera !== 'function') throw new ArgumentError('camera must be a Camera (Camera.lookAt or Camera.fromMatrix).');
  const resolved = resolveSplatOptions(options, channels, () => cloudScale(positions.data));
  const implementation = options.implementation ?? 'fast';
  if (implementation !== 'fast' && implementation !== 'reference') throw new ArgumentError(`options.implementation must be 'fast' or 'reference', got ${JSON.stringify(implementation)}.`);
  let reuse: SplatView | undefined;
  if (options.reuse !== undefined) {
    reuse = (options.reuse as { [VIEW]?: SplatView } | null)?.[VIEW];
    if (!reuse) throw new ArgumentError('options.reuse must be a render returned by ewaSplat (whose buffers this call may overwrite), or undefined.');
  }
  const view: SplatView = { camera, options: resolved, implementation, visibility: options.visibility, reuse };
  const [image, depth, normal, alpha] = splatOp(positions, normals, attributes, view);
  const r = view.result!;
  view.reuse = undefined; // nothing keeps a chain of earlier renders alive
  const render: SplatRender = { image, depth, normal, alpha, cache: r.cache, options: resolved, culled: r.culled, stats: r.stats };
  Object.defineProperty(render, VIEW, { value: view });
  return render;
}

/** One render per camera; `attributes` may depend on the view (shading with per-view lights). */
export function ewaSplatViews(positions: Tensor, normals: Tensor, attributes: Tensor | ((camera: Camera, view: number) => Tensor), cameras: readonly Camera[], options: SplatCall = {}): SplatRender[] {
  if (!Array.isArray(cameras) || cameras.length === 0) throw new ArgumentError('cameras must be a non-empty array of Camera.');
  if (options.reuse !== undefined) throw new ArgumentError('options.reuse names one earlier render; for several views call ewaSplat per view, each with its own.');
  // measure the cloud once for all views
  const fixed: SplatCall = { ...options };
  if (fixed.sigma === undefined || fixed.mergeThreshold === undefined) {
    const m = cloudScale(positions.data);
    fixed.sigma ??= (options.sigmaScale ?? 1) * m.spacing;
    fixed.mergeThreshold ??= resolveSplatOptions({ sigma: 1 }, 1, () => m).mergeThreshold;
  }
  return cameras.map((camera, v) => ewaSplat(positions, normals, typeof attributes === 'function' ? attributes(camera, v) : attributes, camera, fixed));
}

// The splat op cut into tasks for the thread pool (parallel/workerPool.ts). Every task writes
// outputs no other task writes: ranges of points for the screen-space splats; bands of rows for
// the forward and for the per-pixel half of the backward (each band into its own partial sums);
// runs of splats in tile order for the artificial gradient (each splat's own screen gradient);
// ranges of points for the rest of the per-splat half (each splat's sums gathered from its bands).
// With one thread the same tasks run in order on the calling thread, so results are
// bit-identical whatever the thread count (spec/parallel/determinism.spec.ts).

import type { CameraPose, PlainCamera } from '../../geometry/camera.js';
import type { FloatArray } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';
import { type PixelRecords, artificialScreenGradient, chainScreenGradient } from './artificialGradient.js';
import { type CompositeImages, composite } from './composite.js';
import type { ResolvedSplatOptions } from './options.js';
import { BAND, type BandBins, rasterizeBand } from './rasterizeSplats.js';
import { type ScreenSplats, screenSplatRange } from './screenSplats.js';
import { type SplatSums, accumulateSmoothBand, chainSplat, reduceSplats } from './smoothBackward.js';
import type { SplatCache } from './splatCache.js';

export interface ScreenArgs {
  positions: FloatArray;
  normals: FloatArray;
  camera: PlainCamera;
  options: ResolvedSplatOptions;
  screen: ScreenSplats;
  count: number;
  /** Points per task. */
  chunk: number;
  /** [backface, behind, offscreen] per task. */
  culled: Int32Array;
  /** Per task: its first point behind the camera (when that is an error), or -1. */
  behind: Int32Array;
}

/** Task i: points i*chunk ... as screen-space splats (eq. 1-3). */
export const screenPoints = defineKernel<ScreenArgs>('splat.screenPoints', import.meta.url, (a, task) => {
  const k0 = task * a.chunk,
    k1 = Math.min(a.count, k0 + a.chunk);
  a.behind[task] = screenSplatRange(a.positions, a.normals, a.camera, a.options, a.screen, a.culled.subarray(3 * task, 3 * task + 3), k0, k1);
});

/** Pixels p0..p1-1 of band b. */
function bandPixels(cache: SplatCache, b: number): [number, number] {
  return [b * BAND * cache.width, Math.min((b + 1) * BAND, cache.height) * cache.width];
}

export interface ForwardBandArgs {
  screen: ScreenSplats;
  bins: BandBins;
  cache: SplatCache;
  cutoff: number;
  mergeThreshold: number;
  attributes: FloatArray;
  channels: number;
  normals: FloatArray;
  background: number[];
  out: CompositeImages;
  /** The outputs and the cache's counts are fresh (zero-filled), not an earlier render's (options.reuse). */
  zeroed: boolean;
  /** Splat-pixel evaluations per band. */
  evaluations: Float64Array;
  /** Per band: the first pixel with a non-finite output, or -1. */
  nonFinite: Int32Array;
}

/** Task b: rasterize band b (eq. 3-4), mark its visible prefixes (eq. 5), composite it (eq. 6). */
export const forwardBands = defineKernel<ForwardBandArgs>('splat.forwardBands', import.meta.url, (a, b) => {
  const [p0, p1] = bandPixels(a.cache, b);
  a.cache.index.fill(-1, p0 * a.cache.frontCount, p1 * a.cache.frontCount); // empty slots read -1
  if (!a.zeroed) a.cache.count.fill(0, p0, p1); // an earlier render's counts
  a.evaluations[b] = rasterizeBand(a.screen, a.bins, b, a.cache, a.cutoff);
  a.nonFinite[b] = composite(a.cache, a.mergeThreshold, a.attributes, a.channels, a.normals, a.background, a.out, p0, p1, a.zeroed);
});

export interface BackwardBandArgs {
  cache: SplatCache;
  bins: BandBins;
  packed: Float64Array;
  attributes: FloatArray;
  channels: number;
  image: FloatArray;
  gImage: FloatArray;
  /** Per bin entry: the smooth sums and dL/dw (smoothBackward.ts). */
  partial: Float64Array;
  /** Filled for the artificial gradient, when it runs (by the same pass). */
  pixelRecords: PixelRecords | null;
}

/** Task b: the exact backward over band b's pixels, and the pixel sums the artificial gradient reads. */
export const backwardBands = defineKernel<BackwardBandArgs>('splat.backwardBands', import.meta.url, (a, b) => {
  accumulateSmoothBand(a.cache, a.bins, b, a.packed, a.attributes, a.channels, a.image, a.gImage, a.partial, a.pixelRecords);
});

export interface ArtificialArgs {
  cache: SplatCache;
  screen: ScreenSplats;
  attributes: FloatArray;
  channels: number;
  focal: number;
  options: Pick<ResolvedSplatOptions, 'window' | 'cutoff' | 'mergeThreshold' | 'background'>;
  pixelRecords: PixelRecords;
  /** The active splats, tile by tile (tileOrder). */
  order: Int32Array;
  /** Splats of `order` per task. */
  chunk: number;
  /** Per splat: the artificial gradient in screen space (each splat written by one task). */
  gScreen: Float64Array;
}

/** Task i: the artificial gradient (eq. 12-14) of splats order[i*chunk ...]. */
export const artificialSplats = defineKernel<ArtificialArgs>('splat.artificialSplats', import.meta.url, (a, task) => {
  const e0 = task * a.chunk,
    e1 = Math.min(a.order.length, e0 + a.chunk);
  artificialScreenGradient(a.cache, a.screen, a.attributes, a.channels, a.focal, a.options, a.pixelRecords, a.gScreen, a.order, e0, e1);
});

export interface ChainPointArgs {
  count: number;
  /** Points per task. */
  chunk: number;
  /** The band pass's bins, per-entry partials and packed splats, gathered per splat (reduceSplats). */
  bins: BandBins;
  partial: Float64Array;
  packed: Float64Array;
  channels: number;
  width: number;
  /** Per splat: its six sums (each written by the task that owns the splat). */
  sums: SplatSums;
  gW: FloatArray | null;
  positions: FloatArray;
  normals: FloatArray;
  pose: CameraPose;
  sigma: number;
  gP: FloatArray | null;
  gN: FloatArray | null;
  /** The artificial gradient in screen space (artificialSplats), or null when it is off. */
  gScreen: Float64Array | null;
  focal: number;
}

/**
 * Task i: points i*chunk ... : their smooth sums and dL/dw gathered from the bin entries, the
 * chain of those sums to p and n, and the chain of the artificial gradient.
 */
export const chainPoints = defineKernel<ChainPointArgs>('splat.chainPoints', import.meta.url, (a, task) => {
  const k0 = task * a.chunk,
    k1 = Math.min(a.count, k0 + a.chunk);
  reduceSplats(k0, k1, a.bins, a.partial, a.channels, a.packed, a.width, a.sums, a.gW);
  for (let k = k0; k < k1; k++) chainSplat(k, a.sums, a.positions, a.normals, a.pose, a.sigma, a.gP, a.gN);
  if (a.gScreen && a.gP) chainScreenGradient(a.gScreen, a.positions, a.pose, a.focal, a.gP, k0, k1);
});

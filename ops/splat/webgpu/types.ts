// The public types of the GPU path (engine.md §9), free of WebGPU's own type names so that the
// package's declarations type-check in projects without @webgpu/types.

import type { Tensor } from '../../../lib/tensor.js';
import type { ResolvedSplatOptions, SplatOptions } from '../options.js';
import type { RasterStats } from '../rasterizeSplats.js';
import type { CullCounts } from '../screenSplats.js';
import type { SplatCache } from '../splatCache.js';

/** A WebGPU entry point: `navigator.gpu`, or the object `create([...])` of the `webgpu` package returns. */
export interface GpuEntry {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<unknown>;
}

export interface RequestGpuOptions {
  /** Use this entry point (navigator.gpu, or create([...]) of the webgpu package) instead of finding one. */
  gpu?: GpuEntry;
  powerPreference?: 'high-performance' | 'low-power';
  /** @internal How the Node package is loaded (the specs replace it). */
  importWebgpu?: () => Promise<{ create(flags: string[]): GpuEntry }>;
}

/** Where a device's entry point came from: the browser's navigator.gpu, the Node package, or given. */
export type GpuHost = 'browser' | 'node' | 'given';

/** Options of the GPU op: ewaSplat's (threads, a CPU-path setting, is ignored; reuse and visibility are refused). */
export type GpuSplatOptions = SplatOptions;

/** A splat render done on the GPU: ewaSplat's render, with the per-pixel cache left on the device. */
export interface GpuSplatRender {
  /** H x W x C rendered attributes, on the tape (its backward is asynchronous: await loss.backwardAsync()). */
  image: Tensor;
  depth: Tensor;
  normal: Tensor;
  alpha: Tensor;
  options: ResolvedSplatOptions;
  culled: CullCounts;
  stats: RasterStats;
  /** Per point, 1 where it is among the visible splats of some pixel (what markSeen reads off a cache). */
  shown: Uint8Array;
  device: 'webgpu';
  /** The adapter that rendered it. */
  adapter: string;
  /** The per-pixel lists (as ewaSplat's `cache`), read back from the device; before the backward, which frees them. */
  readCache(): Promise<SplatCache>;
  /** Frees the render's device buffers now (its backward then throws); otherwise the backward frees them. */
  release(): void;
}

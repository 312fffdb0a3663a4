// The splat op on a WebGPU device (engine.md §9; docs/dss.md §2-3): the same op as ewaSplat, with
// its hot loops (rasterizing the per-pixel front lists, compositing, both halves of the backward)
// as WGSL kernels. The CPU does the O(N) setup in float64 with the CPU path's own code
// (screenSplats.ts: projection, culling, boxes; pack.ts), so both paths start from the same
// splats. GPU readback is asynchronous, so the op is too: `await gpu.ewaSplat(...)` resolves to
// the render, its node on the tape is asynchronous, and `await loss.backwardAsync()` runs the
// GPU backward when the walk reaches it. The render's GPU buffers (the cache above all) stay on
// the device until its backward has run, or `release()`.

/// <reference types="@webgpu/types" />

import type { Camera } from '../../../geometry/camera.js';
import { customOpAsync } from '../../../lib/customOp.js';
import { type DType, type FloatArray, allocate } from '../../../lib/dtype.js';
import { ArgumentError, DeviceError, firstNonFinite } from '../../../lib/errors.js';
import { Tensor } from '../../../lib/tensor.js';
import { cloudScale } from '../cloudScale.js';
import { type ResolvedSplatOptions, resolveSplatOptions } from '../options.js';
import type { RasterStats } from '../rasterizeSplats.js';
import { type CullCounts, screenSplats } from '../screenSplats.js';
import type { SplatCache } from '../splatCache.js';
import { nonFinitePixel, validateSplatInputs } from '../splatRender.js';
import { ARTIFICIAL_EPS } from '../artificialGradient.js';
import { type AcquiredDevice, acquireDevice } from './device.js';
import type { GpuHost, GpuSplatOptions, GpuSplatRender, RequestGpuOptions } from './types.js';
import { checkBufferSizes, checkShapes } from './limits.js';
import { type PackedSplats, packSplats } from './pack.js';
import { DEPTH_WORDS, DISPATCH_ROW, FLAG_ARTIFICIAL, FLAG_ATTRIBUTES, FLAG_NORMALS, FLAG_POSITIONS, PARAMS_BYTES, RECORD_FLOATS, SPLAT_WORDS, TILE } from './wgsl/common.js';
import { countTilesWgsl, fillTilesWgsl, rasterizeWgsl, scanTilesWgsl } from './wgsl/forward.js';
import { SPLATS_PER_GROUP, pixelRecordsKernel, splatGradientsWgsl } from './wgsl/backward.js';

// WebGPU's flag values (fixed by the spec), so that nothing needs the GPUBufferUsage globals
const MAP_READ = 0x01,
  COPY_SRC = 0x04,
  COPY_DST = 0x08,
  UNIFORM = 0x40,
  STORAGE = 0x80,
  COMPUTE = 0x04;

type BindingKind = 'uniform' | 'read' | 'write';

interface Kernel {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** A pooled buffer and the bytes of it in use. */
interface Slice {
  buffer: GPUBuffer;
  bytes: number;
}

interface GpuView {
  gpu: GpuContext;
  camera: Camera;
  options: ResolvedSplatOptions;
  packed?: PackedSplats;
  /** The forward's device buffers, held for the backward; null once released. */
  held?: Record<string, Slice> | null;
  result?: { culled: CullCounts; stats: RasterStats; shown: Uint8Array };
}

/** Frees the buffers of renders that were dropped without a backward or release(). */
const dropped = new FinalizationRegistry<{ gpu: GpuContext; buffers: Record<string, Slice> }>((h) => h.gpu.releaseAll(h.buffers));

/** The device behind a SplatGpu: its kernels (compiled on first use per front count and channel count) and a buffer pool. */
class GpuContext {
  readonly device: GPUDevice;
  readonly description: string;
  /** The entry point, adapter and device, held for the device's lifetime: in Node, collecting the entry point ends the device. */
  readonly acquired: AcquiredDevice;
  private readonly kernels = new Map<string, Promise<Kernel>>();
  private readonly pool = new Map<string, GPUBuffer[]>();
  private lost: string | null = null;

  constructor(acquired: AcquiredDevice) {
    this.acquired = acquired;
    this.device = acquired.device;
    this.description = acquired.description;
    this.device.lost.then((info) => {
      this.lost = info.message || String(info.reason);
    });
  }

  get limits(): { maxStorageBufferBindingSize: number; maxBufferSize: number } {
    return this.device.limits;
  }

  destroy(): void {
    for (const list of this.pool.values()) for (const b of list) b.destroy();
    this.pool.clear();
    this.device.destroy();
  }

  /** @internal Throws DeviceError('lost') once the device is gone. */
  checkAlive(): void {
    if (this.lost !== null) throw new DeviceError('lost', `device 'webgpu': the device was lost (${this.lost}); request a new one (SplatGpu.request()).`);
  }

  /** @internal The six kernels for A front slots and C channels. */
  kernelSet(A: number, C: number): Promise<Kernel[]> {
    const u: BindingKind = 'uniform',
      r: BindingKind = 'read',
      w: BindingKind = 'write';
    return Promise.all([
      this.kernel('countTiles', countTilesWgsl, [u, r, w]),
      this.kernel('scanTiles', scanTilesWgsl, [u, w]),
      this.kernel('fillTiles', fillTilesWgsl, [u, r, w, w]),
      this.kernel(`rasterize:${A}:${C}`, () => rasterizeWgsl(A, C), [u, r, r, r, w, r, w, w]),
      this.kernel(`pixelRecords:${A}:${C}`, () => pixelRecordsKernel(A, C), [u, r, r, w]),
      this.kernel(`splatGradients:${A}:${C}`, () => splatGradientsWgsl(A, C), [u, r, r, r, r, r, r, r, w]),
    ]);
  }

  /** The pipeline of a kernel, compiled once (`code` is only called then). */
  private kernel(name: string, code: () => string, bindings: BindingKind[]): Promise<Kernel> {
    let k = this.kernels.get(name);
    if (!k) {
      k = (async () => {
        const device = this.device;
        const layout = device.createBindGroupLayout({
          entries: bindings.map((b, i) => ({ binding: i, visibility: COMPUTE, buffer: { type: b === 'uniform' ? 'uniform' : b === 'read' ? 'read-only-storage' : 'storage' } })),
        });
        const module = device.createShaderModule({ code: code(), label: name });
        try {
          const pipeline = await device.createComputePipelineAsync({ layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module, entryPoint: 'main' } });
          return { pipeline, layout };
        } catch (e) {
          const info = await module.getCompilationInfo();
          const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
          throw new Error(`ewaSplat GPU kernel ${name} did not compile: ${e instanceof Error ? e.message : String(e)}\n${messages}`);
        }
      })();
      this.kernels.set(name, k);
    }
    return k;
  }

  /** @internal A buffer of at least `bytes` (pooled by power-of-two size and usage). */
  acquire(bytes: number, usage: number): Slice {
    const need = Math.max(16, Math.ceil(bytes / 4) * 4);
    const rounded = 2 ** Math.ceil(Math.log2(need));
    const size = rounded <= this.device.limits.maxBufferSize ? rounded : need;
    const key = `${usage}:${size}`;
    const buffer = this.pool.get(key)?.pop() ?? this.device.createBuffer({ size, usage });
    return { buffer, bytes: need };
  }

  /** @internal Back into the pool (a few per size; the rest are destroyed). */
  release(slice: Slice): void {
    const key = `${slice.buffer.usage}:${slice.buffer.size}`;
    const list = this.pool.get(key) ?? [];
    if (list.length < 4) list.push(slice.buffer);
    else slice.buffer.destroy();
    this.pool.set(key, list);
  }

  /** @internal */
  releaseAll(buffers: Record<string, Slice>): void {
    for (const s of Object.values(buffers)) this.release(s);
  }

  /** @internal */
  releaseView(view: GpuView): void {
    if (!view.held) return;
    dropped.unregister(view);
    this.releaseAll(view.held);
    view.held = null;
  }

  /** @internal Copies `from` (its first `bytes`) to a mappable buffer after the encoder's work, and reads it. */
  async submitAndRead(encoder: GPUCommandEncoder, copies: { from: GPUBuffer; offset: number; bytes: number }[]): Promise<ArrayBuffer> {
    const total = copies.reduce((a, c) => a + c.bytes, 0);
    const staging = this.acquire(total, MAP_READ | COPY_DST);
    let at = 0;
    for (const c of copies) {
      encoder.copyBufferToBuffer(c.from, c.offset, staging.buffer, at, c.bytes);
      at += c.bytes;
    }
    this.device.queue.submit([encoder.finish()]);
    try {
      await staging.buffer.mapAsync(MAP_READ, 0, Math.max(16, total));
    } catch (e) {
      this.checkAlive();
      throw e;
    }
    const out = staging.buffer.getMappedRange(0, Math.max(16, total)).slice(0, total);
    staging.buffer.unmap();
    this.release(staging);
    return out;
  }

  async readCache(view: GpuView, dtype: DType): Promise<SplatCache> {
    if (!view.held) throw new ArgumentError("readCache: this GPU render's device buffers are released (its backward ran, or release()); read the cache before the backward.");
    const { camera, options } = view;
    const W = camera.width,
      H = camera.height,
      A = options.frontCount;
    const bytes = 4 * (2 * W * H * A + W * H);
    const raw = new Uint32Array(await this.submitAndRead(this.device.createCommandEncoder(), [{ from: view.held.cache.buffer, offset: 0, bytes }]));
    const rawF = new Float32Array(raw.buffer);
    const ids = view.packed!.ids;
    // the depths as packed: the CPU's float64 values, from their bits
    const pointDepth = new Float64Array(view.packed!.pointCount);
    const bits = new Uint32Array(2),
      depth = new Float64Array(bits.buffer);
    ids.forEach((k, s) => {
      bits[1] = view.packed!.splats[SPLAT_WORDS * s + 14];
      bits[0] = view.packed!.splats[SPLAT_WORDS * s + 15];
      pointDepth[k] = depth[0];
    });
    const cache: SplatCache = {
      width: W,
      height: H,
      frontCount: A,
      index: new Int32Array(W * H * A),
      rho: allocate(dtype, W * H * A),
      pointDepth,
      count: new Uint8Array(W * H),
      visible: new Uint8Array(W * H),
    };
    for (let slot = 0; slot < W * H * A; slot++) {
      const s = raw[2 * slot];
      cache.index[slot] = s === 0xffffffff ? -1 : ids[s];
      cache.rho[slot] = s === 0xffffffff ? 0 : rawF[2 * slot + 1];
    }
    for (let p = 0; p < W * H; p++) {
      const m = raw[2 * W * H * A + p];
      cache.count[p] = m & 0xff;
      cache.visible[p] = m >>> 8;
    }
    return cache;
  }
}

/** A WebGPU device for the splat op's GPU path (engine.md §9). */
export class SplatGpu {
  /** The adapter, in one line (vendor, architecture, device, description). */
  readonly adapter: string;
  /** Where the device came from: the browser's navigator.gpu, the Node package, or an entry point given. */
  readonly host: GpuHost;
  /** A software adapter (SwiftShader and the like): the same answers, none of a GPU's speed. */
  readonly software: boolean;
  readonly #context: GpuContext;

  private constructor(context: GpuContext) {
    this.#context = context;
    this.adapter = context.description;
    this.host = context.acquired.host;
    this.software = context.acquired.software;
  }

  /** A device for the GPU path; DeviceError when there is none (the message says what to install or enable). */
  static async request(options: RequestGpuOptions = {}): Promise<SplatGpu> {
    return new SplatGpu(new GpuContext(await acquireDevice(options)));
  }

  /** The device's buffer limits (bytes), which renders are checked against before dispatch. */
  get limits(): { maxStorageBufferBindingSize: number; maxBufferSize: number } {
    const l = this.#context.limits;
    return { maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxBufferSize: l.maxBufferSize };
  }

  /**
   * Renders on the GPU (docs/dss.md §2): ewaSplat's arguments and options (less reuse and
   * visibility; threads is ignored). Differentiable like ewaSplat, through `await loss.backwardAsync()`.
   */
  async ewaSplat(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: GpuSplatOptions = {}): Promise<GpuSplatRender> {
    const channels = validateSplatInputs(positions, normals, attributes, camera);
    for (const key of ['reuse', 'visibility', 'implementation'] as const) {
      if (key in options) throw new ArgumentError(`options.${key} is a CPU-path option; the GPU path takes ewaSplat's other options.`);
    }
    checkShapes(camera.width, camera.height, channels);
    const resolved = resolveSplatOptions({ ...options, threads: 1 }, channels, () => cloudScale(positions.data));
    const context = this.#context;
    const view: GpuView = { gpu: context, camera, options: resolved };
    const [image, depth, normal, alpha] = await gpuSplatOp(positions, normals, attributes, view);
    const r = view.result!;
    return {
      image,
      depth,
      normal,
      alpha,
      options: resolved,
      culled: r.culled,
      stats: r.stats,
      shown: r.shown,
      device: 'webgpu',
      adapter: this.adapter,
      readCache: () => context.readCache(view, image.dtype),
      release: () => context.releaseView(view),
    };
  }

  /** Frees the device (renders not yet differentiated can no longer be). */
  destroy(): void {
    this.#context.destroy();
  }
}

/** The uniform block of wgsl/common.ts (Params). */
function paramsBlock(view: GpuView, count: number, channels: number, flags: number): ArrayBuffer {
  const { camera, options: o } = view;
  const buf = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  u.set([camera.width, camera.height, Math.ceil(camera.width / TILE), Math.ceil(camera.height / TILE)], 0);
  u.set([count, channels, 0, flags], 4);
  const cutHi = Math.fround(o.cutoff);
  f.set([cutHi, o.cutoff - cutHi, o.window / 2, ARTIFICIAL_EPS], 8);
  const R = camera.R,
    t = camera.t;
  const cam = [R[0], R[1], R[2], camera.fx, R[3], R[4], R[5], camera.fy, R[6], R[7], R[8], o.sigma, t[0], t[1], t[2], 0.5 * (camera.fx + camera.fy)];
  f.set(cam, 12);
  f.set(o.background, 28);
  f.set(
    cam.map((v) => v - Math.fround(v)),
    44,
  ); // the low parts: the chain (wgsl/chain.ts) runs in double-float
  return buf;
}

/** Dispatches `count` workgroups as rows of DISPATCH_ROW. */
function dispatch(pass: GPUComputePassEncoder, device: GPUDevice, kernel: Kernel, buffers: Slice[], count: number): void {
  if (count === 0) return;
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: kernel.layout, entries: buffers.map((b, i) => ({ binding: i, resource: { buffer: b.buffer, size: b.bytes } })) }));
  pass.dispatchWorkgroups(Math.min(count, DISPATCH_ROW), Math.ceil(count / DISPATCH_ROW));
}

function toFloat32(a: FloatArray): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

const gpuSplatOp = customOpAsync({
  name: 'ewaSplatGpu',
  allowNonFinite: true, // the forward checks its own outputs
  async forward(ctx, positions: Tensor, normals: Tensor, attributes: Tensor, view: GpuView) {
    const { gpu, camera, options: o } = view;
    gpu.checkAlive();
    const device = gpu.device;
    const C = attributes.shape[1],
      W = camera.width,
      H = camera.height,
      A = o.frontCount;
    const { splats: screen, culled } = screenSplats(positions.data, normals.data, camera, o);
    const focal = 0.5 * (camera.fx + camera.fy);
    const packed = packSplats(screen, positions.data, normals.data, attributes.data, { width: W, height: H, channels: C, mergeThreshold: o.mergeThreshold, window: o.window, focal });
    view.packed = packed;
    const S = packed.count;
    const tilesX = Math.ceil(W / TILE),
      tilesY = Math.ceil(H / TILE),
      T = tilesX * tilesY;
    const sizes = {
      splats: 4 * SPLAT_WORDS * S,
      splatDepth: 4 * DEPTH_WORDS * S,
      splatAttributes: 4 * (C + 6) * S,
      tileIndex: 4 * (3 * T + 2 + S),
      tileList: 4 * packed.tileEntries,
      cache: 4 * (2 * W * H * A + W * H),
      images: 4 * W * H * (C + 5),
      gImage: 4 * W * H * C,
      records: 4 * RECORD_FLOATS * W * H,
      grads: 4 * (6 + C) * S,
    };
    checkBufferSizes(sizes, gpu.limits);
    const [countTiles, scanTiles, fillTiles, rasterize] = await gpu.kernelSet(A, C);
    const b = {
      params: gpu.acquire(PARAMS_BYTES, UNIFORM | COPY_DST),
      splats: gpu.acquire(sizes.splats, STORAGE | COPY_DST),
      splatDepth: gpu.acquire(sizes.splatDepth, STORAGE | COPY_DST),
      splatAttr: gpu.acquire(sizes.splatAttributes, STORAGE | COPY_DST),
      tileIndex: gpu.acquire(sizes.tileIndex, STORAGE | COPY_DST | COPY_SRC),
      tileList: gpu.acquire(sizes.tileList, STORAGE),
      cache: gpu.acquire(sizes.cache, STORAGE | COPY_SRC),
      images: gpu.acquire(sizes.images, STORAGE | COPY_SRC),
    };
    const q = device.queue;
    q.writeBuffer(b.params.buffer, 0, paramsBlock(view, S, C, 0));
    q.writeBuffer(b.splats.buffer, 0, packed.splats);
    q.writeBuffer(b.splatDepth.buffer, 0, packed.depth);
    q.writeBuffer(b.splatAttr.buffer, 0, packed.attributes);
    const encoder = device.createCommandEncoder();
    encoder.clearBuffer(b.tileIndex.buffer, 0, b.tileIndex.bytes);
    const pass = encoder.beginComputePass();
    const perSplat = Math.ceil(S / 64);
    dispatch(pass, device, countTiles, [b.params, b.splats, b.tileIndex], perSplat);
    dispatch(pass, device, scanTiles, [b.params, b.tileIndex], 1);
    dispatch(pass, device, fillTiles, [b.params, b.splats, b.tileIndex, b.tileList], perSplat);
    pass.setPipeline(rasterize.pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: rasterize.layout,
        entries: [b.params, b.splats, b.splatDepth, b.splatAttr, b.tileIndex, b.tileList, b.cache, b.images].map((s, i) => ({ binding: i, resource: { buffer: s.buffer, size: s.bytes } })),
      }),
    );
    pass.dispatchWorkgroups(tilesX, tilesY);
    pass.end();
    const imageBytes = 4 * W * H * (C + 5);
    let raw: ArrayBuffer;
    try {
      raw = await gpu.submitAndRead(encoder, [
        { from: b.images.buffer, offset: 0, bytes: imageBytes },
        { from: b.tileIndex.buffer, offset: 4 * (3 * T + 1), bytes: 4 * (1 + S) },
      ]);
    } catch (e) {
      gpu.releaseAll(b);
      throw e;
    }
    const all = new Float32Array(raw, 0, imageBytes / 4);
    const words = new Uint32Array(raw, imageBytes, 1 + S);
    const evaluations = words[0];
    const shown = new Uint8Array(packed.pointCount);
    packed.ids.forEach((k, s) => (shown[k] = words[1 + s]));
    const WH = W * H;
    const take = (from: number, n: number, shape: number[]) => {
      const t = new Tensor(allocate(ctx.dtype, n), shape);
      t.data.set(all.subarray(from, from + n));
      return t;
    };
    const image = take(0, WH * C, [H, W, C]);
    const depth = take(WH * C, WH, [H, W]);
    const normal = take(WH * C + WH, 3 * WH, [H, W, 3]);
    const alpha = take(WH * C + 4 * WH, WH, [H, W]);
    for (const [t, per] of [
      [image, C],
      [depth, 1],
      [normal, 3],
    ] as const) {
      const bad = firstNonFinite(t.data);
      if (bad >= 0) {
        gpu.releaseAll(b);
        throw nonFinitePixel(Math.floor(bad / per), W);
      }
    }
    ctx.markNonDifferentiable(depth, normal, alpha);
    view.result = { culled, stats: { evaluations }, shown };
    // the backward needs every buffer; without one only the cache is kept (for readCache)
    const { cache, ...rest } = b;
    view.held = ctx.recording ? b : { cache };
    if (!ctx.recording) gpu.releaseAll(rest);
    dropped.register(view, { gpu, buffers: view.held }, view);
    ctx.save(view);
    return [image, depth, normal, alpha];
  },
  async backward(ctx, gImage) {
    const [view] = ctx.saved as [GpuView];
    const { gpu, camera, options: o } = view;
    const held = view.held;
    if (!held)
      throw new ArgumentError("ewaSplat on the GPU: this render's device buffers are released (its backward already ran, or release() was called); a GPU render has one backward: render again.");
    gpu.checkAlive();
    const device = gpu.device;
    const [needP, needN, needW] = ctx.needsInputGrad;
    const packed = view.packed!;
    const n = packed.pointCount,
      S = packed.count;
    const C = ctx.inputs[2].shape[1],
      W = camera.width,
      H = camera.height;
    const gP = needP ? allocate(ctx.dtype, 3 * n) : null;
    const gN = needN ? allocate(ctx.dtype, 3 * n) : null;
    const gW = needW ? allocate(ctx.dtype, n * C) : null;
    if (!gImage || S === 0) {
      gpu.releaseView(view);
      return [gP, gN, gW];
    }
    const [, , , , pixelRecords, splatGradients] = await gpu.kernelSet(o.frontCount, C);
    const artificial = needP && o.window > 0;
    const flags = (needP ? FLAG_POSITIONS : 0) | (needN ? FLAG_NORMALS : 0) | (needW ? FLAG_ATTRIBUTES : 0) | (artificial ? FLAG_ARTIFICIAL : 0);
    const extra = {
      gImage: gpu.acquire(4 * W * H * C, STORAGE | COPY_DST),
      records: gpu.acquire(4 * RECORD_FLOATS * W * H, STORAGE),
      grads: gpu.acquire(4 * (6 + C) * S, STORAGE | COPY_SRC),
    };
    let raw: ArrayBuffer;
    try {
      device.queue.writeBuffer(held.params.buffer, 0, paramsBlock(view, S, C, flags));
      device.queue.writeBuffer(extra.gImage.buffer, 0, toFloat32(gImage));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      dispatch(pass, device, pixelRecords, [held.params, held.cache, extra.gImage, extra.records], Math.ceil((W * H) / 256));
      dispatch(
        pass,
        device,
        splatGradients,
        [held.params, held.splats, held.splatDepth, held.splatAttr, held.cache, extra.records, extra.gImage, held.images, extra.grads],
        Math.ceil(S / SPLATS_PER_GROUP),
      );
      pass.end();
      raw = await gpu.submitAndRead(encoder, [{ from: extra.grads.buffer, offset: 0, bytes: 4 * (6 + C) * S }]);
    } finally {
      gpu.releaseAll(extra);
      gpu.releaseView(view);
    }
    const g = new Float32Array(raw);
    const stride = 6 + C;
    packed.ids.forEach((k, s) => {
      const o = stride * s;
      if (gP) for (let c = 0; c < 3; c++) gP[3 * k + c] = g[o + c];
      if (gN) for (let c = 0; c < 3; c++) gN[3 * k + c] = g[o + 3 + c];
      if (gW) for (let c = 0; c < C; c++) gW[k * C + c] = g[o + 6 + c];
    });
    return [gP, gN, gW];
  },
});

/** A WebGPU device for the GPU path (SplatGpu.request). */
export const requestSplatGpu = (options: RequestGpuOptions = {}): Promise<SplatGpu> => SplatGpu.request(options);

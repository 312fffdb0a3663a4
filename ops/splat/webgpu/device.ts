// Finding a WebGPU device for the GPU path (engine.md §9): the browser's navigator.gpu, or in Node
// the optional peer dependency `webgpu` (Dawn), imported only here and only when asked for, so
// the library loads and the CPU path runs without it. No adapter is a DeviceError that says what
// to install or enable. The device is asked for the adapter's largest buffers, and its
// double-float arithmetic (wgsl/common.ts) is checked once before the kernels rely on it.

/// <reference types="@webgpu/types" />

import { DeviceError } from '../../../lib/errors.js';
import type { GpuEntry, GpuHost, RequestGpuOptions } from './types.js';
import { commonWgsl } from './wgsl/common.js';

export interface AcquiredDevice {
  /** Kept alive as long as the device is used: in Node, collecting it tears the device down. */
  entry: GpuEntry;
  adapter: GPUAdapter;
  device: GPUDevice;
  /** What the adapter says it is, in one line. */
  description: string;
  host: GpuHost;
  /** A software adapter (SwiftShader, llvmpipe, WARP...): right answers, but no GPU speed. */
  software: boolean;
}

const INSTALL_NODE =
  "in Node the GPU path needs the optional peer dependency 'webgpu' (Dawn): npm install webgpu; on Linux it also needs a Vulkan loader and driver (Debian: apt-get install libvulkan1 mesa-vulkan-drivers, or a GPU vendor's driver; SwiftShader works too: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)";
const ENABLE_BROWSER =
  'use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+) on a secure page (https or localhost); headless Chromium needs --enable-unsafe-webgpu; or render on the CPU (the default device)';

// a name the compilers cannot resolve statically: nothing bundles or type-checks the package unless it is used
const WEBGPU_PACKAGE = 'webgpu';
const importPackage = (): Promise<{ create(flags: string[]): GpuEntry }> => import(WEBGPU_PACKAGE);

function browserEntry(): GpuEntry | null {
  const nav = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator;
  return nav?.gpu ?? null;
}

const isNode = (): boolean => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** A WebGPU device for the splat kernels, or a DeviceError that says what is missing. */
export async function acquireDevice(options: RequestGpuOptions = {}): Promise<AcquiredDevice> {
  let entry: GpuEntry | null = options.gpu ?? null;
  let host: GpuHost = 'given';
  if (!entry) {
    entry = browserEntry();
    host = 'browser';
  }
  if (!entry && isNode()) {
    host = 'node';
    let pkg: { create(flags: string[]): GpuEntry };
    try {
      pkg = await (options.importWebgpu ?? importPackage)();
    } catch (e) {
      throw new DeviceError('unavailable', `device 'webgpu': the package 'webgpu' could not be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); ${INSTALL_NODE}.`);
    }
    entry = pkg.create([]);
  }
  if (!entry) throw new DeviceError('unavailable', `device 'webgpu': this browser has no navigator.gpu; ${ENABLE_BROWSER}.`);
  const adapter = (await entry.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' })) as GPUAdapter | null;
  if (!adapter) {
    const fix = host === 'node' ? INSTALL_NODE : host === 'browser' ? ENABLE_BROWSER : 'pass an entry point that has an adapter, or render on the CPU';
    throw new DeviceError('unavailable', `device 'webgpu': requestAdapter() found no WebGPU adapter; ${fix}.`);
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize },
  });
  const info = adapter.info;
  const description = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => typeof s === 'string' && s.length > 0).join(' ') || 'unnamed adapter';
  await checkArithmetic(device, description);
  const software = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|softpipe|warp|software/i.test(description);
  return { entry, adapter, device, description, host, software };
}

/**
 * Runs the double-float product and sum of wgsl/common.ts on values with known float64 results; a
 * compiler that reassociates float math would break them, and then the GPU path's ellipse test
 * could disagree with the CPU's. Throws DeviceError('arithmetic') when a result is off.
 */
async function checkArithmetic(device: GPUDevice, description: string): Promise<void> {
  const cases = 64;
  const input = new Float32Array(4 * cases);
  const expected: number[] = [];
  const scale: number[] = [];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let c = 0; c < cases; c++) {
    const a = (next() - 0.5) * 10 ** Math.floor(next() * 6 - 2),
      b = (next() - 0.5) * 10 ** Math.floor(next() * 6 - 2);
    const ah = Math.fround(a),
      al = Math.fround(a - ah),
      bh = Math.fround(b),
      bl = Math.fround(b - bh);
    input.set([ah, al, bh, bl], 4 * c);
    expected.push((ah + al) * (bh + bl) + (ah + al), ah + al + bh + bl);
    scale.push(Math.abs((ah + al) * (bh + bl)) + Math.abs(ah + al), Math.abs(ah + al) + Math.abs(bh + bl));
  }
  const code = `${commonWgsl(1, 1)}
@group(0) @binding(1) var<storage, read> values: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> results: array<vec4f>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let v = values[id.x];
  let a = v.xy;
  let b = v.zw;
  results[id.x] = vec4f(dfAdd(dfMul(a, b), a), dfAdd(a, b));
}`;
  const usage = { storage: 0x80, copySrc: 0x04, copyDst: 0x08, mapRead: 0x01 };
  const values = device.createBuffer({ size: input.byteLength, usage: usage.storage | usage.copyDst });
  const results = device.createBuffer({ size: input.byteLength, usage: usage.storage | usage.copySrc });
  const read = device.createBuffer({ size: input.byteLength, usage: usage.mapRead | usage.copyDst });
  try {
    device.queue.writeBuffer(values, 0, input);
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 1, resource: { buffer: values } },
        { binding: 2, resource: { buffer: results } },
      ],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(cases / 64);
    pass.end();
    encoder.copyBufferToBuffer(results, 0, read, 0, input.byteLength);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(0x01);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    for (let c = 0; c < cases; c++) {
      for (let r = 0; r < 2; r++) {
        const got = out[4 * c + 2 * r] + out[4 * c + 2 * r + 1],
          want = expected[2 * c + r];
        if (!(Math.abs(got - want) <= 2 ** -40 * scale[2 * c + r])) {
          throw new DeviceError(
            'arithmetic',
            `device 'webgpu': the adapter (${description}) does not keep float32 rounding exact (a double-float ${r === 0 ? 'product' : 'sum'} came out ${got}, expected ${want}), so the GPU path's ellipse tests could disagree with the CPU's; render on the CPU, or try another adapter.`,
          );
        }
      }
    }
  } finally {
    for (const b of [values, results, read]) b.destroy();
  }
}

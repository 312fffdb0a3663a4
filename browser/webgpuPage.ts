// The browser half of `npm run check:webgpu` (browser/webgpu.html loads it): the GPU path on the
// page's navigator.gpu against the CPU path on the page's own thread (browser/webgpuCheck.ts).

import { DeviceError } from '../lib/errors.js';
import { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';
import { type HostReport, runWebgpuCheck } from './webgpuCheck.js';

export async function runInPage(): Promise<HostReport | { ran: false; reason: string }> {
  let gpu: SplatGpu;
  try {
    gpu = await SplatGpu.request();
  } catch (e) {
    if (e instanceof DeviceError) return { ran: false, reason: e.message };
    throw e;
  }
  try {
    return await runWebgpuCheck(gpu);
  } finally {
    gpu.destroy();
  }
}

// The splat op with a choice of device (engine.md §9): 'cpu' is ewaSplat itself; 'webgpu' runs
// its hot loops as WGSL kernels (webgpu/), whose readback is asynchronous, so this entry is too.
// ewaSplat stays synchronous and never touches the GPU code.

import type { Camera } from '../../geometry/camera.js';
import { ArgumentError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { type SplatCall, ewaSplat } from './ewaSplat.js';
import type { SplatRender } from './splatRender.js';
import { SplatGpu } from './webgpu/gpuSplat.js';
import type { GpuSplatRender, RequestGpuOptions } from './webgpu/types.js';

export type SplatDevice = 'cpu' | 'webgpu';
export const SPLAT_DEVICES: readonly SplatDevice[] = ['cpu', 'webgpu'];

export interface AsyncSplatCall extends Omit<SplatCall, 'device'> {
  /** 'cpu' (default): ewaSplat; 'webgpu': the GPU path (see `gpu`). */
  device?: SplatDevice;
  /** The GPU for device 'webgpu' (default: defaultSplatGpu()). */
  gpu?: SplatGpu;
}

let shared: Promise<SplatGpu> | null = null;

/**
 * The GPU the 'webgpu' device uses when none is given: requested on first use and then shared. A
 * failed request (a DeviceError) is not remembered, so a later call asks again.
 */
export function defaultSplatGpu(options: RequestGpuOptions = {}): Promise<SplatGpu> {
  if (!shared) {
    shared = SplatGpu.request(options);
    shared.catch(() => (shared = null));
  }
  return shared;
}

/** Checks a device name (the option of the splat op, the fit loop and the CLI). */
export function checkDevice(device: unknown, what = 'options.device'): SplatDevice {
  if (device === undefined) return 'cpu';
  if (device !== 'cpu' && device !== 'webgpu') throw new ArgumentError(`${what} must be 'cpu' or 'webgpu', got ${JSON.stringify(device)}.`);
  return device;
}

/**
 * ewaSplat on a chosen device. 'cpu' resolves to ewaSplat's render; 'webgpu' to the GPU render,
 * whose tape node is asynchronous (`await loss.backwardAsync()`), or rejects with a DeviceError
 * when no adapter is found, saying what to install or enable.
 */
export async function ewaSplatAsync(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: AsyncSplatCall = {}): Promise<SplatRender | GpuSplatRender> {
  const { device, gpu, ...rest } = options;
  if (checkDevice(device) === 'cpu') return ewaSplat(positions, normals, attributes, camera, rest);
  return (gpu ?? (await defaultSplatGpu())).ewaSplat(positions, normals, attributes, camera, rest);
}

// The sizes a GPU render needs, checked against the device's limits before anything is
// dispatched (engine.md §9): a scene too large for the device is a DeviceError naming the buffer,
// both sizes and what to change, not a validation error from inside the driver.

import { DeviceError } from '../../../lib/errors.js';
import { MAX_GPU_CHANNELS } from './wgsl/common.js';

export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** What to make smaller for each buffer. */
const FIXES: Record<string, string> = {
  splats: 'render fewer points per call',
  splatDepth: 'render fewer points per call',
  splatAttributes: 'render fewer points or attribute channels per call',
  tileIndex: 'render a smaller image',
  tileList: 'render fewer points, or smaller splats (a smaller sigma), per call',
  cache: 'render a smaller image or keep fewer front splats (options.frontCount)',
  images: 'render a smaller image or fewer attribute channels',
  gImage: 'render a smaller image or fewer attribute channels',
  records: 'render a smaller image',
  grads: 'render fewer points or attribute channels per call',
};

/** Throws DeviceError('limits') for the first buffer (bytes by name) the device cannot hold or bind. */
export function checkBufferSizes(sizes: Record<string, number>, limits: DeviceLimits): void {
  for (const [name, bytes] of Object.entries(sizes)) {
    const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    if (bytes > limit) {
      throw new DeviceError(
        'limits',
        `ewaSplat on the GPU: the ${name} buffer needs ${MiB(bytes)} but this device binds at most ${MiB(limit)} (maxStorageBufferBindingSize ${MiB(limits.maxStorageBufferBindingSize)}, maxBufferSize ${MiB(limits.maxBufferSize)}); ${FIXES[name] ?? 'render a smaller scene'}, or render on the CPU.`,
      );
    }
  }
}

/** The image and channel bounds of the kernels (u16 boxes, generated arrays), checked before any work. */
export function checkShapes(width: number, height: number, channels: number): void {
  if (width > 65535 || height > 65535) throw new DeviceError('limits', `ewaSplat on the GPU: images up to 65,535 px a side, got ${width} x ${height}; render a smaller image, or on the CPU.`);
  if (channels > MAX_GPU_CHANNELS)
    throw new DeviceError('limits', `ewaSplat on the GPU: at most ${MAX_GPU_CHANNELS} attribute channels, got ${channels}; render the channels in groups, or on the CPU.`);
}

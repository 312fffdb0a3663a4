// The DSS rows on the GPU path (docs/engine.md §9): dss-forward and dss-backward with device
// 'webgpu' on the bench scenes (bench/dssScene.ts), naming the adapter, and the GPU goals of the
// issue (8,000 points at 256 x 256 forward + full backward <= 1 ms; 1,000,000 points at
// 1024 x 1024 <= 40 ms). Timed as the caller sees them: from the call to the resolved promise,
// the CPU's setup, upload and readback included. Without an adapter, one row says why (as the
// PyTorch peer's rows do). A software adapter (SwiftShader) is timed on the small scene only:
// its figures say nothing of a GPU.

import { DeviceError } from '../lib/errors.js';
import { noGrad } from '../lib/tape.js';
import { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';
import { dssScene } from './dssScene.js';
import type { Goal } from './goals.js';
import type { Row } from './measure.js';

const SIZES: readonly (readonly [number, number])[] = [
  [8000, 256],
  [20000, 512],
  [1_000_000, 1024],
];

/** Median and fastest of `runs` timed calls after `warmup` untimed ones. */
async function measureAsync(fn: () => Promise<unknown>, runs: number, warmup: number): Promise<{ ms: number; minMs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { ms: t[Math.floor(t.length / 2)], minMs: t[0] };
}

export async function benchWebgpu(push: (row: Row) => void): Promise<void> {
  let gpu: SplatGpu;
  try {
    gpu = await SplatGpu.request();
  } catch (e) {
    if (!(e instanceof DeviceError)) throw e;
    push({ op: 'dss-forward', size: '256x256', threads: 0, device: 'webgpu', ms: NaN, skipped: e.message, note: `skipped: ${e.message}` });
    return;
  }
  const runs = gpu.software ? 3 : 15,
    warmup = gpu.software ? 1 : 3;
  const sizes = gpu.software ? SIZES.slice(0, 1) : SIZES;
  const extra = { threads: 0, device: 'webgpu', adapter: gpu.adapter, software: gpu.software };
  const kind = gpu.software ? ' (a software adapter: correctness only, no GPU speed)' : '';
  try {
    for (const [points, size] of sizes) {
      const s = dssScene(points, size);
      const image = `${size}x${size}`;
      const forward = await measureAsync(() => noGrad(() => gpu.ewaSplat(s.positions, s.normals, s.colours, s.camera)).then((r) => r.release()), runs, warmup);
      push({ op: 'dss-forward', size: image, points, ms: +forward.ms.toFixed(3), minMs: +forward.minMs.toFixed(3), ...extra, note: `EWA splats, one view, on ${gpu.adapter}${kind}` });
      // the backward alone: each timed call renders first (untimed), as the CPU rows do with a retained graph
      const t: number[] = [];
      for (let i = 0; i < runs + warmup; i++) {
        for (const x of [s.positions, s.normals, s.colours]) x.grad = null;
        const r = await gpu.ewaSplat(s.positions, s.normals, s.colours, s.camera);
        const t0 = performance.now();
        await r.image.backwardAsync(s.gradImage);
        if (i >= warmup) t.push(performance.now() - t0);
      }
      t.sort((a, b) => a - b);
      push({
        op: 'dss-backward',
        size: image,
        points,
        ms: +t[Math.floor(t.length / 2)].toFixed(3),
        minMs: +t[0].toFixed(3),
        ...extra,
        note: `with the artificial gradient, window 16 px, on ${gpu.adapter}${kind}`,
      });
    }
  } finally {
    gpu.destroy();
  }
}

/** The GPU goals, from the webgpu rows (null where not measured on a GPU). */
export function webgpuGoals(rows: readonly Row[]): Goal[] {
  const sum = (size: string) => {
    const f = rows.find((r) => r.op === 'dss-forward' && r.device === 'webgpu' && r.size === size),
      b = rows.find((r) => r.op === 'dss-backward' && r.device === 'webgpu' && r.size === size);
    return f && b && !f.software && Number.isFinite(f.ms) && Number.isFinite(b.ms) ? { ms: f.ms + b.ms, adapter: String(f.adapter) } : null;
  };
  const why = rows.find((r) => r.device === 'webgpu' && (r.skipped || r.software));
  const missing = why ? (why.skipped ? String(why.skipped) : `only a software adapter (${String(why.adapter)})`) : 'not measured';
  return (
    [
      ['webgpu: 8,000 points at 256 x 256, forward + full backward <= 1 ms', '256x256', 1],
      ['webgpu: 1,000,000 points at 1024 x 1024, forward + full backward <= 40 ms', '1024x1024', 40],
    ] as const
  ).map(([goal, size, limit]) => {
    const m = sum(size);
    return m ? { goal, measured: `${m.ms.toFixed(2)} ms on ${m.adapter}`, met: m.ms <= limit } : { goal, measured: missing, met: null };
  });
}

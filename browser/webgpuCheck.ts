// The GPU path against the CPU path (docs/engine.md §9, docs/dss.md §2-3), the same in Node and in a browser page
// (checkWebgpu.ts runs it in both): scenes rendered forward and backward on both devices, twice
// on the GPU; the images, gradients and front lists compared; a short fit on each device. The
// scenes are built from the library alone (no files), so the page needs nothing but the package.
//
// Scenes: the bench sphere (bench/dssScene.ts: 8,000 points at 256 x 256), a cloud with heavy
// occlusion (three nested spheres and a plane behind them: full front lists, merges and hidden
// splats), a cloud partly outside the frame (two attribute channels, a window of 40 px with its
// sampled rings).

import { tensor } from '../lib/create.js';
import { noGrad } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import { Random } from '../lib/random.js';
import { Camera } from '../geometry/camera.js';
import { defaultLights } from '../geometry/lights.js';
import { rasterizeMesh } from '../geometry/rasterize.js';
import { samplePoints } from '../geometry/sampling.js';
import { cube } from '../geometry/shapes/cube.js';
import { icosphere } from '../geometry/shapes/icosphere.js';
import { fibonacciViews } from '../geometry/views.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import type { SplatCache } from '../ops/splat/splatCache.js';
import type { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';
import type { FitView } from '../optim/fitMethod.js';
import { fitPointCloud, fitPointCloudAsync } from '../optim/fitPointCloud.js';

/** The goals of the issue: image within 1e-5 of its range, gradients within 1e-4 of their largest magnitude. */
export const GOALS = { imageMaxRelDiff: 1e-5, gradMaxRelDiff: 1e-4 };

interface Scene {
  name: string;
  positions: Tensor;
  normals: Tensor;
  attributes: Tensor;
  camera: Camera;
  window: number;
  /** dL/dI of an L1 loss against a render of the cloud nudged. */
  gradImage: Float32Array;
}

export interface SceneResult {
  name: string;
  points: number;
  size: string;
  channels: number;
  window: number;
  /** Max |I_gpu - I_cpu| over the image's range (max - min of the CPU image). */
  imageMaxRelDiff: number;
  /** Per input, max |g_gpu - g_cpu| over max |g_cpu|. */
  gradMaxRelDiff: { positions: number; normals: number; attributes: number };
  /** Every pixel's front list, count and visible prefix the same as the CPU's. */
  listsIdentical: boolean;
  /** The GPU's image and gradients the same bits on a second run. */
  sameBitsTwice: boolean;
  /** Splat-pixel evaluations (eq. 4), CPU and GPU. */
  evaluations: [number, number];
  /** Wall ms: the GPU's second run (await forward, await backward), and the CPU's. */
  gpuMs: { forward: number; backward: number };
  cpuMs: { forward: number; backward: number };
}

export interface FitComparison {
  steps: number;
  /** Points the stray control moved, CPU and GPU. */
  relocated: [number, number];
  cpu: { first: number; last: number };
  gpu: { first: number; last: number };
  /** Largest |loss_gpu - loss_cpu| over the steps, over the CPU's loss drop. */
  maxDiffOverDrop: number;
  /** The GPU fit lowered its loss, and stayed within 5% of the CPU's drop at every step. */
  ok: boolean;
}

export interface HostReport {
  ran: true;
  adapter: string;
  /** A software adapter (SwiftShader and the like): correctness only, its timings say nothing of a GPU. */
  software: boolean;
  imageMaxRelDiff: number;
  gradMaxRelDiff: number;
  sameBitsTwice: boolean;
  listsIdentical: boolean;
  scenes: SceneResult[];
  fit: FitComparison;
  /** The real-GPU goals of the issue (8,000 points at 256 x 256, forward + full backward <= 1 ms), or why they were not measured. */
  speed: { benchForwardBackwardMs: number; goalMs: number; met: boolean } | { notMeasured: string };
  ok: boolean;
  seconds: number;
}

function sceneOf(name: string, cloud: { positions: Float32Array; normals: Float32Array }, camera: Camera, channels: number, window: number, nudge = 0.01): Scene {
  const n = cloud.positions.length / 3;
  const positions = tensor(cloud.positions, { shape: [n, 3], requiresGrad: true });
  const normals = tensor(cloud.normals, { shape: [n, 3], requiresGrad: true });
  const colours = new Float32Array(n * channels);
  for (let k = 0; k < n; k++) for (let c = 0; c < channels; c++) colours[k * channels + c] = 0.5 + 0.5 * cloud.normals[3 * k + (c % 3)];
  const attributes = tensor(colours, { shape: [n, channels], requiresGrad: true });
  const rng = new Random(2);
  const nudged = tensor(
    Float32Array.from(cloud.positions, (v) => v + nudge * rng.normal()),
    { shape: [n, 3] },
  );
  const image = noGrad(() => ewaSplat(positions, normals, attributes, camera, { window }).image.data);
  const target = noGrad(() => ewaSplat(nudged, normals, attributes, camera, { window }).image.data);
  const gradImage = Float32Array.from(image, (v, i) => Math.sign(v - target[i]) / image.length);
  return { name, positions, normals, attributes, camera, window, gradImage };
}

const sphere = (n: number, seed: number) => {
  const c = samplePoints(icosphere(), n, { seed });
  return { positions: Float32Array.from(c.positions), normals: Float32Array.from(c.normals!) };
};

/** The scenes of the check; `bench` adds the bench sphere (8,000 points at 256 x 256). */
export function checkScenes(bench: boolean): Scene[] {
  const scenes: Scene[] = [];
  if (bench) {
    // bench/dssScene.ts: the built-in sphere, one camera filling 80% of the frame, normal colours
    const camera = fibonacciViews(1, { radius: 0.5, fill: 0.8, width: 256, height: 256 })[0];
    scenes.push(sceneOf('bench sphere', sphere(8000, 1), camera, 3, 16));
  }
  {
    // heavy occlusion: three nested spheres (outer ones hide inner ones) and a plane behind them
    const parts = [sphere(900, 3), sphere(700, 4), sphere(500, 5)];
    const scales = [1, 0.8, 0.6];
    const positions: number[] = [],
      normals: number[] = [];
    parts.forEach((p, i) => {
      for (let k = 0; k < p.positions.length; k++) positions.push(scales[i] * p.positions[k]);
      normals.push(...p.normals);
    });
    const rng = new Random(7);
    for (let k = 0; k < 400; k++) {
      positions.push(rng.uniform(-0.7, 0.7), rng.uniform(-0.7, 0.7), -0.55);
      normals.push(0, 0, 1);
    }
    const camera = Camera.lookAt({ eye: [0, 0, 2.2], target: [0, 0, 0], width: 80, height: 80 });
    scenes.push(sceneOf('heavy occlusion', { positions: Float32Array.from(positions), normals: Float32Array.from(normals) }, camera, 3, 16));
  }
  {
    // partly outside the frame: the camera looks past the sphere's side; two channels, a 40 px window
    const camera = Camera.lookAt({ eye: [0.35, 0.2, 1.6], target: [0.45, 0.25, 0], width: 72, height: 64 });
    scenes.push(sceneOf('partly outside the frame', sphere(1500, 6), camera, 2, 40));
  }
  return scenes;
}

function maxRelDiff(gpu: ArrayLike<number>, cpu: ArrayLike<number>, scale: number): number {
  let m = 0;
  for (let i = 0; i < cpu.length; i++) m = Math.max(m, Math.abs(gpu[i] - cpu[i]));
  return scale > 0 ? m / scale : m;
}

function sameLists(a: SplatCache, b: SplatCache): boolean {
  if (a.count.length !== b.count.length || a.frontCount !== b.frontCount) return false;
  for (let p = 0; p < a.count.length; p++) {
    if (a.count[p] !== b.count[p] || a.visible[p] !== b.visible[p]) return false;
    for (let m = 0; m < a.count[p]; m++) if (a.index[p * a.frontCount + m] !== b.index[p * b.frontCount + m]) return false;
  }
  return true;
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

async function compareScene(gpu: SplatGpu, s: Scene): Promise<SceneResult> {
  const inputs = [s.positions, s.normals, s.attributes];
  const clear = () => inputs.forEach((t) => (t.grad = null));
  clear();
  let t0 = performance.now();
  const cpu = ewaSplat(s.positions, s.normals, s.attributes, s.camera, { window: s.window });
  const cpuForward = performance.now() - t0;
  t0 = performance.now();
  cpu.image.backward(s.gradImage);
  const cpuBackward = performance.now() - t0;
  const cpuGrads = inputs.map((t) => Float64Array.from(t.grad!.data));
  const runs: { image: Float32Array; grads: Float32Array[]; forward: number; backward: number }[] = [];
  let lists = false,
    evaluations = 0;
  for (let run = 0; run < 2; run++) {
    clear();
    t0 = performance.now();
    const render = await gpu.ewaSplat(s.positions, s.normals, s.attributes, s.camera, { window: s.window });
    const forward = performance.now() - t0;
    if (run === 0) {
      lists = sameLists(await render.readCache(), cpu.cache);
      evaluations = render.stats.evaluations;
    }
    t0 = performance.now();
    await render.image.backwardAsync(s.gradImage);
    const backward = performance.now() - t0;
    runs.push({ image: Float32Array.from(render.image.data), grads: inputs.map((t) => Float32Array.from(t.grad!.data)), forward, backward });
  }
  const img = cpu.image.data;
  let lo = Infinity,
    hi = -Infinity;
  for (const v of img) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const largest = (g: Float64Array) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [gp, gn, gw] = cpuGrads.map((g, i) => maxRelDiff(runs[0].grads[i], g, largest(g)));
  return {
    name: s.name,
    points: s.positions.shape[0],
    size: `${s.camera.width}x${s.camera.height}`,
    channels: s.attributes.shape[1],
    window: s.window,
    imageMaxRelDiff: maxRelDiff(runs[0].image, img, hi - lo),
    gradMaxRelDiff: { positions: gp, normals: gn, attributes: gw },
    listsIdentical: lists,
    sameBitsTwice: sameBits(runs[0].image, runs[1].image) && runs[0].grads.every((g, i) => sameBits(g, runs[1].grads[i])),
    evaluations: [cpu.stats.evaluations, evaluations],
    gpuMs: { forward: +runs[1].forward.toFixed(2), backward: +runs[1].backward.toFixed(2) },
    cpuMs: { forward: +cpuForward.toFixed(2), backward: +cpuBackward.toFixed(2) },
  };
}

/**
 * 20 steps of the DSS fit (a sphere of points towards a cube, 4 views at 48 px) on the CPU and on
 * the GPU, with stray control every 4 steps (so the GPU's rendered-point flags move points as the
 * CPU's caches do).
 */
async function compareFit(gpu: SplatGpu): Promise<FitComparison> {
  const mesh = cube();
  const views: FitView[] = fibonacciViews(4, { radius: 0.9, width: 48, height: 48 }).map((camera, i) => {
    const lights = defaultLights(camera, { seed: i });
    return { camera, lights, target: tensor(rasterizeMesh(mesh, camera, { lights }).color.data, { shape: [48, 48, 3] }) };
  });
  const init = samplePoints(icosphere(), 400, { seed: 3 });
  const options = { iterations: 20, splat: { sigma: 0.04 }, lrPositions: 0.004, seed: 1, strays: { from: 4, every: 4, unseenSteps: 4 } };
  const cpu = fitPointCloud(init, views, options);
  const onGpu = await fitPointCloudAsync(init, views, { ...options, device: 'webgpu', gpu });
  const drop = cpu.history[0] - cpu.history[cpu.history.length - 1];
  const maxDiff = cpu.history.reduce((m, v, i) => Math.max(m, Math.abs(v - onGpu.history[i])), 0);
  const steps = cpu.history.length;
  return {
    steps,
    relocated: [cpu.relocated, onGpu.relocated],
    cpu: { first: cpu.history[0], last: cpu.history[steps - 1] },
    gpu: { first: onGpu.history[0], last: onGpu.history[steps - 1] },
    maxDiffOverDrop: drop > 0 ? maxDiff / drop : Infinity,
    ok: onGpu.history.length === steps && onGpu.history[steps - 1] < onGpu.history[0] && drop > 0 && maxDiff <= 0.05 * drop && cpu.relocated === onGpu.relocated,
  };
}

/** The whole check on one device. */
export async function runWebgpuCheck(gpu: SplatGpu, options: { bench?: boolean } = {}): Promise<HostReport> {
  const t0 = performance.now();
  const scenes: SceneResult[] = [];
  for (const s of checkScenes(options.bench ?? true)) scenes.push(await compareScene(gpu, s));
  const fit = await compareFit(gpu);
  const imageMaxRelDiff = Math.max(...scenes.map((s) => s.imageMaxRelDiff));
  const gradMaxRelDiff = Math.max(...scenes.flatMap((s) => Object.values(s.gradMaxRelDiff)));
  const sameBitsTwice = scenes.every((s) => s.sameBitsTwice);
  const listsIdentical = scenes.every((s) => s.listsIdentical);
  const bench = scenes.find((s) => s.name === 'bench sphere');
  const speed: HostReport['speed'] = gpu.software
    ? { notMeasured: `a software adapter (${gpu.adapter}): correctness only; the 1 ms and 40 ms goals need a GPU` }
    : bench
      ? { benchForwardBackwardMs: +(bench.gpuMs.forward + bench.gpuMs.backward).toFixed(3), goalMs: 1, met: bench.gpuMs.forward + bench.gpuMs.backward <= 1 }
      : { notMeasured: 'the bench scene was not run' };
  return {
    ran: true,
    adapter: gpu.adapter,
    software: gpu.software,
    imageMaxRelDiff,
    gradMaxRelDiff,
    sameBitsTwice,
    listsIdentical,
    scenes,
    fit,
    speed,
    ok: imageMaxRelDiff <= GOALS.imageMaxRelDiff && gradMaxRelDiff <= GOALS.gradMaxRelDiff && sameBitsTwice && listsIdentical && fit.ok,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  };
}

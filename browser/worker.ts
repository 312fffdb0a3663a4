// Runs inside a module Web Worker of the browser check (browser/check.ts): the splat op on one
// and on two threads, forward and backward, in the browser's own worker pool. A page's main
// thread may not block, so the pool runs from a worker, started with startPool (README,
// Threads). Posts a summary: same bits on both thread counts, and the best of 15 timings.

import { tensor } from '../lib/create.js';
import { fibonacciViews } from '../geometry/views.js';
import { samplePoints } from '../geometry/sampling.js';
import { icosphere } from '../geometry/shapes/icosphere.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import { canBlock, cores } from '../parallel/platform.js';
import { closePool, poolSize, startPool } from '../parallel/workerPool.js';

interface Run {
  threads: number;
  forwardMs: number;
  backwardMs: number;
  outputs: Float32Array[];
}

function run(threads: number, n: number, size: number): Run {
  // the benchmark's scene (bench/dssScene.ts): the built-in sphere, sampled, normal colours
  const cloud = samplePoints(icosphere(), n, { seed: 1 });
  const positions = tensor(cloud.positions, { shape: [n, 3], dtype: 'float32', requiresGrad: true });
  const normals = tensor(cloud.normals!, { shape: [n, 3], dtype: 'float32', requiresGrad: true });
  const colours = tensor(
    Float32Array.from(cloud.normals!, (v) => 0.5 + 0.5 * v),
    { shape: [n, 3], requiresGrad: true },
  );
  const camera = fibonacciViews(1, { radius: 0.5, fill: 0.8, width: size, height: size })[0];
  const seed = new Float32Array(size * size * 3).map((_, i) => Math.sin(i));
  let forwardMs = Infinity,
    backwardMs = Infinity,
    outputs: Float32Array[] = [];
  for (let rep = 0; rep < 15; rep++) {
    for (const t of [positions, normals, colours]) t.grad = null;
    const t0 = performance.now();
    const r = ewaSplat(positions, normals, colours, camera, { threads });
    const t1 = performance.now();
    r.image.backward(seed);
    const t2 = performance.now();
    forwardMs = Math.min(forwardMs, t1 - t0);
    backwardMs = Math.min(backwardMs, t2 - t1);
    outputs = [r.image.data, r.depth.data, positions.grad!.data, normals.grad!.data, colours.grad!.data].map((a) => Float32Array.from(a));
  }
  return { threads, forwardMs, backwardMs, outputs };
}

const post = (m: unknown) => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);

try {
  const n = 8000,
    size = 256;
  const one = run(1, n, size);
  // in a browser the pool's worker loads only while this thread yields: start it first
  await startPool(2);
  const two = run(2, n, size);
  const workers = poolSize();
  const identical = one.outputs.every((a, i) => a.length === two.outputs[i].length && a.every((v, j) => Object.is(v, two.outputs[i][j])));
  const covered = one.outputs[0].some((v) => v !== 0);
  closePool();
  post({
    ok: identical && covered && workers >= 1,
    userAgent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
    cores: cores(),
    canBlock: canBlock(),
    poolWorkers: workers,
    identical,
    covered,
    points: n,
    size,
    runs: [one, two].map(({ threads, forwardMs, backwardMs }) => ({ threads, forwardMs: +forwardMs.toFixed(2), backwardMs: +backwardMs.toFixed(2) })),
  });
} catch (e) {
  post({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e) });
}

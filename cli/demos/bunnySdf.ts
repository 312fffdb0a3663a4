// The bunny as a network SDF (docs/dist.md §8): the pose demo's second model and the benchmark's
// MLP row. The Stanford bunny, centred and scaled so its farthest vertex is 0.8 from the origin
// (inside the tracer's unit bounding sphere), sampled as DeepSDF does (signed distances to the
// mesh, clamped to 0.1) and fitted by a small network: 4 hidden layers of 32, ReLU, a skip at
// the middle, no code. The weights ship in fixtures/bunnySdf.safetensors; this file made them:
//   node dist/cli/demos/bunnySdf.js --write    (about 3 minutes on 2 cores)

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bunny } from '../../geometry/shapes/bunny.js';
import type { Mesh } from '../../geometry/mesh.js';
import { ArgumentError } from '../../lib/errors.js';
import { type MlpSdf, loadMlpSdf, saveMlpSdf } from '../../nn/mlpSdf.js';
import { trainAutoDecoder } from '../../optim/autoDecoder.js';
import { meshTrainingSamples } from '../../optim/sdfSamples.js';

const CANDIDATES = ['../../../fixtures/bunnySdf.safetensors', '../../fixtures/bunnySdf.safetensors'];

/** Where the fixture is (next to dist/ or the sources). */
export function bunnySdfFile(): string {
  for (const c of CANDIDATES) {
    const path = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(path)) return path;
  }
  return fileURLToPath(new URL(CANDIDATES[0], import.meta.url));
}

/** The bunny mesh in the network's frame: centred on its bounding box, farthest vertex at 0.8. */
export function normalizedBunny(): Mesh {
  const mesh = bunny();
  const P = mesh.positions;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < P.length; i++) {
    lo[i % 3] = Math.min(lo[i % 3], P[i]);
    hi[i % 3] = Math.max(hi[i % 3], P[i]);
  }
  const c = [0, 1, 2].map((k) => (lo[k] + hi[k]) / 2);
  let r = 0;
  for (let i = 0; i < P.length; i += 3) r = Math.max(r, Math.hypot(P[i] - c[0], P[i + 1] - c[1], P[i + 2] - c[2]));
  const s = 0.8 / r;
  const positions = Float64Array.from(P, (v, i) => (v - c[i % 3]) * s);
  return { ...mesh, positions };
}

/** The shipped bunny network (float32). */
export function loadBunnySdf(options: { threads?: number } = {}): MlpSdf {
  const file = bunnySdfFile();
  if (!existsSync(file)) throw new ArgumentError(`loadBunnySdf: ${file} is missing; make it with node dist/cli/demos/bunnySdf.js --write.`);
  return loadMlpSdf(file, { threads: options.threads }).sdf;
}

/** Fits the bunny network from scratch (what --write runs). */
export function trainBunnySdf(options: { samples?: number; steps?: number; seconds?: number; log?: (line: string) => void } = {}): MlpSdf {
  const log = options.log ?? (() => {});
  const samples = meshTrainingSamples(normalizedBunny(), options.samples ?? 60000, { seed: 7 });
  log(`${samples.distances.length} samples`);
  const fit = trainAutoDecoder([samples], {
    latentSize: 0,
    width: 32,
    depth: 4,
    steps: options.steps ?? 4000,
    seconds: options.seconds ?? 600,
    shapesPerStep: 1,
    samplesPerShape: 4096,
    seed: 3,
    onStep: (step, loss) => {
      if (step % 250 === 0) log(`step ${step}: L1 ${loss.toFixed(5)}`);
    },
  });
  return fit.sdf;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  const sdf = trainBunnySdf({ log: (line) => console.error(line) });
  saveMlpSdf(bunnySdfFile(), sdf, { source: 'fixtures/bunny.ply, normalized: centred, farthest vertex 0.8; cli/demos/bunnySdf.ts' });
  console.error(`wrote ${bunnySdfFile()}`);
}

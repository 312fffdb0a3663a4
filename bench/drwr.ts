// DRWR figures (docs/drwr.md §4-5): the loss of eq. 6 with its backward, as `fit --method drwr`
// takes one step (3,000 points on the bunny's surface, 4 of its 12 masks at 128 x 128), on 1 and 2
// threads; the binned repulsion against its O(N^2) twin on one view (500 points); and the PyTorch peer
// (bench/peer/drwr.py: the same loss with grid_sample and a dense pair matrix), checked to agree.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMesh } from '../geometry/loadMesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { tensor } from '../lib/create.js';
import { noGrad } from '../lib/tape.js';
import { meshTargets } from '../optim/fitTargets.js';
import { projectPoints } from '../ops/project.js';
import { DrwrView, drwrLoss, type DrwrLossOptions } from '../ops/silhouette/drwr.js';
import { structureAwareRepulsion } from '../ops/silhouette/repulsion.js';
import { structureAwareRepulsionReference } from '../ops/silhouette/repulsionReference.js';
import { sampleImage } from '../ops/silhouette/sampleImage.js';
import type { Row, Run, RunThreads } from './measure.js';
import { torchPython } from './peerTorch.js';

const SCRIPT = fileURLToPath(new URL('../../bench/peer/drwr.py', import.meta.url));

/** Adds the DRWR rows; returns the peer's row (or a skipped one). */
export function benchDrwr(run: Run, runThreads: RunThreads, threadCounts: readonly number[], points = 3000): Row[] {
  const targets = meshTargets('bunny', { size: 128, views: 12 });
  const views = targets.views.slice(0, 4).map((v) => new DrwrView(v.camera, v.mask!));
  const cloud = samplePoints(loadMesh('bunny'), points, { seed: 5 });
  const positions = tensor(Float32Array.from(cloud.positions), { shape: [points, 3], requiresGrad: true });
  const options: DrwrLossOptions = { sigma: views.map((v) => v.projectedSpacing(points)), beta: 3e-5, biasScale: 2.5, weightGradients: 'bias' };
  runThreads(
    'drwr-loss',
    '4x128x128',
    threadCounts,
    (threads) => () => {
      positions.grad = null;
      drwrLoss(positions, views, { ...options, threads }).loss.backward();
    },
    'eq. 6 forward + backward: 4 views, the repulsion binned (the fit step of fit --method drwr, less the optimizer)',
    { points },
  );
  // one view's repulsion, binned against every pair (the twin), at 500 points
  const few = 500;
  const sub = tensor(Float32Array.from(cloud.positions.subarray(0, 3 * few)), { shape: [few, 3], requiresGrad: true });
  const pixels = noGrad(() => projectPoints(sub, views[0].camera)).detach();
  pixels.requiresGrad = true;
  const { mask, bias } = views[0].images('float32');
  const w = noGrad(() => sampleImage(mask, pixels)).detach(),
    delta = noGrad(() => sampleImage(bias, pixels)).detach();
  const sigma = views[0].projectedSpacing(few);
  for (const [op, fn] of [
    ['drwr-repulsion-binned', structureAwareRepulsion],
    ['drwr-repulsion-dense', structureAwareRepulsionReference],
  ] as const) {
    run(
      op,
      '1x128x128',
      () => {
        pixels.grad = null;
        fn(pixels, w, delta, { sigma, threads: 1 }).backward();
      },
      `eq. 5 on one view, forward + backward (${op.endsWith('dense') ? 'the O(N^2) twin, tape ops' : 'binned, one thread'})`,
      { points: few },
    );
  }
  return threadCounts.map((threads) => peerRow(positions, views, options, threads));
}

/** The peer is O(N^2) per view (9 million pairs at 3,000 points): few runs. */
function peerRow(positions: ReturnType<typeof tensor>, views: DrwrView[], options: DrwrLossOptions, threads: number, runs = 3, warmup = 1): Row {
  const points = positions.shape[0];
  const base: Row = { op: 'peer-torch-drwr', size: '4x128x128', threads, points, ms: Number.NaN };
  const python = torchPython();
  if (!python) return { ...base, skipped: 'no python3 here imports torch (apt-get install python3-torch)', note: 'skipped: no torch' };
  const ours = noGrad(() => drwrLoss(positions, views, { ...options, threads: 1 }).loss.item());
  const dir = mkdtempSync(join(tmpdir(), 'splatgrad-peer-drwr-'));
  try {
    const scene = join(dir, 'scene.json');
    writeFileSync(
      scene,
      JSON.stringify({
        positions: Array.from(positions.data),
        views: views.map((v, i) => ({
          camera: { R: Array.from(v.camera.R), t: Array.from(v.camera.t), fx: v.camera.fx, fy: v.camera.fy, cx: v.camera.cx, cy: v.camera.cy },
          width: v.camera.width,
          height: v.camera.height,
          smooth: Array.from(v.smooth),
          mask: Array.from(v.mask),
          bias: Array.from(v.bias),
          sigma: (options.sigma as number[])[i],
        })),
        beta: options.beta,
        biasScale: options.biasScale,
        cutoff: 3,
        threads,
        runs,
        warmup,
      }),
    );
    const p = spawnSync(python, [SCRIPT, scene], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (p.status !== 0) throw new Error(`bench/peer/drwr.py failed: ${p.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const peer = JSON.parse(p.stdout.trim().split('\n').pop()!);
    const relDiff = Math.abs(peer.loss - ours) / Math.abs(ours);
    return {
      ...base,
      ms: +(peer.forwardMs + peer.backwardMs).toFixed(3),
      forwardMs: +peer.forwardMs.toFixed(3),
      backwardMs: +peer.backwardMs.toFixed(3),
      lossRelativeDiff: +relDiff.toExponential(2),
      note: `PyTorch ${peer.torch}: forward ${peer.forwardMs.toFixed(1)} ms + backward ${peer.backwardMs.toFixed(1)} ms over all ${points}^2 pairs per view; loss vs ours: relative diff ${relDiff.toExponential(1)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

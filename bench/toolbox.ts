// Rows of the 3-D learning toolbox (docs/toolbox.md): the MLP forward + backward of a coordinate
// network, the Chamfer and EMD losses, marching cubes; the PyTorch peers of the first two
// (bench/peer/torchToolbox.py); and the issue's goals checked against them.
// `node dist/bench/toolbox.js [--json]` runs these rows alone.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rand } from '../lib/create.js';
import { noGrad } from '../lib/tape.js';
import { Tensor } from '../lib/tensor.js';
import { loadMesh } from '../geometry/loadMesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { marchingCubes } from '../geometry/marchingCubes.js';
import { sum } from '../ops/reduce.js';
import { chamferLoss } from '../ops/pointSets/chamfer.js';
import { EMD_TRAINING, emdLoss } from '../ops/pointSets/emd.js';
import { MLP } from '../nn/mlp.js';
import { saveSafetensors } from '../nn/safetensors.js';
import { closePool } from '../parallel/workerPool.js';
import type { Goal } from './goals.js';
import { type Row, machine, measure, measureInTurns } from './measure.js';
import { torchMissing, torchPython } from './peerTorch.js';

const SCRIPT = fileURLToPath(new URL('../../bench/peer/torchToolbox.py', import.meta.url));
const SIZES = [3, 128, 128, 128, 1];
const BATCH = 16_384;
const MLP_SIZE = `${BATCH} x ${SIZES.join('-')}`;
const CLOUD = 8000;

/** Multiply-adds x 2 of one forward, and of forward + backward (no gradient for the input batch). */
function mlpFlops(): { forward: number; step: number } {
  let forward = 0,
    inputGrads = 0;
  for (let i = 0; i + 1 < SIZES.length; i++) {
    forward += 2 * BATCH * SIZES[i] * SIZES[i + 1];
    if (i > 0) inputGrads += 2 * BATCH * SIZES[i] * SIZES[i + 1];
  }
  return { forward, step: 2 * forward + inputGrads }; // forward, weight gradients, input gradients
}

/** Runs the peer on `config` (written to a temporary folder with `files`), or explains why not. */
function runPeer(config: Record<string, unknown>, files: (dir: string) => Record<string, string>): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'splatgrad-toolbox-peer-'));
  try {
    const paths = files(dir);
    const cfgPath = join(dir, 'config.json');
    writeFileSync(cfgPath, JSON.stringify({ ...config, ...paths }));
    const p = spawnSync(torchPython() ?? 'python3', [SCRIPT, cfgPath], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (p.status !== 0) throw new Error(`bench/peer/torchToolbox.py failed: ${p.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(p.stdout.trim().split('\n').pop()!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchToolbox(push: (row: Row) => void, threadCounts: readonly number[]): void {
  const missing = torchMissing();
  const flops = mlpFlops();

  // the MLP of a coordinate network, as DeepSDF-style training steps it
  {
    const x = rand([BATCH, 3], { low: -1, high: 1, seed: 1 });
    const nets = threadCounts.map((threads) => new MLP(SIZES, { seed: 2, threads }));
    const steps = nets.map((mlp) => () => {
      mlp.zeroGrad();
      sum(mlp.forward(x)).backward();
    });
    measureInTurns(steps, 5, 2, 0).forEach((m, i) =>
      push({
        op: 'mlp-forward-backward',
        size: MLP_SIZE,
        threads: threadCounts[i],
        ms: +m.ms.toFixed(1),
        minMs: +m.minMs.toFixed(1),
        gflops: +(flops.step / m.ms / 1e6).toFixed(2),
        note: `relu MLP, forward + backward of sum(y): ${(flops.step / 1e9).toFixed(2)} GFLOP`,
      }),
    );
    const forwards = nets.map((mlp) => () => void noGrad(() => mlp.forward(x)));
    measureInTurns(forwards, 5, 2, 0).forEach((m, i) =>
      push({ op: 'mlp-forward', size: MLP_SIZE, threads: threadCounts[i], ms: +m.ms.toFixed(1), gflops: +(flops.forward / m.ms / 1e6).toFixed(2), note: 'forward only, without the tape' }),
    );
    const y = noGrad(() => nets[0].forward(x));
    for (const threads of threadCounts) {
      if (missing) {
        push({ op: 'peer-torch-mlp', size: MLP_SIZE, threads, ms: NaN, skipped: missing, note: `skipped: ${missing}` });
        continue;
      }
      const peer = runPeer({ kind: 'mlp', sizes: SIZES, threads, runs: 5, warmup: 1 }, (dir) => {
        saveSafetensors(join(dir, 'weights.safetensors'), nets[0]);
        saveSafetensors(join(dir, 'input.safetensors'), { x });
        saveSafetensors(join(dir, 'expected.safetensors'), { y: new Tensor(y.data, y.shape) });
        return { weights: join(dir, 'weights.safetensors'), input: join(dir, 'input.safetensors'), expected: join(dir, 'expected.safetensors') };
      });
      const ms = peer.ms as number;
      push({
        op: 'peer-torch-mlp',
        size: MLP_SIZE,
        threads,
        ms: +ms.toFixed(1),
        forwardMs: +(peer.forwardMs as number).toFixed(1),
        gflops: +(flops.step / ms / 1e6).toFixed(2),
        blas: peer.blas,
        maxAbsDiff: peer.maxAbsDiff,
        note: `PyTorch ${peer.torch} (${peer.blas}); our weights via safetensors, output max |diff| ${(peer.maxAbsDiff as number).toExponential(1)}`,
      });
    }
  }

  // Chamfer between two clouds of 8,000 points, forward + backward
  {
    const a = samplePoints(loadMesh('bunny'), CLOUD, { seed: 3 }),
      b = samplePoints(loadMesh('bunny'), CLOUD, { seed: 4 });
    const ta = new Tensor(Float32Array.from(a.positions), [CLOUD, 3], true),
      tb = new Tensor(Float32Array.from(b.positions), [CLOUD, 3]);
    const steps = threadCounts.map((threads) => () => {
      ta.grad = null;
      chamferLoss(ta, tb, { squared: true, threads }).backward();
    });
    measureInTurns(steps).forEach((m, i) =>
      push({
        op: 'chamfer-loss',
        size: `${CLOUD} vs ${CLOUD}`,
        threads: threadCounts[i],
        ms: +m.ms.toFixed(3),
        minMs: +m.minMs.toFixed(3),
        note: 'squared, mean + mean, forward + backward (grid search)',
      }),
    );
    const value = noGrad(() => chamferLoss(ta, tb, { squared: true, threads: 1 }).item());
    for (const threads of threadCounts) {
      if (missing) {
        push({ op: 'peer-torch-chamfer', size: `${CLOUD} vs ${CLOUD}`, threads, ms: NaN, skipped: missing, note: `skipped: ${missing}` });
        continue;
      }
      const peer = runPeer({ kind: 'chamfer', threads, runs: 7, warmup: 2, expected: value }, (dir) => {
        saveSafetensors(join(dir, 'clouds.safetensors'), { a: ta.detach(), b: tb });
        return { clouds: join(dir, 'clouds.safetensors') };
      });
      push({
        op: 'peer-torch-chamfer',
        size: `${CLOUD} vs ${CLOUD}`,
        threads,
        ms: +(peer.ms as number).toFixed(3),
        relDiff: peer.relDiff,
        note: `PyTorch ${peer.torch}: cdist(a, b)**2, min both ways, forward + backward; value vs ours: ${(peer.relDiff as number).toExponential(1)} relative`,
      });
    }
  }

  // EMD at the training setting, 2,048 points each
  {
    const a = samplePoints(loadMesh('bunny'), 2048, { seed: 5 }),
      b = samplePoints(loadMesh('teapot'), 2048, { seed: 6 });
    const ta = new Tensor(Float32Array.from(a.positions), [2048, 3], true),
      tb = new Tensor(Float32Array.from(b.positions), [2048, 3]);
    let last = { rounds: 0, repaired: 0, loss: 0 };
    const steps = threadCounts.map((threads) => () => {
      ta.grad = null;
      const r = emdLoss(ta, tb, { ...EMD_TRAINING, threads });
      r.loss.backward();
      last = { rounds: r.rounds, repaired: r.repaired, loss: r.loss.item() };
    });
    measureInTurns(steps, 7, 2, 0).forEach((m, i) =>
      push({
        op: 'emd-loss',
        size: '2048 vs 2048',
        threads: threadCounts[i],
        ms: +m.ms.toFixed(2),
        minMs: +m.minMs.toFixed(2),
        note: `auction eps ${EMD_TRAINING.eps}, ${EMD_TRAINING.iterations} rounds, forward + backward; bunny vs teapot: EMD ${last.loss.toFixed(4)}, ${last.repaired} repaired`,
      }),
    );
  }

  // marching cubes of a sphere's signed distance at 128^3, the field's time apart
  {
    let fieldMs = 0;
    const sphere = (p: Float64Array) => {
      const t0 = performance.now();
      const out = new Float64Array(p.length / 3);
      for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(p[3 * i] * p[3 * i] + p[3 * i + 1] * p[3 * i + 1] + p[3 * i + 2] * p[3 * i + 2]) - 0.7;
      fieldMs += performance.now() - t0;
      return out;
    };
    let faces = 0,
      calls = 0;
    const m = measure(() => {
      calls++;
      faces = marchingCubes(sphere, { resolution: 128 }).faces.length / 3;
    });
    const perCallField = fieldMs / calls;
    push({
      op: 'marching-cubes',
      size: '128^3',
      threads: 1,
      ms: +m.ms.toFixed(2),
      fieldMs: +perCallField.toFixed(2),
      mcMs: +(m.ms - perCallField).toFixed(2),
      note: `sphere SDF, ${faces} triangles; ${(m.ms - perCallField).toFixed(1)} ms marching + ${perCallField.toFixed(1)} ms field`,
    });
  }
}

/** The toolbox issue's speed goals against the rows. */
export function toolboxGoals(rows: readonly Row[]): Goal[] {
  const find = (op: string, threads: number) => rows.find((r) => r.op === op && r.threads === threads);
  const out: Goal[] = [];
  for (const threads of [1, 2]) {
    const ours = find('mlp-forward-backward', threads),
      peer = find('peer-torch-mlp', threads);
    out.push(
      !ours || !peer || Number.isNaN(peer.ms)
        ? { goal: `MLP forward + backward at least as fast as PyTorch, ${threads} thread(s)`, measured: String(peer?.skipped ?? 'not measured'), met: null }
        : { goal: `MLP forward + backward at least as fast as PyTorch, ${threads} thread(s)`, measured: `${ours.ms} ms vs ${peer.ms} ms (${String(peer.blas)})`, met: ours.ms <= peer.ms },
    );
    const chamfer = find('chamfer-loss', threads),
      cdist = find('peer-torch-chamfer', threads);
    out.push(
      !chamfer || !cdist || Number.isNaN(cdist.ms)
        ? { goal: `chamfer-loss >= 5x faster than PyTorch's cdist, ${threads} thread(s)`, measured: String(cdist?.skipped ?? 'not measured'), met: null }
        : {
            goal: `chamfer-loss >= 5x faster than PyTorch's cdist, ${threads} thread(s)`,
            measured: `${(cdist.ms / chamfer.ms).toFixed(1)}x (${chamfer.ms} vs ${cdist.ms} ms)`,
            met: cdist.ms >= 5 * chamfer.ms,
          },
    );
  }
  const mc = rows.find((r) => r.op === 'marching-cubes');
  if (mc) out.push({ goal: 'marching cubes at 128^3 <= 100 ms plus the field', measured: `${mc.mcMs} ms + ${mc.fieldMs} ms field`, met: (mc.mcMs as number) <= 100 });
  return out;
}

// run alone: node dist/bench/toolbox.js [--json]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows: Row[] = [];
  benchToolbox((r) => rows.push(r), [1, 2]);
  closePool();
  const verdicts = toolboxGoals(rows);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ machine: machine(), results: rows, goals: verdicts }, null, 2));
  else {
    for (const r of rows)
      console.log(
        `${r.op.padEnd(22)}${r.size.padEnd(24)}${String(r.threads).padEnd(4)}${(Number.isNaN(r.ms) ? '-' : String(r.ms)).padStart(10)}  ${r.gflops ? `${r.gflops} GFLOPS  ` : ''}${r.note ?? ''}`,
      );
    for (const g of verdicts) console.log(`  ${g.met === null ? 'n/a ' : g.met ? 'met ' : 'MISS'}  ${g.goal}: ${g.measured}`);
  }
}

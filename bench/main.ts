// `npm run bench [-- --json]`: engine figures (median ms after warm-up): tape and ops, the DSS
// forward and backward on 1 and 2 threads, the PyTorch peer, neighbours, regularizers, one
// fitting step, and the goals of the DSS and parallelism issues checked against the figures.

import { randn } from '../lib/create.js';
import { add, matmul, mul, normalize, sum } from '../ops/index.js';
import { closePool } from '../parallel/workerPool.js';
import { benchDss } from './dssRows.js';
import { peerTorchRow, torchMissing } from './peerTorch.js';
import { goals } from './goals.js';
import { benchRegularizers } from './regularizers.js';
import { benchFitStep } from './fitStep.js';
import { benchWebgpu, webgpuGoals } from './webgpuRows.js';
import { benchFm, fmGoals } from './fm.js';
import { benchDrwr } from './drwr.js';
import { benchScaling } from './scaling.js';
import { benchToolbox, toolboxGoals } from './toolbox.js';
import { benchSphereTrace, sphereTraceGoals } from './sphereTrace.js';
import { loadMesh } from '../geometry/loadMesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { knn, radiusNeighbors } from '../geometry/neighbors.js';
import { chamferDistance } from '../geometry/metrics.js';
import { Adam } from '../optim/index.js';
import { type Row, type Run, type RunThreads, machine, measure, measureInTurns } from './measure.js';

const rows: Row[] = [];
const threadCounts = [1, 2];

const addRow = (op: string, size: string, ms: number, note: string | undefined, extra: Record<string, unknown>): Row => {
  const row: Row = { op, size, threads: 1, ms: +ms.toFixed(3), ...extra, ...(note ? { note } : {}) };
  rows.push(row);
  return row;
};
const run: Run = (op, size, fn, note, extra = {}) => addRow(op, size, measure(fn).ms, note, extra);
const runThreads: RunThreads = (op, size, counts, make, note, extra = {}) =>
  measureInTurns(counts.map(make)).map((m, i) => addRow(op, size, m.ms, note, { ...extra, threads: counts[i], minMs: +m.minMs.toFixed(3) }));

const scenes = benchDss(runThreads, threadCounts);
benchScaling(scenes[0], (row) => rows.push(row));

// the PyTorch peer on the same scenes and thread counts
const missing = torchMissing();
for (const s of scenes) {
  for (const threads of threadCounts) {
    if (missing) rows.push({ op: 'peer-torch-ewa', size: `${s.camera.width}x${s.camera.height}`, threads, points: s.positions.shape[0], ms: NaN, skipped: missing, note: `skipped: ${missing}` });
    else rows.push(peerTorchRow(s, threads));
  }
}

// neighbours: kd-tree-javascript vs the flat-array grid (geometry issue: switch only if measured faster)
{
  const cloud = samplePoints(loadMesh('sphere'), 8000, { seed: 3 });
  for (const method of ['kdtree', 'grid'] as const) {
    run(`knn-${method}`, '8000, k=6', () => knn(cloud.positions, 6, { method }), 'build + query every point');
    run(`radius-${method}`, '8000, r=0.05', () => radiusNeighbors(cloud.positions, 0.05, { method }), 'build + query every point');
  }
  const other = samplePoints(loadMesh('sphere'), 8000, { seed: 4 });
  for (const method of ['kdtree', 'grid'] as const) run(`chamfer-${method}`, '8000 vs 8000', () => chamferDistance(cloud.positions, other.positions, { method }));
}

// elementwise forward + backward over a million float32 values
{
  const x = randn([1_000_000], { requiresGrad: true, seed: 1 });
  const w = randn([1_000_000], { seed: 2 });
  run(
    'elementwise-fwd-bwd',
    '1e6',
    () => {
      x.grad = null;
      sum(add(mul(x, w), x)).backward();
    },
    'sum(x*w + x), forward + backward',
  );
}

// a batch of 3x3 matmuls, the shape of per-point frames
{
  const a = randn([8000, 3, 3], { requiresGrad: true, seed: 3 });
  const b = randn([8000, 3, 3], { seed: 4 });
  run(
    'matmul-3x3-batch',
    '8000',
    () => {
      a.grad = null;
      sum(matmul(a, b)).backward();
    },
    'forward + backward',
  );
}

// normalize N x 3 normals, the hot path of every normal update
{
  const n = randn([8000, 3], { requiresGrad: true, seed: 5 });
  run(
    'normalize',
    '8000x3',
    () => {
      n.grad = null;
      sum(normalize(n)).backward();
    },
    'forward + backward',
  );
}

// tape overhead: a chain of 1,000 tiny ops
{
  const s = randn([1], { requiresGrad: true, seed: 6 });
  run(
    'tape-chain',
    '1000 ops',
    () => {
      s.grad = null;
      let y = s;
      for (let i = 0; i < 1000; i++) y = mul(y, 1.0001);
      y.backward();
    },
    'per-op cost of the tape, forward + backward',
  );
}

// one Adam step over 20,000 x 3 parameters
{
  const p = randn([20000, 3], { requiresGrad: true, seed: 7 });
  p.grad = randn([20000, 3], { seed: 8 });
  const opt = new Adam([p], { lr: 1e-3 });
  run('adam-step', '60000', () => opt.step());
}

benchRegularizers(run, threadCounts);
benchFitStep(run, threadCounts);
benchToolbox((row) => rows.push(row), threadCounts);
benchFm(runThreads, threadCounts, (row) => rows.push(row));
benchSphereTrace(runThreads, threadCounts, (row) => rows.push(row));
await benchWebgpu((row) => rows.push(row));
rows.push(...benchDrwr(run, runThreads, threadCounts));
closePool();
const verdicts = goals(rows);
verdicts.push(...toolboxGoals(rows));
verdicts.push(...webgpuGoals(rows));
verdicts.push(...fmGoals(rows));
verdicts.push(...sphereTraceGoals(rows));

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ machine: machine(), results: rows, goals: verdicts }, null, 2));
} else {
  const m = machine();
  console.log(`splatgrad bench on ${m.cpu} (${m.cores} cores), node ${m.node}; median of 15 runs after 3 warm-up runs\n`);
  console.log(`${'op'.padEnd(22)}${'size'.padEnd(15)}${'threads'.padEnd(9)}${'ms'.padStart(10)}  note`);
  for (const r of rows) {
    const points = r.points ? `${r.points} pts, ` : '';
    const evals = r.splatPixelEvaluations ? `, ${r.splatPixelEvaluations} splat-pixel evaluations (${(Number(r.evaluationsPerSecond) / 1e6).toFixed(1)} M/s)` : '';
    console.log(`${r.op.padEnd(22)}${r.size.padEnd(15)}${String(r.threads).padEnd(9)}${(Number.isNaN(r.ms) ? '-' : r.ms.toFixed(3)).padStart(10)}  ${points}${r.note ?? ''}${evals}`);
  }
  console.log('\ngoals (8,000 points at 256 x 256)');
  for (const g of verdicts) console.log(`  ${g.met === null ? 'n/a ' : g.met ? 'met ' : 'MISS'}  ${g.goal}: ${g.measured}`);
}

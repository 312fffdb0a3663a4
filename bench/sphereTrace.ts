// sphere-trace rows: DIST's tracer at 256 x 256 (docs/dist.md), forward + backward, on the
// analytic CSG shape (sdf: 'csg') and the bunny network (sdf: 'mlp'), 1 and 2 threads; its PyTorch peer (bench/peer/sphere_trace.py,
// dense marching, autograd at the rays' points) on the same scene and threads, whose depth is
// compared with ours. Forward + backward = depth and silhouette images, and the backward of
// seeded gradient images into the camera pose (a rotation vector and a translation) and every
// parameter of the shape: the work of one step of pose or shape recovery.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camera } from '../geometry/camera.js';
import { randn, tensor } from '../lib/create.js';
import { backward, noGrad } from '../lib/tape.js';
import { rotationFromVector } from '../ops/cameraPose.js';
import { matmul } from '../ops/matmul.js';
import type { PlainSdf, Sdf } from '../ops/sphereTracing/sdf/sdf.js';
import { csgShape } from '../ops/sphereTracing/sdf/shapes.js';
import { loadBunnySdf } from '../cli/demos/bunnySdf.js';
import { TRACE_DEFAULTS } from '../ops/sphereTracing/options.js';
import { type SphereTraceRender, sphereTrace } from '../ops/sphereTracing/sphereTrace.js';
import type { Row, RunThreads } from './measure.js';
import { torchMissing } from './peerTorch.js';

const SIZE = 256;
const SCRIPT = fileURLToPath(new URL('../../bench/peer/sphere_trace.py', import.meta.url));

export interface TraceScene {
  name: 'csg' | 'mlp';
  sdf: Sdf;
  camera: Camera;
}

/** The scene of the rows: the shape seen from 2.6 units away, the bounding sphere filling the view. */
export function traceScene(name: TraceScene['name'], sdf: Sdf): TraceScene {
  const camera = Camera.lookAt({ eye: [1.3, 0.9, 2.06], target: [0, 0, 0], width: SIZE, height: SIZE, fovY: 45 });
  return { name, sdf, camera };
}

/** One forward + backward of the scene on `threads` threads. */
function step(s: TraceScene, threads: number): () => SphereTraceRender {
  const dt = s.sdf.dtype;
  const R0 = tensor(Array.from(s.camera.R), { dtype: dt, shape: [3, 3] });
  const gd = randn([SIZE, SIZE], { dtype: dt, seed: 11 }).data,
    gm = randn([SIZE, SIZE], { dtype: dt, seed: 12 }).data;
  const params = s.sdf.parameters();
  return () => {
    const omega = tensor([0, 0, 0], { dtype: dt, requiresGrad: true });
    const t = tensor(Array.from(s.camera.t), { dtype: dt, requiresGrad: true });
    for (const p of params) {
      p.requiresGrad = true;
      p.grad = null;
    }
    const r = sphereTrace(s.sdf, s.camera, { threads, pose: { R: matmul(rotationFromVector(omega), R0), t } });
    backward([r.depth, r.minSdf], [gd, gm]);
    return r;
  };
}

/** The rows of one scene: ours on each thread count (in turns), then the peer's. */
export function benchTraceScene(s: TraceScene, runThreads: RunThreads, threadCounts: readonly number[], push: (row: Row) => void): void {
  const probe = step(s, 1)();
  const raySteps = probe.evaluations.march;
  const evaluations = probe.evaluations.march + probe.evaluations.refine + probe.evaluations.gradient + probe.evaluations.tape;
  const rows = runThreads(
    'sphere-trace',
    `${SIZE}x${SIZE}`,
    threadCounts,
    (threads) => {
      const run = step(s, threads);
      return () => void run();
    },
    `${s.name} SDF, depth + silhouette forward and backward (pose and shape parameters)`,
    { sdf: s.name, raySteps, evaluations },
  );
  for (const row of rows) row.raySteps_per_s = Math.round(raySteps / (row.ms / 1000));
  for (const threads of threadCounts) push(peerRow(s, probe, threads));
}

/** The plain tree as JSON-ready data (typed arrays to lists). */
function plainJson(node: PlainSdf): unknown {
  return JSON.parse(JSON.stringify(node, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
}

function peerRow(s: TraceScene, ours: SphereTraceRender, threads: number, runs = 5, warmup = 1): Row {
  const base: Row = { op: 'peer-torch-sphere-trace', size: `${SIZE}x${SIZE}`, threads, sdf: s.name, ms: NaN };
  const missing = torchMissing();
  if (missing) return { ...base, skipped: missing, note: `skipped: ${missing}` };
  const c = s.camera;
  const o = ours.options;
  const dir = mkdtempSync(join(tmpdir(), 'splatgrad-peer-'));
  try {
    const file = join(dir, 'scene.json');
    const depth = noGrad(() => ours.depth.data);
    writeFileSync(
      file,
      JSON.stringify({
        camera: { width: c.width, height: c.height, fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy, R: Array.from(c.R), t: Array.from(c.t) },
        sdf: plainJson(s.sdf.plain()),
        options: { steps: o.steps, ratio: o.ratio, maxStep: o.maxStep, threshold: o.threshold, boundingRadius: o.boundingRadius, minCosine: TRACE_DEFAULTS.minCosine },
        gradDepth: Array.from(randn([SIZE, SIZE], { seed: 11 }).data),
        gradMinSdf: Array.from(randn([SIZE, SIZE], { seed: 12 }).data),
        hit: Array.from(ours.hit),
        depth: Array.from(depth),
        threads,
        runs,
        warmup,
      }),
    );
    const python = spawnSync('/usr/bin/python3', [SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (python.status !== 0) throw new Error(`bench/peer/sphere_trace.py failed: ${python.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const peer = JSON.parse(python.stdout.trim().split('\n').pop()!);
    return {
      ...base,
      ms: +(peer.forwardMs + peer.backwardMs).toFixed(3),
      forwardMs: +peer.forwardMs.toFixed(3),
      backwardMs: +peer.backwardMs.toFixed(3),
      raySteps: peer.rays * peer.steps,
      hitAgreement: +peer.hitAgreement.toFixed(4),
      depthAgreement: +peer.depthAgreement.toFixed(4),
      note: `PyTorch ${peer.torch}: dense, ${peer.rays} rays x ${peer.steps} steps, forward ${peer.forwardMs.toFixed(1)} ms + backward ${peer.backwardMs.toFixed(1)} ms; hits as ours on ${(100 * peer.hitAgreement).toFixed(2)}% of pixels, depth within 1e-3 of ours on ${(100 * peer.depthAgreement).toFixed(2)}% of the common hits`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** All sphere-trace rows: the analytic CSG shape, then the bunny network (4 x 32 ReLU, its weights' gradients included). */
export function benchSphereTrace(runThreads: RunThreads, threadCounts: readonly number[], push: (row: Row) => void): void {
  benchTraceScene(traceScene('csg', csgShape()), runThreads, threadCounts, push);
  benchTraceScene(traceScene('mlp', loadBunnySdf()), runThreads, threadCounts, push);
}

/** The DIST issue's speed goals, checked against the rows. */
export function sphereTraceGoals(rows: readonly Row[]): { goal: string; measured: string; met: boolean | null }[] {
  const out: { goal: string; measured: string; met: boolean | null }[] = [];
  const find = (op: string, sdf: string, threads: number) => rows.find((r) => r.op === op && r.sdf === sdf && r.threads === threads && r.size === `${SIZE}x${SIZE}`);
  const csg = find('sphere-trace', 'csg', 1)?.ms;
  out.push({
    goal: 'sphere-trace, analytic CSG at 256 x 256, 1 thread: forward + backward <= 15 ms',
    measured: csg === undefined ? 'not measured' : `${csg.toFixed(2)} ms`,
    met: csg === undefined ? null : csg <= 15,
  });
  for (const sdf of ['csg', 'mlp']) {
    for (const threads of [1, 2]) {
      const ours = find('sphere-trace', sdf, threads),
        peer = find('peer-torch-sphere-trace', sdf, threads);
      if (!ours) continue;
      const goal = `sphere-trace ${sdf}: >= 3x the PyTorch peer, ${threads} thread(s)`;
      if (!peer || !Number.isFinite(peer.ms)) {
        out.push({ goal, measured: String(peer?.skipped ?? 'not measured'), met: null });
        continue;
      }
      const ratio = peer.ms / ours.ms;
      out.push({ goal, measured: `${ratio.toFixed(1)}x (${ours.ms.toFixed(1)} ms against ${peer.ms.toFixed(1)} ms)`, met: ratio >= 3 });
    }
  }
  return out;
}

// The Fuzzy Metaballs rows of the benchmark (docs/fm.md §9, issue 20): forward and backward of the
// renderer on the bunny's 40 Gaussians at 80 x 60 (the paper's Table 1 scene) and 64 x 64, on 1
// and 2 threads, and the PyTorch peer (bench/peer/fm.py) on the same scene, images compared.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backward, noGrad } from '../lib/tape.js';
import { fuzzyMetaballs } from '../ops/metaballs/fuzzyMetaballs.js';
import { DEFAULT_BETAS } from '../ops/metaballs/options.js';
import { type FmScene, fmScene } from './fmScene.js';
import type { Goal } from './goals.js';
import type { Row, RunThreads } from './measure.js';
import { torchMissing, torchPython } from './peerTorch.js';

const SCRIPT = fileURLToPath(new URL('../../bench/peer/fm.py', import.meta.url));
export const FM_SIZES: readonly (readonly [number, number])[] = [
  [80, 60],
  [64, 64],
];

function peerRow(s: FmScene, threads: number, runs = 15, warmup = 5): Row {
  const size = `${s.camera.width}x${s.camera.height}`;
  const r = noGrad(() => fuzzyMetaballs(s.fm, s.camera, { scale: s.scale, threads }));
  const dir = mkdtempSync(join(tmpdir(), 'splatgrad-peer-fm-'));
  try {
    const file = join(dir, 'scene.json');
    const c = s.camera;
    writeFileSync(
      file,
      JSON.stringify({
        means: Array.from(s.fm.means.data),
        precisions: Array.from(s.fm.precisions.data),
        logWeights: Array.from(s.fm.logWeights.data),
        R: Array.from(c.R),
        t: Array.from(c.t),
        camera: { fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy },
        width: c.width,
        height: c.height,
        scale: s.scale,
        beta2: DEFAULT_BETAS.beta2,
        beta3: DEFAULT_BETAS.beta3,
        gradDepth: Array.from(s.gradDepth),
        gradAlpha: Array.from(s.gradAlpha),
        depth: Array.from(r.depth.data),
        alpha: Array.from(r.alpha.data),
        normal: Array.from(r.normal.data),
        threads,
        runs,
        warmup,
      }),
    );
    const p = spawnSync(torchPython() ?? 'python3', [SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (p.status !== 0) throw new Error(`bench/peer/fm.py failed: ${p.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const peer = JSON.parse(p.stdout.trim().split('\n').pop()!);
    const d = peer.maxAbsDiff as Record<string, number>;
    return {
      op: 'peer-torch-fm',
      size,
      threads,
      ms: +(peer.forwardMs + peer.backwardMs).toFixed(3),
      forwardMs: +peer.forwardMs.toFixed(3),
      backwardMs: +peer.backwardMs.toFixed(3),
      maxAbsDiff: d,
      note: `PyTorch ${peer.torch} float32, every pair: forward ${peer.forwardMs.toFixed(1)} ms + autograd backward ${peer.backwardMs.toFixed(1)} ms; vs ours max |diff| depth ${d.depth.toExponential(1)}, alpha ${d.alpha.toExponential(1)}, normal ${d.normal.toExponential(1)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds the fm-forward, fm-backward and peer-torch-fm rows. */
export function benchFm(runThreads: RunThreads, threadCounts: readonly number[], add: (row: Row) => void): void {
  const missing = torchMissing();
  for (const [width, height] of FM_SIZES) {
    const s = fmScene(width, height);
    const size = `${width}x${height}`;
    let stats = { candidates: 0, pairs: 0, kept: 0 };
    const forward = runThreads(
      'fm-forward',
      size,
      threadCounts,
      (threads) => () => {
        stats = noGrad(() => fuzzyMetaballs(s.fm, s.camera, { scale: s.scale, threads })).stats;
      },
      '40 Gaussians (bunny), depth + alpha + normals',
    );
    for (const row of forward) Object.assign(row, { gaussians: 40, pairs: stats.pairs, candidates: stats.candidates });
    runThreads(
      'fm-backward',
      size,
      threadCounts,
      (threads) => {
        const r = fuzzyMetaballs(s.fm, s.camera, { scale: s.scale, threads });
        return () => {
          for (const t of [s.fm.means, s.fm.precisions, s.fm.logWeights]) t.grad = null;
          backward([r.depth, r.alpha], [s.gradDepth, s.gradAlpha], { retainGraph: true });
        };
      },
      'gradients of the pose loss (eq. 11-12) to means, precisions, log-weights',
      { gaussians: 40 },
    );
    for (const threads of threadCounts) {
      if (missing) add({ op: 'peer-torch-fm', size, threads, ms: NaN, skipped: missing, note: `skipped: ${missing}` });
      else add(peerRow(s, threads));
    }
  }
}

/** The speed goals of issue 20 against the measured rows. */
export function fmGoals(rows: readonly Row[]): Goal[] {
  const SIZE = '80x60';
  const ms = (op: string, threads: number): number | undefined => rows.find((r) => r.op === op && r.size === SIZE && r.threads === threads)?.ms;
  const out: Goal[] = [];
  const bar = (goal: string, value: number | undefined, limit: number) =>
    out.push({ goal, measured: value === undefined ? 'not measured' : `${value.toFixed(2)} ms`, met: value === undefined ? null : value <= limit });
  bar('FM forward <= 1.5 ms at 80 x 60, 1 thread', ms('fm-forward', 1), 1.5);
  bar('FM backward <= 4.0 ms at 80 x 60, 1 thread', ms('fm-backward', 1), 4);
  for (const threads of [1, 2]) {
    const peer = rows.find((r) => r.op === 'peer-torch-fm' && r.size === SIZE && r.threads === threads);
    const forward = peer?.forwardMs as number | undefined,
      back = peer?.backwardMs as number | undefined;
    if (forward === undefined || back === undefined) {
      out.push({ goal: `FM >= 3x faster than the PyTorch peer, ${threads} thread(s)`, measured: String(peer?.skipped ?? 'not measured'), met: null });
      continue;
    }
    const f = forward / (ms('fm-forward', threads) ?? NaN),
      b = back / (ms('fm-backward', threads) ?? NaN);
    out.push({ goal: `FM >= 3x faster than the PyTorch peer in forward, ${threads} thread(s)`, measured: `${f.toFixed(1)}x (peer ${forward.toFixed(1)} ms)`, met: f >= 3 });
    out.push({ goal: `FM >= 3x faster than the PyTorch peer in backward, ${threads} thread(s)`, measured: `${b.toFixed(1)}x (peer ${back.toFixed(1)} ms)`, met: b >= 3 });
  }
  return out;
}

// peer-torch-ewa: the same EWA forward + smooth backward in PyTorch (bench/peer/torchEwa.py),
// run through python3 when Debian's python3-torch is installed, on the same scene, points, size
// and thread count; its image is compared with ours, so the two do the same work.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noGrad } from '../lib/tape.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import type { DssScene } from './dssScene.js';
import type { Row } from './measure.js';

const SCRIPT = fileURLToPath(new URL('../../bench/peer/torchEwa.py', import.meta.url));

// Debian's python3-torch lives with /usr/bin/python3, which a python3 earlier on PATH (pyenv) lacks
const PYTHONS = ['python3', '/usr/bin/python3'];
let python: string | null | undefined;

/** The first python3 that can import torch, or null. */
export function torchPython(): string | null {
  if (python === undefined) python = PYTHONS.find((py) => spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) ?? null;
  return python;
}

/** Why the peer cannot run here, or null when it can. */
export function torchMissing(): string | null {
  return torchPython() ? null : 'no python3 here imports torch (apt-get install python3-torch)';
}

export function peerTorchRow(s: DssScene, threads: number, runs = 7, warmup = 2): Row {
  const size = `${s.camera.width}x${s.camera.height}`;
  const points = s.positions.shape[0];
  const r = noGrad(() => ewaSplat(s.positions, s.normals, s.colours, s.camera, { threads }));
  const o = r.options;
  const dir = mkdtempSync(join(tmpdir(), 'splatgrad-peer-'));
  try {
    const scene = join(dir, 'scene.json');
    const c = s.camera;
    writeFileSync(
      scene,
      JSON.stringify({
        positions: Array.from(s.positions.data),
        normals: Array.from(s.normals.data),
        colours: Array.from(s.colours.data),
        gradImage: Array.from(s.gradImage),
        image: Array.from(r.image.data),
        camera: { R: Array.from(c.R), t: Array.from(c.t), fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy },
        width: c.width,
        height: c.height,
        sigma: o.sigma,
        cutoff: o.cutoff,
        frontCount: o.frontCount,
        mergeThreshold: o.mergeThreshold,
        cullThreshold: o.cullThreshold,
        threads,
        runs,
        warmup,
      }),
    );
    const p = spawnSync(torchPython() ?? 'python3', [SCRIPT, scene], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (p.status !== 0) throw new Error(`bench/peer/torchEwa.py failed: ${p.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const peer = JSON.parse(p.stdout.trim().split('\n').pop()!);
    return {
      op: 'peer-torch-ewa',
      size,
      threads,
      points,
      ms: +(peer.forwardMs + peer.backwardMs).toFixed(3),
      forwardMs: +peer.forwardMs.toFixed(3),
      backwardMs: +peer.backwardMs.toFixed(3),
      maxAbsDiff: +peer.maxAbsDiff.toExponential(2),
      meanAbsDiff: +peer.meanAbsDiff.toExponential(2),
      note: `PyTorch ${peer.torch} forward ${peer.forwardMs.toFixed(1)} ms + smooth backward ${peer.backwardMs.toFixed(1)} ms; image vs ours: max |diff| ${peer.maxAbsDiff.toExponential(1)}, mean ${peer.meanAbsDiff.toExponential(1)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

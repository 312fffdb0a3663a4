// The speed goals of the DSS and parallelism issues, checked against the measured rows
// (8,000 points at 256 x 256). Reported by the benchmark; tests never time anything.

import type { Row } from './measure.js';

export interface Goal {
  goal: string;
  measured: string;
  /** null when a figure is missing (e.g. the peer was skipped). */
  met: boolean | null;
}

const SIZE = '256x256';

export function goals(rows: readonly Row[]): Goal[] {
  const ms = (op: string, threads: number): number | undefined => rows.find((r) => r.op === op && r.size === SIZE && r.threads === threads)?.ms;
  const out: Goal[] = [];
  const bar = (goal: string, value: number | undefined, limit: number) =>
    out.push({ goal, measured: value === undefined ? 'not measured' : `${value.toFixed(2)} ms`, met: value === undefined ? null : value <= limit });
  bar('forward <= 4 ms, 1 thread', ms('dss-forward', 1), 4);
  bar('smooth backward <= 5 ms, 1 thread', ms('dss-backward-smooth', 1), 5);
  bar('full backward <= 25 ms, 1 thread', ms('dss-backward', 1), 25);
  // forward + full backward as one call, timed in turns with the pool's arithmetic yardstick (bench/scaling.ts)
  const one = ms('dss-forward-backward', 1) ?? NaN,
    two = ms('dss-forward-backward', 2) ?? NaN;
  const speedup = one / two;
  const machine = rows.find((r) => r.op === 'pool-arithmetic')?.speedup;
  const context = typeof machine === 'number' ? `; the yardstick's 2-thread speed-up in the same turns: ${machine.toFixed(2)}x` : '';
  out.push({
    goal: '2 threads >= 1.7x faster than 1 on forward + full backward',
    measured: `${speedup.toFixed(2)}x (${one.toFixed(1)} -> ${two.toFixed(1)} ms${context})`,
    met: Number.isFinite(speedup) ? speedup >= 1.7 : null,
  });
  for (const threads of [1, 2]) {
    const peer = rows.find((r) => r.op === 'peer-torch-ewa' && r.size === SIZE && r.threads === threads);
    const forward = peer?.forwardMs as number | undefined,
      backward = peer?.backwardMs as number | undefined;
    if (forward === undefined || backward === undefined) {
      out.push({ goal: `>= 3x faster than the PyTorch peer, ${threads} thread(s)`, measured: String(peer?.skipped ?? 'not measured'), met: null });
      continue;
    }
    const f = forward / (ms('dss-forward', threads) ?? NaN),
      b = backward / (ms('dss-backward-smooth', threads) ?? NaN);
    out.push({ goal: `>= 3x faster than the PyTorch peer in forward, ${threads} thread(s)`, measured: `${f.toFixed(1)}x (peer ${forward.toFixed(1)} ms)`, met: f >= 3 });
    out.push({ goal: `>= 3x faster than the PyTorch peer in smooth backward, ${threads} thread(s)`, measured: `${b.toFixed(1)}x (peer ${backward.toFixed(1)} ms)`, met: b >= 3 });
  }
  // the position step of the bunny fit at its start (docs/dss.md §5): 121 ms before the hull start and the foveated window
  const step = rows.find((r) => r.op === 'fit-step-positions' && r.threads === 1)?.ms;
  bar('one position step of the bunny fit at its start <= 40 ms, 1 thread', step, 40);
  return out;
}

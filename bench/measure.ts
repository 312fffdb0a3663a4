// Timing with warm-up and medians, and a description of the machine the figures come from.

import os from 'node:os';

/** One line of the benchmark (also one object of its JSON `results`). */
export interface Row {
  op: string;
  size: string;
  threads: number;
  ms: number;
  points?: number;
  note?: string;
  [extra: string]: unknown;
}

/** Times `fn` and adds a row; `extra` may set `threads` (default 1) and any figures. */
export type Run = (op: string, size: string, fn: () => void, note?: string, extra?: Record<string, unknown>) => Row;

export interface Measurement {
  ms: number;
  runs: number;
  minMs: number;
}

/**
 * Median wall time of `fn` over `runs` after untimed warm-up calls: at least `warmup` of them and
 * at least `warmupMs` of calling (at most 100 calls), so the JIT has optimized the hot loops of a
 * fast op before it is timed (3 calls of a 10 ms op time mostly unoptimized code).
 */
export function measure(fn: () => void, runs = 15, warmup = 3, warmupMs = 400): Measurement {
  const start = performance.now();
  for (let i = 0; i < 100 && (i < warmup || performance.now() - start < warmupMs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], runs, minMs: times[0] };
}

export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

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

/** Times one op at each thread count, in turns (measureInTurns), and adds a row per count; `make(threads)` sets it up. */
export type RunThreads = (op: string, size: string, threadCounts: readonly number[], make: (threads: number) => () => void, note?: string, extra?: Record<string, unknown>) => Row[];

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
  return measureInTurns([fn], runs, warmup, warmupMs)[0];
}

/**
 * `measure` for several functions at once, called in turns (a, b, a, b, ...) both in the warm-up
 * and in the timed runs: a busy minute on a shared host then slows all of them alike, so their
 * ratios (one thread against two) hold even when the absolute figures drift.
 */
export function measureInTurns(fns: readonly (() => void)[], runs = 15, warmup = 3, warmupMs = 400): Measurement[] {
  const start = performance.now();
  for (let i = 0; i < 100 && (i < warmup || performance.now() - start < warmupMs * fns.length); i++) for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, f) => {
      const t0 = performance.now();
      fn();
      times[f].push(performance.now() - t0);
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { ms: t[Math.floor(t.length / 2)], runs, minMs: t[0] };
  });
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

// The pool's self-test kernel: task t writes t + 1 into `out[t]`. Inside a worker it can also
// throw or make the worker exit on purpose, so failure handling can be exercised; on the calling
// thread it first waits (up to 10 s) until a worker has taken a task, so every job really involves one.

import { defineKernel } from './kernels.js';
import { inWorker } from './platform.js';

export interface ProbeArgs {
  out: Int32Array;
  /** What a worker does with its task: 'ok', 'throw', or 'exit' (ends the worker with code 3). */
  mode: 'ok' | 'throw' | 'exit';
  /** [0] set to 1 once a worker has taken a task. */
  checkIn: Int32Array;
}

export const probe = defineKernel<ProbeArgs>('pool.probe', import.meta.url, (a, task) => {
  if (inWorker()) {
    Atomics.store(a.checkIn, 0, 1);
    Atomics.notify(a.checkIn, 0);
    if (a.mode === 'throw') throw new RangeError(`probe task ${task} threw on purpose`);
    if (a.mode === 'exit') (globalThis as { process?: { exit(code: number): void }; close?: () => void }).process?.exit(3) ?? (globalThis as { close?: () => void }).close?.();
  } else {
    const until = Date.now() + 10_000;
    while (Atomics.load(a.checkIn, 0) === 0 && Date.now() < until) Atomics.wait(a.checkIn, 0, 0, 50);
  }
  a.out[task] = task + 1;
});

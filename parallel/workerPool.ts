// The thread pool (docs/engine.md §5): long-lived workers started once and reused, fed
// jobs over shared memory. `runTasks` is synchronous: the calling thread runs tasks too, then
// waits on the job's control block, so ops keep their synchronous place on the tape.
// A kernel that throws in a worker, or a worker that dies mid-job, makes `runTasks` throw a
// WorkerError; the workers are unreferenced, so they never keep a Node process alive.

import { ArgumentError, WorkerError } from '../lib/errors.js';
import {
  type JobMessage,
  type Kernel,
  type PreloadMessage,
  CANCELLED,
  DIED,
  DONE,
  EXIT_CODE,
  FAILED_TASK,
  FAILED_WORKER,
  RUNNING,
  SIGNAL,
  STATUS,
  failureText,
  jobFailed,
  newControl,
  workLoop,
} from './job.js';
import { canBlock, startWorker, type WorkerHandle } from './platform.js';
import { isShared } from '../lib/sharedMemory.js';
import { kernelModules } from './kernels.js';
import { type ProbeArgs, probe } from './probe.js';
import { resolveThreads } from './threads.js';

export type { Kernel } from './job.js';

interface PoolWorker {
  handle: WorkerHandle;
  alive: boolean;
}

const workers: PoolWorker[] = [];
const WORKER_URL = new URL('./poolWorker.js', import.meta.url);

function spawn(): PoolWorker {
  const w: PoolWorker = { handle: null as unknown as WorkerHandle, alive: true };
  w.handle = startWorker(
    WORKER_URL,
    () => (w.alive = false), // its running job, if any, was failed by the worker's exit hook
    () => (w.alive = false),
  );
  w.handle.post({ preload: kernelModules() } satisfies PreloadMessage); // the kernels this thread has seen so far
  return w;
}

/** Makes sure `count` live workers exist (replacing dead ones); started once, then reused. */
function ensureWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    if (i >= workers.length) workers.push(spawn());
    else if (!workers[i].alive) workers[i] = spawn();
  }
}

/** How many workers the pool holds now (for diagnostics and specs). */
export function poolSize(): number {
  return workers.filter((w) => w.alive).length;
}

/**
 * Starts the workers `threads` calls will use (default: every core) and resolves once each has
 * loaded and answered a job; rejects with a WorkerError if one fails to within `timeoutMs`.
 * Optional in Node, where a worker loads on its own thread and joins the calls as soon as it
 * is up. Needed in a browser: there a worker's module loads only while the thread that started
 * it returns to its event loop, which a synchronous call never does, so without this the first
 * calls (or all of them, in a loop that never yields) run on the calling thread alone.
 */
export async function startPool(threads?: number, timeoutMs = 30_000): Promise<number> {
  const count = resolveThreads(threads, 'threads');
  const helpers = count - 1;
  if (helpers < 1) return 0;
  ensureWorkers(helpers);
  const controls = workers.slice(0, helpers).map((w, i) => {
    const control = newControl();
    const args: ProbeArgs = { out: new Int32Array(new SharedArrayBuffer(4)), mode: 'ok', checkIn: new Int32Array(new SharedArrayBuffer(4)) };
    w.handle.post({ kernel: probe.name, module: probe.module, args, control, count: 1, worker: i + 1 } satisfies JobMessage);
    return control;
  });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const failed = controls.findIndex(jobFailed);
    if (failed >= 0) throw failure(controls[failed], probe.name, count);
    if (controls.every((c) => Atomics.load(c, DONE) === 1)) return helpers;
    if (Date.now() > until) throw new WorkerError(`startPool: ${helpers} worker(s) did not start within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 2)); // let this thread's event loop load them
  }
}

/** Stops every worker. The next parallel call starts fresh ones. */
export function closePool(): void {
  for (const w of workers.splice(0)) {
    w.alive = false;
    w.handle.terminate();
  }
}

/** Every typed array in the args must be shared, or a worker would write into its own copy. */
function checkShared(value: unknown, path: string, kernel: string, depth = 0): void {
  if (ArrayBuffer.isView(value)) {
    if (value.byteLength > 0 && !isShared(value))
      throw new TypeError(`runTasks('${kernel}'): ${path} is not on a SharedArrayBuffer, so a worker would read and write a copy; allocate it with lib/sharedMemory.`);
    return;
  }
  if (depth > 4 || value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) checkShared(v, `${path}.${k}`, kernel, depth + 1);
}

/**
 * Runs kernel tasks 0..count-1 over `threads` threads (the caller's included) and returns when
 * all are done. With one thread they run here, in order, on whatever arrays the args hold.
 * `meanwhile`: serial work of the caller's that the job does not read (allocating what a later
 * step writes, say). It runs once the workers have the job and before this thread joins it, so
 * the workers make a start instead of waiting; with one thread it simply runs first. If it
 * throws, the job is cancelled like one whose task threw here.
 */
export function runTasks<A>(kernel: Kernel<A>, args: A, count: number, threads: number, meanwhile?: () => void): void {
  if (threads <= 1 || count <= 1) {
    meanwhile?.();
    for (let t = 0; t < count; t++) kernel.run(args, t);
    return;
  }
  if (!canBlock()) throw new ArgumentError(`threads = ${threads} needs SharedArrayBuffer and a thread that may wait on it; pass threads: 1 here.`);
  checkShared(args, 'args', kernel.name);
  const helpers = Math.min(threads, count) - 1;
  ensureWorkers(helpers);
  const control = newControl();
  for (let i = 0; i < helpers; i++) {
    const message: JobMessage = { kernel: kernel.name, module: kernel.module, args, control, count, worker: i + 1 };
    workers[i].handle.post(message);
  }
  try {
    meanwhile?.();
    workLoop(kernel, args, control, count, 0);
  } catch (error) {
    Atomics.compareExchange(control, STATUS, RUNNING, CANCELLED); // the others stop pulling tasks
    throw error;
  }
  for (;;) {
    const seen = Atomics.load(control, SIGNAL);
    if (Atomics.load(control, DONE) === count) return;
    if (jobFailed(control)) throw failure(control, kernel.name, threads);
    Atomics.wait(control, SIGNAL, seen, 1000);
  }
}

function failure(control: Int32Array, kernel: string, threads: number): WorkerError {
  const status = control[STATUS];
  const worker = control[FAILED_WORKER];
  const task = control[FAILED_TASK];
  const e = failureText(control);
  if (status === DIED) {
    if (workers[worker - 1]) workers[worker - 1].alive = false;
    return new WorkerError(
      `worker ${worker} of ${threads - 1} died (exit code ${control[EXIT_CODE]}) while running task ${task} of '${kernel}'; the call was abandoned and the worker will be replaced.`,
      e.name,
      e.stack,
    );
  }
  return new WorkerError(`worker ${worker} failed in task ${task} of '${kernel}': ${e.name}: ${e.message}`, e.name, e.stack);
}

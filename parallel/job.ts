// One parallel call ("job"): tasks 0..count-1 of one kernel, pulled by the calling thread and the
// pool's workers from a shared counter. The job's control block lives in shared memory, so the
// calling thread can wait on it synchronously and a worker can report a failure into it.
// Tasks write disjoint outputs (or their own partial buffers), so which thread ran a task never
// changes a result: that is what makes the results independent of the thread count.

/**
 * A function the pool can run by name in any thread (made by parallel/kernels.ts `defineKernel`).
 * Args hold shared typed arrays and plain data. `module` is the URL of the module defining it.
 */
export interface Kernel<A> {
  readonly name: string;
  readonly module: string;
  run(args: A, task: number): void;
}

export interface JobMessage {
  kernel: string;
  /** The module that defines the kernel, imported by a worker that does not know it yet. */
  module: string;
  args: unknown;
  control: Int32Array;
  count: number;
  worker: number;
}

/** The first message a worker gets: the kernel modules its parent knows of, to load up front. */
export interface PreloadMessage {
  preload: string[];
}

// control block: Int32 words, then the failing worker's error as UTF-8 JSON
export const NEXT = 0; // next task to hand out
export const DONE = 1; // tasks finished
export const STATUS = 2; // RUNNING, RECORDING (a failure being written), FAILED (a kernel threw), DIED (a worker exited mid-job), CANCELLED
export const SIGNAL = 3; // bumped after every change above; the caller waits on it
export const FAILED_TASK = 4;
export const FAILED_WORKER = 5;
export const EXIT_CODE = 6;
export const TEXT_LENGTH = 7;
const HEADER_WORDS = 8;
const TEXT_BYTES = 16384;

export const RUNNING = 0,
  FAILED = 1,
  DIED = 2,
  CANCELLED = 3,
  RECORDING = 4;

/** True once a failure is fully recorded (its worker, task and error text readable), or the job was cancelled. */
export function jobFailed(control: Int32Array): boolean {
  const status = Atomics.load(control, STATUS);
  return status !== RUNNING && status !== RECORDING;
}

export function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(HEADER_WORDS * 4 + TEXT_BYTES));
}

function signal(control: Int32Array): void {
  Atomics.add(control, SIGNAL, 1);
  Atomics.notify(control, SIGNAL);
}

/**
 * Pulls and runs tasks until none are left or the job has failed. Returns normally on success;
 * a kernel error propagates to the caller (after it is recorded in the control block).
 */
export function workLoop<A>(kernel: Kernel<A>, args: A, control: Int32Array, count: number, worker: number, current: { task: number } = { task: -1 }): void {
  while (Atomics.load(control, STATUS) === RUNNING) {
    const task = Atomics.add(control, NEXT, 1);
    if (task >= count) return;
    current.task = task;
    try {
      kernel.run(args, task);
    } catch (error) {
      recordFailure(control, FAILED, worker, task, 0, error);
      throw error;
    }
    current.task = -1;
    Atomics.add(control, DONE, 1);
    signal(control);
  }
}

/**
 * The first failure wins. The status reads RECORDING (workers stop pulling tasks) while its
 * worker, task and error text are written, and turns FAILED or DIED only once they are all
 * there, so a caller that sees the failure never reads it half-written.
 */
export function recordFailure(control: Int32Array, status: number, worker: number, task: number, exitCode: number, error: unknown): void {
  if (Atomics.compareExchange(control, STATUS, RUNNING, RECORDING) !== RUNNING) return;
  const e = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack ?? '' } : { name: 'Error', message: String(error), stack: '' };
  const bytes = new TextEncoder().encode(JSON.stringify(e)).subarray(0, TEXT_BYTES);
  new Uint8Array(control.buffer, HEADER_WORDS * 4, TEXT_BYTES).set(bytes);
  control[FAILED_TASK] = task;
  control[FAILED_WORKER] = worker;
  control[EXIT_CODE] = exitCode;
  control[TEXT_LENGTH] = bytes.length;
  Atomics.store(control, STATUS, status); // publishes the fields above (a sequentially consistent store)
  signal(control);
}

export function failureText(control: Int32Array): { name: string; message: string; stack: string } {
  const bytes = new Uint8Array(control[TEXT_LENGTH]);
  bytes.set(new Uint8Array(control.buffer, HEADER_WORDS * 4, bytes.length)); // TextDecoder refuses shared views
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { name: 'Error', message: '(unreadable error text)', stack: '' };
  }
}

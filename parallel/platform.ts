// What differs between Node and a browser, in one place: how many cores there are, whether this
// thread may block (Atomics.wait: Node threads and Web Workers yes, a browser's main thread no),
// and how a worker is started and talks. The pool and the worker entry are shared code.

import type * as NodeWorkerThreads from 'node:worker_threads';

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
const nodeThreads: typeof NodeWorkerThreads | null = isNode ? await import('node:worker_threads') : null;
const nodeOs = isNode ? await import('node:os') : null;

/** Logical cores this process may use. */
export function cores(): number {
  if (nodeOs) return typeof nodeOs.availableParallelism === 'function' ? nodeOs.availableParallelism() : nodeOs.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n > 0 ? n : 1;
}

let blockable: boolean | null = null;

/** True where shared memory exists and this thread may wait on it (the pool's requirement). */
export function canBlock(): boolean {
  if (blockable === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockable = true;
    } catch {
      blockable = false; // no SharedArrayBuffer (page not cross-origin isolated) or a browser main thread
    }
  }
  return blockable;
}

/** True inside a pool worker (or any worker thread). */
export function inWorker(): boolean {
  if (nodeThreads) return !nodeThreads.isMainThread;
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
}

export interface WorkerHandle {
  post(message: unknown): void;
  terminate(): void;
}

/**
 * Starts a module worker. `onError` receives errors the worker did not catch; `onExit` its exit
 * code (Node only: browsers report no exit). The worker never keeps a Node process alive.
 */
export function startWorker(url: URL, onError: (error: unknown) => void, onExit: (code: number) => void): WorkerHandle {
  if (nodeThreads) {
    // a worker inherits the process's flags; --input-type (for `node -e`) would stop it loading its file
    const execArgv = process.execArgv.filter((f) => !f.startsWith('--input-type'));
    const w = newNodeWorker(nodeThreads, url, execArgv);
    w.on('error', onError);
    w.on('exit', onExit);
    w.unref();
    return { post: (m) => w.postMessage(m), terminate: () => void w.terminate() };
  }
  const w = new Worker(url, { type: 'module' });
  w.addEventListener('error', (e) => onError((e as ErrorEvent).error ?? new Error((e as ErrorEvent).message)));
  return { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
}

/**
 * Node refuses a worker some process-wide flags (--expose-gc, for one) with
 * ERR_WORKER_INVALID_EXEC_ARGV; the worker then starts without the flags the error names.
 */
function newNodeWorker(threads: typeof NodeWorkerThreads, url: URL, execArgv: string[]): NodeWorkerThreads.Worker {
  try {
    return new threads.Worker(url, { execArgv });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const refused = String((error as Error).message)
      .split(': ')
      .slice(1)
      .join(': ')
      .split(/,\s*/);
    const kept = execArgv.filter((f) => !refused.includes(f));
    return new threads.Worker(url, { execArgv: kept.length < execArgv.length ? kept : [] });
  }
}

/** Worker side: receive the parent's messages. */
export function onParentMessage(handler: (message: unknown) => void): void {
  if (nodeThreads) {
    nodeThreads.parentPort!.on('message', handler);
    return;
  }
  (globalThis as unknown as { addEventListener(type: 'message', fn: (e: MessageEvent) => void): void }).addEventListener('message', (e) => handler(e.data));
}

/** Worker side: run `handler` when this worker is about to die (Node: process.exit, an uncaught error). */
export function onWorkerExit(handler: (code: number) => void): void {
  if (nodeThreads) process.on('exit', handler);
}

// The `threads` option: how many threads a call may use (the calling one included).
// Default: every core, where this thread can wait on shared memory; else 1.

import { ArgumentError } from '../lib/errors.js';
import { canBlock, cores } from './platform.js';

export const MAX_THREADS = 256;

export function defaultThreads(): number {
  return canBlock() ? Math.max(1, cores()) : 1;
}

/** Validates a `threads` value (undefined: the default); `name` is how the caller spells it. */
export function resolveThreads(threads: unknown, name = 'options.threads'): number {
  if (threads === undefined) return defaultThreads();
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ArgumentError(`${name} must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}.`);
  }
  if (threads > 1 && !canBlock()) {
    throw new ArgumentError(
      `${name} = ${threads} needs SharedArrayBuffer and a thread that may wait on it (Node, or a Web Worker in a cross-origin-isolated page); pass ${name.split('.').pop()}: 1 here, or run splatgrad inside a worker.`,
    );
  }
  return threads;
}

// The entry of a pool worker: waits for jobs, runs their tasks by kernel name, and reports a
// failure into the job's control block, including its own death (an exit or an uncaught error),
// so the calling thread never waits on a worker that is gone. A kernel this worker does not know
// yet is loaded from the module its job names (parallel/kernels.ts); messages are handled one at a
// time, in order, so a job never starts before the modules it needs.

import { type JobMessage, type PreloadMessage, DIED, FAILED, recordFailure, workLoop } from './job.js';
import { kernelNamed } from './kernels.js';
import { onParentMessage, onWorkerExit } from './platform.js';

let job: JobMessage | null = null;
const current = { task: -1 };

onWorkerExit((code) => {
  if (job) recordFailure(job.control, DIED, job.worker, current.task, code, new Error(`worker ${job.worker} exited with code ${code}`));
});

async function load(modules: string[]): Promise<void> {
  await Promise.all(modules.map((m) => import(m)));
}

async function handle(message: JobMessage | PreloadMessage): Promise<void> {
  if ('preload' in message) {
    await load(message.preload).catch(() => undefined); // a job that needs a module that failed reports it below
    return;
  }
  const m = message;
  if (!kernelNamed(m.kernel)) {
    try {
      await load([m.module]);
    } catch (error) {
      recordFailure(m.control, FAILED, m.worker, -1, 0, error);
      return;
    }
  }
  const kernel = kernelNamed(m.kernel);
  if (!kernel) {
    recordFailure(m.control, FAILED, m.worker, -1, 0, new Error(`no kernel named '${m.kernel}' in ${m.module}; define it there with defineKernel`));
    return;
  }
  job = m;
  try {
    workLoop(kernel, m.args, m.control, m.count, m.worker, current);
  } catch {
    // recorded in the control block; the caller throws it
  } finally {
    job = null;
  }
}

let queue: Promise<void> = Promise.resolve();
onParentMessage((message) => {
  queue = queue.then(() => handle(message as JobMessage | PreloadMessage));
});

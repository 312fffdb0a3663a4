// The entry of a pool worker: waits for jobs, runs their tasks by kernel name, and reports a
// failure into the job's control block, including its own death (an exit or an uncaught error),
// so the calling thread never waits on a worker that is gone.

import { type JobMessage, DIED, FAILED, recordFailure, workLoop } from './job.js';
import { kernels } from './kernels.js';
import { onParentMessage, onWorkerExit } from './platform.js';

let job: JobMessage | null = null;
const current = { task: -1 };

onWorkerExit((code) => {
  if (job) recordFailure(job.control, DIED, job.worker, current.task, code, new Error(`worker ${job.worker} exited with code ${code}`));
});

onParentMessage((message) => {
  const m = message as JobMessage;
  const kernel = kernels[m.kernel];
  job = m;
  try {
    if (!kernel) {
      recordFailure(m.control, FAILED, m.worker, -1, 0, new Error(`no kernel named '${m.kernel}' in parallel/kernels.ts`));
      return;
    }
    workLoop(kernel, m.args, m.control, m.count, m.worker, current);
  } catch {
    // recorded in the control block; the caller throws it
  } finally {
    job = null;
  }
});

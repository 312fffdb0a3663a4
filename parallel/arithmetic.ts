// A yardstick for the pool: fixed arithmetic cut into equal tasks, touching nothing but a small
// table, so its 2-thread speed-up is what the machine and the pool's hand-off can give at that
// moment, with no serial part and no memory traffic of ours. The benchmark times it in turns with
// the splat op: on a shared host the two virtual cores are sometimes not two cores' worth
// (two threads of independent multiply-adds then run no faster than one), and this shows when.

import { defineKernel } from './kernels.js';

export interface ArithmeticArgs {
  /** Values the tasks read (any length that is a multiple of 4; a few KiB keeps it in L1). */
  table: Float64Array;
  /** Passes over the table per task: the size of a task. */
  passes: number;
  /** One result per task, so the work can't be optimized away. */
  out: Float64Array;
}

export const arithmetic = defineKernel<ArithmeticArgs>('pool.arithmetic', import.meta.url, (a, task) => {
  const t = a.table,
    n = t.length;
  // eight independent sums: throughput-bound, like the splat kernels' inner loops
  let s0 = task,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  for (let r = 0; r < a.passes; r++) {
    for (let i = 0; i < n; i += 4) {
      const x = t[i],
        y = t[i + 1],
        z = t[i + 2],
        w = t[i + 3];
      s0 += x * y;
      s1 += y * z;
      s2 += z * w;
      s3 += w * x;
      s4 += x * z;
      s5 += y * w;
      s6 += x * x;
      s7 += y * y;
    }
  }
  a.out[task] = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
});

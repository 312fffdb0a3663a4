// A kernel no spec imports statically: the pool's workers meet it only in the spec that loads this
// module after they started, so they must import it themselves from the module its job names.

import { defineKernel } from '../../parallel/kernels.js';
import { type ProbeArgs, probe } from '../../parallel/probe.js';

export const lateProbe = defineKernel<ProbeArgs>('spec.lateProbe', import.meta.url, (a, task) => {
  probe.run(a, task);
  a.out[task] += 100;
});

// The tracer's work for the thread pool (parallel/workerPool.ts): task t marches band t of coarse
// rows and all its descendants (march.ts). Tasks write disjoint pixels, and a ray's numbers do
// not depend on which other rays share its batch, so any thread count gives the same bits.

import { defineKernel } from '../../parallel/kernels.js';
import { type TraceArgs, traceBand } from './march.js';

export const traceBands = defineKernel<TraceArgs>('sphereTrace.bands', import.meta.url, traceBand);

// Every kernel a pool worker can run, by name. A worker imports this module; the calling thread
// runs the same kernel objects directly.

import type { Kernel } from './job.js';
import { probe } from './probe.js';
import { arithmetic } from './arithmetic.js';
import { artificialSplats, backwardBands, chainPoints, forwardBands, screenPoints } from '../ops/splat/splatKernels.js';
import { projectionRanges } from '../ops/regularizers/projection.js';
import { repulsionRanges } from '../ops/regularizers/repulsion.js';
import { pcaWeightRanges } from '../ops/regularizers/pcaWeights.js';
import { weightedPcaRanges } from '../ops/regularizers/weightedPca.js';

export const kernels: Record<string, Kernel<never>> = Object.fromEntries(
  [probe, arithmetic, screenPoints, forwardBands, backwardBands, artificialSplats, chainPoints, projectionRanges, repulsionRanges, pcaWeightRanges, weightedPcaRanges].map((k) => [k.name, k as Kernel<never>]),
);

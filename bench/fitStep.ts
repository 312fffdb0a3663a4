// One optimization step of the `bunny` fit (what npm start repeats 1,600 times): 3 views of
// 128 x 128 rendered and compared (SMAPE), the projection regularizer and the silhouette term, the
// backward with the artificial gradient, the optimizer step. Normal and position steps separately.

import { resolveFitConfig } from '../cli/fit/fitConfig.js';
import { meshTargets } from '../cli/fit/fitTargets.js';
import { initialCloud } from '../cli/fit/runFit.js';
import { fitSteps } from '../optim/fitPointCloud.js';

import type { Run } from './measure.js';

export function benchFitStep(run: Run, threadCounts: readonly number[]): void {
  const config = resolveFitConfig({ target: 'bunny' });
  const targets = meshTargets('bunny', config);
  const init = initialCloud(config, targets);
  const points = init.positions.length / 3;
  for (const threads of threadCounts)
    for (const phase of ['normals', 'positions'] as const) {
      // a cycle of only this phase: T_n = 0 for position steps; T_p can't be 0, so normal steps interleave 1 in 10^6
      const steps = fitSteps(init, targets.views, {
        iterations: 1e9,
        normalSteps: phase === 'normals' ? 1e6 : 0,
        positionSteps: 1,
        silhouetteWeight: config.silhouetteWeight,
        threads,
      });
      run(`fit-step-${phase}`, `${config.size}x${config.size}`, () => void steps.next(), `bunny fit at its start (${config.viewsPerStep} views per step, window 32 px): forward + backward + update`, {
        points,
        threads,
      });
    }
}

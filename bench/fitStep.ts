// One optimization step of the `bunny` fit (what npm start repeats): 3 views of 128 x 128 rendered
// and compared (SMAPE), the projection regularizer and the silhouette term, the backward with the
// artificial gradient, the optimizer step. Normal and position steps separately.

import { fitSteps } from '../optim/fitPointCloud.js';
import { TARGET_DEFAULTS, meshTargets } from '../optim/fitTargets.js';
import { dss } from '../optim/methods/dss.js';
import { initialCloud } from '../optim/methods/initialCloud.js';
import { defaultsOf } from '../optim/settings.js';
import type { Run } from './measure.js';

export function benchFitStep(run: Run, threadCounts: readonly number[]): void {
  const s = defaultsOf(dss.settings);
  const { size } = TARGET_DEFAULTS;
  const targets = meshTargets('bunny', TARGET_DEFAULTS);
  const init = initialCloud(targets, s.init, s.points, s.initRadius, 0);
  const points = init.positions.length / 3;
  for (const threads of threadCounts)
    for (const phase of ['normals', 'positions'] as const) {
      // a cycle of only this phase: T_n = 0 for position steps; T_p can't be 0, so normal steps interleave 1 in 10^6
      const steps = fitSteps(init, targets.views, {
        iterations: 1e9,
        normalSteps: phase === 'normals' ? 1e6 : 0,
        positionSteps: 1,
        silhouetteWeight: s.silhouetteWeight,
        threads,
      });
      run(`fit-step-${phase}`, `${size}x${size}`, () => void steps.next(), `bunny fit at its start (${s.viewsPerStep} views per step, window 32 px): forward + backward + update`, {
        points,
        threads,
      });
    }
}

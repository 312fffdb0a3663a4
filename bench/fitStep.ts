// One optimization step of the `bunny` fit (what npm start repeats): 3 of its 48 views of 128 x 128
// rendered and compared (SMAPE), the projection regularizer and the silhouette term of all 48, the backward, the
// optimizer step. Normal and position steps separately, from the start the fit uses (the visual
// hull, so no artificial gradient: docs/dss.md §5), and position steps again with the 32 px
// window a sphere start uses (the artificial gradient's cost, docs/dss.md §3 "The window").

import { fitSteps } from '../optim/fitPointCloud.js';
import { FIT_POINT_CLOUD_DEFAULTS } from '../optim/fitOptions.js';
import { TARGET_DEFAULTS, meshTargets } from '../optim/fitTargets.js';
import { dss } from '../optim/methods/dss.js';
import { initialCloud } from '../optim/methods/initialCloud.js';
import { defaultsOf } from '../optim/settings.js';
import type { Run } from './measure.js';

export function benchFitStep(run: Run, threadCounts: readonly number[]): void {
  const s = defaultsOf(dss.settings);
  const { size } = TARGET_DEFAULTS;
  const targets = meshTargets('bunny', { ...TARGET_DEFAULTS, views: dss.views ?? TARGET_DEFAULTS.views });
  const init = initialCloud(targets, s.init, s.points, s.initRadius, 0);
  const points = init.positions.length / 3;
  const wide = FIT_POINT_CLOUD_DEFAULTS.window[0];
  const cases = [
    { op: 'fit-step-normals', normals: true, window: 0 },
    { op: 'fit-step-positions', normals: false, window: 0 },
    { op: `fit-step-positions-window${wide}`, normals: false, window: wide },
  ];
  for (const threads of threadCounts)
    for (const c of cases) {
      // a cycle of only this phase: T_n = 0 for position steps; T_p can't be 0, so normal steps interleave 1 in 10^6
      const steps = fitSteps(init, targets.views, {
        iterations: 1e9,
        normalSteps: c.normals ? 1e6 : 0,
        positionSteps: 1,
        silhouetteWeight: s.silhouetteWeight,
        window: [c.window, c.window],
        threads,
      });
      const what = c.window === 0 ? 'from the hull, window 0' : `window ${c.window} px`;
      run(
        c.op,
        `${size}x${size}`,
        () => void steps.next(),
        `bunny fit at its start (${points} points on the hull of ${targets.views.length} views, ${s.viewsPerStep} a step, ${what}): forward + backward + update`,
        {
          points,
          threads,
          window: c.window,
        },
      );
    }
}

// Surface-regularization figures (docs/dss.md §4): neighbourhood build, and one evaluation of the
// projection and repulsion losses with gradients (weights eq. 15, weighted PCA eq. 16 with its
// eigen-backward or detached, eq. 17-18), at 8,000 points on the bunny.

import { tensor } from '../lib/create.js';
import { loadMesh } from '../geometry/loadMesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { buildNeighborhood } from '../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../ops/regularizers/surfaceRegularization.js';

import type { Run } from './measure.js';

/** Adds the regularizer rows through the bench's `run(op, size, fn, note, extra)`. */
export function benchRegularizers(run: Run, threadCounts: readonly number[], points = 8000): void {
  const cloud = samplePoints(loadMesh('bunny'), points, { seed: 5 });
  const positions = tensor(cloud.positions, { shape: [points, 3], requiresGrad: true });
  const normals = tensor(cloud.normals!, { shape: [points, 3] });
  const spacing = 0.0106 * Math.sqrt(5000 / points); // mean nearest-neighbour distance on the bunny
  const projectionRadius = 3.75 * spacing,
    repulsionRadius = 2 * spacing;
  const size = `${points}`;
  run(
    'regularizer-neighbors',
    size,
    () => {
      buildNeighborhood(positions, { radius: projectionRadius });
      buildNeighborhood(positions, { radius: repulsionRadius });
    },
    `radius graphs D_p = ${projectionRadius.toFixed(4)}, D_r = ${repulsionRadius.toFixed(4)} (grid)`,
    { points },
  );
  const neighborhood = buildNeighborhood(positions, { radius: projectionRadius });
  const repulsionNeighborhood = buildNeighborhood(positions, { radius: repulsionRadius });
  const entries = neighborhood.indices.length + repulsionNeighborhood.indices.length;
  for (const threads of threadCounts) {
    for (const detachFrame of [false, true]) {
      run(
        `regularizer-losses${detachFrame ? '-detached' : ''}`,
        size,
        () => {
          positions.grad = null;
          surfaceRegularization(positions, normals, { neighborhood, repulsionNeighborhood, detachFrame, threads }).loss.backward();
        },
        `eq. 15-18 forward + backward, ${entries} neighbour entries, PCA frame ${detachFrame ? 'detached' : 'differentiated'} (threads: the weights' and the frame's forwards, both losses)`,
        { points, threads },
      );
    }
  }
}

import { expect } from 'chai';
import type { Tensor } from '../../../lib/tensor.js';
import { buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { pcaWeights } from '../../../ops/regularizers/pcaWeights.js';
import { projectionLoss } from '../../../ops/regularizers/projection.js';
import { pcaWeightsReference, projectionLossReference, repulsionLossReference } from '../../../ops/regularizers/regularizersReference.js';
import { repulsionLoss } from '../../../ops/regularizers/repulsion.js';
import { weightedPca } from '../../../ops/regularizers/weightedPca.js';
import { anisotropic, leaf, nearlyUp } from './clouds.js';

/** Value and gradients of a scalar function of the leaves. */
function evaluate(fn: () => Tensor, leaves: Tensor[]): number[][] {
  for (const t of leaves) t.grad = null;
  const y = fn();
  y.backward();
  return [[y.item()], ...leaves.map((t) => Array.from(t.grad!.data))];
}

function expectSame(fast: number[][], reference: number[][]): void {
  let scale = 0;
  for (const row of reference) for (const v of row) scale = Math.max(scale, Math.abs(v));
  expect(scale).to.be.greaterThan(0);
  fast.forEach((row, r) => row.forEach((v, j) => expect(v, `entry ${r}/${j}`).to.be.closeTo(reference[r][j], 1e-11 * scale)));
}

describe('regularizer kernels against their reference twins (tape ops)', () => {
  const positions = leaf(anisotropic(40, [0.2, 0.2, 0.03], 21), 'positions');
  const normals = leaf(nearlyUp(40, 0.4, 22), 'normals');
  const occlusion = Array.from({ length: 40 }, (_, i) => i % 4);
  const nb = buildNeighborhood(positions, { radius: 0.2 });

  it('the neighbourhood is not trivial', () => {
    expect(nb.indices.length).to.be.greaterThan(200);
  });

  it('pcaWeights: values and gradients', () => {
    const sq = (w: Tensor) => projectionLossReference(positions, normals, w, nb); // any scalar of w that reaches both leaves
    expectSame(
      evaluate(() => sq(pcaWeights(positions, normals, nb, 0.2, { occlusion })), [positions, normals]),
      evaluate(() => sq(pcaWeightsReference(positions, normals, nb, 0.2, { occlusion })), [positions, normals]),
    );
  });

  it('projectionLoss: values and gradients through the PCA frame', () => {
    const run = (loss: typeof projectionLoss) => () => {
      const w = pcaWeights(positions, normals, nb, 0.2, { occlusion });
      return loss(positions, weightedPca(positions, w, nb).normals, w, nb);
    };
    expectSame(evaluate(run(projectionLoss), [positions, normals]), evaluate(run(projectionLossReference), [positions, normals]));
  });

  it('repulsionLoss: values and gradients in positions and normals', () => {
    expectSame(
      evaluate(() => repulsionLoss(positions, normals, nb, 0.1), [positions, normals]),
      evaluate(() => repulsionLossReference(positions, normals, nb, 0.1), [positions, normals]),
    );
  });
});

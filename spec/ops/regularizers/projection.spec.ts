import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { NeighborhoodSchedule, buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { pcaWeights } from '../../../ops/regularizers/pcaWeights.js';
import { projectionLoss } from '../../../ops/regularizers/projection.js';
import { weightedPca } from '../../../ops/regularizers/weightedPca.js';
import { SGD } from '../../../optim/index.js';
import { expectGrads } from '../../helpers.js';
import { anisotropic, leaf, nearlyUp, noisyPlane } from './clouds.js';

const rmsZ = (p: ArrayLike<number>) => {
  let s = 0;
  for (let i = 2; i < p.length; i += 3) s += p[i] * p[i];
  return Math.sqrt(s / (p.length / 3));
};

describe('projection loss (eq. 18)', () => {
  it('matches finite differences in positions, normals and weights', () => {
    const positions = leaf(anisotropic(12, [0.1, 0.1, 0.02], 3), 'positions');
    const normals = leaf(nearlyUp(12, 0.3, 4), 'normals');
    const nb = buildNeighborhood(positions, { k: 6 });
    const w = pcaWeights(positions.detach(), null, nb, nb.radius).detach();
    w.requiresGrad = true;
    w.name = 'weights';
    expectGrads((p, n, ww) => projectionLoss(p, n, ww, nb), [positions, normals, w]);
  });

  it('matches finite differences through the whole chain (eq. 15 weights, eq. 16 frame, eq. 18)', () => {
    const positions = leaf(anisotropic(14, [0.1, 0.07, 0.02], 5), 'positions');
    const normals = leaf(nearlyUp(14, 0.3, 6), 'normals');
    const nb = buildNeighborhood(positions, { k: 7 });
    expectGrads(
      (p, n) => {
        const w = pcaWeights(p, n, nb, nb.radius, { occlusion: Array.from({ length: 14 }, (_, i) => i % 2) });
        return projectionLoss(p, weightedPca(p, w, nb).normals, w, nb);
      },
      [positions, normals],
    );
  });

  it('is zero on a plane and pulls a noisy plane onto it (RMS distance down >= 10x)', () => {
    const flat = leaf(noisyPlane(6, 0.05, 0, 1), 'p', false);
    const nb0 = buildNeighborhood(flat, { radius: 0.12 });
    const w0 = pcaWeights(flat, null, nb0, 0.12);
    expect(projectionLoss(flat, weightedPca(flat, w0, nb0).normals, w0, nb0).item()).to.be.lessThan(1e-30);

    const positions = leaf(noisyPlane(20, 0.05, 0.02, 2), 'positions');
    const n = 400;
    const before = rmsZ(positions.data);
    const schedule = new NeighborhoodSchedule({ radius: 0.25, every: 10 });
    const opt = new SGD([positions], { lr: 0.2 * n });
    for (let step = 0; step < 60; step++) {
      const nb = schedule.at(step, positions);
      opt.zeroGrad();
      const w = pcaWeights(positions, null, nb, nb.radius);
      projectionLoss(positions, weightedPca(positions, w, nb).normals, w, nb).backward();
      opt.step();
    }
    const after = rmsZ(positions.data);
    expect(schedule.builds).to.equal(6);
    expect(before).to.be.greaterThan(0.015);
    expect(after, `RMS ${before.toExponential(2)} -> ${after.toExponential(2)}`).to.be.lessThan(before / 10);
  });

  it('rejects bad input', () => {
    const positions = leaf(anisotropic(5, [1, 1, 1], 1), 'p', false);
    const nb = buildNeighborhood(positions, { k: 2 });
    const normals = leaf(nearlyUp(5, 0, 1), 'n', false);
    const w = pcaWeights(positions, null, nb, 1);
    expect(() => projectionLoss(positions, normals, tensor([1], { dtype: 'float64' }), nb)).to.throw(ShapeError, /weights has 1 values/);
    expect(() => projectionLoss(positions, tensor([[0, 0, 1]], { dtype: 'float64' }), w, nb)).to.throw(ShapeError, /normals/);
    expect(() => projectionLoss(positions, normals, w, { offsets: new Int32Array(6), indices: new Int32Array(1) })).to.throw(ArgumentError, /offsets must run/);
    expect(() => projectionLoss(positions, normals, w.data as never, nb)).to.throw(ArgumentError, /weights must be a tensor/);
  });
});

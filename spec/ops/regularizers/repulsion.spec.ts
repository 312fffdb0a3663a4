import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { Random } from '../../../lib/random.js';
import { radiusNeighbors } from '../../../geometry/neighbors.js';
import { repulsionLoss } from '../../../ops/regularizers/repulsion.js';
import { SGD } from '../../../optim/index.js';
import { NeighborhoodSchedule } from '../../../ops/regularizers/neighborhood.js';
import { pcaWeights } from '../../../ops/regularizers/pcaWeights.js';
import { weightedPca } from '../../../ops/regularizers/weightedPca.js';
import { expectGrads } from '../../helpers.js';
import { nearlyUp, nearestSpacing, variation } from './clouds.js';

/** n points in a small patch of the z = 0 plane (seeded), normals +z. */
function patch(n: number, spread: number, seed: number) {
  const rng = new Random(seed);
  const p = new Float64Array(3 * n),
    nrm = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    p[3 * i] = spread * rng.normal();
    p[3 * i + 1] = spread * rng.normal();
    nrm[3 * i + 2] = 1;
  }
  return { positions: tensor(p, { shape: [n, 3], requiresGrad: true }), normals: nrm };
}

describe('repulsion loss (eq. 17)', () => {
  it('matches finite differences, also out of the tangent plane', () => {
    const { positions, normals } = patch(12, 0.05, 1);
    for (let i = 0; i < 12; i++) positions.data[3 * i + 2] = 0.01 * Math.sin(i);
    const neighbors = radiusNeighbors(positions.data, 0.2);
    expect(neighbors.indices.length).to.be.greaterThan(40);
    expectGrads((p) => repulsionLoss(p, normals, neighbors, 0.2), [positions]);
  });

  it('matches finite differences in the normals too (the PCA frame passes its gradient on)', () => {
    const { positions } = patch(10, 0.05, 4);
    for (let i = 0; i < 10; i++) positions.data[3 * i + 2] = 0.02 * Math.cos(i);
    const normals = tensor(nearlyUp(10, 0.5, 5), { shape: [10, 3], requiresGrad: true, name: 'normals' });
    const neighbors = radiusNeighbors(positions.data, 0.2);
    expectGrads((p, n) => repulsionLoss(p, n, neighbors, 0.2), [positions, normals]);
  });

  it('with the weighted-PCA frame, spreads a clumped patch evenly and keeps it in its plane', () => {
    const { positions } = patch(60, 0.02, 6);
    const before = nearestSpacing(positions.data);
    const opt = new SGD([positions], { lr: 1e-7 });
    const schedule = new NeighborhoodSchedule({ radius: 0.1, every: 5 });
    for (let step = 0; step < 100; step++) {
      const nb = schedule.at(step, positions);
      opt.zeroGrad();
      const frame = weightedPca(positions, pcaWeights(positions, null, nb, nb.radius), nb);
      repulsionLoss(positions, frame.normals, nb, nb.radius).backward();
      opt.step();
    }
    const after = nearestSpacing(positions.data);
    const report = `nearest-neighbour spacing: min ${Math.min(...before).toExponential(2)} -> ${Math.min(...after).toExponential(2)}, CV ${variation(before).toFixed(3)} -> ${variation(after).toFixed(3)}`;
    expect(Math.min(...after), report).to.be.greaterThan(2 * Math.min(...before));
    expect(variation(after), report).to.be.lessThan(0.6 * variation(before));
    for (let i = 0; i < 60; i++) expect(positions.data[3 * i + 2]).to.equal(0);
  });

  it('spreads a clumped patch more evenly and keeps it in its plane', () => {
    const { positions, normals } = patch(60, 0.02, 2);
    const before = nearestSpacing(positions.data);
    const opt = new SGD([positions], { lr: 1e-7 });
    for (let step = 0; step < 100; step++) {
      opt.zeroGrad();
      repulsionLoss(positions, normals, radiusNeighbors(positions.data, 0.1), 0.1).backward();
      opt.step();
    }
    const after = nearestSpacing(positions.data);
    expect(Math.min(...after)).to.be.greaterThan(2 * Math.min(...before));
    expect(variation(after)).to.be.lessThan(variation(before));
    for (let i = 0; i < 60; i++) expect(positions.data[3 * i + 2]).to.equal(0);
  });

  it('rejects bad input', () => {
    const { positions, normals } = patch(4, 0.1, 3);
    const nb = radiusNeighbors(positions.data, 1);
    expect(() => repulsionLoss(tensor([[1, 2]]), normals, nb, 1)).to.throw(ShapeError, /N x 3/);
    expect(() => repulsionLoss(positions, new Float64Array(3), nb, 1)).to.throw(ShapeError, /normals/);
    expect(() => repulsionLoss(positions, normals, { offsets: new Int32Array(2), indices: new Int32Array(0) }, 1)).to.throw(ShapeError, /offsets/);
    expect(() => repulsionLoss(positions, normals, nb, 0)).to.throw(ArgumentError, /radius/);
    expect(() => repulsionLoss(tensor([], { shape: [0, 3] }), normals, nb, 1)).to.throw(ArgumentError, /empty/);
  });
});

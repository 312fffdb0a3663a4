import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { Random } from '../../../lib/random.js';
import { radiusNeighbors } from '../../../geometry/neighbors.js';
import { repulsionLoss } from '../../../ops/regularizers/repulsion.js';
import { SGD } from '../../../optim/index.js';
import { expectGrads } from '../../helpers.js';

/** n points in a small patch of the z = 0 plane (seeded), normals +z. */
function patch(n: number, spread: number, seed: number) {
  const rng = new Random(seed);
  const p = new Float64Array(3 * n), nrm = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    p[3 * i] = spread * rng.normal();
    p[3 * i + 1] = spread * rng.normal();
    nrm[3 * i + 2] = 1;
  }
  return { positions: tensor(p, { shape: [n, 3], requiresGrad: true }), normals: nrm };
}

function nearestSpacing(p: ArrayLike<number>): number[] {
  const n = p.length / 3;
  return Array.from({ length: n }, (_, i) => {
    let best = Infinity;
    for (let k = 0; k < n; k++) if (k !== i) best = Math.min(best, Math.hypot(p[3 * i] - p[3 * k], p[3 * i + 1] - p[3 * k + 1], p[3 * i + 2] - p[3 * k + 2]));
    return best;
  });
}

describe('repulsion loss (eq. 17)', () => {
  it('matches finite differences, also out of the tangent plane', () => {
    const { positions, normals } = patch(12, 0.05, 1);
    for (let i = 0; i < 12; i++) positions.data[3 * i + 2] = 0.01 * Math.sin(i);
    const neighbors = radiusNeighbors(positions.data, 0.2);
    expect(neighbors.indices.length).to.be.greaterThan(40);
    expectGrads((p) => repulsionLoss(p, normals, neighbors, 0.2), [positions]);
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
    const spread = (d: number[]) => {
      const m = d.reduce((s, v) => s + v, 0) / d.length;
      return Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length) / m; // coefficient of variation
    };
    expect(Math.min(...after)).to.be.greaterThan(2 * Math.min(...before));
    expect(spread(after)).to.be.lessThan(spread(before));
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

import { expect } from 'chai';
import { ArgumentError } from '../../../lib/errors.js';
import { buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../../../ops/regularizers/surfaceRegularization.js';
import { expectGrads } from '../../helpers.js';
import { anisotropic, leaf, nearlyUp } from './clouds.js';

describe('surfaceRegularization (eq. 8: gamma_p L_p + gamma_r L_r)', () => {
  const positions = leaf(anisotropic(14, [0.1, 0.08, 0.02], 31), 'positions');
  const normals = leaf(nearlyUp(14, 0.3, 32), 'normals');
  const neighborhood = buildNeighborhood(positions, { k: 7 });
  const repulsionNeighborhood = buildNeighborhood(positions, { k: 4 });

  it('combines the two losses with the patent weights by default', () => {
    const r = surfaceRegularization(positions, normals, { neighborhood });
    expect(r.loss.item()).to.be.closeTo(0.02 * r.projection!.item() + 0.05 * r.repulsion!.item(), 1e-12);
    expect(r.projection!.item()).to.be.greaterThan(0);
    const s = surfaceRegularization(positions, normals, { neighborhood, repulsionNeighborhood, projectionWeight: 2, repulsionWeight: 0 });
    expect(s.loss.item()).to.be.closeTo(2 * s.projection!.item(), 1e-12);
  });

  it('reports a term weighted 0 but keeps it off the tape', () => {
    const s = surfaceRegularization(positions, normals, { neighborhood, repulsionNeighborhood, repulsionWeight: 0 });
    expect(s.repulsion!.item(), 'still reported').to.be.greaterThan(0);
    expect(s.repulsion!.requiresGrad).to.equal(false);
    expect(s.projection!.requiresGrad).to.equal(true);
    const skipped = surfaceRegularization(positions, normals, { neighborhood, repulsionNeighborhood, repulsionWeight: 0, reportUnweighted: false });
    expect(skipped.repulsion, 'a term weighted 0 is not computed').to.equal(null);
    expect(skipped.loss.item()).to.be.closeTo(0.02 * skipped.projection!.item(), 1e-12);
    const none = surfaceRegularization(positions, normals, { neighborhood, projectionWeight: 0, repulsionWeight: 0 });
    expect(none.loss.item()).to.equal(0);
    expect(none.loss.requiresGrad).to.equal(false);
    expectGrads((p, n) => surfaceRegularization(p, n, { neighborhood, repulsionNeighborhood, repulsionWeight: 0, projectionWeight: 1 }).loss, [positions, normals]);
  });

  it('matches finite differences through weights, frame and both losses', () => {
    expectGrads((p, n) => surfaceRegularization(p, n, { neighborhood, repulsionNeighborhood, repulsionWeight: 1e-3, projectionWeight: 1 }).loss, [positions, normals]);
  });

  it('rejects bad input', () => {
    expect(() => surfaceRegularization(positions, normals, {} as never)).to.throw(ArgumentError, /neighborhood is required/);
    expect(() => surfaceRegularization(positions, normals, { neighborhood, repulsionWeight: -1 })).to.throw(ArgumentError, /repulsionWeight/);
  });
});

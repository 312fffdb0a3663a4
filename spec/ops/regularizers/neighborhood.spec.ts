import { expect } from 'chai';
import { ArgumentError } from '../../../lib/errors.js';
import { NeighborhoodSchedule, buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { anisotropic, leaf } from './clouds.js';

describe('regularizer neighbourhoods', () => {
  const points = anisotropic(200, [1, 1, 1], 9);

  it('builds radius neighbourhoods (D = radius) that agree with the brute-force search', () => {
    const grid = buildNeighborhood(points, { radius: 0.5 });
    const brute = buildNeighborhood(points, { radius: 0.5, method: 'bruteForce' });
    expect(grid.radius).to.equal(0.5);
    expect(grid.indices.length).to.be.greaterThan(200);
    expect(Array.from(grid.offsets)).to.deep.equal(Array.from(brute.offsets));
    expect(Array.from(grid.indices)).to.deep.equal(Array.from(brute.indices));
    for (const d of grid.distances) expect(d).to.be.at.most(0.5);
  });

  it('builds k-nearest neighbourhoods as CSR, with D the mean k-th distance, optionally capped by a radius', () => {
    const nb = buildNeighborhood(leaf(points, 'p', false), { k: 6 });
    expect(nb.indices.length).to.equal(6 * 200);
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      expect(nb.offsets[i + 1] - nb.offsets[i]).to.equal(6);
      sum += nb.distances[nb.offsets[i] + 5];
    }
    expect(nb.radius).to.be.closeTo(sum / 200, 1e-12);
    const capped = buildNeighborhood(points, { k: 6, radius: 0.3 });
    expect(capped.indices.length).to.be.lessThan(6 * 200);
    for (const d of capped.distances) expect(d).to.be.at.most(0.3);
  });

  it('a schedule rebuilds every `every` steps, and on request', () => {
    const s = new NeighborhoodSchedule({ radius: 0.5, every: 3 });
    const first = s.at(0, points);
    expect(s.at(1, points)).to.equal(first);
    expect(s.at(2, points)).to.equal(first);
    expect(s.at(3, points)).to.not.equal(first);
    expect(s.builds).to.equal(2);
    s.invalidate();
    s.at(4, points);
    expect(s.builds).to.equal(3);
  });

  it('rejects bad input', () => {
    expect(() => buildNeighborhood(points, {})).to.throw(ArgumentError, /options.radius .* or options.k/);
    expect(() => buildNeighborhood(points, { radius: -1 })).to.throw(ArgumentError, /radius/);
    expect(() => buildNeighborhood(points, { k: 500 })).to.throw(ArgumentError, /k = 500/);
    expect(() => buildNeighborhood(new Float64Array(0), { k: 1 })).to.throw(ArgumentError, /empty/);
    expect(() => buildNeighborhood(new Float64Array(6), { k: 1 })).to.throw(ArgumentError, /D of eq. 15a is 0/);
    expect(() => new NeighborhoodSchedule({ radius: 1, every: 0 })).to.throw(ArgumentError, /every/);
  });
});

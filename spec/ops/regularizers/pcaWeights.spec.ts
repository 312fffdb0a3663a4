import { expect } from 'chai';
import { fromArray, tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { Random } from '../../../lib/random.js';
import { buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { pcaWeights } from '../../../ops/regularizers/pcaWeights.js';
import { weightedPca } from '../../../ops/regularizers/weightedPca.js';
import { expectGrads } from '../../helpers.js';
import { anisotropic, leaf, nearlyUp } from './clouds.js';

describe('pcaWeights (eq. 15)', () => {
  it('normalizes each row and combines psi, theta and phi', () => {
    const positions = leaf(new Float64Array([0, 0, 0, 0.1, 0, 0, 0, 0.2, 0]), 'p', false);
    const normals = leaf(new Float64Array([0, 0, 1, 0, 0, 1, 1, 0, 0]), 'n', false);
    const nb = buildNeighborhood(positions, { radius: 1 });
    const w = pcaWeights(positions, normals, nb, 0.5, { occlusion: [0, 0, 3] });
    // row 0: neighbours 1 (d 0.1, same normal, visible) and 2 (d 0.2, normal at 90 degrees, o = 3)
    const sigma = 1 - Math.cos(Math.PI / 3);
    const u1 = Math.exp(-0.01 / 0.25),
      u2 = (Math.exp(-0.04 / 0.25) * Math.exp(-1 / sigma)) / 4;
    expect(Array.from(nb.indices.slice(0, 2))).to.deep.equal([1, 2]);
    expect(w.data[0]).to.be.closeTo(u1 / (u1 + u2), 1e-14);
    expect(w.data[1]).to.be.closeTo(u2 / (u1 + u2), 1e-14);
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let e = nb.offsets[i]; e < nb.offsets[i + 1]; e++) s += w.data[e];
      expect(s).to.be.closeTo(1, 1e-14);
    }
  });

  it('matches finite differences in positions and normals', () => {
    const positions = leaf(anisotropic(12, [0.1, 0.1, 0.03], 7), 'positions');
    const normals = leaf(nearlyUp(12, 0.6, 8), 'normals');
    const nb = buildNeighborhood(positions, { k: 5 });
    expectGrads((p, n) => pcaWeights(p, n, nb, nb.radius, { occlusion: Array.from({ length: 12 }, (_, i) => i % 3) }), [positions, normals]);
  });

  it('gives occluded points less weight: raising o_k on outliers turns the fitted plane toward the visible points', () => {
    // 40 visible points on z = 0 and 20 outliers on the tilted plane z = 0.8 x, all around the origin
    const rng = new Random(11);
    const p: number[] = [0, 0, 0];
    for (let i = 0; i < 40; i++) p.push(rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), 0);
    for (let i = 0; i < 20; i++) {
      const x = rng.uniform(-0.1, 0.1);
      p.push(x, rng.uniform(-0.1, 0.1), 0.8 * x);
    }
    const positions = leaf(new Float64Array(p), 'p', false);
    const nb = buildNeighborhood(positions, { radius: 0.5 });
    const tiltOfPoint0 = (occlusion: number[]) => {
      const n = weightedPca(positions, pcaWeights(positions, null, nb, 0.5, { occlusion }), nb).normals.data;
      return Math.acos(Math.abs(n[2])); // angle between the fitted normal and +z
    };
    const open = Array.from({ length: 61 }, () => 0);
    const outliersHidden = open.map((_, i) => (i > 40 ? 9 : 0));
    const before = tiltOfPoint0(open),
      after = tiltOfPoint0(outliersHidden);
    expect(before, 'the outliers tilt the unweighted plane').to.be.greaterThan(0.1);
    expect(after).to.be.lessThan(before / 3);
  });

  it('rejects bad input', () => {
    const positions = leaf(anisotropic(5, [1, 1, 1], 1), 'p', false);
    const nb = buildNeighborhood(positions, { k: 2 });
    const zero = leaf(new Float64Array(15), 'n', false);
    expect(() => pcaWeights(positions, zero, nb, 1)).to.throw(ArgumentError, /normal 0 has zero length/);
    expect(() => pcaWeights(positions, tensor([[0, 0, 1]], { dtype: 'float64' }), nb, 1)).to.throw(ShapeError, /normals must be an N x 3/);
    expect(() => pcaWeights(positions, null, nb, -1)).to.throw(ArgumentError, /radius/);
    expect(() => pcaWeights(positions, null, nb, 1, { occlusion: [1, 2] })).to.throw(ShapeError, /one count per point/);
    expect(() => pcaWeights(positions, null, nb, 1, { occlusion: [0, 0, NaN, 0, 0] })).to.throw(ArgumentError, /occlusion\[2\]/);
    expect(() => pcaWeights(positions, null, nb, 1, { normalAngle: 0 })).to.throw(ArgumentError, /normalAngle/);
    const nan = fromArray(new Float64Array([NaN, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]), [5, 3]); // fromArray does not validate
    expect(() => pcaWeights(nan, null, nb, 1)).to.throw(/non-finite/);
  });
});

import { expect } from 'chai';
import { rand, tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { buildNeighborhood } from '../../../ops/regularizers/neighborhood.js';
import { mul } from '../../../ops/arithmetic.js';
import { pcaWeights } from '../../../ops/regularizers/pcaWeights.js';
import { weightedPca } from '../../../ops/regularizers/weightedPca.js';
import { expectGrads } from '../../helpers.js';
import { anisotropic, leaf } from './clouds.js';

describe('weightedPca (eq. 16)', () => {
  // 10 points of an anisotropic Gaussian, each the neighbour of all others: every point's
  // eigenvalues are well separated (axis stds 1, 0.5, 0.2)
  const setup = (seed = 1) => {
    const positions = leaf(anisotropic(10, [1, 0.5, 0.2], seed), 'positions');
    const nb = buildNeighborhood(positions, { radius: 100 });
    const weights = rand([nb.indices.length], { dtype: 'float64', low: 0.5, high: 1.5, seed, requiresGrad: true });
    weights.name = 'weights';
    return { positions, nb, weights };
  };

  it('gives each point the covariance of its weighted neighbours, decomposed', () => {
    const { positions, nb, weights } = setup();
    const { eigenvalues, eigenvectors, normals } = weightedPca(positions, weights, nb);
    expect(eigenvalues.shape).to.deep.equal([10, 3]);
    expect(eigenvectors.shape).to.deep.equal([10, 3, 3]);
    // rebuild C_0 by hand and compare with V^T diag(l) V
    const P = positions.data,
      w = weights.data;
    const m = [0, 0, 0];
    for (let e = nb.offsets[0]; e < nb.offsets[1]; e++) for (let a = 0; a < 3; a++) m[a] += w[e] * P[3 * nb.indices[e] + a];
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let c = 0,
          r = 0;
        for (let e = nb.offsets[0]; e < nb.offsets[1]; e++) c += w[e] * (P[3 * nb.indices[e] + a] - m[a]) * (P[3 * nb.indices[e] + b] - m[b]);
        for (let j = 0; j < 3; j++) r += eigenvalues.data[j] * eigenvectors.data[3 * j + a] * eigenvectors.data[3 * j + b];
        expect(r).to.be.closeTo(c, 1e-12);
      }
    }
    for (let i = 0; i < 10; i++) {
      expect(eigenvalues.data[3 * i]).to.be.greaterThan(1.05 * eigenvalues.data[3 * i + 1]);
      expect(eigenvalues.data[3 * i + 1]).to.be.greaterThan(1.05 * eigenvalues.data[3 * i + 2]);
      expect(Array.from(normals.data.slice(3 * i, 3 * i + 3))).to.deep.equal(Array.from(eigenvectors.data.slice(9 * i + 6, 9 * i + 9)));
    }
  });

  it('matches finite differences through the eigenvalues and eigenvectors (positions and weights)', () => {
    const { positions, nb, weights } = setup(2);
    expectGrads(
      (p, w) => {
        const r = weightedPca(p, w, nb);
        return [r.eigenvalues, r.eigenvectors, r.normals];
      },
      [positions, weights],
    );
  });

  it('matches finite differences with the weights of eq. 15 in the chain', () => {
    const { positions, nb } = setup(3);
    expectGrads((p) => weightedPca(p, pcaWeights(p, null, nb, 1.5), nb).normals, [positions]);
  });

  it('detach treats the frame as constant, and a check of it fails (the check can fail)', () => {
    const { positions, nb, weights } = setup(4);
    const r = weightedPca(positions, weights, nb, { detach: true });
    expect(r.normals.requiresGrad).to.equal(false);
    // the identity output keeps the function on the tape; the detached eigenvalues then miss their gradient
    const report = gradcheck((p, w) => [mul(p, 1), weightedPca(p, w, nb, { detach: true }).eigenvalues], [positions, weights], { raise: false });
    expect(report.ok).to.equal(false);
  });

  it('stays finite where eigenvalues coincide (a flat, regular patch)', () => {
    const p = new Float64Array(27);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) p.set([i - 1, j - 1, 0], 3 * (3 * j + i));
    const positions = leaf(p);
    const nb = buildNeighborhood(positions, { radius: 10 });
    const w = pcaWeights(positions, null, nb, 1e3);
    const r = weightedPca(positions, w, nb);
    // point 4 (centre) sees a square: two equal tangent eigenvalues
    expect(r.eigenvalues.data[12]).to.be.closeTo(r.eigenvalues.data[13], 1e-12);
    expect(Math.abs(r.normals.data[14])).to.equal(1);
    r.eigenvectors.backward(tensor(new Float64Array(10 * 27).fill(1).slice(0, 81), { shape: [9, 3, 3] }));
    for (const v of positions.grad!.data) expect(Number.isFinite(v)).to.equal(true);
  });

  it('rejects bad input', () => {
    const { positions, nb, weights } = setup();
    expect(() => weightedPca(tensor([[1, 2]]), weights, nb)).to.throw(ShapeError, /N x 3/);
    expect(() => weightedPca(positions, tensor([1, 2], { dtype: 'float64' }), nb)).to.throw(ShapeError, /weights has 2 values/);
    expect(() => weightedPca(positions, weights, { offsets: new Int32Array(3), indices: new Int32Array(0) })).to.throw(ShapeError, /offsets/);
    const bad = { offsets: nb.offsets, indices: nb.indices.map((k) => k + 100) };
    expect(() => weightedPca(positions, weights, bad)).to.throw(ArgumentError, /not a point index/);
    expect(() => weightedPca(positions, new Float64Array(90) as never, nb)).to.throw(ArgumentError, /tensor/);
  });
});

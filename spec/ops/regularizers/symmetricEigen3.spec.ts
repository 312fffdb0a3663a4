import { expect } from 'chai';
import { Random } from '../../../lib/random.js';
import { symmetricEigen3 } from '../../../ops/regularizers/symmetricEigen3.js';

/** Max |V^T diag(l) V - A| and max |V V^T - I| for a decomposition of A. */
function residuals(A: number[], values: Float64Array, vectors: Float64Array): { reconstruction: number; orthonormality: number } {
  let rec = 0,
    orth = 0;
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let s = 0,
        o = 0;
      for (let j = 0; j < 3; j++) {
        s += values[j] * vectors[3 * j + a] * vectors[3 * j + b];
        o += vectors[3 * a + j] * vectors[3 * b + j];
      }
      rec = Math.max(rec, Math.abs(s - A[3 * a + b]));
      orth = Math.max(orth, Math.abs(o - (a === b ? 1 : 0)));
    }
  }
  return { reconstruction: rec, orthonormality: orth };
}

function decompose(A: number[]) {
  const values = new Float64Array(3),
    vectors = new Float64Array(9);
  symmetricEigen3(A, 0, values, 0, vectors, 0);
  return { values, vectors, ...residuals(A, values, vectors) };
}

describe('symmetricEigen3 (Jacobi, 3 x 3)', () => {
  it('reconstructs random symmetric matrices with sorted eigenvalues and orthonormal vectors', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 200; trial++) {
      const s = 10 ** rng.uniform(-6, 3);
      const [a, b, c, d, e, f] = Array.from({ length: 6 }, () => s * rng.normal());
      const A = [a, b, c, b, d, e, c, e, f];
      const r = decompose(A);
      expect(r.reconstruction).to.be.lessThan(1e-13 * s * 10);
      expect(r.orthonormality).to.be.lessThan(1e-13);
      expect(r.values[0]).to.be.at.least(r.values[1]);
      expect(r.values[1]).to.be.at.least(r.values[2]);
    }
  });

  it('handles repeated, zero and rank-one spectra (the flat and line-like neighbourhoods)', () => {
    for (const A of [
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 0, 0, 0, 2, 0, 0, 0, 2],
      [1, 1, 1, 1, 1, 1, 1, 1, 1], // rank one: eigenvalues 3, 0, 0
      [1, 0, 0, 0, 1, 0, 0, 0, 0], // a flat patch in z = 0: normal +z exactly
      [4, 1e-12, 0, 1e-12, 4, 0, 0, 0, 1e-9],
    ]) {
      const r = decompose(A);
      expect(r.reconstruction, `A = ${A}`).to.be.lessThan(1e-14);
      expect(r.orthonormality, `A = ${A}`).to.be.lessThan(1e-14);
    }
    expect(Array.from(decompose([1, 1, 1, 1, 1, 1, 1, 1, 1]).values).map((v) => +v.toFixed(12))).to.deep.equal([3, 0, 0]);
    expect(Array.from(decompose([1, 0, 0, 0, 1, 0, 0, 0, 0]).vectors.slice(6))).to.deep.equal([0, 0, 1]);
  });

  it('signs each eigenvector so its largest component is positive', () => {
    const r = decompose([0, 0, 0, 0, 1, 0, 0, 0, 3]);
    expect(Array.from(r.values)).to.deep.equal([3, 1, 0]);
    expect(Array.from(r.vectors)).to.deep.equal([0, 0, 1, 0, 1, 0, 1, 0, 0]);
  });
});

import { expect } from 'chai';
import { fitGaussians, metaballDensity, metaballMesh, metaballsFromMixture, precisionMatrix, sampleMetaballs } from '../../geometry/gaussianMixture.js';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';

/** A known three-component mixture, as metaball parameters (log-weights = log mixing weights + log |det U|, so masses are the weights). */
function knownMixture() {
  const means = [
    [0, 0, 0],
    [3, 0, 0],
    [0, 3, 1],
  ];
  // covariances diag(0.2^2, 0.3^2, 0.1^2), a sheared one, and an isotropic one
  const covariances = [
    [0.04, 0, 0, 0, 0.09, 0, 0, 0, 0.01],
    [0.09, 0.03, 0, 0.03, 0.04, 0.01, 0, 0.01, 0.06],
    [0.05, 0, 0, 0, 0.05, 0, 0, 0, 0.05],
  ];
  const weights = [0.5, 0.3, 0.2];
  const fm = metaballsFromMixture({ means: Float64Array.from(means.flat()), covariances: Float64Array.from(covariances.flat()), weights: Float64Array.from(weights) });
  // sampleMetaballs draws components by exp(lambda) / |det U|: fold the determinants in
  for (let k = 0; k < 3; k++) {
    const u = fm.precisions.subarray(6 * k, 6 * k + 6);
    fm.logWeights[k] += Math.log(u[0] * u[3] * u[5]);
  }
  return { means, covariances, weights, fm };
}

describe('Gaussian mixtures', () => {
  it('metaballsFromMixture gives an upper-triangular U with U U^T = Sigma^-1', () => {
    const { covariances, fm } = knownMixture();
    covariances.forEach((cov, k) => {
      const S = precisionMatrix(fm.precisions, 6 * k);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let v = 0;
          for (let l = 0; l < 3; l++) v += S[3 * i + l] * cov[3 * l + j];
          expect(v).to.be.closeTo(i === j ? 1 : 0, 1e-12);
        }
      }
      expect(fm.precisions[6 * k]).to.be.greaterThan(0);
    });
  });

  it('EM from a seeded k-means++ start recovers a known mixture from its samples', () => {
    const { means, covariances, weights, fm } = knownMixture();
    const points = sampleMetaballs(fm, 6000, 4);
    const fit = fitGaussians(points, 3, { seed: 1 });
    expect(fit.converged).to.equal(true);
    means.forEach((mu, k) => {
      // the fitted component nearest to this mean
      let best = 0,
        bestD = Infinity;
      for (let j = 0; j < 3; j++) {
        const d = Math.hypot(...[0, 1, 2].map((c) => fit.means[3 * j + c] - mu[c]));
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      expect(bestD, `mean ${k}`).to.be.lessThan(0.03);
      expect(fit.weights[best], `weight ${k}`).to.be.closeTo(weights[k], 0.03);
      for (let e = 0; e < 9; e++) expect(fit.covariances[9 * best + e], `covariance ${k}[${e}]`).to.be.closeTo(covariances[k][e], 0.1 * 0.09);
    });
  });

  it('is deterministic for a seed', () => {
    const points = sampleMetaballs(knownMixture().fm, 1500, 2);
    const a = fitGaussians(points, 4, { seed: 3 });
    const b = fitGaussians(points, 4, { seed: 3 });
    expect(Array.from(a.means)).to.deep.equal(Array.from(b.means));
  });

  it('metaballDensity sums exp(lambda - s / 2): at a lone mean it is exp(lambda)', () => {
    const fm = { means: Float64Array.from([0, 0, 0]), precisions: Float64Array.from([2, 0, 0, 2, 0, 2]), logWeights: Float64Array.from([0.3]) };
    const rho = metaballDensity(fm, [0, 0, 0, 0.5, 0, 0]);
    expect(rho[0]).to.be.closeTo(Math.exp(0.3), 1e-12);
    expect(rho[1]).to.be.closeTo(Math.exp(0.3 - 0.5 * 4 * 0.25), 1e-12);
  });

  it('metaballMesh extracts the density level ln 2: for one isotropic Gaussian, a sphere of radius sqrt(-2 ln ln 2) / u', () => {
    const u = 4;
    const fm = { means: Float64Array.from([0.1, -0.2, 0.3]), precisions: Float64Array.from([u, 0, 0, u, 0, u]), logWeights: Float64Array.from([0]) };
    const mesh = metaballMesh(fm, { resolution: 48 });
    const want = Math.sqrt(-2 * Math.log(Math.LN2)) / u;
    expect(mesh.faces.length).to.be.greaterThan(300);
    for (let i = 0; i < mesh.positions.length; i += 3) {
      const r = Math.hypot(mesh.positions[i] - 0.1, mesh.positions[i + 1] + 0.2, mesh.positions[i + 2] - 0.3);
      expect(r).to.be.closeTo(want, 0.02 * want);
    }
    // nothing reaches the level: an empty mesh
    expect(metaballMesh({ ...fm, logWeights: Float64Array.from([-5]) }).faces.length).to.equal(0);
  });

  it('refuses what cannot be fitted', () => {
    expect(() => fitGaussians([0, 0, 0, 1, 1, 1], 0)).to.throw(ArgumentError, /K must be/);
    expect(() => fitGaussians([0, 0, 0, 1, 1, 1], 3)).to.throw(ArgumentError, /2 points cannot seed 3/);
    expect(() => fitGaussians([0, 0, NaN], 1)).to.throw(NonFiniteError);
    expect(() => fitGaussians([0, 0], 1)).to.throw(/multiple of 3/);
  });
});

// No NaN anywhere: rays parallel to a flat Gaussian, Gaussians behind the camera or around it,
// a single Gaussian, pixels no Gaussian reaches. Images and gradients stay finite, and the fast
// path still agrees with the twin.

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { firstNonFinite } from '../../../lib/errors.js';
import { backward } from '../../../lib/tape.js';
import { fuzzyMetaballs } from '../../../ops/metaballs/fuzzyMetaballs.js';
import { fuzzyMetaballsReference } from '../../../ops/metaballs/fuzzyMetaballsReference.js';
import type { MetaballOptions, Metaballs } from '../../../ops/metaballs/options.js';
import { frontCamera, poseOf } from './scenes.js';

function metaballs(means: number[][], precisions: number[][], logWeights: number[]): Metaballs {
  const o = { dtype: 'float64' as const, requiresGrad: true };
  return { means: tensor(means, o), precisions: tensor(precisions, o), logWeights: tensor(logWeights, o) };
}

/** Renders with both paths, backpropagates ones from every output, and checks everything is finite and the paths agree. */
function expectFinite(make: () => Metaballs, options: MetaballOptions = {}): { alpha: number[] } {
  const camera = frontCamera(20, 16);
  const results = [fuzzyMetaballs, fuzzyMetaballsReference].map((render) => {
    const fm = make();
    const pose = poseOf(camera);
    const r = render(fm, camera, { scale: 1, threads: 1, ...options, pose });
    for (const t of [r.depth, r.alpha, r.normal]) expect(firstNonFinite(t.data), 'image value').to.equal(-1);
    backward(
      [r.depth, r.alpha, r.normal],
      [r.depth, r.alpha, r.normal].map((t) => new Float64Array(t.size).fill(1)),
    );
    const grads = [fm.means, fm.precisions, fm.logWeights, pose.R, pose.t].map((t) => Array.from(t.grad?.data ?? []));
    for (const g of grads) expect(firstNonFinite(g), 'gradient').to.equal(-1);
    return { r, grads };
  });
  const [fast, twin] = results;
  for (const k of ['depth', 'alpha', 'normal'] as const) {
    for (let i = 0; i < fast.r[k].size; i++) expect(fast.r[k].data[i]).to.be.closeTo(twin.r[k].data[i], 1e-8 * (1 + Math.abs(twin.r[k].data[i])));
  }
  return { alpha: Array.from(fast.r.alpha.data) };
}

describe('fuzzyMetaballs on degenerate inputs', () => {
  it('renders one Gaussian (K = 1)', () => {
    const { alpha } = expectFinite(() => metaballs([[0, 0, 0]], [[4, 0, 0, 4, 0, 4]], [0.5]));
    expect(Math.max(...alpha)).to.be.greaterThan(0.5);
    expect(Math.min(...alpha)).to.be.lessThan(1e-6); // the corners see (almost) nothing
  });

  it('survives rays parallel to a flat Gaussian (precision 1e4 across the plane, 1e-4 along the rays)', () => {
    // thin in x, the rays of the middle column run along its plane (along -z)
    const { alpha } = expectFinite(() => metaballs([[0, 0, 0]], [[100, 0, 0, 3, 0, 0.01]], [0]));
    expect(Math.max(...alpha)).to.be.greaterThan(0.3);
  });

  it('survives a Gaussian behind the camera (hard front test: it is absent; sigmoid: it counts softly)', () => {
    const make = () =>
      metaballs(
        [
          [0, 0, 5],
          [0, 0, 0],
        ],
        [
          [3, 0, 0, 3, 0, 3],
          [5, 1, 0, 5, 0, 5],
        ],
        [1, 0],
      );
    expectFinite(make);
    expectFinite(make, { front: 'sigmoid', betas: { beta1: 2 } });
  });

  it('survives the camera inside a Gaussian, and one exactly at the camera centre', () => {
    const make = () =>
      metaballs(
        [
          [0, 0, 2.9],
          [0, 0, 3],
        ],
        [
          [0.5, 0, 0, 0.5, 0, 0.5],
          [2, 0, 0, 2, 0, 2],
        ],
        [0, -1],
      );
    expectFinite(make);
    expectFinite(make, { front: 'sigmoid' });
  });

  it('gives background (alpha 0, depth 0, normal 0) where no Gaussian reaches, with a zero gradient', () => {
    const camera = frontCamera(20, 16);
    const fm = metaballs([[0.9, 0.7, 0]], [[15, 0, 0, 15, 0, 15]], [1]);
    const r = fuzzyMetaballs(fm, camera, { scale: 1, threads: 1 });
    // pixel (0, 15), bottom left, is far from the Gaussian near the top right
    const p = 15 * 20;
    expect(r.alpha.data[p]).to.equal(0);
    expect(r.depth.data[p]).to.equal(0);
    expect(Array.from(r.normal.data.subarray(3 * p, 3 * p + 3))).to.deep.equal([0, 0, 0]);
    expect(Math.max(...r.alpha.data)).to.be.greaterThan(0.3);
    // the corner pixel sends nothing back
    const seed = new Float64Array(r.alpha.size);
    seed[p] = 1;
    backward([r.alpha, r.depth], [seed, seed]);
    expect(Array.from(fm.means.grad!.data)).to.deep.equal([0, 0, 0]);
  });

  it('renders Gaussians with negative diagonal entries in U (only U U^T matters)', () => {
    expectFinite(() => metaballs([[0.1, 0, 0]], [[-4, 1, 0, 4, 0, -4]], [0.5]));
  });
});

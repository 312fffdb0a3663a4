// Bad inputs get typed errors that name the argument and the fix.

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { fuzzyMetaballs } from '../../../ops/metaballs/fuzzyMetaballs.js';
import { fuzzyMetaballsReference } from '../../../ops/metaballs/fuzzyMetaballsReference.js';
import type { MetaballOptions, Metaballs } from '../../../ops/metaballs/options.js';
import { frontCamera, randomMetaballs } from './scenes.js';

const camera = frontCamera(8, 6);

function expectThrows(fm: Metaballs, options: MetaballOptions, type: new (...a: never[]) => Error, pattern: RegExp): void {
  for (const render of [fuzzyMetaballs, fuzzyMetaballsReference]) expect(() => render(fm, camera, options)).to.throw(type, pattern);
}

describe('fuzzyMetaballs input errors', () => {
  const good = () => randomMetaballs(3, 1, 'float64', false);

  it('refuses K = 0', () => {
    const fm = { means: tensor(new Float64Array(0), { shape: [0, 3] }), precisions: tensor(new Float64Array(0), { shape: [0, 6] }), logWeights: tensor(new Float64Array(0), { shape: [0] }) };
    expectThrows(fm, {}, ArgumentError, /K = 0/);
  });

  it('refuses a precision factor with a zero on its diagonal (not positive definite)', () => {
    const fm = good();
    fm.precisions.data[6 + 3] = 0;
    expectThrows(fm, {}, ArgumentError, /precisions\[1\] has u11 = 0.*not positive definite/);
  });

  it('refuses mismatched shapes, naming the tensor', () => {
    expectThrows({ ...good(), precisions: tensor(new Float64Array(12), { shape: [2, 6] }) }, {}, ShapeError, /metaballs.precisions has shape \[2,6\] but must be \[3,6\]/);
    expectThrows({ ...good(), logWeights: tensor(new Float64Array(3), { shape: [3, 1] }) }, {}, ShapeError, /logWeights/);
    expectThrows({ ...good(), means: tensor(new Float64Array(6), { shape: [3, 2] }) }, {}, ShapeError, /means has shape \[3,2\] but must be \[K, 3\]/);
    expectThrows(good(), { pose: { R: tensor(new Float64Array(9), { shape: [9] }), t: tensor(new Float64Array(3)) } }, ShapeError, /pose.R/);
  });

  it('refuses non-finite values, mixed dtypes and log-weights that would overflow', () => {
    const fm = good();
    fm.means.data[2] = NaN;
    expectThrows(fm, {}, NonFiniteError, /metaballs.means/);
    expectThrows({ ...good(), logWeights: tensor([0, 0, 0], { dtype: 'float32' }) }, {}, ArgumentError, /float32/);
    expectThrows({ ...good(), logWeights: tensor([0, 800, 0], { dtype: 'float64' }) }, {}, ArgumentError, /logWeights\[1\] = 800/);
  });

  it('refuses bad options', () => {
    expectThrows(good(), { scale: -1 }, ArgumentError, /options.scale/);
    expectThrows(good(), { front: 'soft' as never }, ArgumentError, /options.front/);
    expectThrows(good(), { alpha: 'linear' as never }, ArgumentError, /options.alpha/);
    expectThrows(good(), { cutoff: 0 }, ArgumentError, /options.cutoff/);
    expectThrows(good(), { betas: { gamma: 1 } as never }, ArgumentError, /options.betas.gamma/);
    expectThrows(good(), { betas: { beta2: NaN } }, ArgumentError, /options.betas.beta2/);
    expect(() => fuzzyMetaballs(good(), camera, { threads: 0 })).to.throw(ArgumentError, /threads/);
  });
});

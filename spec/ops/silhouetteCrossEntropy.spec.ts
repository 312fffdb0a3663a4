import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ShapeError } from '../../lib/errors.js';
import { relativeDepthError, silhouetteCrossEntropy } from '../../ops/losses/silhouetteCrossEntropy.js';
import { expectGrads } from '../helpers.js';

describe('silhouetteCrossEntropy and relativeDepthError (docs/fm.md eq. 11-12)', () => {
  it('computes eq. 11 with the clip, and its gradient', () => {
    const alpha = tensor([0.2, 0.9, 0.5, 1e-9], { dtype: 'float64', requiresGrad: true });
    const mask = [1, 0, 0.3, 1];
    const value = silhouetteCrossEntropy(alpha, mask).item();
    const want = -(Math.log(0.2) + Math.log(0.1) + 0.3 * Math.log(0.5) + 0.7 * Math.log(0.5) + Math.log(1e-6)) / 4;
    expect(value).to.be.closeTo(want, 1e-12);
    // the clipped pixel (1e-9 < 1e-6) carries no gradient; the others do
    expectGrads((a) => silhouetteCrossEntropy(a, mask), [alpha], { eps: 1e-8 });
    alpha.grad = null;
    silhouetteCrossEntropy(alpha, mask).backward();
    expect(alpha.grad!.data[3]).to.equal(0);
  });

  it('computes eq. 12 over the valid pixels, scale-free, squared or absolute', () => {
    const depth = tensor([2.1, 1.8, 5, 2], { dtype: 'float64', requiresGrad: true });
    const target = [2, 2, 0, 2],
      valid = [1, 1, 0, 1];
    expect(relativeDepthError(depth, target, valid).item()).to.be.closeTo((0.05 ** 2 + 0.1 ** 2 + 0) / 4, 1e-12);
    expect(relativeDepthError(depth, target, valid, 1).item()).to.be.closeTo((0.05 + 0.1) / 4, 1e-12);
    expectGrads((z) => relativeDepthError(z, target, valid), [depth]);
    expect(() => relativeDepthError(depth, [1, 2], valid)).to.throw(ShapeError, /target has 2 values/);
  });
});

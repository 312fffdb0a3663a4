// SMAPE and the other image losses (docs/dss.md §5, eq. 7).
import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { imageLoss } from '../../ops/losses/imageLoss.js';
import { expectGrads, param } from '../helpers.js';

describe('image losses (eq. 7)', () => {
  const target = tensor(
    [
      [
        [0.2, 0.5, 0.9],
        [0, 0.3, 1],
      ],
    ],
    { dtype: 'float64' },
  );

  it('computes SMAPE, L1 and L2 by hand', () => {
    const image = tensor(
      [
        [
          [0.4, 0.5, 0.6],
          [0.1, 0.3, 1],
        ],
      ],
      { dtype: 'float64' },
    );
    const smape = (0.2 / (0.6 + 0.01) + 0.3 / (1.5 + 0.01) + 0.1 / (0.1 + 0.01)) / 2;
    expect(imageLoss(image, target).item()).to.be.closeTo(smape, 1e-12);
    expect(imageLoss(image, target, 'l1').item()).to.be.closeTo((0.2 + 0.3 + 0.1) / 2, 1e-12);
    expect(imageLoss(image, target, 'l2').item()).to.be.closeTo((0.04 + 0.09 + 0.01) / 2, 1e-12);
    expect(imageLoss(target, target).item()).to.equal(0);
  });

  for (const kind of ['smape', 'l1', 'l2'] as const) {
    it(`${kind} matches finite differences`, () => {
      const image = param([1, 2, 3], 7, { std: 0.3, mean: 0.5 });
      expectGrads((i) => imageLoss(i, target, kind), [image]);
    });
  }

  it('rejects mismatched sizes and unknown kinds', () => {
    expect(() => imageLoss(tensor([[[1]]]), target)).to.throw(ShapeError, /differ in size/);
    expect(() => imageLoss(target, target, 'l3' as 'l1')).to.throw(ArgumentError, /kind/);
  });
});

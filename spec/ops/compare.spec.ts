import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { NonFiniteError, ShapeError } from '../../lib/errors.js';
import { eq, ge, gt, le, lt } from '../../ops/compare.js';
import '../../ops/methods.js';
import { relu } from '../../ops/unary.js';
import { where } from '../../ops/where.js';

describe('comparisons', () => {
  const x = tensor([-1, 0, 2], { dtype: 'float64' });

  it('give 0/1 masks in the operands dtype, as functions and as methods', () => {
    expect(Array.from(gt(x, 0).data)).to.deep.equal([0, 0, 1]);
    expect(Array.from(ge(x, 0).data)).to.deep.equal([0, 1, 1]);
    expect(Array.from(lt(x, 0).data)).to.deep.equal([1, 0, 0]);
    expect(Array.from(le(x, 0).data)).to.deep.equal([1, 1, 0]);
    expect(Array.from(eq(x, 0).data)).to.deep.equal([0, 1, 0]);
    expect(Array.from(x.gt(0).data)).to.deep.equal([0, 0, 1]);
    expect(Array.from(x.le(x).data)).to.deep.equal([1, 1, 1]);
    expect(gt(x, 0).dtype).to.equal('float64');
    expect(gt(1, x).requiresGrad).to.equal(false);
  });

  it('broadcast, and where takes their masks directly', () => {
    const rows = tensor([[1], [3]]); // [2, 1]
    const m = gt(rows, tensor([0, 2, 4])); // [2, 3]
    expect(m.shape).to.deep.equal([2, 3]);
    expect(m.toArray()).to.deep.equal([
      [1, 0, 0],
      [1, 1, 0],
    ]);
    const v = tensor([-2, 0.5, 3, -0.1], { dtype: 'float64', requiresGrad: true });
    const y = where(v.gt(0), v, 0);
    expect(Array.from(y.data)).to.deep.equal(Array.from(relu(v).data));
    y.sum().backward();
    expect(Array.from(v.grad!.data)).to.deep.equal([0, 1, 1, 0]);
  });

  it('refuse NaN and shapes that do not broadcast, naming the operand', () => {
    expect(() => gt(tensor([1, Number.NaN], { allowNonFinite: true }), 0)).to.throw(NonFiniteError, /gt: a holds NaN at flat index 1/);
    expect(() => lt(tensor([1, 2]), tensor([1, 2, 3]))).to.throw(ShapeError);
  });
});

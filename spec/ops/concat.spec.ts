import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, DTypeError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { concat, stack } from '../../ops/concat.js';
import { expectGrads, param } from '../helpers.js';

describe('concat', () => {
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);
  const b = tensor([[5, 6]]);
  const c = tensor([[7], [8]]);

  it('joins along an existing axis', () => {
    expect(concat([a, b]).toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([a, c], 1).toArray()).to.deep.equal([
      [1, 2, 7],
      [3, 4, 8],
    ]);
    expect(concat([c, a, c], -1).toArray()).to.deep.equal([
      [7, 1, 2, 7],
      [8, 3, 4, 8],
    ]);
  });

  it('splits the gradient back to each input, also when one input repeats', () => {
    const x = param([2, 3, 2], 1),
      y = param([2, 1, 2], 2),
      z = param([2, 4, 2], 3);
    expectGrads((p, q, r) => concat([p, q, r], 1), [x, y, z]);
    expectGrads((p, q) => concat([p, q, p], 0), [param([1, 3], 4), param([2, 3], 5)]);
    expectGrads((p, q) => concat([p, q], -1), [param([2, 2], 6), param([2, 3], 7)]);
  });

  it('skips inputs that need no gradient', () => {
    const x = param([2, 2]);
    const y = tensor([[1, 1]], { dtype: 'float64' });
    concat([x, y]).backward(new Float64Array(6).fill(2));
    expect(Array.from(x.grad!.data)).to.deep.equal([2, 2, 2, 2]);
    expect(y.grad).to.equal(null);
  });

  it('rejects mismatched shapes, bad axes, empty lists and mixed dtypes', () => {
    expect(() => concat([a, c])).to.throw(ShapeError, /tensors\[1\] has shape \[2,1\] but tensors\[0\] has \[2,2\].*except axis 0/);
    expect(() => concat([a, tensor([1, 2])])).to.throw(ShapeError, /tensors\[1\]/);
    expect(() => concat([a, b], 2)).to.throw(ShapeError, /axis 2 is out of range/);
    expect(() => concat([])).to.throw(ArgumentError, /non-empty array/);
    expect(() => concat([a, 3 as unknown as Tensor])).to.throw(ArgumentError, /tensors\[1\] is not a Tensor/);
    expect(() => concat([tensor(1)])).to.throw(ShapeError, /0-d/);
    expect(() => concat([a, tensor([[1, 2]], { dtype: 'float64' })])).to.throw(DTypeError);
  });
});

describe('stack', () => {
  it('joins along a new axis', () => {
    const x = tensor([1, 2, 3]),
      y = tensor([4, 5, 6]);
    expect(stack([x, y]).toArray()).to.deep.equal([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(stack([x, y], 1).toArray()).to.deep.equal([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(stack([x, y], -1).shape).to.deep.equal([3, 2]);
    expect(stack([tensor(1), tensor(2)]).toArray()).to.deep.equal([1, 2]);
  });

  it('has the gradient of each slice', () => {
    expectGrads((p, q) => stack([p, q], 1), [param([2, 3], 1), param([2, 3], 2)]);
    expectGrads((p, q) => stack([p, q, p], 0), [param([3], 3), param([3], 4)]);
  });

  it('rejects different shapes and bad axes', () => {
    expect(() => stack([tensor([1, 2]), tensor([1, 2, 3])])).to.throw(ShapeError, /tensors\[1\] has shape \[3\].*same shape/);
    expect(() => stack([tensor([1, 2])], 2)).to.throw(ShapeError, /axis 2 is out of range/);
    expect(() => stack([])).to.throw(ArgumentError);
  });
});

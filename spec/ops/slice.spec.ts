import { expect } from 'chai';
import { arange, tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { narrow, slice } from '../../ops/slice.js';
import { expectGrads, param } from '../helpers.js';

describe('slice', () => {
  const x = tensor(arange(12).data, { shape: [3, 4] });

  it('takes the box at begin of the given size', () => {
    expect(slice(x, [1, 1], [2, 2]).toArray()).to.deep.equal([
      [5, 6],
      [9, 10],
    ]);
    expect(slice(x, [0, 3], [3, 1]).toArray()).to.deep.equal([[3], [7], [11]]);
  });

  it('counts negative begins from the end, size -1 to the end, and missing axes whole', () => {
    expect(slice(x, [-1], [1]).toArray()).to.deep.equal([[8, 9, 10, 11]]);
    expect(slice(x, [1, -2], [-1, -1]).toArray()).to.deep.equal([
      [6, 7],
      [10, 11],
    ]);
    expect(slice(x, [2]).toArray()).to.deep.equal([[8, 9, 10, 11]]);
    expect(slice(x, [0, 4], [3, 0]).shape).to.deep.equal([3, 0]);
  });

  it('routes the gradient to the sliced elements only', () => {
    const p = param([3, 4, 2]);
    expectGrads((t) => slice(t, [1, -3, 0], [2, 2, 1]), [p]);
    const y = slice(p, [1, 1], [1, 2]);
    p.grad = null;
    y.backward(new Float64Array(4).fill(1));
    const touched = Array.from(p.grad!.data)
      .map((v, i) => (v ? i : -1))
      .filter((i) => i >= 0);
    expect(touched).to.deep.equal([10, 11, 12, 13]);
  });

  it('throws when the box leaves the tensor, naming the axis', () => {
    expect(() => slice(x, [4, 0], [0, 1])).to.throw(ArgumentError, /begin\[0\] = 4 .* axis 0 of size 3/);
    expect(() => slice(x, [3, 0], [1, 1])).to.throw(ArgumentError, /size\[0\] = 1 starting at 3/);
    expect(() => slice(x, [0, -5])).to.throw(ArgumentError, /begin\[1\] = -5/);
    expect(() => slice(x, [0, 2], [1, 3])).to.throw(ArgumentError, /size\[1\] = 3 starting at 2 runs past axis 1 of size 4/);
    expect(() => slice(x, [0, 0], [1, -2])).to.throw(ArgumentError, /size\[1\] = -2/);
    expect(() => slice(x, [0, 0, 0])).to.throw(ShapeError, /at most 2 entries/);
    expect(() => slice(x, 1 as unknown as number[])).to.throw(ArgumentError, /begin and size must be arrays/);
  });
});

describe('narrow', () => {
  it('slices one axis', () => {
    const x = tensor(arange(12).data, { shape: [3, 4] });
    expect(narrow(x, 1, 1, 2).toArray()).to.deep.equal([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(narrow(x, -2, -1, 1).toArray()).to.deep.equal([[8, 9, 10, 11]]);
    expectGrads((t) => narrow(t, 0, 1, 2), [param([3, 2])]);
    expect(() => narrow(x, 2, 0, 1)).to.throw(ShapeError, /axis 2 is out of range/);
  });
});

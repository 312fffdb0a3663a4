import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { mul } from '../../ops/arithmetic.js';
import { flatten, reshape, squeeze, unsqueeze } from '../../ops/reshape.js';
import { expectGrads, param } from '../helpers.js';

describe('reshape', () => {
  it('keeps the row-major order and shares storage', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = reshape(x, [3, 2]);
    expect(y.shape).to.deep.equal([3, 2]);
    expect(y.toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(y.data).to.equal(x.data);
  });

  it('infers one -1 dimension', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(reshape(x, [-1, 3]).shape).to.deep.equal([2, 3]);
    expect(reshape(x, [2, 1, -1]).shape).to.deep.equal([2, 1, 3]);
    expect(reshape(tensor([5]), []).shape).to.deep.equal([]);
  });

  it('passes the gradient through unchanged', () => {
    const x = param([2, 3, 2]);
    expectGrads((t) => mul(reshape(t, [3, -1]), reshape(t, [3, 4])), [x]);
    const y = reshape(x, [12]);
    y.backward(new Float64Array(12).map((_, i) => i));
    expect(Array.from(x.grad!.data)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('rejects shapes with the wrong element count, two -1s or bad entries', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(() => reshape(x, [4, 2])).to.throw(ShapeError, /\[4,2\].*8 elements/);
    expect(() => reshape(x, [-1, -1])).to.throw(ShapeError, /more than one -1/);
    expect(() => reshape(x, [4, -1])).to.throw(ShapeError, /cannot infer/);
    expect(() => reshape(x, [0, -1])).to.throw(ShapeError, /cannot infer/);
    expect(() => reshape(x, [2, 1.5])).to.throw(ShapeError, /shape\[1\] is 1.5/);
    expect(() => reshape(x, 6 as unknown as number[])).to.throw(ArgumentError, /shape must be an array/);
  });
});

describe('flatten, squeeze, unsqueeze', () => {
  it('flatten merges a range of axes', () => {
    const x = param([2, 3, 4]);
    expect(flatten(x).shape).to.deep.equal([24]);
    expect(flatten(x, 1).shape).to.deep.equal([2, 12]);
    expect(flatten(x, 0, 1).shape).to.deep.equal([6, 4]);
    expect(flatten(tensor(3)).shape).to.deep.equal([1]);
    expect(() => flatten(x, 2, 1)).to.throw(ShapeError, /endDim 1 comes before startDim 2/);
    expect(() => flatten(x, 3)).to.throw(ShapeError, /startDim 3 is out of range/);
    expectGrads((t) => flatten(t, 1), [param([2, 2, 2])]);
  });

  it('squeeze removes size-1 axes, one or all', () => {
    const x = param([1, 3, 1, 2]);
    expect(squeeze(x).shape).to.deep.equal([3, 2]);
    expect(squeeze(x, 2).shape).to.deep.equal([1, 3, 2]);
    expect(squeeze(x, -4).shape).to.deep.equal([3, 1, 2]);
    expect(() => squeeze(x, 1)).to.throw(ShapeError, /axis 1 .* has size 3, not 1/);
    expectGrads((t) => squeeze(t), [x]);
  });

  it('unsqueeze inserts a size-1 axis, negative axes counting from the end of the result', () => {
    const x = param([3, 2]);
    expect(unsqueeze(x, 0).shape).to.deep.equal([1, 3, 2]);
    expect(unsqueeze(x, 2).shape).to.deep.equal([3, 2, 1]);
    expect(unsqueeze(x, -1).shape).to.deep.equal([3, 2, 1]);
    expect(unsqueeze(x, -3).shape).to.deep.equal([1, 3, 2]);
    expect(() => unsqueeze(x, 3)).to.throw(ShapeError, /axis 3 is out of range/);
    expectGrads((t) => unsqueeze(t, 1), [x]);
  });
});

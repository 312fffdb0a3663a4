import { expect } from 'chai';
import { arange, tensor } from '../../lib/create.js';
import { ShapeError } from '../../lib/errors.js';
import { permute, transpose } from '../../ops/permute.js';
import { expectGrads, param } from '../helpers.js';

describe('permute', () => {
  it('moves axes: output axis i is input axis dims[i]', () => {
    const x = tensor(arange(24).data, { shape: [2, 3, 4] });
    const y = permute(x, [2, 0, 1]);
    expect(y.shape).to.deep.equal([4, 2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(y.get(k, i, j)).to.equal(x.get(i, j, k));
    expect(permute(x, [-1, 0, 1]).shape).to.deep.equal([4, 2, 3]);
  });

  it('has the inverse permutation as its gradient', () => {
    expectGrads((t) => permute(t, [1, 2, 0]), [param([2, 3, 4])]);
    expectGrads((t) => permute(t, [0, 1]), [param([3, 2])]);
  });

  it('rejects dims that are not a permutation', () => {
    const x = param([2, 3, 4]);
    expect(() => permute(x, [0, 1])).to.throw(ShapeError, /each of the 3 axes/);
    expect(() => permute(x, [0, 1, 1])).to.throw(ShapeError, /names axis 1 twice/);
    expect(() => permute(x, [0, 1, 3])).to.throw(ShapeError, /dims\[2\] 3 is out of range/);
  });
});

describe('transpose', () => {
  it('swaps the last two axes by default', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(x).toArray()).to.deep.equal([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const b = param([5, 2, 3]);
    expect(transpose(b).shape).to.deep.equal([5, 3, 2]);
    expect(transpose(b, 0, 2).shape).to.deep.equal([3, 2, 5]);
    expectGrads((t) => transpose(t), [b]);
    expectGrads((t) => transpose(t, 0, 2), [b]);
  });

  it('names the bad axis', () => {
    expect(() => transpose(param([3]))).to.throw(ShapeError, /dim0 -2 is out of range/);
    expect(() => transpose(param([3, 2]), 0, 2)).to.throw(ShapeError, /dim1 2 is out of range/);
  });
});

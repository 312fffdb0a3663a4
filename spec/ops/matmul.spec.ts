import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ShapeError } from '../../lib/errors.js';
import { matmul } from '../../ops/matmul.js';
import { expectGrads, param } from '../helpers.js';

describe('matmul', () => {
  it('multiplies 2-d matrices', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [1, 0],
      [0, 1],
      [2, -1],
    ]);
    expect(matmul(a, b).toArray()).to.deep.equal([
      [7, -1],
      [16, -1],
    ]);
  });

  it('treats 1-d operands as a row / a column and drops that dimension', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    const v = tensor([1, -1]);
    expect(matmul(m, v).toArray()).to.deep.equal([-1, -1]);
    expect(matmul(v, m).toArray()).to.deep.equal([-2, -2]);
    expect(matmul(v, v).shape).to.deep.equal([]);
    expect(matmul(v, v).item()).to.equal(2);
    expect(
      matmul(
        tensor([
          [
            [1, 0],
            [0, 2],
          ],
        ]),
        v,
      ).toArray(),
    ).to.deep.equal([[1, -2]]);
  });

  it('broadcasts batch dimensions', () => {
    const rot = tensor([
      [
        [0, -1],
        [1, 0],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ]); // [2, 2, 2]
    const pts = tensor([[1], [2]]); // [2, 1], broadcast over the batch
    expect(matmul(rot, pts).toArray()).to.deep.equal([
      [[-2], [1]],
      [[1], [2]],
    ]);
    expect(matmul(param([4, 1, 2, 3]), param([5, 3, 2])).shape).to.deep.equal([4, 5, 2, 2]);
  });

  it('has gradients G B^T and A^T G, summed over broadcast batches', () => {
    expectGrads(matmul, [param([2, 3], 1), param([3, 4], 2)]);
    expectGrads(matmul, [param([3, 3], 3), param([3, 3], 4)]);
    expectGrads(matmul, [param([2, 1, 2, 3], 5), param([4, 3, 2], 6)]);
    expectGrads(matmul, [param([4, 2, 3], 7), param([3, 1], 8)]);
    expectGrads(matmul, [param([3], 9), param([2, 3, 2], 10)]);
    expectGrads(matmul, [param([3, 2], 11), param([2], 12)]);
    expectGrads(matmul, [param([3], 13), param([3], 14)]);
  });

  it('only computes the gradients that are needed', () => {
    const a = tensor([[1, 2]], { dtype: 'float64' });
    const b = param([2, 1]);
    matmul(a, b).backward(new Float64Array([1]));
    expect(Array.from(b.grad!.data)).to.deep.equal([1, 2]);
    expect(a.grad).to.equal(null);
  });

  it('names the mismatched dimensions', () => {
    expect(() => matmul(param([2, 3]), param([2, 3]))).to.throw(ShapeError, /a's last dimension \(3\) must equal b's second-to-last dimension \(2\)/);
    expect(() => matmul(param([2, 3]), param([2]))).to.throw(ShapeError, /b's length \(2\)/);
    expect(() => matmul(param([2, 2, 3]), param([3, 3, 1]))).to.throw(ShapeError, /cannot broadcast a \(batch dimensions\)/);
    expect(() => matmul(tensor(2), param([2]))).to.throw(ShapeError, /at least one dimension/);
  });
});

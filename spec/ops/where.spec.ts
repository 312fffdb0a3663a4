import { expect } from 'chai';
import { tensor, zeros } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { sum } from '../../ops/reduce.js';
import { where } from '../../ops/where.js';
import { expectGrads, param } from '../helpers.js';

const f64 = (v: number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);

describe('where', () => {
  it('picks a where cond holds and b elsewhere, from any kind of mask', () => {
    const a = f64([1, 2, 3]);
    const b = f64([10, 20, 30]);
    expect(values(where([1, 0, 1], a, b))).to.deep.equal([1, 20, 3]);
    expect(values(where([false, true, false], a, b))).to.deep.equal([10, 2, 30]);
    expect(values(where(new Uint8Array([0, 0, 1]), a, b))).to.deep.equal([10, 20, 3]);
    expect(values(where(tensor([1, 1, 0]), a, b))).to.deep.equal([1, 2, 30]); // float32 mask, float64 values
    expect(values(where([1, 0, 1], a, -1))).to.deep.equal([1, -1, 3]);
  });

  it('broadcasts cond, a and b together', () => {
    const cond = [[1], [0]]; // [2, 1]
    const y = where(cond, f64([1, 2, 3]), 0); // a [3], b a number
    expect(y.shape).to.deep.equal([2, 3]);
    expect(y.toArray()).to.deep.equal([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const z = where([1, 0, 1], f64([[5], [6]]), f64([[7], [8]]));
    expect(z.toArray()).to.deep.equal([
      [5, 7, 5],
      [6, 8, 6],
    ]);
  });

  it('routes the gradient to a where cond and to b elsewhere, summed over broadcasts', () => {
    const a = f64([[1], [2]], true); // [2, 1]
    const b = f64([0, 0, 0], true); // [3]
    sum(
      where(
        [
          [1, 0, 1],
          [0, 0, 1],
        ],
        a,
        b,
      ),
    ).backward();
    expect(values(a.grad!)).to.deep.equal([2, 1]);
    expect(values(b.grad!)).to.deep.equal([1, 2, 0]);
  });

  it('passes gradcheck, including a [3,1] x [4] broadcast', () => {
    const mask = [
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [1, 1, 0, 0],
    ];
    expectGrads((a, b) => where(mask, a, b), [param([3, 4], 1), param([3, 4], 2)]);
    expectGrads((a, b) => where(mask, a, b), [param([3, 1], 3), param([4], 4)]);
    expectGrads((a) => where([0, 1, 1, 0], a, 2), [param([3, 1], 5)]);
  });

  it('rejects shapes that do not broadcast, naming the arguments', () => {
    expect(() => where([1, 0], zeros([3]), zeros([3]))).to.throw(ShapeError, /cannot broadcast cond of shape \[2\] with a and b of shape \[3\]/);
    expect(() => where([1, 0], zeros([2]), zeros([3]))).to.throw(ShapeError, /a of shape \[2\] with b of shape \[3\]/);
  });

  it('rejects conditions that are not 0/1 masks', () => {
    const a = zeros([2]);
    expect(() => where([1, 0.5], a, a)).to.throw(ArgumentError, /cond \(flattened\) has 0.5 at flat index 1; a condition holds only 0\/1/);
    expect(() => where(tensor([2, 0]), a, a)).to.throw(ArgumentError, /cond has 2 at flat index 0/);
    expect(() => where([[1, 0], [1]], a, a)).to.throw(ShapeError, /cond is ragged: cond\[1\] should be an array of length 2/);
    expect(() => where('10' as unknown as number[], a, a)).to.throw(ArgumentError, /cond must be a Tensor/);
  });
});

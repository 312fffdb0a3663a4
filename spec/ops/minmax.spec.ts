import { expect } from 'chai';
import { tensor, zeros } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { max, maximum, min, minimum } from '../../ops/minmax.js';
import { sum } from '../../ops/reduce.js';
import { expectGrads, param } from '../helpers.js';

const f64 = (v: number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);

describe('maximum and minimum (elementwise)', () => {
  it('compute hand-checked values with broadcasting and numbers', () => {
    const a = f64([[1], [5], [3]]); // [3, 1]
    const b = f64([2, 4, 0, 6]); // [4]
    const hi = maximum(a, b);
    expect(hi.shape).to.deep.equal([3, 4]);
    expect(hi.toArray()).to.deep.equal([
      [2, 4, 1, 6],
      [5, 5, 5, 6],
      [3, 4, 3, 6],
    ]);
    expect(minimum(a, b).toArray()).to.deep.equal([
      [1, 1, 0, 1],
      [2, 4, 0, 5],
      [2, 3, 0, 3],
    ]);
    expect(values(maximum(b, 3))).to.deep.equal([3, 4, 3, 6]);
    expect(values(minimum(3, b))).to.deep.equal([2, 3, 0, 3]);
  });

  it('pass gradcheck, including a [3,1] x [4] broadcast (no ties)', () => {
    expectGrads(maximum, [param([3, 4], 1), param([3, 4], 2)]);
    expectGrads(minimum, [param([3, 4], 3), param([3, 4], 4)]);
    expectGrads(maximum, [param([3, 1], 5), param([4], 6)]);
    expectGrads(minimum, [param([3, 1], 7), param([4], 8)]);
  });

  it('route the gradient to the winner, and to a on ties', () => {
    const a = f64([1, 5, 2], true);
    const b = f64([3, 4, 2], true);
    sum(maximum(a, b)).backward();
    expect(values(a.grad!)).to.deep.equal([0, 1, 1]);
    expect(values(b.grad!)).to.deep.equal([1, 0, 0]);
    a.grad = b.grad = null;
    sum(minimum(a, b)).backward();
    expect(values(a.grad!)).to.deep.equal([1, 0, 1]);
    expect(values(b.grad!)).to.deep.equal([0, 1, 0]);
  });

  it('reject shapes that do not broadcast, naming a and b', () => {
    expect(() => maximum(zeros([3]), zeros([4]))).to.throw(ShapeError, /cannot broadcast a of shape \[3\] with b of shape \[4\]/);
  });
});

describe('max and min (reductions)', () => {
  const x = (): Tensor =>
    f64(
      [
        [3, -1, 7, 2],
        [0, 9, -4, 9],
        [5, 5, 1, -2],
      ],
      true,
    ); // [3, 4]

  it('reduce everything by default', () => {
    expect(max(x()).item()).to.equal(9);
    expect(min(x()).item()).to.equal(-4);
    expect(max(x()).shape).to.deep.equal([]);
    expect(max(x(), undefined, true).shape).to.deep.equal([1, 1]);
  });

  it('reduce one axis, negative axes and keepdims', () => {
    expect(values(max(x(), 0))).to.deep.equal([5, 9, 7, 9]);
    expect(values(min(x(), 1))).to.deep.equal([-1, -4, -2]);
    const m = max(x(), -1, true);
    expect(m.shape).to.deep.equal([3, 1]);
    expect(values(m)).to.deep.equal([7, 9, 5]);
  });

  it('give the gradient to the first extreme element only', () => {
    const t = x();
    sum(max(t, 1)).backward(); // row 1 has 9 twice, row 2 has 5 twice: the first wins
    expect(t.grad!.toArray()).to.deep.equal([
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
    const u = x();
    max(u).backward();
    expect(values(u.grad!)).to.deep.equal([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const v = x();
    sum(min(v, 0)).backward();
    expect(v.grad!.toArray()).to.deep.equal([
      [0, 1, 0, 0],
      [1, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('pass gradcheck (distinct random values, so no ties)', () => {
    expectGrads((t) => max(t), [param([3, 4], 9)]);
    expectGrads((t) => min(t, 0), [param([3, 4], 10)]);
    expectGrads((t) => max(t, -1, true), [param([2, 3, 4], 11)]);
    expectGrads((t) => mul(min(t, 1, true), t), [param([3, 4], 12)]);
  });

  it('reject empty reductions and bad axes', () => {
    expect(() => max(zeros([0]))).to.throw(ShapeError, /max: the reduced axes of x \(shape \[0\]\) hold no elements/);
    expect(() => min(zeros([2, 0]), 1)).to.throw(ShapeError, /min/);
    expect(() => max(x(), 2)).to.throw(ShapeError, /max: axis 2 is out of range/);
    expect(() => min(x(), [0, 1] as unknown as number)).to.throw(ArgumentError, /min: axis must be one number/);
  });
});

import { expect } from 'chai';
import { tensor, zeros } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { mean, sum } from '../../ops/reduce.js';
import { expectGrads, param } from '../helpers.js';

const values = (t: Tensor): number[] => Array.from(t.data);
// x[i][j][k] = 100 i + 10 j + k, shape [2, 3, 4]
const cube = (): Tensor => {
  const v: number[][][] = [];
  for (let i = 0; i < 2; i++) {
    v.push([]);
    for (let j = 0; j < 3; j++) v[i].push([0, 1, 2, 3].map((k) => 100 * i + 10 * j + k));
  }
  return tensor(v, { dtype: 'float64' });
};

describe('sum', () => {
  it('reduces everything by default to a 0-d tensor', () => {
    const y = sum(cube());
    expect(y.shape).to.deep.equal([]);
    // 12 * (0 + 100) + 8 * (0 + 10 + 20) + 6 * (0 + 1 + 2 + 3)
    expect(y.item()).to.equal(1200 + 240 + 36);
  });

  it('reduces one axis, a negative axis and a set of axes', () => {
    const x = cube();
    const s0 = sum(x, 0);
    expect(s0.shape).to.deep.equal([3, 4]);
    expect(s0.get(2, 3)).to.equal(23 + 123);
    const sLast = sum(x, -1);
    expect(sLast.shape).to.deep.equal([2, 3]);
    expect(sLast.get(1, 1)).to.equal(4 * 110 + 6);
    const s02 = sum(x, [2, 0]);
    expect(s02.shape).to.deep.equal([3]);
    expect(values(s02)).to.deep.equal([4 * 100 + 2 * 6, 8 * 10 + 400 + 12, 8 * 20 + 400 + 12]);
  });

  it('keeps reduced axes as length 1 with keepdims', () => {
    const x = cube();
    expect(sum(x, 1, true).shape).to.deep.equal([2, 1, 4]);
    expect(sum(x, undefined, true).shape).to.deep.equal([1, 1, 1]);
    expect(sum(x, [0, -1], true).get(0, 1, 0)).to.equal(sum(x, [0, 2]).get(1));
  });

  it('reduces nothing for an empty axis list, and sums an empty tensor to 0', () => {
    const x = cube();
    expect(values(sum(x, []))).to.deep.equal(values(x));
    expect(sum(zeros([0, 3]), 0).shape).to.deep.equal([3]);
    expect(sum(zeros([0])).item()).to.equal(0);
  });

  it('returns a copy of a 0-d tensor, with or without axis 0', () => {
    const s = tensor(2.5, { dtype: 'float64' });
    expect(sum(s).item()).to.equal(2.5);
    expect(sum(s, 0).shape).to.deep.equal([]);
    expect(mean(s, 0, true).item()).to.equal(2.5);
    expect(() => sum(s, -1)).to.throw(ShapeError, /out of range for a tensor with 0 dimensions/);
  });

  it('accumulates float32 input in float64', () => {
    const x = tensor(new Float32Array(4097).fill(1));
    x.data[0] = 1e8;
    expect(sum(x).item()).to.equal(1e8 + 4096);
  });

  it('passes gradcheck over all, one, negative and several axes', () => {
    expectGrads((x) => sum(x), [param([3, 4], 1)]);
    expectGrads((x) => sum(x, 1), [param([2, 3, 4], 2)]);
    expectGrads((x) => sum(x, -3, true), [param([2, 3, 4], 3)]);
    expectGrads((x) => sum(x, [0, 2]), [param([2, 3, 4], 4)]);
    // a non-uniform downstream weight shows the gradient lands on the right elements
    expectGrads((x) => mul(sum(x, 0), x), [param([3, 2], 5)]);
  });

  it('rejects bad axes with a ShapeError naming the axis', () => {
    const x = cube();
    expect(() => sum(x, 3)).to.throw(ShapeError, /sum: axis 3 is out of range for a tensor with 3 dimensions/);
    expect(() => sum(x, [0, -3])).to.throw(ShapeError, /name the same axis twice/);
    expect(() => sum(x, 1.5)).to.throw(ShapeError, /axis 1.5/);
    expect(() => sum(x, '1' as unknown as number)).to.throw(ArgumentError, /axes must be a number/);
    expect(() => sum([1, 2] as unknown as Tensor)).to.throw(ArgumentError, /sum: x must be a Tensor/);
  });
});

describe('mean', () => {
  it('divides by the number of reduced elements', () => {
    const x = cube();
    expect(mean(x).item()).to.be.closeTo((1200 + 240 + 36) / 24, 1e-12);
    expect(values(mean(x, [0, 1]))).to.deep.equal([60, 61, 62, 63]);
    expect(mean(x, -1, true).shape).to.deep.equal([2, 3, 1]);
    expect(mean(x, -1, true).get(1, 2, 0)).to.equal(121.5);
  });

  it('passes gradcheck', () => {
    expectGrads((x) => mean(x), [param([3, 4], 6)]);
    expectGrads((x) => mean(x, [1, 2], true), [param([2, 3, 4], 7)]);
    expectGrads((x) => mul(mean(x, 1, true), x), [param([3, 2], 8)]);
  });

  it('gives each element 1/n of the gradient', () => {
    const x = param([2, 5], 9);
    sum(mean(x, 1)).backward();
    for (const g of x.grad!.data) expect(g).to.be.closeTo(0.2, 1e-15);
  });

  it('throws for an empty reduction instead of returning NaN', () => {
    expect(() => mean(zeros([0]))).to.throw(ShapeError, /mean: the reduced axes of x \(shape \[0\]\) hold no elements/);
    expect(() => mean(zeros([2, 0]), 1)).to.throw(ShapeError, /use sum/);
    expect(mean(zeros([2, 0]), 0).shape).to.deep.equal([0]);
  });
});

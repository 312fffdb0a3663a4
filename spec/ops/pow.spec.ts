import { expect } from 'chai';
import { rand, tensor, zeros } from '../../lib/create.js';
import { NonFiniteError, ShapeError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { pow } from '../../ops/pow.js';
import { sum } from '../../ops/reduce.js';
import { expectGrads, param } from '../helpers.js';

const f64 = (v: number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);
const positive = (shape: number[], seed: number): Tensor => rand(shape, { dtype: 'float64', requiresGrad: true, seed, low: 0.5, high: 2 });

describe('pow', () => {
  it('computes hand-checked values with tensors, numbers and broadcasting', () => {
    expect(values(pow(f64([2, 3, 0.5]), 2))).to.deep.equal([4, 9, 0.25]);
    expect(values(pow(2, f64([0, 1, 3, -1])))).to.deep.equal([1, 2, 8, 0.5]);
    const y = pow(f64([[1], [2], [4]]), f64([0, 0.5, 1, 2])); // [3,1] with [4]
    expect(y.shape).to.deep.equal([3, 4]);
    expect(y.toArray()).to.deep.equal([
      [1, 1, 1, 1],
      [1, Math.SQRT2, 2, 4],
      [1, 2, 4, 16],
    ]);
    expect(pow(f64([-2]), 3).item()).to.equal(-8);
  });

  it('passes gradcheck for the base and the exponent, with broadcasting', () => {
    expectGrads(pow, [positive([3, 4], 1), param([3, 4], 2)]);
    expectGrads(pow, [positive([3, 1], 3), param([4], 4)]);
    expectGrads(pow, [positive([4], 5), param([3, 1], 6)]);
    expectGrads((a) => pow(a, 2.5), [positive([2, 3], 7)]);
    expectGrads((b) => pow(1.7, b), [param([5], 8)]);
  });

  it('differentiates a negative base with an integer exponent', () => {
    expectGrads((a) => pow(a, 3), [param([6], 9)]); // normal values: both signs
    const a = f64([-2], true);
    pow(a, 3).backward();
    expect(a.grad!.item()).to.equal(12); // 3 (-2)^2
  });

  it('gives d(a^0)/da = 0, also at a = 0', () => {
    const a = f64([0, -3, 2], true);
    sum(pow(a, 0)).backward();
    expect(values(a.grad!)).to.deep.equal([0, 0, 0]);
  });

  it('computes the exponent gradient a^b log(a)', () => {
    const b = f64([2], true);
    pow(3, b).backward();
    expect(b.grad!.item()).to.be.closeTo(9 * Math.log(3), 1e-12);
  });

  it('refuses a non-positive base when the exponent needs a gradient', () => {
    const b = f64([2, 2], true);
    expect(() => pow(f64([1, -2]), b)).to.throw(NonFiniteError, /b requires grad .* needs a > 0, but a\[1\] = -2; keep the base positive/);
    expect(() => pow(0, b)).to.throw(NonFiniteError, /but a = 0/);
    // without a recorded exponent gradient the same values are fine
    expect(values(noGrad(() => pow(f64([1, -2]), b)))).to.deep.equal([1, 4]);
  });

  it('throws on results that are not finite, naming the element and the values', () => {
    expect(() => pow(f64([1, 0]), -1)).to.throw(NonFiniteError, /pow\(a, b\) at output element \[1\]: 0\^-1 = Infinity/);
    expect(() => pow(f64([[4, -2]]), 0.5)).to.throw(NonFiniteError, /\[0, 1\]: -2\^0.5 = NaN; a negative base needs an integer exponent/);
    expect(() => pow(10, 400)).to.throw(NonFiniteError, /^pow\(a, b\): 10\^400 = Infinity/);
  });

  it('reports the infinite base gradient of a fractional power at 0 through the tape', () => {
    const a = f64([0, 4], true);
    const y = sum(pow(a, 0.5));
    expect(() => y.backward()).to.throw(NonFiniteError, /backward of 'pow' produced a non-finite gradient/);
  });

  it('rejects shapes that do not broadcast, naming a and b', () => {
    expect(() => pow(zeros([2, 3]), zeros([2]))).to.throw(ShapeError, /a of shape \[2,3\] with b of shape \[2\]/);
  });
});

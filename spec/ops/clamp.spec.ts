import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { clamp } from '../../ops/clamp.js';
import { sum } from '../../ops/reduce.js';
import { expectGrads } from '../helpers.js';

const f64 = (v: number[], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);

describe('clamp', () => {
  it('limits to [min, max], or to one side', () => {
    const x = f64([-3, -1, 0, 0.5, 2, 7]);
    expect(values(clamp(x, -1, 1))).to.deep.equal([-1, -1, 0, 0.5, 1, 1]);
    expect(values(clamp(x, 0))).to.deep.equal([0, 0, 0, 0.5, 2, 7]);
    expect(values(clamp(x, undefined, 1))).to.deep.equal([-3, -1, 0, 0.5, 1, 1]);
    expect(clamp(5, 0, 1).item()).to.equal(1);
    expect(clamp(tensor([[1, 9]]), 2, 3).shape).to.deep.equal([1, 2]);
  });

  it('passes the gradient inside the range, boundaries included, and blocks it outside', () => {
    const x = f64([-3, -1, 0, 0.5, 1, 7], true);
    sum(clamp(x, -1, 1)).backward();
    expect(values(x.grad!)).to.deep.equal([0, 1, 1, 1, 1, 0]);
  });

  it('passes gradcheck away from the bounds, with values clipped on both sides', () => {
    const x = f64([-2.5, -0.8, -0.1, 0.3, 0.7, 1.9], true);
    const y = clamp(x, -1, 1);
    expect(values(y).filter((v) => Math.abs(v) === 1)).to.have.length(2); // the check covers clipping too
    expectGrads((t) => clamp(t, -1, 1), [x]);
    expectGrads((t) => clamp(t, 0), [x]);
    expectGrads((t) => clamp(t, undefined, 0.5), [x]);
  });

  it('rejects missing, NaN and crossed bounds', () => {
    const x = f64([1]);
    expect(() => clamp(x)).to.throw(ArgumentError, /give min, max or both/);
    expect(() => clamp(x, NaN)).to.throw(ArgumentError, /clamp: min must be a number .* got NaN/);
    expect(() => clamp(x, 0, '1' as unknown as number)).to.throw(ArgumentError, /clamp: max must be a number .* got string/);
    expect(() => clamp(x, 2, 1)).to.throw(ArgumentError, /min \(2\) is greater than max \(1\); swap them/);
  });
});

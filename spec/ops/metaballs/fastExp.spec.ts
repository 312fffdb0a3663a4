import { expect } from 'chai';
import { Random } from '../../../lib/random.js';
import { fastExp } from '../../../ops/metaballs/fastExp.js';

describe('fastExp', () => {
  it('is within 3 ulp of Math.exp over [-700, 700], and exact at 0', () => {
    const rng = new Random(1);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i < 100_000 ? rng.uniform(-700, 700) : rng.uniform(-35, 1);
      const want = Math.exp(x);
      worst = Math.max(worst, Math.abs(fastExp(x) - want) / want);
    }
    expect(worst).to.be.lessThan(3 * Number.EPSILON);
    expect(fastExp(0)).to.equal(1);
    expect(fastExp(-700)).to.be.greaterThan(0);
  });
});

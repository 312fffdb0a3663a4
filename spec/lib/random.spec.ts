import { expect } from 'chai';
import { Random } from '../../lib/random.js';

describe('Random', () => {
  it('repeats its sequence for a seed', () => {
    const a = new Random(7),
      b = new Random(7);
    expect(Array.from({ length: 5 }, () => a.next())).to.deep.equal(Array.from({ length: 5 }, () => b.next()));
  });

  it('shuffles without bias: each of the 6 orders of 3 items comes up about equally often', () => {
    // sort(() => rng.next() - 0.5) fails this: its orders are far from uniform
    const rng = new Random(1);
    const counts = new Map<string, number>();
    const trials = 60000;
    for (let t = 0; t < trials; t++) {
      const order = rng.shuffle([0, 1, 2]).join('');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).to.equal(6);
    // chi-squared with 5 degrees of freedom: 20.5 is the 0.1% tail
    const expected = trials / 6;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).to.be.lessThan(20.5);
  });

  it('shuffles in place and keeps every item', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = new Random(3).shuffle(items);
    expect(out).to.equal(items);
    expect([...out].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(out.some((v, i) => v !== i)).to.equal(true);
  });
});

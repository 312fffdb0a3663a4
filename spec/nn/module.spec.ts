import { expect } from 'chai';
import { rand, randn } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import type { Tensor } from '../../lib/tensor.js';
import { Linear } from '../../nn/linear.js';
import { MLP } from '../../nn/mlp.js';
import { ReLU, Tanh } from '../../nn/activations.js';
import { Sequential } from '../../nn/sequential.js';
import { initBound } from '../../nn/init.js';
import { linearReference } from '../../ops/linear/linearReference.js';
import { concat } from '../../ops/concat.js';
import { mean } from '../../ops/reduce.js';
import { sub } from '../../ops/arithmetic.js';
import { pow } from '../../ops/pow.js';
import { norm } from '../../ops/vector.js';
import { Adam } from '../../optim/adam.js';
import { expectGrads } from '../helpers.js';

describe('nn modules', () => {
  it('name their parameters like the PyTorch modules built the same way', () => {
    const mlp = new MLP([3, 8, 8, 1]);
    expect(mlp.namedParameters().map(([n, t]) => `${n} [${t.shape}]`)).to.deep.equal([
      'layers.0.weight [8,3]',
      'layers.0.bias [8]',
      'layers.1.weight [8,8]',
      'layers.1.bias [8]',
      'layers.2.weight [1,8]',
      'layers.2.bias [1]',
    ]);
    const seq = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2, { bias: false }), new Tanh());
    expect(seq.namedParameters().map(([n]) => n)).to.deep.equal(['0.weight', '0.bias', '2.weight']);
    expect(mlp.parameterCount()).to.equal(8 * 3 + 8 + 8 * 8 + 8 + 8 + 1);
    for (const p of mlp.parameters()) expect(p.requiresGrad).to.equal(true);
  });

  it('initialize from a seed, within the Xavier and Kaiming bounds and with their variance', () => {
    const a = new Linear(64, 32, { seed: 5, init: 'xavier' }),
      b = new Linear(64, 32, { seed: 5, init: 'xavier' }),
      c = new Linear(64, 32, { seed: 6, init: 'xavier' });
    expect(Array.from(a.weight.data)).to.deep.equal(Array.from(b.weight.data));
    expect(Array.from(a.weight.data)).to.not.deep.equal(Array.from(c.weight.data));
    for (const [init, bound] of [
      ['xavier', Math.sqrt(6 / 96)],
      ['kaiming', Math.sqrt(6 / 64)],
    ] as const) {
      expect(initBound(init, 64, 32)).to.be.closeTo(bound, 1e-12);
      const w = new Linear(64, 32, { init, seed: 1 }).weight.data;
      let s2 = 0,
        top = 0;
      for (const v of w) {
        s2 += v * v;
        top = Math.max(top, Math.abs(v));
      }
      expect(top).to.be.at.most(bound);
      expect(top).to.be.greaterThan(0.95 * bound);
      expect(s2 / w.length, `${init} variance a^2 / 3`).to.be.closeTo((bound * bound) / 3, 0.1 * ((bound * bound) / 3));
    }
    expect(Array.from(new Linear(4, 3).bias!.data)).to.deep.equal([0, 0, 0]);
  });

  it('Sequential runs its modules in order (the same values as the layers by hand)', () => {
    const l1 = new Linear(3, 5, { seed: 1 }),
      l2 = new Linear(5, 2, { seed: 2 });
    const seq = new Sequential(l1, new ReLU(), l2, new Tanh());
    const x = randn([7, 3], { seed: 3 });
    const byHand = linearReference(linearReference(x, l1.weight, l1.bias, 'relu'), l2.weight, l2.bias, 'tanh');
    const y = seq.forward(x).data;
    for (let i = 0; i < y.length; i++) expect(y[i]).to.be.closeTo(byHand.data[i], 1e-6);
  });

  it('an MLP with a DeepSDF skip matches finite differences in its input and every parameter', () => {
    const mlp = new MLP([3, 6, 5, 1], { activation: 'tanh', skip: [2], dtype: 'float64', seed: 3, threads: 1 });
    expect(mlp.layers[2].inFeatures).to.equal(5 + 3);
    const x = randn([4, 3], { dtype: 'float64', requiresGrad: true, seed: 4 });
    expectGrads((x) => mlp.forward(x), [x]);
    const params = mlp.parameters();
    expectGrads((...ps: Tensor[]) => {
      // the same network written with the twin's tape ops, over the parameters being checked
      let h: Tensor = x.detach();
      for (let i = 0; i < 3; i++) {
        if (i === 2) h = concat([h, x.detach()], 1);
        h = linearReference(h, ps[2 * i], ps[2 * i + 1], i === 2 ? 'none' : 'tanh');
      }
      return h;
    }, params);
    const fast = mlp.forward(x.detach()).data;
    let h: Tensor = x.detach();
    for (let i = 0; i < 3; i++) {
      if (i === 2) h = concat([h, x.detach()], 1);
      h = linearReference(h, params[2 * i], params[2 * i + 1], i === 2 ? 'none' : 'tanh');
    }
    for (let i = 0; i < fast.length; i++) expect(fast[i]).to.be.closeTo(h.data[i], 1e-12);
  });

  it('trains with the existing optimizers: an MLP learns a sphere SDF', () => {
    const mlp = new MLP([3, 32, 32, 1], { seed: 1, threads: 1 });
    const opt = new Adam(mlp.parameters(), { lr: 3e-3 });
    const rng = new Random(2);
    const batch = () => {
      const x = rand([256, 3], { low: -1, high: 1, seed: rng.int(1e9) });
      return { x, sdf: sub(norm(x, -1, true), 0.6) };
    };
    const loss = () => {
      const { x, sdf } = batch();
      return mean(pow(sub(mlp.forward(x), sdf), 2));
    };
    const first = loss().item();
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    let last = 0;
    for (let k = 0; k < 4; k++) last += loss().item() / 4;
    expect(last, `mean squared SDF error ${first.toExponential(2)} -> ${last.toExponential(2)}`).to.be.lessThan(0.05 * first);
  });

  it('loads a state dict in place, and names what is missing or misshapen', () => {
    const a = new MLP([2, 4, 1], { seed: 1 }),
      b = new MLP([2, 4, 1], { seed: 2 });
    const w = b.layers[0].weight;
    b.loadStateDict(a.stateDict());
    expect(b.layers[0].weight).to.equal(w);
    expect(Array.from(w.data)).to.deep.equal(Array.from(a.layers[0].weight.data));
    expect(() => b.loadStateDict({ 'layers.0.weight': a.layers[0].weight })).to.throw(ArgumentError, /missing layers\.0\.bias/);
    expect(() => b.loadStateDict({ ...a.stateDict(), extra: a.layers[0].bias! })).to.throw(ArgumentError, /unknown extra/);
    expect(() => b.loadStateDict({ 'layers.0.bias': randn([5]) }, { strict: false })).to.throw(ShapeError, /shape \[5\]/);
    expect(() => new MLP([3])).to.throw(ArgumentError, /at least two/);
    expect(() => new MLP([3, 4, 1], { skip: [2] })).to.throw(ArgumentError, /skip/);
    expect(() => new Linear(0, 3)).to.throw(ArgumentError, /inFeatures/);
    expect(() => a.forward(randn([4, 3]))).to.throw(ShapeError, /\[batch, 2\]/);
  });
});

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import '../../ops/methods.js';
import * as ops from '../../ops/index.js';
import { param } from '../helpers.js';

describe('Tensor methods', () => {
  it('chain to the same values and gradients as the op functions', () => {
    const x = param([2, 3], 4);
    const w = param([3], 5);
    const chained = x.mul(w).add(1).pow(2).sum();
    const plain = ops.sum(ops.pow(ops.add(ops.mul(x, w), 1), 2));
    expect(chained.item()).to.be.closeTo(plain.item(), 1e-12);
    chained.backward();
    const g1 = Float64Array.from(x.grad!.data);
    x.grad = null;
    plain.backward();
    expect(Array.from(x.grad!.data)).to.deep.equal(Array.from(g1));
  });

  it('cover every op alias', () => {
    const v = tensor([[3, 4, 0.5]], { dtype: 'float64' });
    const m = tensor(
      [
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 1],
      ],
      { dtype: 'float64' },
    );
    const y = v.sub(0.25).div(2).neg().abs().sqrt().exp().log().sigmoid().tanh().relu().clamp(0, 10);
    expect(y.shape).to.deep.equal([1, 3]);
    expect(v.mean().item()).to.be.closeTo(2.5, 1e-12);
    expect(v.max().item()).to.equal(4);
    expect(v.min(1, true).shape).to.deep.equal([1, 1]);
    expect(v.reshape([3]).unsqueeze(0).squeeze(0).flatten().shape).to.deep.equal([3]);
    expect(v.permute([1, 0]).transpose().shape).to.deep.equal([1, 3]);
    expect(v.matmul(m).toArray()).to.deep.equal([[3, 8, 0.5]]);
    expect(v.dot(v).toArray()).to.deep.equal([25.25]);
    expect(v.cross(v).toArray()).to.deep.equal([[0, 0, 0]]);
    expect(v.norm().item()).to.be.closeTo(Math.sqrt(25.25), 1e-12);
    expect(v.normalize().norm().item()).to.be.closeTo(1, 1e-12);
  });
});

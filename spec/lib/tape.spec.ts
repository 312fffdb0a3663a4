import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { customOp } from '../../lib/customOp.js';
import { TapeError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import { add, mul } from '../../ops/arithmetic.js';
import { sum } from '../../ops/reduce.js';

describe('tape', () => {
  it('accumulates gradients where a tensor fans out (d/dx of x*x + x = 2x + 1)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = sum(add(mul(x, x), x));
    y.backward();
    expect(Array.from(x.grad!.data)).to.deep.equal([3, 5, 7]);
  });

  it('accumulates across backward calls until zeroGrad', () => {
    const x = tensor([2], { dtype: 'float64', requiresGrad: true });
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expect(x.grad!.data[0]).to.equal(6);
    x.zeroGrad();
    expect(x.grad!.data[0]).to.equal(0);
  });

  it('frees the graph after backward unless retainGraph is set', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = sum(mul(x, x));
    y.backward();
    expect(() => y.backward()).to.throw(TapeError, /retainGraph/);
    const z = sum(mul(x, x));
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(Array.from(x.grad!.data)).to.deep.equal([2 + 2 + 2, 4 + 4 + 4]);
  });

  it('records nothing under noGrad and nothing through detach', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => mul(x, x));
    expect(y.requiresGrad).to.equal(false);
    expect(y.node).to.equal(null);
    const d = mul(x, 2).detach();
    expect(d.requiresGrad).to.equal(false);
    expect(d.isLeaf).to.equal(true);
  });

  it('refuses backward of a non-scalar without a seed, and of a constant', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, x).backward()).to.throw(TapeError, /same shape/);
    expect(() => tensor([1]).backward()).to.throw(TapeError, /requiresGrad/);
  });

  it('keeps the gradient of a non-leaf with retainGrad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const h = mul(x, 3).retainGrad();
    sum(mul(h, h)).backward();
    expect(Array.from(h.grad!.data)).to.deep.equal([6, 12]);
    expect(Array.from(x.grad!.data)).to.deep.equal([18, 36]);
  });

  it('runs a custom op with two outputs, a non-differentiable input and saved values', () => {
    // y1 = k * x, y2 = x^2; k is a plain number
    const scaleAndSquare = customOp({
      name: 'scaleAndSquare',
      forward(ctx, x: import('../../lib/tensor.js').Tensor, k: number) {
        const y1 = ctx.output(x.shape);
        const y2 = ctx.output(x.shape);
        for (let i = 0; i < x.size; i++) {
          y1.data[i] = k * x.data[i];
          y2.data[i] = x.data[i] * x.data[i];
        }
        ctx.save(x.data, k);
        return [y1, y2];
      },
      backward(ctx, g1, g2) {
        const [xd, k] = ctx.saved as [Float64Array, number];
        const gx = ctx.zeros(xd.length);
        for (let i = 0; i < xd.length; i++) gx[i] = (g1 ? k * g1[i] : 0) + (g2 ? 2 * xd[i] * g2[i] : 0);
        return [gx];
      },
    });
    const x = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
    const [a, b] = scaleAndSquare(x, 5);
    sum(add(a, b)).backward();
    expect(Array.from(x.grad!.data)).to.deep.equal([5 + 2, 5 - 4]);
    // only the second output used: the first gets a null gradient
    x.grad = null;
    sum(scaleAndSquare(x, 5)[1]).backward();
    expect(Array.from(x.grad!.data)).to.deep.equal([2, -4]);
  });
});

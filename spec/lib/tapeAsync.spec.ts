import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { customOp, customOpAsync } from '../../lib/customOp.js';
import { NonFiniteError, TapeError } from '../../lib/errors.js';
import { backwardAsync } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, mul } from '../../ops/arithmetic.js';
import { sum } from '../../ops/reduce.js';

// an op whose forward and backward resolve later, as the GPU path's do: y = 3 x
const later = <T>(v: T) => new Promise<T>((resolve) => setTimeout(() => resolve(v), 1));
const tripleLater = customOpAsync({
  name: 'tripleLater',
  async forward(ctx, x: Tensor) {
    const y = ctx.output(x.shape);
    for (let i = 0; i < x.size; i++) y.data[i] = 3 * x.data[i];
    return later(y);
  },
  async backward(ctx, gy) {
    const gx = ctx.zeros(gy!.length);
    for (let i = 0; i < gx.length; i++) gx[i] = 3 * gy![i];
    return later([gx]);
  },
});
const triple = customOp({
  name: 'triple',
  forward(ctx, x: Tensor) {
    const y = ctx.output(x.shape);
    for (let i = 0; i < x.size; i++) y.data[i] = 3 * x.data[i];
    return y;
  },
  backward(ctx, gy) {
    const gx = ctx.zeros(gy!.length);
    for (let i = 0; i < gx.length; i++) gx[i] = 3 * gy![i];
    return [gx];
  },
});

describe('asynchronous tape nodes (backwardAsync, customOpAsync)', () => {
  it('gives the gradients the synchronous walk gives, through sync and async nodes mixed', async () => {
    const values = [0.5, -1, 2];
    const run = async (op: (x: Tensor) => Tensor | Promise<Tensor>, asyncWalk: boolean) => {
      const x = tensor(values, { dtype: 'float64', requiresGrad: true });
      const y = await op(mul(x, x)); // 3 x^2, then + x fans x out
      const loss = sum(add(mul(y, x), x));
      if (asyncWalk) await loss.backwardAsync();
      else loss.backward();
      return Array.from(x.grad!.data);
    };
    const reference = await run(triple, false);
    expect(reference).to.deep.equal(values.map((v) => 9 * v * v + 1)); // d/dx (3 x^3 + x)
    expect(await run(tripleLater, true)).to.deep.equal(reference);
    expect(await run(triple, true), 'backwardAsync walks synchronous graphs too').to.deep.equal(reference);
  });

  it('backward() refuses a graph with an asynchronous node before running anything', async () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = sum(mul(await tripleLater(x), x));
    expect(() => y.backward()).to.throw(TapeError, /tripleLater.*backwardAsync/);
    expect(x.grad, 'nothing ran').to.equal(null);
    await backwardAsync([y]);
    expect(Array.from(x.grad!.data)).to.deep.equal([6, 12]);
  });

  it('frees the graph after the walk, records nothing without a gradient, and checks what the node returns', async () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = sum(await tripleLater(x));
    await y.backwardAsync();
    await y.backwardAsync().then(
      () => expect.fail('a second walk should throw'),
      (e) => expect(e).to.be.instanceOf(TapeError),
    );
    const plain = await tripleLater(tensor([1, 2]));
    expect(plain.requiresGrad).to.equal(false);
    const bad = customOpAsync({
      name: 'badLater',
      forward: async (ctx, t: Tensor) => ctx.output(t.shape),
      backward: async () => [Float32Array.of(Number.NaN, 0)],
    });
    await sum(await bad(x))
      .backwardAsync()
      .then(
        () => expect.fail('a NaN gradient should throw'),
        (e) => expect(e).to.be.instanceOf(NonFiniteError),
      );
  });
});

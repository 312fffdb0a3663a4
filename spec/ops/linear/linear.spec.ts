import { expect } from 'chai';
import { randn, tensor } from '../../../lib/create.js';
import { customOp } from '../../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { enableGrad } from '../../../lib/tape.js';
import { Tensor } from '../../../lib/tensor.js';
import { ACTIVATIONS } from '../../../ops/linear/activation.js';
import { linear } from '../../../ops/linear/linear.js';
import { linearReference } from '../../../ops/linear/linearReference.js';
import { matmulBlocked } from '../../../ops/linear/matmulBlocked.js';
import { matmul } from '../../../ops/matmul.js';
import { sum } from '../../../ops/reduce.js';
import { mul } from '../../../ops/arithmetic.js';
import { expectGrads, param } from '../../helpers.js';

/** Largest |a - b| over two arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Forward and every gradient of fn(x, W, b) seeded with the same random dY. */
function run(fn: (x: Tensor, w: Tensor, b: Tensor) => Tensor, x: Tensor, w: Tensor, b: Tensor, seed = 9) {
  for (const t of [x, w, b]) t.grad = null;
  const y = fn(x, w, b);
  const g = randn(y.shape as number[], { dtype: y.dtype, seed });
  sum(mul(y, g)).backward();
  return { y: y.data, gx: x.grad!.data, gw: w.grad!.data, gb: b.grad!.data };
}

describe('linear (fused x W^T + b, activation)', () => {
  // sizes that hit the 4 x 4 tiles and every edge: rows 13, 6 outputs, 5 inputs
  for (const activation of ACTIVATIONS) {
    it(`matches finite differences with activation '${activation}', and so does its twin`, () => {
      const x = param([13, 5], 1),
        w = param([6, 5], 2),
        b = param([6], 3);
      // keep relu's kinks away from the finite-difference steps
      const fast = (x: Tensor, w: Tensor, b: Tensor) => linear(x, w, b, { activation, threads: 1 });
      const twin = (x: Tensor, w: Tensor, b: Tensor) => linearReference(x, w, b, activation);
      expectGrads(fast, [x, w, b]);
      expectGrads(twin, [x, w, b]);
    });
  }

  it('without a bias, and on a 1-d input', () => {
    const x = param([5], 4),
      w = param([3, 5], 5);
    const y = linear(x, w);
    expect(y.shape).to.deep.equal([3]);
    expectGrads((x, w) => linear(x, w, null, { activation: 'tanh' }), [x, w]);
  });

  it('a deliberately wrong backward (the activation derivative dropped) is caught', () => {
    const wrong = customOp({
      name: 'linearWrong',
      forward(ctx, x: Tensor, w: Tensor, b: Tensor) {
        ctx.save(x, w, b);
        const y = linear(x.detach(), w.detach(), b.detach(), { activation: 'tanh', threads: 1 });
        return new Tensor(y.data, y.shape);
      },
      backward(ctx, g) {
        const [x, w, b] = (ctx.saved as Tensor[]).map((t) => t.clone({ requiresGrad: true }));
        enableGrad(() => sum(mul(linear(x, w, b, { threads: 1 }), tensor(g!, { shape: [x.shape[0], w.shape[0]], dtype: 'float64' }))).backward());
        return [x.grad!.data, w.grad!.data, b.grad!.data];
      },
    });
    const x = param([7, 4], 6),
      w = param([5, 4], 7),
      b = param([5], 8);
    expect(gradcheck(wrong, [x, w, b], { raise: false }).ok).to.equal(false);
    expectGrads((x, w, b) => linear(x, w, b, { activation: 'tanh', threads: 1 }), [x, w, b]);
  });

  it('agrees with its twin at an MLP layer size in float32, on 1 and 2 threads with the same bits', () => {
    const x = randn([301, 128], { requiresGrad: true, seed: 1 }),
      w = randn([67, 128], { requiresGrad: true, seed: 2, std: 0.1 }),
      b = randn([67], { requiresGrad: true, seed: 3 });
    const twin = run((x, w, b) => linearReference(x, w, b, 'relu'), x, w, b);
    const one = run((x, w, b) => linear(x, w, b, { activation: 'relu', threads: 1 }), x, w, b);
    const two = run((x, w, b) => linear(x, w, b, { activation: 'relu', threads: 2 }), x, w, b);
    let active = 0;
    for (const v of one.y) if (v > 0) active++;
    expect(active, 'relu passes some values and blocks others').to.be.within(0.2 * one.y.length, 0.8 * one.y.length);
    for (const k of ['y', 'gx', 'gw', 'gb'] as const) {
      expect(Array.from(two[k]), `${k}: 2 threads give the bits of 1`).to.deep.equal(Array.from(one[k]));
      const scale = Math.max(...Array.from(twin[k], Math.abs));
      expect(maxDiff(one[k], twin[k]) / scale, `${k} against the twin`).to.be.lessThan(1e-5);
    }
  });

  it('agrees with its twin in float64 to rounding', () => {
    const x = param([37, 19], 11),
      w = param([23, 19], 12),
      b = param([23], 13);
    const twin = run((x, w, b) => linearReference(x, w, b, 'softplus'), x, w, b);
    const fast = run((x, w, b) => linear(x, w, b, { activation: 'softplus', threads: 2 }), x, w, b);
    for (const k of ['y', 'gx', 'gw', 'gb'] as const) expect(maxDiff(fast[k], twin[k]), k).to.be.lessThan(1e-10);
  });

  it('rejects bad input with typed errors', () => {
    const x = randn([4, 3]),
      w = randn([2, 3]);
    expect(() => linear(x, randn([2, 4]))).to.throw(ShapeError, /last dimension must be 4/);
    expect(() => linear(x, randn([3]))).to.throw(ShapeError, /weight must be a 2-d/);
    expect(() => linear(x, w, randn([3]))).to.throw(ShapeError, /bias must be a 1-d tensor of 2/);
    expect(() => linear(x, w, null, { activation: 'gelu' as never })).to.throw(ArgumentError, /activation/);
    expect(() => linear(x, w, null, { threads: 0 })).to.throw(ArgumentError, /threads/);
  });
});

describe('matmulBlocked (the large 2-d matmul path)', () => {
  it('matches finite differences', () => {
    expectGrads((a, b) => matmulBlocked(a, b, { threads: 1 }), [param([9, 21], 1), param([21, 6], 2)]);
  });

  it('agrees with the plain loop in float32 and does not depend on the thread count', () => {
    const a = randn([133, 40], { requiresGrad: true, seed: 3 }),
      b = randn([40, 29], { requiresGrad: true, seed: 4 });
    const grads = (f: (a: Tensor, b: Tensor) => Tensor) => {
      a.grad = b.grad = null;
      const y = f(a, b);
      sum(mul(y, randn([133, 29], { seed: 5 }))).backward();
      return [y.data, a.grad!.data, b.grad!.data];
    };
    const plain = grads(matmul); // 133 x 40 x 29 is below the blocked threshold: the plain loop
    const one = grads((a, b) => matmulBlocked(a, b, { threads: 1 }));
    const two = grads((a, b) => matmulBlocked(a, b, { threads: 2 }));
    for (let k = 0; k < 3; k++) {
      expect(Array.from(two[k])).to.deep.equal(Array.from(one[k]));
      expect(maxDiff(one[k], plain[k])).to.be.lessThan(1e-4);
    }
  });

  it('is the path matmul takes for a large 2-d product', () => {
    const a = randn([512, 64], { seed: 6 }),
      b = randn([64, 32], { seed: 7 });
    const c = matmul(a, b);
    expect(Array.from(c.data)).to.deep.equal(Array.from(matmulBlocked(a, b).data));
  });
});

import { expect } from 'chai';
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { arange, fromArray, full, ones, rand, randn, scalar, tensor, zeros } from '../../lib/create.js';
import { customOp } from '../../lib/customOp.js';
import { ArgumentError, DTypeError, NonFiniteError, ShapeError, TapeError } from '../../lib/errors.js';
import { backward, enableGrad, isGradEnabled, noGrad } from '../../lib/tape.js';
import { Tensor } from '../../lib/tensor.js';
import { add, mul, sum } from '../../ops/index.js';

describe('Tensor storage', () => {
  it('builds from nested arrays with the inferred shape, float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).to.deep.equal([2, 3]);
    expect(t.dtype).to.equal('float32');
    expect(t.get(1, 2)).to.equal(6);
    expect(t.toArray()).to.deep.equal([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(scalar(2.5).item()).to.equal(2.5);
    expect(scalar(2.5).toArray()).to.equal(2.5);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).shape).to.deep.equal([2, 2]);
    expect(String(tensor([1, 2], { name: 'v' })))
      .to.contain('v')
      .and.contain('[2]');
  });

  it('keeps the float type of a typed array and converts between dtypes', () => {
    const t = tensor(new Float64Array([1, 2]));
    expect(t.dtype).to.equal('float64');
    expect(t.to('float32').dtype).to.equal('float32');
    expect(tensor([1, 2], { dtype: 'float64' }).data).to.be.instanceOf(Float64Array);
    expect(tensor(Int32Array.from([1, 2])).dtype).to.equal('float32');
  });

  it('can live on a SharedArrayBuffer', () => {
    const t = zeros([4, 3], { shared: true, dtype: 'float64' });
    expect(t.isShared).to.equal(true);
    expect(t.data.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(tensor([1, 2]).isShared).to.equal(false);
    expect(t.clone({ shared: true }).isShared).to.equal(true);
  });

  it('gives an ndarray view over the same memory, and reads ndarrays back', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const view = t.ndarray();
    expect(view.get(1, 0)).to.equal(3);
    ops.mulseq(view, 10); // ndarray-ops writes through to the tensor
    expect(Array.from(t.data)).to.deep.equal([10, 20, 30, 40]);
    const transposed = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0);
    expect(tensor(transposed).toArray()).to.deep.equal([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('makes filled, ranged and seeded random tensors', () => {
    expect(Array.from(ones([3]).data)).to.deep.equal([1, 1, 1]);
    expect(Array.from(full([2], 7).data)).to.deep.equal([7, 7]);
    expect(Array.from(arange(4).data)).to.deep.equal([0, 1, 2, 3]);
    expect(Array.from(arange(1, 2, 0.25).data)).to.deep.equal([1, 1.25, 1.5, 1.75]);
    expect(Array.from(randn([5], { seed: 3 }).data)).to.deep.equal(Array.from(randn([5], { seed: 3 }).data));
    expect(Array.from(randn([5], { seed: 3 }).data)).to.not.deep.equal(Array.from(randn([5], { seed: 4 }).data));
    const u = rand([1000], { seed: 1, low: -2, high: 2 });
    expect(Math.min(...u.data)).to.be.at.least(-2);
    expect(Math.max(...u.data)).to.be.below(2);
  });

  it('wraps a typed array without copying', () => {
    const d = new Float32Array([1, 2, 3, 4]);
    const t = fromArray(d, [2, 2], { requiresGrad: true });
    d[0] = 9;
    expect(t.get(0, 0)).to.equal(9);
    expect(t.requiresGrad).to.equal(true);
  });

  it('rejects bad input with typed errors that name the argument', () => {
    expect(() => tensor([1, NaN, 3])).to.throw(NonFiniteError, /values .*index 1/);
    expect(() => tensor([1, Infinity])).to.throw(NonFiniteError, /allowNonFinite/);
    expect(tensor([1, NaN], { allowNonFinite: true }).size).to.equal(2);
    expect(() => tensor([[1, 2], [3]])).to.throw(ShapeError, /ragged.*values\[1\]/);
    expect(() => tensor([[1, 'a' as unknown as number]])).to.throw(ArgumentError, /values\[0\]\[1\] is not a number/);
    expect(() => tensor('x' as unknown as number)).to.throw(ArgumentError, /values must be/);
    expect(() => tensor([1], { dtype: 'int8' as 'float32' })).to.throw(DTypeError, /options.dtype/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).to.throw(ShapeError, /options.shape/);
    expect(() => zeros([2, -1])).to.throw(ShapeError, /shape/);
    expect(() => arange(0, 1, 0)).to.throw(ArgumentError, /step/);
    expect(() => new Tensor(new Float32Array(3), [2, 2])).to.throw(ShapeError, /3 elements/);
    expect(() => tensor([1, 2]).item()).to.throw(ShapeError, /one element/);
    expect(() => tensor([1, 2]).get(0, 0)).to.throw(ShapeError, /1 indices/);
    expect(() => tensor([1, 2]).get(2)).to.throw(ArgumentError, /out of range/);
  });

  it('refuses to mix dtypes in one op, naming the argument and the fix', () => {
    const a = tensor([1, 2]);
    const b = tensor([1, 2], { dtype: 'float64' });
    expect(() => add(a, b)).to.throw(DTypeError, /argument 1 .*to\('float32'\)/);
    expect(() => add(tensor([1, 2]), tensor([1, 2, 3]))).to.throw(ShapeError, /a of shape \[2\] with b of shape \[3\]/);
  });

  it('reports NaN that enters an op through a raw typed array', () => {
    const raw = fromArray(new Float32Array([1, NaN]), [2], { name: 'raw' });
    expect(() => mul(raw, 2)).to.throw(NonFiniteError, /argument 0 \(raw\) already holds a non-finite value at flat index 1/);
    const huge = tensor([3e38], {});
    expect(() => mul(huge, 10)).to.throw(NonFiniteError, /inputs are finite/);
  });
});

describe('tape edges', () => {
  it('switches recording off and on', () => {
    const x = tensor([1], { requiresGrad: true });
    noGrad(() => {
      expect(isGradEnabled()).to.equal(false);
      expect(enableGrad(() => mul(x, 2)).requiresGrad).to.equal(true);
    });
    expect(isGradEnabled()).to.equal(true);
  });

  it('takes explicit seeds for non-scalar roots, checks their size, and seeds several roots at once', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = mul(x, 3);
    expect(() => y.backward(new Float64Array(3), { retainGraph: true })).to.throw(ShapeError, /seed has 3/);
    y.backward(tensor([1, 10], { dtype: 'float64' }));
    expect(Array.from(x.grad!.data)).to.deep.equal([3, 30]);
    x.grad = null;
    backward([sum(x), sum(mul(x, x))]);
    expect(Array.from(x.grad!.data)).to.deep.equal([1 + 2, 1 + 4]);
    const leaf = tensor([5], { requiresGrad: true });
    leaf.backward();
    expect(leaf.grad!.data[0]).to.equal(1);
  });

  it('rejects a backward that returns the wrong size or a non-finite gradient', () => {
    const badSize = customOp({
      name: 'badSize',
      forward: (ctx, x: Tensor) => {
        const y = ctx.output(x.shape);
        y.data.set(x.data);
        return y;
      },
      backward: (ctx) => [ctx.zeros(1)],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => sum(badSize(x)).backward()).to.throw(ShapeError, /badSize.*1 gradient values/);
    const badValue = customOp({
      name: 'badValue',
      forward: (ctx, t: Tensor) => ctx.output(t.shape),
      backward: (_ctx) => [new Float32Array([Infinity, 0])],
    });
    expect(() => sum(badValue(x)).backward()).to.throw(NonFiniteError, /badValue.*non-finite gradient/);
    const identity = customOp({ name: 'identity', forward: (_ctx, t: Tensor) => t, backward: (_c, g) => [g] });
    expect(() => identity(x)).to.throw(TypeError, /new tensors/);
  });

  it('rejects a backward from a constant and zeroes gradients in place', () => {
    expect(() => backward([tensor([1])])).to.throw(TapeError, /does not require grad/);
    const x = tensor([1, 2], { requiresGrad: true });
    x.zeroGrad(); // no gradient yet: nothing to do
    expect(x.grad).to.equal(null);
  });
});

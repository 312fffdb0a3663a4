import { expect } from 'chai';
import { rand, tensor } from '../../lib/create.js';
import { ArgumentError, GradcheckError, NonFiniteError } from '../../lib/errors.js';
import { gradcheck } from '../../lib/gradcheck.js';
import type { Tensor } from '../../lib/tensor.js';
import { sum } from '../../ops/reduce.js';
import { abs, exp, log, neg, relu, sigmoid, sqrt, tanh, unaryOp } from '../../ops/unary.js';
import { expectGrads, param } from '../helpers.js';

const f64 = (v: number[] | number[][], requiresGrad = false): Tensor => tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);
/** Positive float64 leaf, away from the singularities of log and sqrt at 0. */
const positive = (shape: number[], seed: number): Tensor => rand(shape, { dtype: 'float64', requiresGrad: true, seed, low: 0.3, high: 2.5 });
/** Values well away from the kink at 0 (|x| >= 0.2), both signs present. */
const awayFromZero = (): Tensor => f64([-1.7, -0.6, -0.2, 0.25, 0.9, 2.3], true);

describe('unary ops', () => {
  it('compute hand-checked values', () => {
    const x = f64([-2, 0, 1]);
    expect(values(neg(x))).to.deep.equal([2, -0, -1]);
    expect(values(exp(x))).to.deep.equal([Math.exp(-2), 1, Math.E]);
    expect(values(log(f64([1, Math.E, 0.5])))).to.deep.equal([0, 1, Math.log(0.5)]);
    expect(values(sqrt(f64([0, 4, 2.25])))).to.deep.equal([0, 2, 1.5]);
    expect(values(abs(x))).to.deep.equal([2, 0, 1]);
    expect(values(sigmoid(x))).to.deep.equal([1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-1))]);
    expect(values(tanh(x))).to.deep.equal([Math.tanh(-2), 0, Math.tanh(1)]);
    expect(values(relu(x))).to.deep.equal([0, 0, 1]);
  });

  it('keep the shape and dtype, and lift a number to a 0-d tensor', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = sqrt(x);
    expect(y.shape).to.deep.equal([2, 3]);
    expect(y.dtype).to.equal('float32');
    const z = exp(0);
    expect(z.shape).to.deep.equal([]);
    expect(z.item()).to.equal(1);
  });

  it('sigmoid saturates without overflow at large |x|', () => {
    expect(values(sigmoid(f64([-800, 800])))).to.deep.equal([0, 1]);
  });

  it('pass gradcheck in float64', () => {
    expectGrads((x) => neg(x), [param([3, 4], 1)]);
    expectGrads((x) => exp(x), [param([3, 4], 2)]);
    expectGrads((x) => log(x), [positive([3, 4], 3)]);
    expectGrads((x) => sqrt(x), [positive([3, 4], 4)]);
    expectGrads((x) => abs(x), [awayFromZero()]);
    expectGrads((x) => sigmoid(x), [param([3, 4], 5, { std: 2 })]);
    expectGrads((x) => tanh(x), [param([3, 4], 6)]);
    expectGrads((x) => relu(x), [awayFromZero()]);
  });

  it('compose: the chain rule through exp(log(x)) gives 1', () => {
    const x = positive([5], 7);
    sum(exp(log(x))).backward();
    for (const g of x.grad!.data) expect(g).to.be.closeTo(1, 1e-12);
  });

  it('route the gradient of abs and relu by sign, taking 0 at the kink', () => {
    const x = f64([-3, 0, 2], true);
    sum(abs(x)).backward();
    expect(values(x.grad!)).to.deep.equal([-1, 0, 1]);
    x.grad = null;
    sum(relu(x)).backward();
    expect(values(x.grad!)).to.deep.equal([0, 0, 1]);
  });

  it('a deliberately wrong derivative is caught by gradcheck', () => {
    const badExp = unaryOp('badExp', Math.exp, (x) => x); // should be e^x
    expect(() => gradcheck((x) => badExp(x), [param([4], 8)])).to.throw(GradcheckError, /FAILED/);
  });

  it('log of a non-positive value throws, naming the element and the fix', () => {
    const x = f64([1, 0, 2]);
    x.name = 'depth';
    expect(() => log(x)).to.throw(NonFiniteError, /log\(x\): x\[1\] \(depth\) = 0 gives -Infinity; log needs x > 0/);
    expect(() =>
      log(
        f64([
          [1, 2],
          [3, -1],
        ]),
      ),
    ).to.throw(NonFiniteError, /x\[1, 1\] = -1 gives NaN/);
    expect(() => log(-1)).to.throw(NonFiniteError, /log\(x\): x = -1 gives NaN/);
  });

  it('sqrt of a negative value throws; the infinite gradient at 0 is reported by the tape', () => {
    expect(() => sqrt(f64([4, -1]))).to.throw(NonFiniteError, /sqrt\(x\): x\[1\] = -1 gives NaN; sqrt needs x >= 0/);
    const x = f64([4, 0], true);
    const y = sum(sqrt(x));
    expect(y.item()).to.equal(2);
    expect(() => y.backward()).to.throw(NonFiniteError, /backward of 'sqrt' produced a non-finite gradient \(Infinity\) for input 0 at flat index 1.*sqrt/);
  });

  it('exp overflow throws instead of returning Infinity', () => {
    expect(() => exp(tensor([1, 100]))).to.throw(NonFiniteError, /exp\(x\): x\[1\] = 100 gives Infinity; exp overflows/);
    expect(exp(f64([100])).data[0]).to.equal(Math.exp(100)); // float64 still has room
  });

  it('reject an argument that is neither a tensor nor a number', () => {
    expect(() => exp('1' as unknown as number)).to.throw(ArgumentError, /x must be a Tensor or a number/);
  });
});

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { customOp } from '../../lib/customOp.js';
import { DTypeError, GradcheckError } from '../../lib/errors.js';
import { gradcheck } from '../../lib/gradcheck.js';
import type { Tensor } from '../../lib/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { param } from '../helpers.js';

// y = sin(x) with a backward that is right or deliberately wrong (cos replaced by sin)
function sine(wrong: boolean) {
  return customOp({
    name: wrong ? 'sineWrong' : 'sine',
    forward(ctx, x: Tensor) {
      const y = ctx.output(x.shape);
      for (let i = 0; i < x.size; i++) y.data[i] = Math.sin(x.data[i]);
      ctx.save(x.data);
      return y;
    },
    backward(ctx, g) {
      const [x] = ctx.saved as [Float64Array];
      const gx = ctx.zeros(x.length);
      for (let i = 0; i < x.length; i++) gx[i] = g![i] * (wrong ? Math.sin(x[i]) : Math.cos(x[i]));
      return [gx];
    },
  });
}

describe('gradcheck', () => {
  it('passes a correct custom op per element and along random directions', () => {
    const x = param([3, 4]);
    expect(gradcheck(sine(false), [x]).mode).to.equal('elements');
    const big = param([3000], 2);
    const r = gradcheck(sine(false), [big]);
    expect(r.mode).to.equal('directions');
    expect(r.ok).to.equal(true);
  });

  it('catches a deliberately wrong backward and names the worst element', () => {
    const x = param([2, 3]);
    x.name = 'x';
    expect(() => gradcheck(sine(true), [x])).to.throw(GradcheckError, /inputs\[0\] \(x\) element \[\d, \d\]/);
    const report = gradcheck(sine(true), [x], { raise: false });
    expect(report.ok).to.equal(false);
    expect(report.worst!.analytic).to.not.be.closeTo(report.worst!.numeric, 1e-3);
    const big = param([5000], 3);
    expect(gradcheck(sine(true), [big], { raise: false }).ok).to.equal(false);
  });

  it('leaves the inputs and their existing gradients as they were', () => {
    const x = param([4]);
    const before = Float64Array.from(x.data);
    x.grad = null;
    gradcheck((t) => mul(t, t), [x]);
    expect(Array.from(x.data)).to.deep.equal(Array.from(before));
    expect(x.grad).to.equal(null);
  });

  it('demands float64 inputs and something to check', () => {
    const x32 = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((t) => mul(t, t), [x32])).to.throw(DTypeError, /float64/);
    const c = tensor([1, 2], { dtype: 'float64' });
    expect(() => gradcheck((t) => mul(t, t), [c])).to.throw(/requiresGrad/);
  });
});

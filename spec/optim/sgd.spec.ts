import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { SGD } from '../../optim/sgd.js';
import { QUADRATIC_MINIMIZER, minimize, quadratic, rosenbrock, rosenbrockStart } from './problems.js';
import { paramWithGrad, setGrad } from './params.js';

describe('SGD', () => {
  describe('one step matches the update formula', () => {
    it('plain: p -= lr * g', () => {
      const p = paramWithGrad([1, 2], [0.5, -1]);
      new SGD([p], { lr: 0.2 }).step();
      expect(p.data[0]).to.be.closeTo(0.9, 1e-15);
      expect(p.data[1]).to.be.closeTo(2.2, 1e-15);
    });

    it('momentum, dampening and weight decay over two steps', () => {
      // d = g + 0.01 p; step 1: b = d; step 2: b = 0.9 b + (1 - 0.1) d; p -= 0.1 b.
      const p = paramWithGrad([1, -2], [0.5, 1]);
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 });
      opt.step(); // d = [0.51, 0.98] = b
      expect(p.data[0]).to.be.closeTo(0.949, 1e-14);
      expect(p.data[1]).to.be.closeTo(-2.098, 1e-14);
      opt.step(); // d = [0.50949, 0.97902], b = [0.917541, 1.763118]
      expect(p.data[0]).to.be.closeTo(0.8572459, 1e-14);
      expect(p.data[1]).to.be.closeTo(-2.2743118, 1e-14);
    });

    it('Nesterov: p -= lr * (d + momentum * b)', () => {
      const p = paramWithGrad([1], [2]);
      const opt = new SGD([p], { lr: 0.1, momentum: 0.5, nesterov: true });
      opt.step(); // b = 2, p -= 0.1 * (2 + 1)
      expect(p.data[0]).to.be.closeTo(0.7, 1e-15);
      opt.step(); // b = 0.5 * 2 + 2 = 3, p -= 0.1 * (2 + 1.5)
      expect(p.data[0]).to.be.closeTo(0.35, 1e-15);
    });

    it('updates float32 parameters in their own storage', () => {
      const p = tensor([1, 2], { requiresGrad: true });
      p.grad = tensor([1, 1]);
      new SGD([p], { lr: 0.5, momentum: 0.9 }).step();
      expect(p.data).to.be.instanceOf(Float32Array);
      expect(Array.from(p.data)).to.deep.equal([0.5, 1.5]);
    });
  });

  describe('converges', () => {
    const variants = {
      plain: { lr: 0.1 },
      momentum: { lr: 0.05, momentum: 0.9 },
      nesterov: { lr: 0.05, momentum: 0.9, nesterov: true },
    };
    for (const [name, options] of Object.entries(variants)) {
      it(`${name}: on the quadratic 0.5 x^T A x - b^T x to A^-1 b`, () => {
        const x = tensor([3, -4], { dtype: 'float64', requiresGrad: true });
        minimize(new SGD([x], options), () => quadratic(x), 300);
        expect(x.data[0]).to.be.closeTo(QUADRATIC_MINIMIZER[0], 1e-6);
        expect(x.data[1]).to.be.closeTo(QUADRATIC_MINIMIZER[1], 1e-6);
      });
    }

    it('plain: on Rosenbrock from (-1.2, 1) to (1, 1) within 20000 steps', () => {
      const [x, y] = rosenbrockStart();
      const loss = minimize(new SGD([x, y], { lr: 1e-3 }), () => rosenbrock(x, y), 20000);
      expect(loss).to.be.lessThan(1e-6);
      expect(x.item()).to.be.closeTo(1, 1e-2);
      expect(y.item()).to.be.closeTo(1, 1e-2);
    });

    for (const nesterov of [false, true]) {
      it(`${nesterov ? 'Nesterov' : 'momentum'}: on Rosenbrock from (-1.2, 1) to (1, 1) within 3000 steps`, () => {
        const [x, y] = rosenbrockStart();
        minimize(new SGD([x, y], { lr: 1e-3, momentum: 0.9, nesterov }), () => rosenbrock(x, y), 3000);
        expect(x.item()).to.be.closeTo(1, 1e-3);
        expect(y.item()).to.be.closeTo(1, 1e-3);
      });
    }
  });

  describe('bad input', () => {
    it('needs a learning rate, from the options or every group', () => {
      const p = paramWithGrad([1]);
      expect(() => new SGD([p])).to.throw(ArgumentError, /learning rate.*options\.lr/);
      expect(() => new SGD([{ params: [p], lr: 0.1 }])).not.to.throw();
    });

    it('rejects negative or non-finite hyperparameters, naming them', () => {
      const p = paramWithGrad([1]);
      expect(() => new SGD([p], { lr: -0.1 })).to.throw(ArgumentError, /lr must be a finite number >= 0/);
      expect(() => new SGD([p], { lr: NaN })).to.throw(ArgumentError, /lr/);
      expect(() => new SGD([p], { lr: 0.1, momentum: -1 })).to.throw(ArgumentError, /momentum/);
      expect(() => new SGD([p], { lr: 0.1, dampening: 1.5 })).to.throw(ArgumentError, /dampening must be in \[0, 1\)/);
      expect(() => new SGD([p], { lr: 0.1, weightDecay: -1 })).to.throw(ArgumentError, /weightDecay/);
      expect(() => new SGD([p], { lr: 0.1, nesterov: 'yes' as unknown as boolean })).to.throw(ArgumentError, /nesterov must be true or false/);
    });

    it('refuses Nesterov without momentum or with dampening', () => {
      const p = paramWithGrad([1]);
      expect(() => new SGD([p], { lr: 0.1, nesterov: true })).to.throw(ArgumentError, /momentum > 0 and dampening 0/);
      expect(() => new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5, nesterov: true })).to.throw(ArgumentError, /dampening 0/);
    });

    it('checks a learning rate set between steps', () => {
      const p = paramWithGrad([1], [1]);
      const opt = new SGD([p], { lr: 0.1 });
      opt.paramGroups[0].lr = -1;
      expect(() => opt.step()).to.throw(ArgumentError, /paramGroups\[0\]\.lr/);
      expect(p.data[0]).to.equal(1);
      setGrad(p, [2]);
      opt.paramGroups[0].lr = 0.5;
      opt.step();
      expect(p.data[0]).to.equal(0);
    });
  });
});

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { Adam } from '../../optim/adam.js';
import { QUADRATIC_MINIMIZER, minimize, quadratic, rosenbrock, rosenbrockStart } from './problems.js';
import { paramWithGrad, setGrad } from './params.js';

describe('Adam', () => {
  describe('one step matches the update formula', () => {
    it('bias-corrected moments over two steps', () => {
      const p = paramWithGrad([1], [0.5]);
      const opt = new Adam([p], { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 });
      opt.step();
      // m = 0.05, v = 0.00025; m/(1-0.9) = 0.5, v/(1-0.999) = 0.25: p -= 0.1 * 0.5 / (0.5 + 1e-8)
      const p1 = 1 - (0.1 * 0.5) / (0.5 + 1e-8);
      expect(p.data[0]).to.be.closeTo(p1, 1e-15);
      setGrad(p, [-1]);
      opt.step();
      // m = 0.9 * 0.05 - 0.1 = -0.055, v = 0.999 * 0.00025 + 0.001 = 0.00124975; t = 2
      const p2 = p1 - (0.1 * (-0.055 / (1 - 0.81))) / (Math.sqrt(0.00124975 / (1 - 0.998001)) + 1e-8);
      expect(p.data[0]).to.be.closeTo(p2, 1e-14);
      expect(p2 - p1).to.be.greaterThan(0.03); // the second step really moved (against the sign of g)
    });

    it('L2 weight decay adds wd * p to the gradient', () => {
      const p = paramWithGrad([2], [0]);
      new Adam([p], { lr: 0.1, weightDecay: 0.5 }).step();
      // g = 0 + 0.5 * 2 = 1: the first bias-corrected step is lr * 1 / (1 + eps)
      expect(p.data[0]).to.be.closeTo(2 - 0.1 / (1 + 1e-8), 1e-15);
    });

    it('decoupled weight decay (AdamW) shrinks p by 1 - lr * wd, apart from the gradient', () => {
      const p = paramWithGrad([2], [0]);
      new Adam([p], { lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true }).step();
      expect(p.data[0]).to.be.closeTo(2 * (1 - 0.05), 1e-15);
    });

    it('keeps its moments in the parameter dtype', () => {
      const p = tensor([1, 2], { requiresGrad: true });
      p.grad = tensor([1, -1]);
      const opt = new Adam([p], { lr: 0.1 });
      opt.step();
      expect(p.data[0]).to.be.closeTo(0.9, 1e-6);
      expect(p.data[1]).to.be.closeTo(2.1, 1e-6);
      const state = opt.stateDict().state[0];
      expect(state.step).to.equal(1);
      expect(Object.keys(state.buffers).sort()).to.deep.equal(['expAvg', 'expAvgSq']);
      expect(state.buffers.expAvg[0]).to.be.closeTo(0.1, 1e-7);
    });
  });

  describe('converges', () => {
    it('on the quadratic 0.5 x^T A x - b^T x to A^-1 b', () => {
      const x = tensor([3, -4], { dtype: 'float64', requiresGrad: true });
      minimize(new Adam([x], { lr: 0.05 }), () => quadratic(x), 2000);
      expect(x.data[0]).to.be.closeTo(QUADRATIC_MINIMIZER[0], 1e-4);
      expect(x.data[1]).to.be.closeTo(QUADRATIC_MINIMIZER[1], 1e-4);
    });

    it('on Rosenbrock from (-1.2, 1) to (1, 1) within 5000 steps', () => {
      const [x, y] = rosenbrockStart();
      minimize(new Adam([x, y], { lr: 2e-2 }), () => rosenbrock(x, y), 5000);
      expect(x.item()).to.be.closeTo(1, 1e-3);
      expect(y.item()).to.be.closeTo(1, 1e-3);
    });
  });

  describe('bad input', () => {
    it('rejects unusable hyperparameters, naming them', () => {
      const p = paramWithGrad([1]);
      expect(() => new Adam([p], { lr: -1 })).to.throw(ArgumentError, /lr/);
      expect(() => new Adam([p], { betas: [0.9] as unknown as [number, number] })).to.throw(ArgumentError, /betas must be a pair/);
      expect(() => new Adam([p], { betas: [1, 0.999] })).to.throw(ArgumentError, /betas\[0\] must be in \[0, 1\)/);
      expect(() => new Adam([p], { betas: [0.9, -0.1] })).to.throw(ArgumentError, /betas\[1\]/);
      expect(() => new Adam([p], { eps: 0 })).to.throw(ArgumentError, /eps must be a finite number > 0/);
      expect(() => new Adam([p], { weightDecay: Infinity })).to.throw(ArgumentError, /weightDecay/);
      expect(() => new Adam([p], { decoupledWeightDecay: 1 as unknown as boolean })).to.throw(ArgumentError, /decoupledWeightDecay/);
    });

    it('defaults lr to 1e-3', () => {
      const opt = new Adam([paramWithGrad([1])]);
      expect(opt.paramGroups[0].lr).to.equal(1e-3);
      expect(opt.paramGroups[0].betas).to.deep.equal([0.9, 0.999]);
    });
  });
});

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { mul } from '../../ops/arithmetic.js';
import { sum } from '../../ops/reduce.js';
import { Adam } from '../../optim/adam.js';
import type { OptimizerStateDict } from '../../optim/optimizer.js';
import { SGD } from '../../optim/sgd.js';
import { paramWithGrad, setGrad } from './params.js';

describe('Optimizer (shared behaviour)', () => {
  describe('parameter groups', () => {
    it('gives each group its own lr, and other hyperparameters from the defaults', () => {
      const positions = paramWithGrad([1, 1], [1, 1], 'positions');
      const normals = paramWithGrad([1], [1], 'normals');
      const opt = new SGD(
        [
          { params: [positions], lr: 0.1 },
          { params: [normals], lr: 0.5, momentum: 0.5 },
        ],
        { lr: 0.01, momentum: 0.9 },
      );
      expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).to.deep.equal([
        [0.1, 0.9],
        [0.5, 0.5],
      ]);
      opt.step();
      expect(Array.from(positions.data)).to.deep.equal([0.9, 0.9]);
      expect(normals.data[0]).to.equal(0.5);
    });

    it('reads a changed lr at the next step (what schedules rely on)', () => {
      const p = paramWithGrad([1], [1]);
      const opt = new SGD([p], { lr: 0.5 });
      opt.paramGroups[0].lr = 0.25;
      opt.step();
      expect(p.data[0]).to.equal(0.75);
    });

    it('adds groups later, and does not share mutable hyperparameters between groups', () => {
      const a = paramWithGrad([1]);
      const b = paramWithGrad([1]);
      const opt = new Adam([a], { lr: 0.1 });
      opt.addParamGroup({ params: [b], lr: 0.2 });
      expect(opt.paramGroups.map((g) => g.lr)).to.deep.equal([0.1, 0.2]);
      opt.paramGroups[0].betas[0] = 0.5;
      expect(opt.paramGroups[1].betas[0]).to.equal(0.9);
      expect(opt.defaults.betas[0]).to.equal(0.9);
    });
  });

  describe('zeroGrad and step', () => {
    it('drops gradients by default and zero-fills them on request', () => {
      const p = paramWithGrad([1], [3]);
      const opt = new SGD([p], { lr: 1 });
      const grad = p.grad!;
      opt.zeroGrad({ setToNone: false });
      expect(p.grad).to.equal(grad);
      expect(p.grad!.data[0]).to.equal(0);
      opt.zeroGrad();
      expect(p.grad).to.equal(null);
    });

    it('skips parameters without a gradient, momentum included', () => {
      const used = paramWithGrad([1], [1]);
      const unused = paramWithGrad([5], [1]);
      const opt = new SGD([used, unused], { lr: 0.1, momentum: 0.9 });
      opt.step();
      expect(unused.data[0]).to.be.closeTo(4.9, 1e-15);
      opt.zeroGrad();
      setGrad(used, [1]);
      opt.step();
      expect(unused.data[0]).to.be.closeTo(4.9, 1e-15);
      expect(used.data[0]).to.be.closeTo(1 - 0.1 - 0.1 * 1.9, 1e-15);
    });

    it('works from a tape gradient: one step of d/dx sum(x*x) = 2x', () => {
      const x = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
      const opt = new SGD([x], { lr: 0.25 });
      opt.zeroGrad();
      sum(mul(x, x)).backward();
      opt.step();
      expect(Array.from(x.data)).to.deep.equal([0.5, -1]);
    });

    it('throws NonFiniteError naming the parameter when a gradient is NaN, and moves nothing', () => {
      const good = paramWithGrad([1], [1]);
      const bad = paramWithGrad([2, 3], [0, NaN], 'normals');
      const opt = new Adam([good, bad], { lr: 0.1 });
      expect(() => opt.step()).to.throw(NonFiniteError, /paramGroups\[0\]\.params\[1\] \('normals'\).*flat index 1/);
      expect(good.data[0]).to.equal(1);
      expect(Array.from(bad.data)).to.deep.equal([2, 3]);
      expect(opt.stateDict().state).to.deep.equal({});
    });
  });

  describe('bad parameters', () => {
    it('rejects an empty list, a bare tensor and a mixed list', () => {
      const p = paramWithGrad([1]);
      expect(() => new SGD([], { lr: 1 })).to.throw(ArgumentError, /params is empty/);
      expect(() => new SGD(p as unknown as Tensor[], { lr: 1 })).to.throw(ArgumentError, /wrap a single tensor as \[param\]/);
      expect(() => new SGD([p, { params: [paramWithGrad([1])] }] as unknown as Tensor[], { lr: 1 })).to.throw(ArgumentError, /mixes tensors and parameter groups/);
      expect(() => new SGD([{ params: p }] as unknown as Tensor[], { lr: 1 })).to.throw(ArgumentError, /paramGroups\[0\] must be an object \{ params/);
      expect(() => new SGD([{ params: [3] }] as unknown as Tensor[], { lr: 1 })).to.throw(ArgumentError, /paramGroups\[0\]\.params\[0\] is not a Tensor/);
    });

    it('rejects parameters that do not require grad, non-leaves and duplicates', () => {
      const constant = tensor([1], { name: 'c' });
      expect(() => new SGD([constant], { lr: 1 })).to.throw(ArgumentError, /\('c'\) does not require grad; create it with requiresGrad: true/);
      const p = paramWithGrad([1]);
      expect(() => new SGD([mul(p, 2)], { lr: 1 })).to.throw(ArgumentError, /not a leaf/);
      expect(() => new SGD([{ params: [p] }, { params: [p] }], { lr: 1 })).to.throw(ArgumentError, /paramGroups\[1\]\.params\[0\] appears more than once/);
    });

    it('rejects unknown hyperparameter names instead of ignoring them', () => {
      const p = paramWithGrad([1]);
      expect(() => new SGD([p], { lr: 1, weight_decay: 0.1 } as unknown as { lr: number })).to.throw(ArgumentError, /unknown hyperparameter 'weight_decay'.*weightDecay/);
      expect(() => new Adam([{ params: [p], beta1: 0.5 } as unknown as { params: Tensor[] }])).to.throw(ArgumentError, /paramGroups\[0\] has an unknown hyperparameter 'beta1'/);
    });
  });

  describe('stateDict', () => {
    function run(opt: SGD | Adam, ps: Tensor[], steps: number): void {
      for (let k = 0; k < steps; k++) {
        ps.forEach((p, i) =>
          setGrad(
            p,
            Array.from(p.data, (v) => v * (i + 1) + 0.1 * k),
          ),
        );
        opt.step();
      }
    }

    for (const [name, make] of [
      ['SGD', (ps: Tensor[][]) => new SGD([{ params: ps[0] }, { params: ps[1], lr: 0.02 }], { lr: 0.05, momentum: 0.9, nesterov: true })],
      ['Adam', (ps: Tensor[][]) => new Adam([{ params: ps[0] }, { params: ps[1], lr: 0.02 }], { lr: 0.05 })],
    ] as const) {
      it(`${name}: a run resumed from a JSON checkpoint continues exactly like the original`, () => {
        const original = [[paramWithGrad([1, 2])], [paramWithGrad([-1])]];
        const opt = make(original);
        run(opt, original.flat(), 3);
        opt.paramGroups[1].lr = 0.01;
        const checkpoint = JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict;
        const resumed = original.map((g) => g.map((p) => p.clone({ requiresGrad: true })));
        const opt2 = make(resumed);
        opt2.loadStateDict(checkpoint);
        expect(opt2.paramGroups[1].lr).to.equal(0.01);
        run(opt, original.flat(), 3);
        run(opt2, resumed.flat(), 3);
        expect(resumed.flat().map((p) => Array.from(p.data))).to.deep.equal(original.flat().map((p) => Array.from(p.data)));
      });
    }

    it('stateDict is a copy: later steps do not change it', () => {
      const p = paramWithGrad([1], [1]);
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
      opt.step();
      const dict = opt.stateDict();
      opt.step();
      expect(dict.state[0].buffers.momentum).to.deep.equal([1]);
      expect(dict.paramGroups).to.deep.equal([{ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, params: [0] }]);
    });

    it('refuses a checkpoint of other parameters, and leaves the optimizer as it was', () => {
      const p = paramWithGrad([1, 2], [1, 1]);
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
      opt.step();
      const good = opt.stateDict();
      expect(() => opt.loadStateDict(null as unknown as OptimizerStateDict)).to.throw(ArgumentError, /as returned by stateDict/);
      expect(() => opt.loadStateDict({ ...good, paramGroups: [] })).to.throw(ArgumentError, /0 parameter groups but this optimizer has 1/);
      expect(() => opt.loadStateDict({ ...good, paramGroups: [{ ...good.paramGroups[0], params: [0, 1] }] })).to.throw(ArgumentError, /2 parameters in dict but 1 here/);
      expect(() => opt.loadStateDict({ ...good, paramGroups: [{ ...good.paramGroups[0], lr: -1 }] })).to.throw(ArgumentError, /lr/);
      expect(() => opt.loadStateDict({ ...good, paramGroups: [{ ...good.paramGroups[0], foo: 1 }] })).to.throw(ArgumentError, /unknown hyperparameter 'foo'/);
      expect(() => opt.loadStateDict({ ...good, state: { 3: good.state[0] } })).to.throw(ArgumentError, /parameter 3 but there are only 1/);
      expect(() => opt.loadStateDict({ ...good, state: { 0: { step: -1, buffers: {} } } })).to.throw(ArgumentError, /step must be an integer >= 0/);
      expect(() => opt.loadStateDict({ ...good, state: { 0: { step: 1, buffers: { momentum: [1] } } } })).to.throw(ShapeError, /'momentum'.*1 values but the parameter has 2/);
      expect(() => opt.loadStateDict({ ...good, state: { 0: { step: 1, buffers: { momentum: [1, NaN] } } } })).to.throw(NonFiniteError, /corrupt/);
      expect(opt.stateDict()).to.deep.equal(good);
    });
  });
});

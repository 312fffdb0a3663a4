import { expect } from 'chai';
import { rand, randn, tensor } from '../../../lib/create.js';
import { customOp } from '../../../lib/customOp.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { Tensor } from '../../../lib/tensor.js';
import { chamferLoss } from '../../../ops/pointSets/chamfer.js';
import { chamferLossReference } from '../../../ops/pointSets/chamferReference.js';
import { fScore } from '../../../ops/pointSets/fScore.js';
import { mul } from '../../../ops/arithmetic.js';
import { sum } from '../../../ops/reduce.js';
import { Adam } from '../../../optim/adam.js';
import { chamferDistance } from '../../../geometry/metrics.js';
import { loadMesh } from '../../../geometry/loadMesh.js';
import { samplePoints } from '../../../geometry/sampling.js';
import { expectGrads, param } from '../../helpers.js';

const REDUCTIONS = ['mean', 'sum', 'none'] as const;

/** Value and gradients of both clouds, seeded with a fixed random output weight. */
function evaluate(f: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor) {
  a.grad = b.grad = null;
  const y = f(a, b);
  sum(mul(y, randn(y.shape as number[], { dtype: y.dtype, seed: 3 }))).backward();
  return { y: Array.from(y.data), ga: Array.from(a.grad!.data), gb: Array.from(b.grad!.data) };
}

function maxDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('chamferLoss', () => {
  for (const squared of [true, false]) {
    for (const reduction of REDUCTIONS) {
      it(`matches finite differences in both clouds (squared ${squared}, reduction '${reduction}'), and so does its twin`, () => {
        const a = param([7, 3], 1),
          b = param([9, 3], 2);
        expectGrads((a, b) => chamferLoss(a, b, { squared, reduction, threads: 1 }), [a, b]);
        expectGrads((a, b) => chamferLossReference(a, b, { squared, reduction }), [a, b]);
      });
    }
  }

  it('a backward that forgets to push the neighbour back is caught', () => {
    const wrong = customOp({
      name: 'chamferWrong',
      forward(ctx, a: Tensor, b: Tensor) {
        ctx.save(a, b);
        return new Tensor(chamferLoss(a.detach(), b.detach(), { squared: true }).data, []);
      },
      backward(ctx, g) {
        const [a, b] = (ctx.saved as Tensor[]).map((t) => t.clone({ requiresGrad: true }));
        mul(chamferLoss(a, b, { squared: true }), g![0]).backward();
        return [a.grad!.data, null]; // b's share dropped
      },
    });
    expect(gradcheck(wrong, [param([6, 3], 3), param([5, 3], 4)], { raise: false }).ok).to.equal(false);
  });

  it('agrees with its twin on a few hundred points, and gives the same bits on 1 and 2 threads', () => {
    const a = rand([1300, 3], { dtype: 'float64', requiresGrad: true, seed: 5 }),
      b = rand([1100, 3], { dtype: 'float64', requiresGrad: true, seed: 6, low: 0.1, high: 1.2 });
    for (const squared of [true, false]) {
      const one = evaluate((a, b) => chamferLoss(a, b, { squared, threads: 1 }), a, b);
      const two = evaluate((a, b) => chamferLoss(a, b, { squared, threads: 2 }), a, b);
      expect(two).to.deep.equal(one);
      const small = [rand([300, 3], { dtype: 'float64', requiresGrad: true, seed: 7 }), rand([250, 3], { dtype: 'float64', requiresGrad: true, seed: 8 })] as const;
      const fast = evaluate((a, b) => chamferLoss(a, b, { squared, reduction: 'none', threads: 2 }), ...small);
      const twin = evaluate((a, b) => chamferLossReference(a, b, { squared, reduction: 'none' }), ...small);
      expect(maxDiff(fast.y, twin.y)).to.be.lessThan(1e-14);
      expect(maxDiff(fast.ga, twin.ga)).to.be.lessThan(1e-12);
      expect(maxDiff(fast.gb, twin.gb)).to.be.lessThan(1e-12);
    }
  });

  it('unsquared with reduction mean is twice the Chamfer that geometry/metrics reports', () => {
    const a = samplePoints(loadMesh('bunny'), 2000, { seed: 1 }),
      b = samplePoints(loadMesh('bunny'), 1500, { seed: 2 });
    const ours = chamferLoss(a, b, { squared: false }).item();
    expect(ours).to.be.closeTo(2 * chamferDistance(a.positions, b.positions).chamferRaw, 1e-12);
  });

  it('takes clouds, flat arrays and tensors alike, with gradients only to tensors', () => {
    const cloud = samplePoints(loadMesh('sphere'), 200, { seed: 3 });
    const t = tensor(cloud.positions.slice(), { shape: [200, 3], dtype: 'float64', requiresGrad: true });
    for (let i = 0; i < t.size; i++) t.data[i] *= 1.05;
    const fromCloud = chamferLoss(t, cloud, { squared: true });
    const fromArray = chamferLoss(t, new Float32Array(cloud.positions), { squared: true });
    expect(fromCloud.item()).to.be.greaterThan(0);
    expect(fromArray.item()).to.be.closeTo(fromCloud.item(), 1e-6);
    fromCloud.backward();
    expect(t.grad!.data.some((g) => g !== 0)).to.equal(true);
    expect(chamferLoss(new Float32Array(cloud.positions), cloud.positions, { squared: true }).dtype).to.equal('float64');
  });

  it('pulls one cloud onto another (a small fit lowers the loss tenfold)', () => {
    const target = samplePoints(loadMesh('torus'), 600, { seed: 4 });
    const x = randn([600, 3], { requiresGrad: true, seed: 5, std: 0.3 });
    const opt = new Adam([x], { lr: 0.02 });
    const first = chamferLoss(x, target, { squared: true }).item();
    let last = first;
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      const loss = chamferLoss(x, target, { squared: true });
      last = loss.item();
      loss.backward();
      opt.step();
    }
    expect(last, `${first} -> ${last}`).to.be.lessThan(0.1 * first);
  });

  it('rejects bad input, and asks which Chamfer is meant', () => {
    const a = randn([4, 3]);
    expect(() => chamferLoss(a, a, {} as never)).to.throw(ArgumentError, /squared is required.*AtlasNet/);
    expect(() => chamferLoss(a, a, undefined as never)).to.throw(ArgumentError, /squared/);
    expect(() => chamferLoss(a, a, { squared: true, reduction: 'max' as never })).to.throw(ArgumentError, /reduction/);
    expect(() => chamferLoss(randn([4, 2]), a, { squared: true })).to.throw(ShapeError, /N x 3/);
    expect(() => chamferLoss(new Float64Array(0), a, { squared: true })).to.throw(ArgumentError, /empty/);
    expect(() => chamferLoss(new Float64Array(4), a, { squared: true })).to.throw(ShapeError, /multiple of 3/);
    expect(() => chamferLoss(new Float64Array([0, Number.NaN, 0]), a, { squared: true })).to.throw(NonFiniteError, /a/);
    expect(() => chamferLoss('points' as never, a, { squared: true })).to.throw(ArgumentError, /must be points/);
  });
});

describe('fScore', () => {
  it('counts the points within tau each way', () => {
    // a: 4 points on a line; b: 2 of them exactly, one 0.3 away, nothing near a's last
    const a = new Float64Array([0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0]);
    const b = new Float64Array([0, 0, 0, 1, 0, 0, 2, 0.3, 0]);
    const r = fScore(a, b, 0.1);
    expect(r.precision).to.equal(2 / 4);
    expect(r.recall).to.equal(2 / 3);
    expect(r.fScore).to.be.closeTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 1e-15);
    const wide = fScore(a, b, 0.3);
    expect([wide.precision, wide.recall]).to.deep.equal([3 / 4, 1]);
    expect(fScore(a, new Float64Array([9, 9, 9]), 0.1).fScore).to.equal(0);
    expect(() => fScore(a, b, -1)).to.throw(ArgumentError, /tau/);
  });
});

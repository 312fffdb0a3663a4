import { expect } from 'chai';
import { rand, randn } from '../../../lib/create.js';
import { customOp } from '../../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { Random } from '../../../lib/random.js';
import { Tensor } from '../../../lib/tensor.js';
import { EMD_EVALUATION, EMD_TRAINING, assignedDistance, emdLoss } from '../../../ops/pointSets/emd.js';
import { emdLossReference, exactAssignment } from '../../../ops/pointSets/emdReference.js';
import { hungarian } from '../../../ops/pointSets/hungarian.js';
import { mul } from '../../../ops/arithmetic.js';
import { Adam } from '../../../optim/adam.js';
import { loadMesh } from '../../../geometry/loadMesh.js';
import { samplePoints } from '../../../geometry/sampling.js';
import { expectGrads, param } from '../../helpers.js';

function isPermutation(p: Int32Array): boolean {
  const seen = new Uint8Array(p.length);
  for (const j of p) {
    if (j < 0 || j >= p.length || seen[j]) return false;
    seen[j] = 1;
  }
  return true;
}

/** Mean |a_i - b_p(i)|. */
function meanDistance(a: ArrayLike<number>, b: ArrayLike<number>, p: Int32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.hypot(a[3 * i] - b[3 * p[i]], a[3 * i + 1] - b[3 * p[i] + 1], a[3 * i + 2] - b[3 * p[i] + 2]);
  return s / p.length;
}

/** Every permutation of 0..n-1 (for n <= 7). */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

describe('hungarian (the exact assignment)', () => {
  it('finds the cheapest permutation, as brute force does', () => {
    const rng = new Random(1);
    for (let n = 1; n <= 7; n++) {
      const cost = Array.from({ length: n * n }, () => Math.round(rng.uniform(0, 20)) / 4); // ties included
      const best = Math.min(...permutations(n).map((p) => p.reduce((s, j, i) => s + cost[i * n + j], 0)));
      const p = hungarian(cost, n);
      expect(isPermutation(p)).to.equal(true);
      expect(Array.from(p).reduce((s, j, i) => s + cost[i * n + j], 0)).to.be.closeTo(best, 1e-12);
    }
    expect(() => hungarian([1, 2, 3], 2)).to.throw(ArgumentError, /n x n/);
  });
});

describe('emdLoss (auction)', () => {
  it('at the evaluation setting is within 1% of the exact assignment, and a bijection', () => {
    const cases: [string, Float64Array, Float64Array][] = [];
    for (const n of [64, 128, 256])
      cases.push([`uniform ${n}`, rand([n, 3], { dtype: 'float64', seed: n }).data as Float64Array, rand([n, 3], { dtype: 'float64', seed: n + 1 }).data as Float64Array]);
    cases.push(['bunny vs sphere 256', samplePoints(loadMesh('bunny'), 256, { seed: 1 }).positions, samplePoints(loadMesh('sphere'), 256, { seed: 2 }).positions]);
    cases.push(['bunny vs bunny 200', samplePoints(loadMesh('bunny'), 200, { seed: 3 }).positions, samplePoints(loadMesh('bunny'), 200, { seed: 4 }).positions]);
    for (const [name, a, b] of cases) {
      const exact = meanDistance(a, b, exactAssignment(a, b));
      const r = emdLoss(a, b, { ...EMD_EVALUATION, threads: 1 });
      expect(isPermutation(r.assignment), name).to.equal(true);
      expect(r.repaired, name).to.equal(0);
      expect(r.eps).to.equal(EMD_EVALUATION.eps);
      const found = r.loss.item();
      expect(found, name).to.be.closeTo(meanDistance(a, b, r.assignment), 1e-12);
      expect(found / exact - 1, `${name}: auction ${found} vs exact ${exact}`).to.be.within(-1e-12, 0.01);
    }
  });

  it('at the training setting still returns a bijection, repairing what the rounds left', () => {
    const a = samplePoints(loadMesh('bunny'), 1024, { seed: 5 }).positions,
      b = samplePoints(loadMesh('teapot'), 1024, { seed: 6 }).positions;
    const r = emdLoss(a, b, EMD_TRAINING);
    expect(isPermutation(r.assignment)).to.equal(true);
    expect(r.rounds).to.be.at.most(EMD_TRAINING.iterations);
    const starved = emdLoss(a, b, { eps: 0.005, iterations: 1 });
    expect(starved.repaired, 'one round leaves bidders unassigned').to.be.greaterThan(0);
    expect(isPermutation(starved.assignment)).to.equal(true);
    expect(starved.loss.item()).to.be.greaterThan(r.loss.item());
  });

  it('gives the same assignment and bits on 1 and 2 threads', () => {
    const a = rand([700, 3], { seed: 7 }),
      b = rand([700, 3], { seed: 8 });
    const one = emdLoss(a, b, { eps: 0.002, iterations: 2000, threads: 1 }),
      two = emdLoss(a, b, { eps: 0.002, iterations: 2000, threads: 2 });
    expect(Array.from(two.assignment)).to.deep.equal(Array.from(one.assignment));
    expect(two.loss.item()).to.equal(one.loss.item());
    expect(two.rounds).to.equal(one.rounds);
  });

  it('matches finite differences through the assignment (auction and exact twin)', () => {
    const a = param([12, 3], 1),
      b = param([12, 3], 2);
    expectGrads((a, b) => emdLoss(a, b, { ...EMD_EVALUATION, threads: 1 }).loss, [a, b]);
    expectGrads((a, b) => emdLossReference(a, b).loss, [a, b]);
    const p = exactAssignment(a.data, b.data);
    expectGrads((a, b) => assignedDistance(a, b, p), [a, b]);
  });

  it('a backward that forgets the mean (1/n) is caught', () => {
    const a = param([6, 3], 3),
      b = param([6, 3], 4);
    const p = exactAssignment(a.data, b.data);
    const wrong = customOp({
      name: 'emdWrong',
      forward(ctx, a: Tensor, b: Tensor) {
        ctx.save(a, b);
        return new Tensor(assignedDistance(a.detach(), b.detach(), p).data, []);
      },
      backward(ctx, g) {
        const [a, b] = (ctx.saved as Tensor[]).map((t) => t.clone({ requiresGrad: true }));
        mul(assignedDistance(a, b, p), 6 * g![0]).backward();
        return [a.grad!.data, b.grad!.data];
      },
    });
    expect(gradcheck(wrong, [a, b], { raise: false }).ok).to.equal(false);
  });

  it('moves a cloud onto another (a small fit lowers the EMD threefold)', () => {
    const target = samplePoints(loadMesh('cube'), 256, { seed: 9 });
    const x = randn([256, 3], { requiresGrad: true, seed: 10, std: 0.2 });
    const opt = new Adam([x], { lr: 0.02 });
    const first = emdLoss(x, target).loss.item();
    let last = first;
    for (let step = 0; step < 60; step++) {
      opt.zeroGrad();
      const { loss } = emdLoss(x, target);
      last = loss.item();
      loss.backward();
      opt.step();
    }
    expect(last, `${first} -> ${last}`).to.be.lessThan(first / 3);
  });

  it('rejects clouds of different sizes and unusable settings', () => {
    const a = randn([5, 3]);
    expect(() => emdLoss(a, randn([6, 3]))).to.throw(ShapeError, /one to one/);
    expect(() => emdLoss(a, a, { eps: 0 })).to.throw(ArgumentError, /eps/);
    expect(() => emdLoss(a, a, { iterations: 0 })).to.throw(ArgumentError, /iterations/);
    expect(() => emdLossReference(a, randn([4, 3]))).to.throw(ShapeError);
  });
});

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { customOp } from '../../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { Random } from '../../../lib/random.js';
import type { Tensor } from '../../../lib/tensor.js';
import { binPixels } from '../../../ops/silhouette/pixelBins.js';
import { structureAwareRepulsion } from '../../../ops/silhouette/repulsion.js';
import { structureAwareRepulsionReference } from '../../../ops/silhouette/repulsionReference.js';
import { sampleImage } from '../../../ops/silhouette/sampleImage.js';
import { expectGrads } from '../../helpers.js';

/** n points in a square of side `span` px, weights in [0, 1] (a quarter exactly 0), biases in [0, 1]. */
function scene(n: number, span: number, seed: number) {
  const rng = new Random(seed);
  const p = Float64Array.from({ length: 2 * n }, () => rng.uniform(0, span));
  const w = Float64Array.from({ length: n }, (_, j) => (j % 4 === 3 ? 0 : rng.uniform(0.1, 1)));
  const d = Float64Array.from({ length: n }, () => rng.uniform(0, 1));
  const leaf = (data: Float64Array, shape: number[]) => tensor(data, { shape, dtype: 'float64', requiresGrad: true });
  return { pixels: leaf(p, [n, 2]), weights: leaf(w, [n]), bias: leaf(d, [n]) };
}

/** Pairs closer than the cut-off (so a comparison is known to exercise the kernel). */
function pairsWithin(pixels: Tensor, radius: number): number {
  const P = pixels.data,
    n = pixels.shape[0];
  let count = 0;
  for (let j = 0; j < n; j++) for (let k = j + 1; k < n; k++) if (Math.hypot(P[2 * j] - P[2 * k], P[2 * j + 1] - P[2 * k + 1]) < radius) count++;
  return count;
}

/** Value and the three gradients of `op` at a scene. */
function evaluate(op: typeof structureAwareRepulsion, s: ReturnType<typeof scene>, sigma: number, threads?: number) {
  const leaves = [s.pixels, s.weights, s.bias];
  for (const t of leaves) t.grad = null;
  const e = op(s.pixels, s.weights, s.bias, { sigma, threads });
  e.backward();
  return { value: e.item(), grads: leaves.map((t) => Float64Array.from(t.grad!.data)) };
}

describe('structure-aware repulsion (eq. 5)', () => {
  it('the binned sum equals the O(N^2) twin in value and in every gradient', () => {
    const s = scene(300, 60, 1);
    const sigma = 2.5;
    expect(pairsWithin(s.pixels, 3 * sigma), 'pairs inside the cut-off').to.be.greaterThan(2000);
    const fast = evaluate(structureAwareRepulsion, s, sigma, 1);
    const twin = evaluate(structureAwareRepulsionReference, s, sigma);
    expect(fast.value).to.be.greaterThan(10);
    expect(fast.value).to.be.closeTo(twin.value, 1e-10 * twin.value);
    fast.grads.forEach((g, i) => {
      let worst = 0,
        scale = 0;
      for (let k = 0; k < g.length; k++) {
        worst = Math.max(worst, Math.abs(g[k] - twin.grads[i][k]));
        scale = Math.max(scale, Math.abs(twin.grads[i][k]));
      }
      expect(scale, `gradient ${i} is not all zero`).to.be.greaterThan(0);
      expect(worst, `gradient ${i}`).to.be.lessThan(1e-10 * scale);
    });
  });

  it('matches finite differences in positions, weights and biases (binned and twin)', () => {
    const s = scene(40, 12, 2);
    expect(pairsWithin(s.pixels, 6)).to.be.greaterThan(100);
    expectGrads((p, w, d) => structureAwareRepulsion(p, w, d, { sigma: 2 }), [s.pixels, s.weights, s.bias]);
    expectGrads((p, w, d) => structureAwareRepulsionReference(p, w, d, { sigma: 2 }), [s.pixels, s.weights, s.bias]);
  });

  it("a wrong backward (the a_j w_j' half of the pair force dropped) is caught", () => {
    const s = scene(30, 10, 3);
    const wrong = customOp({
      name: 'repulsionHalfForce',
      forward(ctx, p: Tensor, w: Tensor, d: Tensor) {
        const out = ctx.output([]);
        out.data[0] = structureAwareRepulsion(p.detach(), w.detach(), d.detach(), { sigma: 2 }).item();
        ctx.save(p, w, d);
        return out;
      },
      backward(ctx, g) {
        const [p, w, d] = ctx.saved as Tensor[];
        const n = w.size,
          P = p.data;
        const gp = ctx.zeros(2 * n);
        for (let j = 0; j < n; j++) {
          for (let k = 0; k < n; k++) {
            if (k === j) continue;
            const dx = P[2 * j] - P[2 * k],
              dy = P[2 * j + 1] - P[2 * k + 1];
            const d2 = dx * dx + dy * dy;
            if (d2 >= 36) continue;
            const f = -0.5 * g![0] * w.data[k] * w.data[j] * Math.exp(d.data[k]) * Math.exp(-d2 / 4); // only a_j' w_j
            gp[2 * j] += f * dx;
            gp[2 * j + 1] += f * dy;
          }
        }
        return [gp, null, null];
      },
    });
    const report = gradcheck((p) => wrong(p, s.weights.detach(), s.bias.detach()), [s.pixels], { raise: false });
    expect(report.ok, report.message).to.equal(false);
  });

  it('gives the same bits on 1 and 2 threads', () => {
    const s = scene(3000, 120, 4);
    const one = evaluate(structureAwareRepulsion, s, 2, 1);
    const two = evaluate(structureAwareRepulsion, s, 2, 2);
    expect(two.value).to.equal(one.value);
    two.grads.forEach((g, i) => expect(Buffer.from(g.buffer).equals(Buffer.from(one.grads[i].buffer)), `gradient ${i}`).to.equal(true));
  });

  it('a point off the mask feels no repulsion and changes no other point', () => {
    // a 20 x 20 mask, object on its left half; point 0 sits well inside the background
    const mask = new Float64Array(400);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 10; x++) mask[y * 20 + x] = 1;
    const image = tensor(mask, { shape: [20, 20], dtype: 'float64' });
    const rng = new Random(5);
    const inside = Array.from({ length: 30 }, () => [rng.uniform(1, 9), rng.uniform(1, 19)]);
    const energy = (pts: number[][]) => {
      const p = tensor(pts, { dtype: 'float64', requiresGrad: true });
      const w = sampleImage(image, p);
      const e = structureAwareRepulsion(p, w, tensor(new Float64Array(pts.length), { dtype: 'float64' }), { sigma: 3 });
      e.backward();
      return { e: e.item(), g: p.grad!.data, w };
    };
    const withStray = energy([[12.7, 10.2], ...inside]);
    expect(withStray.w.data[0]).to.equal(0);
    expect(withStray.g[0]).to.equal(0);
    expect(withStray.g[1]).to.equal(0);
    expect(Math.hypot(withStray.g[2], withStray.g[3]), 'inside points do feel it').to.be.greaterThan(0);
    const without = energy(inside);
    expect(withStray.e).to.be.closeTo(without.e, 1e-12 * without.e); // the same sum, cut into other ranges
    for (let k = 0; k < 2 * inside.length; k++) expect(withStray.g[k + 2]).to.equal(without.g[k]);
  });

  it('bins a scattered cloud into a bounded grid and every near pair into neighbouring cells', () => {
    const P = new Float64Array([0, 0, 1e6, 1e6, 1, 1, 2, 0.5]);
    const w = new Float64Array([1, 1, 0, 1]);
    const bins = binPixels(P, w, 3, false);
    expect(bins.nx * bins.ny).to.be.at.most(4 * 3 + 16);
    expect(Array.from(bins.order).sort()).to.deep.equal([0, 1, 3]);
  });

  it('rejects bad input with typed errors', () => {
    const s = scene(4, 5, 6);
    expect(() => structureAwareRepulsion(s.pixels, s.weights, s.bias, { sigma: 0 })).to.throw(ArgumentError, /sigma/);
    expect(() => structureAwareRepulsion(s.pixels, s.bias, s.weights, { sigma: 1, cutoff: -1 })).to.throw(ArgumentError, /cutoff/);
    expect(() => structureAwareRepulsion(s.pixels, tensor([1, 2], { dtype: 'float64' }), s.bias, { sigma: 1 })).to.throw(ShapeError, /weights/);
    expect(() => structureAwareRepulsion(s.weights, s.weights, s.bias, { sigma: 1 })).to.throw(ShapeError, /\[N, 2\]/);
  });
});

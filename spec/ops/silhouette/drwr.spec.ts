import { expect } from 'chai';
import { Camera } from '../../../geometry/camera.js';
import { loadMesh } from '../../../geometry/loadMesh.js';
import { rasterizeMesh } from '../../../geometry/rasterize.js';
import { fibonacciViews } from '../../../geometry/views.js';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { Random } from '../../../lib/random.js';
import { noGrad } from '../../../lib/tape.js';
import { Adam } from '../../../optim/adam.js';
import type { Tensor } from '../../../lib/tensor.js';
import { add, div, mul } from '../../../ops/arithmetic.js';
import { projectPoints } from '../../../ops/project.js';
import { DrwrView, drwrLoss } from '../../../ops/silhouette/drwr.js';
import { structureAwareRepulsion } from '../../../ops/silhouette/repulsion.js';
import { sampleImage } from '../../../ops/silhouette/sampleImage.js';
import { drwrLossReference } from '../../../ops/silhouette/drwrReference.js';
import { SMOOTH_SILHOUETTE_EDGE, boundaryBias, smoothSilhouette } from '../../../ops/silhouette/silhouetteImages.js';
import { expectGrads } from '../../helpers.js';

/** A W x H mask of the disc of radius r around (cx, cy) (pixel centres). */
function disc(W: number, H: number, cx: number, cy: number, r: number): Float32Array {
  const m = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < r ? 1 : 0;
  return m;
}

/** Views of the built-in sphere (radius 0.5) from `n` cameras at `size` px. */
function sphereViews(n: number, size: number): DrwrView[] {
  const sphere = loadMesh('sphere');
  return fibonacciViews(n, { radius: 0.9, width: size, height: size }).map((c) => new DrwrView(c, rasterizeMesh(sphere, c).alpha.data));
}

/** n seeded points in the cube [-s, s]^3, as a float64 leaf. */
function cloud(n: number, s: number, seed: number) {
  const rng = new Random(seed);
  return tensor(
    Float64Array.from({ length: 3 * n }, () => rng.uniform(-s, s)),
    { shape: [n, 3], dtype: 'float64', requiresGrad: true },
  );
}

describe('DRWR images (eq. 3-5)', () => {
  const W = 24,
    H = 20;
  const mask = disc(W, H, 12, 10, 5);

  it('the smooth silhouette is 1 on the object and falls with the distance off it', () => {
    const v = smoothSilhouette(mask, W, H);
    const diagonal = Math.hypot(W, H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        if (mask[p]) expect(v[p]).to.equal(1);
        else {
          // the nearest object pixel, brute force
          let d = Infinity;
          for (let q = 0; q < W * H; q++) if (mask[q]) d = Math.min(d, Math.hypot((q % W) - x, Math.floor(q / W) - y));
          expect(v[p]).to.be.closeTo(SMOOTH_SILHOUETTE_EDGE - d / diagonal, 1e-6);
          expect(v[p]).to.be.lessThan(SMOOTH_SILHOUETTE_EDGE);
        }
      }
    }
  });

  it('the boundary bias is the mean over R rings of the ring means, 1 deep inside and 0 far off', () => {
    const big = disc(40, 40, 20, 20, 14);
    const R = 5;
    const b = boundaryBias(big, 40, 40, R);
    for (const [x, y] of [
      [20, 20],
      [8, 20],
      [6, 20],
      [3, 3],
      [33, 25],
      [0, 39],
    ]) {
      let total = 0;
      for (let r = 1; r <= R; r++) {
        let ring = 0;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) {
            if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
            const u = x + dx,
              v = y + dy;
            if (u >= 0 && v >= 0 && u < 40 && v < 40) ring += big[v * 40 + u];
          }
        }
        total += ring / (8 * r);
      }
      expect(b[y * 40 + x], `(${x}, ${y})`).to.be.closeTo(total / R, 1e-6);
    }
    expect(b[20 * 40 + 20]).to.equal(1);
    expect(b[3 * 40 + 3]).to.equal(0);
    expect(b[20 * 40 + 8]).to.be.within(0.3, 0.999);
  });
});

describe('DRWR loss (eq. 6)', () => {
  const cameras = [Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 24, height: 24, fovY: 40 }), Camera.lookAt({ eye: [3, 0.5, 0], target: [0, 0, 0], width: 24, height: 24, fovY: 40 })];
  const views = [new DrwrView(cameras[0], disc(24, 24, 12, 12, 6)), new DrwrView(cameras[1], disc(24, 24, 11, 13, 5))];

  it('matches finite differences in both terms, differentiated through everything (float64)', () => {
    const p = cloud(30, 0.6, 1);
    const all = { sigma: 2, weightGradients: 'all' } as const;
    const terms = drwrLoss(p, views, all);
    expect(terms.unary.item(), 'some points lie off the silhouettes').to.be.greaterThan(0.01);
    expect(terms.repulsion.item(), 'some pairs repel').to.be.greaterThan(0.01);
    expectGrads((x) => drwrLoss(x, views, all).unary, [p]);
    expectGrads((x) => drwrLoss(x, views, all).repulsion, [p]);
    expectGrads((x) => drwrLoss(x, views, { ...all, sigma: [2, 1.5], beta: 3, biasScale: 2 }).loss, [p]);
  });

  it("with weightGradients 'none' and 'bias' is the gradient with the weights (and biases) held at their values", () => {
    const p = cloud(30, 0.6, 5);
    const sigma = [2, 1.5];
    /** eq. 6 with w (and delta unless `biasLive`) sampled once at p0 and then held constant. */
    const frozen = (at: Tensor, biasLive: boolean) => {
      const p0 = at.clone(); // a snapshot: gradcheck moves `at` itself
      return (x: Tensor) => {
        let repulsion: Tensor | null = null;
        views.forEach((view, i) => {
          const images = view.images('float64');
          const pixels = projectPoints(x, view.camera);
          const fixedPixels = projectPoints(p0, view.camera);
          const w = sampleImage(images.mask, fixedPixels);
          const delta = mul(sampleImage(images.bias, biasLive ? pixels : fixedPixels), 2);
          const e = structureAwareRepulsion(pixels, w, delta, { sigma: sigma[i] });
          repulsion = repulsion ? add(repulsion, e) : e;
        });
        return div(repulsion!, 2 * 30);
      };
    };
    for (const [mode, biasLive] of [
      ['none', false],
      ['bias', true],
    ] as const) {
      p.grad = null;
      drwrLoss(p, views, { sigma, biasScale: 2, weightGradients: mode }).repulsion.backward();
      const g = Float64Array.from(p.grad!.data);
      p.grad = null;
      const f = frozen(p, biasLive);
      f(p).backward();
      g.forEach((v, i) => expect(v, `${mode} [${i}]`).to.be.closeTo(p.grad!.data[i], 1e-12));
      expectGrads(f, [p]);
    }
  });

  it('equals its O(N^2) twin in value and gradient', () => {
    const p = cloud(120, 0.6, 2);
    const fast = drwrLoss(p, views, { sigma: 1.5 });
    fast.loss.backward();
    const g = Float64Array.from(p.grad!.data);
    p.grad = null;
    const twin = drwrLossReference(p, views, { sigma: 1.5 });
    twin.loss.backward();
    expect(fast.loss.item()).to.be.closeTo(twin.loss.item(), 1e-12);
    expect(fast.repulsion.item()).to.be.greaterThan(0.1);
    g.forEach((v, i) => expect(v).to.be.closeTo(p.grad!.data[i], 1e-10));
  });

  it('a short fit from outside lowers the loss and brings the points onto the sphere', () => {
    const sphere = sphereViews(6, 32);
    // points on a shell of radius 0.8 around the sphere of radius 0.5
    const rng = new Random(3);
    const start = new Float64Array(3 * 200);
    for (let j = 0; j < 200; j++) {
      const d = [rng.normal(), rng.normal(), rng.normal()];
      const l = Math.hypot(...d);
      for (let c = 0; c < 3; c++) start[3 * j + c] = (0.8 * d[c]) / l;
    }
    const p = tensor(start, { shape: [200, 3], dtype: 'float64', requiresGrad: true });
    const options = { sigma: sphere.map((v) => v.projectedSpacing(200)), beta: 1e-4, weightGradients: 'bias', biasScale: 2.5 } as const;
    const radius = () => {
      let r = 0;
      for (let j = 0; j < 200; j++) r += Math.hypot(p.data[3 * j], p.data[3 * j + 1], p.data[3 * j + 2]);
      return r / 200;
    };
    const before = noGrad(() => drwrLoss(p, sphere, options).loss.item());
    const opt = new Adam([p], { lr: 0.01, betas: [0, 0.9] });
    for (let step = 0; step < 80; step++) {
      opt.zeroGrad();
      drwrLoss(p, sphere, options).loss.backward();
      opt.step();
    }
    const after = noGrad(() => drwrLoss(p, sphere, options).loss.item());
    expect(after, `loss ${before} -> ${after}`).to.be.lessThan(0.2 * before);
    expect(radius(), 'mean distance from the centre').to.be.within(0.45, 0.56);
  });

  it('rejects bad input with typed errors', () => {
    const p = cloud(3, 0.5, 4);
    expect(() => new DrwrView(cameras[0], new Float32Array(10))).to.throw(ShapeError, /24 x 24/);
    expect(() => drwrLoss(p, [], { sigma: 1 })).to.throw(ArgumentError, /DrwrView/);
    expect(() => drwrLoss(p, views, { sigma: [1] })).to.throw(ArgumentError, /one per view/);
    expect(() => drwrLoss(p, views, { sigma: 1, beta: -1 })).to.throw(ArgumentError, /beta/);
    expect(() => drwrLoss(p, views, { sigma: 1, weightGradients: 'w' as 'all' })).to.throw(ArgumentError, /weightGradients/);
    expect(() => drwrLoss(tensor([1, 2, 3]), views, { sigma: 1 })).to.throw(ShapeError, /\[N, 3\]/);
  });
});

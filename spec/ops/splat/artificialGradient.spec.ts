// The artificial gradient (eq. 12-14): each scenario (a)-(c) of docs/dss.md §3 on a tiny scene, the descent
// property on many random scenes, and no visibility gradient for normals (eq. 10).

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { noGrad } from '../../../lib/tape.js';
import type { Tensor } from '../../../lib/tensor.js';
import { mul, sub, sum } from '../../../ops/index.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { Random } from '../../../lib/random.js';
import { cloud, frontCamera, randomScene } from './scenes.js';

const camera = frontCamera(48, 48, 3);
const options = { sigma: 0.04, mergeThreshold: 0.1, window: 48 };

/** dL/dpositions of L = |render - target|^2, the target rendered from `targetPoints`. */
function gradient(points: number[][], normals: number[][], colours: number[][], targetPoints: number[][], opts = options): Float64Array {
  const target = noGrad(() => ewaSplat(tensor(targetPoints, { dtype: 'float64' }), tensor(normals, { dtype: 'float64' }), tensor(colours, { dtype: 'float64' }), camera, opts).image);
  const s = cloud(points, normals, colours);
  s.positions.requiresGrad = true;
  const d = sub(ewaSplat(s.positions, s.normals, s.attributes, camera, opts).image, target);
  sum(mul(d, d)).backward();
  return Float64Array.from(s.positions.grad!.data);
}

describe('artificial gradient (eq. 12-14, scenarios a-c)', () => {
  it('(b) nothing in front: a splat moves across the screen to where the target has it', () => {
    // one dark splat on a white background, the target has it 0.3 to the left
    const g = gradient([[0, 0, 0]], [[0, 0, 1]], [[0]], [[-0.3, 0, 0]], { ...options, background: 1 } as typeof options);
    expect(-g[0], 'moves left').to.be.lessThan(0);
    expect(Math.abs(g[0])).to.be.greaterThan(10 * Math.abs(g[1]));
  });

  it('(a) hidden behind another splat: it moves towards the pixels it should take and forward', () => {
    // white splat in front at x = -0.15; dark splat behind at x = +0.15; the target shows the dark
    // splat where the white one is (the dark one in front there)
    const g = gradient(
      [
        [-0.15, 0, 0.3],
        [0.15, 0, -0.3],
      ],
      [
        [0, 0, 1],
        [0, 0, 1],
      ],
      [[1], [0]],
      [
        [-0.15, 0, 0.3],
        [-0.15, 0, 0.5],
      ],
    );
    expect(-g[3], 'the dark splat moves left, towards the white one').to.be.lessThan(0);
    expect(-g[5], 'and towards the camera (+z)').to.be.greaterThan(0);
  });

  it('(c) visible where it should not be: it moves off that pixel the short way, revealing what is behind', () => {
    // a light splat over a big dark one more than T behind; the loss asks one pixel to be darker
    const s = cloud(
      [
        [0, 0, 0.3],
        [0, 0, -0.3],
      ],
      [
        [0, 0, 1],
        [0, 0, 1],
      ],
      [[1], [0]],
    );
    s.positions.requiresGrad = true;
    const towardsPixel = (column: number): number => {
      s.positions.grad = null;
      const r = ewaSplat(s.positions, s.normals, s.attributes, camera, { ...options, sigma: 0.05 });
      const p = 24 * 48 + column;
      expect(r.cache.index[p * r.cache.frontCount], 'the light splat is in front there').to.equal(0);
      expect(r.cache.visible[p], 'the dark one is hidden').to.equal(1);
      const seed = new Float64Array(48 * 48);
      seed[p] = 1; // dL/dI > 0: a darker pixel lowers the loss
      r.image.backward(seed);
      return -s.positions.grad!.data[0];
    };
    expect(towardsPixel(21), 'pixel left of centre: the splat moves right').to.be.greaterThan(0);
    expect(towardsPixel(26), 'pixel right of centre: the splat moves left').to.be.lessThan(0);
  });

  it('gives normals no visibility gradient (eq. 10)', () => {
    const s = randomScene(30, 5);
    const target = noGrad(() => ewaSplat(randomScene(30, 6).positions, s.normals, s.attributes, frontCamera(32, 32), options).image);
    const normalGrad = (window: number): number[] => {
      const n = s.normals.clone({ requiresGrad: true });
      const p = s.positions.clone({ requiresGrad: true });
      const d = sub(ewaSplat(p, n, s.attributes, frontCamera(32, 32), { ...options, window }).image, target);
      sum(mul(d, d)).backward();
      return Array.from(n.grad!.data);
    };
    const withArtificial = normalGrad(48);
    expect(withArtificial.some((v) => v !== 0)).to.equal(true);
    expect(withArtificial).to.deep.equal(normalGrad(0));
  });

  it('descends: a small step along the negative gradient lowers the loss in at least 90% of random scenes', () => {
    const cam = frontCamera(32, 32);
    const opts = { sigma: 0.06, mergeThreshold: 0.15, window: 16 };
    let lowered = 0,
      trials = 0;
    for (let trial = 0; trial < 60; trial++) {
      const target = randomScene(20, 1000 + trial);
      const moved = randomScene(20, 1000 + trial);
      const rng = new Random(trial);
      for (let i = 0; i < moved.positions.size; i++) moved.positions.data[i] += 0.08 * rng.normal();
      const targetImage = noGrad(() => ewaSplat(target.positions, target.normals, target.attributes, cam, opts).image);
      const loss = (p: Tensor) => {
        const d = sub(ewaSplat(p, moved.normals, moved.attributes, cam, opts).image, targetImage);
        return sum(mul(d, d));
      };
      moved.positions.requiresGrad = true;
      const before = loss(moved.positions);
      before.backward();
      const g = moved.positions.grad!.data;
      const norm = Math.sqrt(Array.from(g).reduce((s, v) => s + v * v, 0));
      if (norm === 0) continue;
      trials++;
      const stepped = tensor(
        Float64Array.from(moved.positions.data, (v, i) => v - (0.01 * g[i]) / norm),
        { shape: [20, 3] },
      );
      if (noGrad(() => loss(stepped).item()) < before.item()) lowered++;
    }
    expect(trials).to.be.greaterThan(50);
    expect(lowered / trials, `descent rate ${lowered}/${trials}`).to.be.at.least(0.9);
  });
});

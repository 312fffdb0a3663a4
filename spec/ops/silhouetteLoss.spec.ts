import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Camera } from '../../geometry/camera.js';
import { maskDistance } from '../../geometry/distanceTransform.js';
import { silhouetteLoss, silhouetteLossViews } from '../../ops/losses/silhouetteLoss.js';
import { add } from '../../ops/arithmetic.js';
import { noGrad } from '../../lib/tape.js';
import { expectGrads } from '../helpers.js';

describe('distance transform and silhouette loss', () => {
  it('gives each pixel its Euclidean distance to the mask, 0 inside', () => {
    const w = 7,
      h = 5;
    const mask = new Float32Array(w * h);
    mask[2 * w + 3] = 1; // one inside pixel at (3, 2)
    const d = maskDistance(mask, w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(d[y * w + x]).to.be.closeTo(Math.hypot(x - 3, y - 2), 1e-6);
    expect(Array.from(maskDistance(new Float32Array(4), 2, 2))).to.deep.equal([0, 0, 0, 0]); // empty mask: no pull
  });

  const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 32, height: 32, fovY: 40 });
  const mask = new Float32Array(32 * 32);
  for (let y = 12; y < 20; y++) for (let x = 12; x < 20; x++) mask[y * 32 + x] = 1;
  const distance = maskDistance(mask, 32, 32);

  it('is zero inside the silhouette and pulls outside points towards it', () => {
    const inside = tensor([[0, 0, 0]], { dtype: 'float64', requiresGrad: true });
    expect(silhouetteLoss(inside, camera, distance).item()).to.equal(0);
    const outside = tensor([[0.5, 0, 0]], { dtype: 'float64', requiresGrad: true });
    const l = silhouetteLoss(outside, camera, distance);
    expect(l.item()).to.be.greaterThan(3);
    l.backward();
    expect(-outside.grad!.data[0], 'moves left, towards the square').to.be.lessThan(0);
  });

  it('matches finite differences', () => {
    const p = tensor(
      [
        [0.43, 0.31, 0.1],
        [-0.52, 0.07, -0.2],
        [0.2, -0.61, 0.3],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expectGrads((x) => silhouetteLoss(x, camera, distance), [p], { atol: 1e-4 });
  });

  it('rejects a distance map of the wrong size', () => {
    const p = tensor([[0, 0, 0]]);
    expect(() => silhouetteLoss(p, camera, new Float32Array(3))).to.throw(ArgumentError, /distance transform/);
    expect(() => silhouetteLoss(tensor([1, 2]), camera, distance)).to.throw(ShapeError, /N x 3/);
  });

  it('over several views in one op: the sum of the single-view terms, value and gradient', () => {
    const side = Camera.lookAt({ eye: [3, 0, 0], target: [0, 0, 0], width: 32, height: 32, fovY: 40 });
    const rows = [
      [0.43, 0.31, 0.1],
      [-0.52, 0.07, -0.2],
      [0.2, -0.61, 0.3],
    ];
    const a = tensor(rows, { dtype: 'float64', requiresGrad: true }),
      b = tensor(rows, { dtype: 'float64', requiresGrad: true });
    const fused = silhouetteLossViews(a, [camera, side], [distance, distance]);
    const summed = add(silhouetteLoss(b, camera, distance), silhouetteLoss(b, side, distance));
    expect(fused.item()).to.be.closeTo(summed.item(), 1e-12);
    // off the tape the forward skips the gradient, not the value
    expect(noGrad(() => silhouetteLossViews(a, [camera, side], [distance, distance])).item()).to.equal(fused.item());
    fused.backward();
    summed.backward();
    for (let i = 0; i < 9; i++) expect(a.grad!.data[i]).to.be.closeTo(b.grad!.data[i], 1e-12);
    expect(Math.max(...Array.from(a.grad!.data, Math.abs)), 'a gradient to compare').to.be.greaterThan(0);
    expectGrads((x) => silhouetteLossViews(x, [camera, side], [distance, distance]), [tensor(rows, { dtype: 'float64', requiresGrad: true })], { atol: 1e-4 });
    expect(() => silhouetteLossViews(a, [camera, side], [distance])).to.throw(ArgumentError, /same length/);
    expect(() => silhouetteLossViews(a, [camera], [new Float32Array(3)])).to.throw(ArgumentError, /distances\[0\]/);
  });
});

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { customOp } from '../../../lib/customOp.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { gradcheck } from '../../../lib/gradcheck.js';
import { Random } from '../../../lib/random.js';
import type { Tensor } from '../../../lib/tensor.js';
import { sampleImage } from '../../../ops/silhouette/sampleImage.js';
import { sum } from '../../../ops/reduce.js';
import { expectGrads } from '../../helpers.js';

/** A W x H (x C) float64 image of seeded values. */
function image(W: number, H: number, C = 0, seed = 1, requiresGrad = false): Tensor {
  const rng = new Random(seed);
  const data = Float64Array.from({ length: W * H * Math.max(1, C) }, () => rng.uniform(-1, 1));
  return tensor(data, { shape: C ? [H, W, C] : [H, W], requiresGrad, dtype: 'float64' });
}

/** n seeded positions in [lo, hi)^2 (pixels), as a float64 leaf. */
function positions(n: number, lo: number, hi: number, seed = 2): Tensor {
  const rng = new Random(seed);
  return tensor(
    Float64Array.from({ length: 2 * n }, () => rng.uniform(lo, hi)),
    { shape: [n, 2], requiresGrad: true, dtype: 'float64' },
  );
}

describe('sampleImage (bilinear sampling)', () => {
  const I = tensor(
    [
      [0, 1, 2],
      [3, 4, 5],
    ],
    { dtype: 'float64' },
  );

  it('reads pixel centres exactly and interpolates between them', () => {
    const p = tensor([
      [0.5, 0.5],
      [2.5, 1.5],
      [1, 0.5],
      [1, 1],
      [2.25, 0.75],
    ]);
    const s = sampleImage(I.to('float32'), p);
    expect(Array.from(s.data)).to.deep.equal([0, 5, 0.5, 2, 0.75 * (0.75 * 2 + 0.25 * 1) + 0.25 * (0.75 * 5 + 0.25 * 4)]);
  });

  it("repeats the edge with 'border' padding and reads 0 off the image with 'zeros'", () => {
    const p = tensor(
      [
        [-3, 0.5],
        [10, 1.5],
        [0, 0.5],
        [1.5, -0.5],
      ],
      { dtype: 'float64' },
    );
    expect(Array.from(sampleImage(I, p).data)).to.deep.equal([0, 5, 0, 1]);
    expect(Array.from(sampleImage(I, p, { padding: 'zeros' }).data)).to.deep.equal([0, 0, 0, 0]);
  });

  it('samples every channel of an [H, W, C] image', () => {
    const img = image(5, 4, 3, 3);
    const p = tensor([[2.5, 1.5]], { dtype: 'float64' });
    const s = sampleImage(img, p);
    expect(s.shape).to.deep.equal([1, 3]);
    for (let c = 0; c < 3; c++) expect(s.data[c]).to.equal(img.get(1, 2, c));
  });

  for (const padding of ['border', 'zeros'] as const) {
    it(`matches finite differences in the positions and the image (${padding}; some positions off the image)`, () => {
      const img = image(6, 5, 0, 4, true);
      const p = positions(20, -1, 7, 5);
      const report = expectGrads((q, i) => sampleImage(i, q, { padding }), [p, img]);
      expect(report.checked).to.equal(p.size + img.size);
    });
  }

  it('matches finite differences for a multi-channel image', () => {
    expectGrads((q, i) => sampleImage(i, q), [positions(8, 0, 6, 6), image(6, 6, 2, 7, true)]);
  });

  it('a wrong backward (dx and dy swapped) is caught', () => {
    const img = image(6, 6, 0, 8);
    const wrong = customOp({
      name: 'sampleImageSwapped',
      forward(ctx, p: Tensor) {
        const out = ctx.output([p.shape[0]]);
        out.data.set(sampleImage(img, p.detach()).data);
        ctx.save(p);
        return out;
      },
      backward(ctx, g) {
        const [p] = ctx.saved as [Tensor];
        const q = p.detach();
        q.requiresGrad = true;
        sum(sampleImage(img, q)).backward();
        const gp = ctx.zeros(p.size);
        for (let k = 0; k < p.shape[0]; k++) {
          gp[2 * k] = g![k] * q.grad!.data[2 * k + 1];
          gp[2 * k + 1] = g![k] * q.grad!.data[2 * k];
        }
        return [gp];
      },
    });
    const p = positions(6, 0.6, 5.4, 9);
    const report = gradcheck((q) => wrong(q), [p], { raise: false });
    expect(report.ok, report.message).to.equal(false);
    expectGrads((q) => sampleImage(img, q), [p]);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => sampleImage(tensor([1, 2, 3]), tensor([[0, 0]]))).to.throw(ShapeError, /\[H, W\]/);
    expect(() => sampleImage(I, tensor([0, 0], { dtype: 'float64' }))).to.throw(ShapeError, /\[N, 2\]/);
    expect(() => sampleImage(I, tensor([[0, 0]], { dtype: 'float64' }), { padding: 'wrap' as 'zeros' })).to.throw(ArgumentError, /padding/);
    expect(() => sampleImage(I, tensor([[Number.NaN, 0]], { dtype: 'float64', allowNonFinite: true }))).to.throw(NonFiniteError, /pixels/);
  });
});

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { ewaSplat, ewaSplatViews } from '../../../ops/splat/ewaSplat.js';
import { countOccluded } from '../../../ops/splat/splatCache.js';
import { Camera } from '../../../geometry/camera.js';
import type { Tensor } from '../../../lib/tensor.js';
import { cloud, frontCamera, randomScene } from './scenes.js';

describe('ewaSplat forward (eq. 1-6)', () => {
  it('renders one splat with the closed-form weights of eq. 3', () => {
    // a point at the origin facing a camera at distance 3: J = (f/z) I, M = (sigma f/z)^2 I + I
    const camera = frontCamera(64, 64, 3);
    const sigma = 0.05;
    const { positions, normals, attributes } = cloud([[0, 0, 0]], [[0, 0, 1]], [[1, 0.5, 0.25]]);
    const r = ewaSplat(positions, normals, attributes, camera, { sigma, cutoff: 3, mergeThreshold: 0.1 });
    const g = camera.fx / 3;
    const m = sigma * sigma * g * g + 1;
    const A = r.cache.frontCount;
    let checked = 0;
    for (const [i, j] of [
      [32, 32],
      [33, 32],
      [34, 35],
      [29, 31],
    ]) {
      const d2 = (i + 0.5 - 32) ** 2 + (j + 0.5 - 32) ** 2;
      const expected = ((g * g) / (2 * Math.PI * m)) * Math.exp(-0.5 * (d2 / m));
      const p = j * 64 + i;
      expect(r.cache.count[p]).to.equal(1);
      expect(r.cache.rho[p * A]).to.be.closeTo(expected, 1e-6 * expected);
      checked++;
    }
    expect(checked).to.equal(4);
    // truncation at 1/2 d^T M^-1 d = C: the footprint is a disc of radius sqrt(2 C m)
    const radius = Math.sqrt(2 * 3 * m);
    let covered = 0;
    for (let j = 0; j < 64; j++)
      for (let i = 0; i < 64; i++) {
        const inside = (i + 0.5 - 32) ** 2 + (j + 0.5 - 32) ** 2 <= radius * radius;
        expect(r.alpha.data[j * 64 + i], `pixel ${i},${j}`).to.equal(inside ? 1 : 0);
        covered += inside ? 1 : 0;
      }
    expect(covered).to.be.greaterThan(20);
    // a single splat shows its own attribute, its depth and its normal
    expect(Array.from(r.image.data.slice((32 * 64 + 32) * 3, (32 * 64 + 32) * 3 + 3))).to.deep.equal([1, 0.5, 0.25]);
    expect(r.depth.data[32 * 64 + 32]).to.be.closeTo(3, 1e-12);
    expect(r.normal.data[(32 * 64 + 32) * 3 + 2]).to.be.closeTo(1, 1e-12);
  });

  it('orients the footprint: a normal tilted about y squeezes the ellipse along x', () => {
    const camera = frontCamera(64, 64, 3);
    const tilt = (60 * Math.PI) / 180;
    const { positions, normals, attributes } = cloud([[0, 0, 0]], [[Math.sin(tilt), 0, Math.cos(tilt)]], [[1]]);
    const r = ewaSplat(positions, normals, attributes, camera, { sigma: 0.08, cutoff: 2, mergeThreshold: 0.1 });
    let alongX = 0,
      alongY = 0;
    for (let i = 0; i < 64; i++) alongX += r.alpha.data[32 * 64 + i];
    for (let j = 0; j < 64; j++) alongY += r.alpha.data[j * 64 + 32];
    expect(alongY).to.be.greaterThan(alongX * 1.4);
    expect(alongX).to.be.greaterThan(2);
  });

  it('blends splats at the same depth by their weights (eq. 6) and hides one more than T behind (eq. 5)', () => {
    const camera = frontCamera(64, 64, 3);
    const { positions, normals, attributes } = cloud(
      [
        [-0.02, 0, 0],
        [0.02, 0, 0],
        [0, 0, -0.5],
      ],
      [
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ],
      [[0], [1], [5]],
    );
    const r = ewaSplat(positions, normals, attributes, camera, { sigma: 0.05, cutoff: 2, mergeThreshold: 0.1 });
    const A = r.cache.frontCount;
    const p = 32 * 64 + 32;
    expect(r.cache.count[p]).to.equal(3);
    expect(r.cache.visible[p]).to.equal(2);
    expect(r.cache.index[p * A + 2]).to.equal(2); // cached but occluded
    const [i0, i1] = [r.cache.index[p * A], r.cache.index[p * A + 1]];
    const w: Record<number, number> = { [i0]: r.cache.rho[p * A], [i1]: r.cache.rho[p * A + 1] };
    expect(r.image.data[p]).to.be.closeTo(w[1] / (w[0] + w[1]), 1e-6);
    expect(r.image.data[p]).to.be.within(0.3, 0.7);
    // with a larger T the third splat joins the blend
    const r2 = ewaSplat(positions, normals, attributes, camera, { sigma: 0.05, cutoff: 2, mergeThreshold: 1 });
    expect(r2.cache.visible[p]).to.equal(3);
    expect(r2.image.data[p]).to.be.greaterThan(1);
  });

  it('culls splats that face away unless culling is off', () => {
    const camera = frontCamera(32, 32, 3);
    const { positions, normals, attributes } = cloud([[0, 0, 0]], [[0, 0, -1]], [[1]]);
    const culled = ewaSplat(positions, normals, attributes, camera, { sigma: 0.05, mergeThreshold: 0.1 });
    expect(Array.from(culled.alpha.data).every((v) => v === 0)).to.equal(true);
    expect(culled.culled.backface).to.equal(1);
    const shown = ewaSplat(positions, normals, attributes, camera, { sigma: 0.05, mergeThreshold: 0.1, backfaceCulling: false });
    expect(Array.from(shown.alpha.data).some((v) => v === 1)).to.equal(true);
  });

  it('is deterministic: the same inputs give bit-identical outputs', () => {
    const s = randomScene(200, 9, 'float32');
    const camera = frontCamera(64, 48);
    const a = ewaSplat(s.positions, s.normals, s.attributes, camera, { background: 0.5 });
    const b = ewaSplat(s.positions, s.normals, s.attributes, camera, { background: 0.5 });
    expect(Buffer.from(a.image.data.buffer).equals(Buffer.from(b.image.data.buffer))).to.equal(true);
    expect(Buffer.from(a.depth.data.buffer).equals(Buffer.from(b.depth.data.buffer))).to.equal(true);
    expect(Array.from(a.alpha.data).some((v) => v === 1)).to.equal(true);
  });

  it('fills the background where nothing is visible', () => {
    const { positions, normals, attributes } = cloud([[0, 0, 0]], [[0, 0, 1]], [[1, 1, 1]]);
    const r = ewaSplat(positions, normals, attributes, frontCamera(16, 16), { sigma: 0.01, mergeThreshold: 0.1, background: [0.1, 0.2, 0.3] });
    expect(Array.from(r.image.data.slice(0, 3)).map((v) => +v.toFixed(6))).to.deep.equal([0.1, 0.2, 0.3]);
  });

  it('renders several views with view-dependent attributes', () => {
    const s = randomScene(50, 4);
    const cams = [frontCamera(32, 32), Camera.lookAt({ eye: [0.5, 0.2, 3], target: [0, 0, 0], width: 32, height: 32, fovY: 40 })];
    const renders = ewaSplatViews(s.positions, s.normals, (_c, v) => (v === 0 ? s.attributes : tensor(new Float64Array(150).fill(v), { shape: [50, 3], dtype: 'float64' })), cams);
    expect(renders).to.have.length(2);
    expect(renders[0].options.sigma).to.equal(renders[1].options.sigma);
    const seen = renders[1].alpha.data.indexOf(1);
    expect(seen).to.be.greaterThan(-1);
    expect(renders[1].image.data[seen * 3]).to.equal(1);
  });

  it('rejects bad input with errors that name the argument', () => {
    const camera = frontCamera(16, 16);
    const ok = cloud([[0, 0, 0]], [[0, 0, 1]], [[1]]);
    expect(() => ewaSplat(tensor([[0, NaN, 0]], { allowNonFinite: true, dtype: 'float64' }), ok.normals, ok.attributes, camera)).to.throw(NonFiniteError, /positions\[0\]/);
    expect(() => ewaSplat(ok.positions, tensor([[0, 0, 0]], { dtype: 'float64' }), ok.attributes, camera)).to.throw(ArgumentError, /normals\[0\] is the zero vector/);
    expect(() => ewaSplat(tensor([[0, 0, 5]], { dtype: 'float64' }), ok.normals, ok.attributes, camera)).to.throw(ArgumentError, /positions\[0\].*behind.*behindCamera: 'cull'/);
    const culled = ewaSplat(tensor([[0, 0, 5]], { dtype: 'float64' }), ok.normals, ok.attributes, camera, { behindCamera: 'cull', sigma: 0.1, mergeThreshold: 0.1 });
    expect(culled.culled.behind).to.equal(1);
    expect(() => ewaSplat(tensor([], { dtype: 'float64', shape: [0, 3] }), tensor([], { dtype: 'float64', shape: [0, 3] }), tensor([], { dtype: 'float64', shape: [0, 1] }), camera)).to.throw(
      ArgumentError,
      /empty/,
    );
    expect(() => ewaSplat(tensor([[0, 0]], { dtype: 'float64' }), ok.normals, ok.attributes, camera)).to.throw(ShapeError, /positions must be an N x 3/);
    expect(() =>
      ewaSplat(
        ok.positions,
        tensor(
          [
            [0, 0, 1],
            [0, 0, 1],
          ],
          { dtype: 'float64' },
        ),
        ok.attributes,
        camera,
      ),
    ).to.throw(ShapeError, /normals must be an N x 3 tensor with N = 1/);
    expect(() => ewaSplat(ok.positions, ok.normals, tensor([[1], [2]], { dtype: 'float64' }), camera)).to.throw(ShapeError, /attributes/);
    expect(() => ewaSplat(ok.positions, ok.normals, ok.attributes, camera, { sigma: -1 })).to.throw(ArgumentError, /options.sigma/);
    expect(() => ewaSplat(ok.positions, ok.normals, ok.attributes, camera, { frontCount: 0 })).to.throw(ArgumentError, /frontCount/);
    expect(() => ewaSplat(ok.positions, ok.normals, ok.attributes, camera, { background: [1, 2] })).to.throw(ArgumentError, /background/);
    expect(() => ewaSplat(ok.positions, ok.normals, ok.attributes, {} as Camera)).to.throw(ArgumentError, /camera/);
  });

  it('says how to pass a typed array of xyz triples: as a tensor of shape [N, 3]', () => {
    const camera = frontCamera(16, 16);
    const ok = cloud([[0, 0, 0]], [[0, 0, 1]], [[1]]);
    const raw = new Float64Array([0, 0, 0]) as unknown as Tensor;
    expect(() => ewaSplat(raw, ok.normals, ok.attributes, camera)).to.throw(
      ShapeError,
      /positions must be an N x 3 tensor, got a Float64Array of 3 values; wrap flat xyz rows as a tensor: tensor\(data, \{ shape: \[N, 3\] \}\)/,
    );
    expect(() => ewaSplat(ok.positions, [0, 0, 1] as unknown as Tensor, ok.attributes, camera)).to.throw(ShapeError, /normals must be .* got an array of 3 values; wrap/);
  });
});

describe('occlusion counter (o_k of eq. 15c)', () => {
  it('counts, once per view, the points cached but hidden', () => {
    const camera = frontCamera(64, 64, 3);
    const { positions, normals, attributes } = cloud(
      [
        [0, 0, 0.2],
        [0, 0, -0.4],
        [0.5, 0, 0],
      ],
      [
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ],
      [[1], [0], [1]],
    );
    const r = ewaSplat(positions, normals, attributes, camera, { sigma: 0.05, mergeThreshold: 0.1 });
    const counts = new Float64Array(3);
    countOccluded(r.cache, counts);
    countOccluded(r.cache, counts);
    expect(Array.from(counts)).to.deep.equal([0, 2, 0]);
  });
});

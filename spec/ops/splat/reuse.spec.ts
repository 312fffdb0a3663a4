// options.reuse: a render loop hands ewaSplat its last render, whose images and per-pixel cache
// the new call overwrites instead of allocating fresh ones. The results must not tell the two
// apart, and the used-up render must refuse its backward.

import { expect } from 'chai';
import { ArgumentError } from '../../../lib/errors.js';
import { ewaSplat, ewaSplatViews, type SplatRender } from '../../../ops/splat/ewaSplat.js';
import { closePool } from '../../../parallel/workerPool.js';
import { frontCamera, randomScene, sphereScene, type Cloud } from './scenes.js';

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function needGrad(c: Cloud): void {
  for (const t of [c.positions, c.normals, c.attributes]) {
    t.requiresGrad = true;
    t.grad = null;
  }
}

/** The cached lists as the backward reads them: counts, visible counts, and each list's slots. */
function lists(r: SplatRender): { count: Buffer; visible: Buffer; index: number[]; rho: number[] } {
  const { count, visible, index, rho, frontCount: A } = r.cache;
  const idx: number[] = [],
    w: number[] = [];
  for (let p = 0; p < count.length; p++)
    for (let s = 0; s < count[p]; s++) {
      idx.push(index[p * A + s]);
      w.push(rho[p * A + s]);
    }
  return { count: bytes(count), visible: bytes(visible), index: idx, rho: w };
}

describe('ewaSplat options.reuse', () => {
  after(() => closePool());

  for (const threads of [1, 2]) {
    it(`gives the same bits as fresh buffers, forward and backward, on ${threads} thread(s)`, () => {
      const camera = frontCamera(72, 64);
      // the earlier render: another cloud, another background, so every buffer holds other values
      const earlier = randomScene(400, 3, 'float32');
      const old = ewaSplat(earlier.positions, earlier.normals, earlier.attributes, camera, { threads, background: 0.9 });
      const scene = sphereScene(900, 0.7, 4);
      const options = { threads, background: [0.1, 0.2, 0.3] };
      needGrad(scene);
      const fresh = ewaSplat(scene.positions, scene.normals, scene.attributes, camera, options);
      expect(Array.from(fresh.alpha.data).filter((v) => v > 0).length, 'the sphere covers much of the frame').to.be.greaterThan(1000);
      fresh.image.backward(fresh.image.data.map((v, i) => Math.sin(i) * v));
      expect(
        scene.positions.grad!.data.some((v) => v !== 0),
        'the backward moves points',
      ).to.equal(true);
      const want = [scene.positions.grad!.data, scene.normals.grad!.data, scene.attributes.grad!.data].map((g) => bytes(g));
      needGrad(scene);
      const reused = ewaSplat(scene.positions, scene.normals, scene.attributes, camera, { ...options, reuse: old });
      expect(reused.image.data, "the earlier render's image buffer was taken").to.equal(old.image.data);
      expect(reused.cache.index, 'and its cache').to.equal(old.cache.index);
      for (const k of ['image', 'depth', 'normal', 'alpha'] as const) expect(bytes(reused[k].data).equals(bytes(fresh[k].data)), k).to.equal(true);
      expect(lists(reused)).to.deep.equal(lists(fresh));
      reused.image.backward(reused.image.data.map((v, i) => Math.sin(i) * v));
      const got = [scene.positions.grad!.data, scene.normals.grad!.data, scene.attributes.grad!.data].map((g) => bytes(g));
      got.forEach((g, i) => expect(g.equals(want[i]), ['positions', 'normals', 'attributes'][i]).to.equal(true));
    });
  }

  it('leaves the earlier render used up: its backward throws, and it can be reused only once', () => {
    const camera = frontCamera(48);
    const scene = randomScene(200, 5);
    needGrad(scene);
    const old = ewaSplat(scene.positions, scene.normals, scene.attributes, camera, { threads: 1 });
    const next = ewaSplat(scene.positions, scene.normals, scene.attributes, camera, { threads: 1, reuse: old });
    expect(() => old.image.backward(old.image.data.map(() => 1))).to.throw(ArgumentError, /overwritten by a later call that passed it as options\.reuse/);
    const third = ewaSplat(scene.positions, scene.normals, scene.attributes, camera, { threads: 1, reuse: old });
    expect(third.image.data, 'a used-up render has no buffers to give').to.not.equal(next.image.data);
    expect(third.image.data).to.not.equal(old.image.data);
  });

  it('leaves a render whose buffers do not fit alone, and allocates fresh ones', () => {
    const scene = randomScene(200, 6);
    needGrad(scene);
    const old = ewaSplat(scene.positions, scene.normals, scene.attributes, frontCamera(40), { threads: 1 });
    const other = ewaSplat(scene.positions, scene.normals, scene.attributes, frontCamera(56), { threads: 1, reuse: old });
    expect(other.image.data).to.not.equal(old.image.data);
    expect(() => old.image.backward(old.image.data.map(() => 1)), 'its backward still runs').to.not.throw();
  });

  it('refuses what is not a render, and several views', () => {
    const scene = randomScene(50, 7);
    const camera = frontCamera(32);
    expect(() => ewaSplat(scene.positions, scene.normals, scene.attributes, camera, { reuse: {} as SplatRender })).to.throw(ArgumentError, /options\.reuse must be a render returned by ewaSplat/);
    const old = ewaSplat(scene.positions, scene.normals, scene.attributes, camera);
    expect(() => ewaSplatViews(scene.positions, scene.normals, scene.attributes, [camera], { reuse: old })).to.throw(ArgumentError, /call ewaSplat per view/);
  });
});

// The pool's promise: results do not depend on the number of threads, to the bit.

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { Random } from '../../lib/random.js';
import type { FloatArray } from '../../lib/dtype.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';
import { fibonacciViews } from '../../geometry/views.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { closePool } from '../../parallel/workerPool.js';
import { buildNeighborhood } from '../../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../../ops/regularizers/surfaceRegularization.js';

function bytes(a: ArrayBufferView | null): Buffer {
  return a ? Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) : Buffer.alloc(0);
}

function renderAndBackward(threads: number, window: number | undefined) {
  const cloud = samplePoints(loadMesh('bunny'), 3000, { seed: 5 });
  const positions = tensor(cloud.positions, { shape: [3000, 3], dtype: 'float32', requiresGrad: true });
  const normals = tensor(cloud.normals!, { shape: [3000, 3], dtype: 'float32', requiresGrad: true });
  const colours = tensor(
    Float32Array.from(cloud.normals!, (v) => 0.5 + 0.5 * v),
    { shape: [3000, 3], requiresGrad: true },
  );
  const camera = fibonacciViews(3, { radius: 0.5, fill: 0.8, width: 96, height: 80 })[1];
  const r = ewaSplat(positions, normals, colours, camera, { threads, window });
  const rng = new Random(9);
  const seed = Float32Array.from(r.image.data, () => rng.normal());
  r.image.backward(seed);
  const arrays: Record<string, FloatArray | ArrayBufferView> = {
    image: r.image.data,
    depth: r.depth.data,
    normal: r.normal.data,
    alpha: r.alpha.data,
    index: r.cache.index,
    rho: r.cache.rho,
    visible: r.cache.visible,
    gP: positions.grad!.data,
    gN: normals.grad!.data,
    gW: colours.grad!.data,
  };
  return arrays;
}

describe('results independent of the thread count', () => {
  after(() => closePool());

  for (const window of [undefined, 0]) {
    it(`renders and differentiates bit-identically on 1, 2 and 4 threads (${window === 0 ? 'smooth backward' : 'with the artificial gradient'})`, () => {
      const one = renderAndBackward(1, window);
      expect(
        Array.from(one.gP as FloatArray).some((v) => v !== 0),
        'the backward produced gradients',
      ).to.equal(true);
      for (const threads of [2, 4]) {
        const many = renderAndBackward(threads, window);
        for (const name of Object.keys(one)) {
          expect(bytes(many[name]).equals(bytes(one[name])), `${name} with ${threads} threads`).to.equal(true);
        }
      }
    });
  }
});

describe('regularizers independent of the thread count', () => {
  after(() => closePool());

  function regularize(threads: number) {
    const cloud = samplePoints(loadMesh('bunny'), 2000, { seed: 8 });
    const positions = tensor(cloud.positions, { shape: [2000, 3], dtype: 'float64', requiresGrad: true });
    const normals = tensor(cloud.normals!, { shape: [2000, 3], dtype: 'float64' });
    const neighborhood = buildNeighborhood(positions, { radius: 0.06 });
    const reg = surfaceRegularization(positions, normals, { neighborhood, repulsionNeighborhood: buildNeighborhood(positions, { radius: 0.03 }), threads });
    reg.loss.backward();
    return { loss: reg.loss.data, gP: positions.grad!.data, weights: reg.weights.data, frame: reg.frame.eigenvectors.data, values: reg.frame.eigenvalues.data };
  }

  it('gives bit-identical weights, PCA frames, losses and gradients on 1, 2 and 4 threads', () => {
    const one = regularize(1);
    expect(Array.from(one.gP).some((v) => v !== 0)).to.equal(true);
    for (const threads of [2, 4]) {
      const many = regularize(threads);
      for (const name of ['loss', 'gP', 'weights', 'frame', 'values'] as const) {
        expect(bytes(many[name]).equals(bytes(one[name])), `${name} with ${threads} threads`).to.equal(true);
      }
    }
  });
});

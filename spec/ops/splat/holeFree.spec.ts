// The defaults (sigma = 1 x the mean 6-NN spacing, cutoff C = 2, i.e. splats truncated at 2 std)
// are chosen so that a plainly sampled surface renders without holes. Measured on 8,000 random
// points on the sphere at 256 x 256: C = 1.5 or sigma = 0.75 x spacing already leave holes where
// random sampling leaves gaps; C = 2 with sigma = 1 x spacing leaves none.

import { expect } from 'chai';
import { tensor } from '../../../lib/create.js';
import { loadMesh } from '../../../geometry/loadMesh.js';
import { samplePoints } from '../../../geometry/sampling.js';
import { rasterizeMesh } from '../../../geometry/rasterize.js';
import { fibonacciViews } from '../../../geometry/views.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';

describe('hole-free default splats', () => {
  const sphere = loadMesh('sphere');
  const cloud = samplePoints(sphere, 8000, { seed: 11 });
  const n = cloud.positions.length / 3;
  const positions = tensor(cloud.positions, { shape: [n, 3], dtype: 'float32' });
  const normals = tensor(cloud.normals!, { shape: [n, 3], dtype: 'float32' });
  const white = tensor(new Float32Array(n).fill(1), { shape: [n, 1] });

  for (const [v, camera] of fibonacciViews(3, { radius: 0.5, width: 256, height: 256 }).entries()) {
    it(`covers every pixel inside the silhouette (8,000 sampled points, 256 x 256, view ${v})`, () => {
      const mask = rasterizeMesh(sphere, camera).alpha.data;
      const r = ewaSplat(positions, normals, white, camera);
      let inside = 0,
        holes = 0;
      for (let j = 1; j < 255; j++) {
        for (let i = 1; i < 255; i++) {
          // strictly inside: the pixel and its 4 neighbours are covered by the true surface
          const p = j * 256 + i;
          if (!(mask[p] && mask[p - 1] && mask[p + 1] && mask[p - 256] && mask[p + 256])) continue;
          inside++;
          if (r.alpha.data[p] === 0) holes++;
        }
      }
      expect(inside, 'the sphere fills much of the frame').to.be.greaterThan(20000);
      expect(holes).to.equal(0);
    });
  }

  it('does leave holes with splats half as wide: the check can fail', () => {
    const camera = fibonacciViews(1, { radius: 0.5, width: 256, height: 256 })[0];
    const mask = rasterizeMesh(sphere, camera).alpha.data;
    const r = ewaSplat(positions, normals, white, camera, { sigmaScale: 0.5, cutoff: 1 });
    let holes = 0;
    for (let p = 0; p < mask.length; p++) if (mask[p] && r.alpha.data[p] === 0) holes++;
    expect(holes).to.be.greaterThan(100);
  });
});

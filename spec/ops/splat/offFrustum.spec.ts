// Splats the camera cannot see: points in front of the camera but far outside its view (where the
// linearized projection of eq. 2-3 grows without bound toward the camera plane), and a cloud of
// one point, which has no spacing to size its splat from. Neither may paint the image.

import { expect } from 'chai';
import { Camera } from '../../../geometry/camera.js';
import { loadMesh } from '../../../geometry/loadMesh.js';
import { samplePoints } from '../../../geometry/sampling.js';
import { tensor } from '../../../lib/create.js';
import { ewaSplat } from '../../../ops/splat/ewaSplat.js';
import { ewaSplatReference } from '../../../ops/splat/ewaSplatReference.js';
import { frontCamera } from './scenes.js';

const covered = (alpha: ArrayLike<number>) => Array.from(alpha).filter((a) => a > 0).length;

/** How many of the points project inside the image, and how many are in front of the camera. */
function seen(positions: Float64Array, camera: Camera): { inFront: number; inFrame: number } {
  const c = camera.toCamera(positions);
  let inFront = 0,
    inFrame = 0;
  for (let k = 0; k < c.length / 3; k++) {
    const z = c[3 * k + 2];
    if (!(z > camera.near)) continue;
    inFront++;
    const u = (camera.fx * c[3 * k]) / z + camera.cx,
      v = (camera.fy * c[3 * k + 1]) / z + camera.cy;
    if (u >= 0 && u < camera.width && v >= 0 && v < camera.height) inFrame++;
  }
  return { inFront, inFrame };
}

describe('ewaSplat: splats outside the view', () => {
  const teapot = samplePoints(loadMesh('teapot'), 2000, { seed: 3 });
  const P = tensor(teapot.positions, { shape: [2000, 3] });
  const N = tensor(teapot.normals!, { shape: [2000, 3] });
  const green = tensor(
    new Float64Array(2000 * 3).map((_, i) => (i % 3 === 1 ? 1 : 0)),
    { shape: [2000, 3] },
  );

  it('covers no pixel when no point projects into the frame (a camera looking away from the object)', () => {
    const camera = Camera.lookAt({ eye: [0, 0, 2], target: [5, 0, 2.5], width: 64, height: 64 });
    const { inFront, inFrame } = seen(teapot.positions, camera);
    expect(inFront, 'the scene must have points in front of the camera').to.be.greaterThan(100);
    expect(inFrame).to.equal(0);
    for (const backfaceCulling of [true, false]) {
      const fast = ewaSplat(P, N, green, camera, { behindCamera: 'cull', backfaceCulling });
      expect(covered(fast.alpha.data), `fast path, backfaceCulling ${backfaceCulling}`).to.equal(0);
      expect(fast.culled.offscreen + fast.culled.backface + fast.culled.behind).to.equal(2000);
      const ref = ewaSplatReference(P, N, green, camera, { behindCamera: 'cull', backfaceCulling });
      expect(covered(ref.alpha.data), `reference twin, backfaceCulling ${backfaceCulling}`).to.equal(0);
    }
  });

  it('keeps a splat just outside the frame whose disk reaches into it, in both paths alike', () => {
    // one point a splat radius past the right edge, facing the camera: its disk overlaps the last column
    const camera = frontCamera(32, 32);
    const edge = camera.width / 2 / camera.fx; // x / z at the right edge
    const sigma = 0.05;
    const p = tensor([[3 * edge + 0.5 * sigma, 0, 0]]);
    const n = tensor([[0, 0, 1]]);
    const a = tensor([[1, 1, 1]]);
    const fast = ewaSplat(p, n, a, camera, { sigma });
    const ref = ewaSplatReference(p, n, a, camera, { sigma });
    expect(covered(fast.alpha.data)).to.be.greaterThan(0);
    expect(Array.from(fast.cache.count)).to.deep.equal(Array.from(ref.cache.count));
  });

  it('culls the same splats in the fast path and the twin, around every border and far off-axis', () => {
    const camera = frontCamera(40, 32);
    const sigma = 0.04;
    const points: number[][] = [],
      normals: number[][] = [];
    // centres 0 to 4 disk radii past each border, at two depths, and some toward the camera plane
    const ex = camera.width / 2 / camera.fx,
      ey = camera.height / 2 / camera.fy;
    for (const z of [0, 1.5]) {
      const depth = 3 - z;
      for (let i = 0; i <= 8; i++) {
        const past = (i / 2) * 2 * sigma; // 0 .. 4 disk radii (radius 2 sigma at cutoff 2)
        points.push([ex * depth + past, 0.1, z], [-ex * depth - past, -0.1, z], [0.05, ey * depth + past, z], [-0.05, -ey * depth - past, z]);
        for (let j = 0; j < 4; j++) normals.push([0.2 * j - 0.3, 0.1, 1]);
      }
    }
    for (let i = 0; i < 6; i++) {
      points.push([1 + i, 0.2 * i, 2.9 - 0.01 * i]);
      normals.push([0, 0, 1]);
    }
    const n = points.length;
    const p = tensor(points, { dtype: 'float64' }),
      nr = tensor(normals, { dtype: 'float64' }),
      a = tensor(
        points.map((_, k) => [k / n, 1 - k / n, 0.5]),
        { dtype: 'float64' },
      );
    const options = { sigma, backfaceCulling: false, behindCamera: 'cull' as const };
    const fast = ewaSplat(p, nr, a, camera, options);
    const ref = ewaSplatReference(p, nr, a, camera, options);
    expect(fast.culled.offscreen, 'some splats are culled as outside the view').to.be.greaterThan(10);
    expect(covered(fast.alpha.data), 'and some near the borders still draw').to.be.greaterThan(20);
    expect(Array.from(fast.cache.count)).to.deep.equal(Array.from(ref.cache.count));
    expect(Array.from(fast.cache.index)).to.deep.equal(Array.from(ref.cache.index));
    for (let i = 0; i < fast.image.size; i++) expect(fast.image.data[i]).to.be.closeTo(ref.image.data[i], 1e-9);
  });

  it('gives a one-point cloud a splat of a few pixels, not one that fills the frame', () => {
    const camera = frontCamera(64, 64);
    const one = ewaSplat(tensor([[0.1, -0.05, 0]]), tensor([[0, 0, 1]]), tensor([[1, 1, 1]]), camera);
    const pixels = covered(one.alpha.data);
    expect(pixels).to.be.greaterThan(0);
    expect(pixels, `a single point covers ${pixels} of 4096 pixels`).to.be.lessThan(100);
    const twin = ewaSplatReference(tensor([[0.1, -0.05, 0]]), tensor([[0, 0, 1]]), tensor([[1, 1, 1]]), camera);
    expect(twin.options.sigma).to.equal(one.options.sigma);
    expect(covered(twin.alpha.data)).to.equal(pixels);
  });
});

// A short shape-from-silhouette run lowers the held-out cross-entropy; under-segmentation removes
// about 1/8 of a silhouette in one piece.

import { expect } from 'chai';
import { loadMesh } from '../../geometry/loadMesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { fibonacciViews, randomViews } from '../../geometry/views.js';
import { Random } from '../../lib/random.js';
import { MetaballSilhouetteFit, silhouetteError, underSegment } from '../../optim/fitMetaballs.js';

describe('MetaballSilhouetteFit (shape from silhouette)', () => {
  it('lowers the cross-entropy on held-out views of the teapot within 80 steps', () => {
    const mesh = loadMesh('teapot');
    const frame = { radius: 0.6, width: 32, height: 32 };
    const views = fibonacciViews(12, frame).map((camera) => ({ camera, mask: rasterizeMesh(mesh, camera).alpha.data }));
    const held = randomViews(6, { ...frame, seed: 3 }).map((camera) => ({ camera, mask: rasterizeMesh(mesh, camera).alpha.data }));
    const fit = new MetaballSilhouetteFit(views, { centre: [0, 0, 0], scale: 0.6, components: 16, lr: 0.05, viewsPerStep: 3, threads: 1 });
    const before = silhouetteError(fit.fm, held, fit.scale);
    for (let s = 0; s < 80 && !fit.stopped; s++) fit.step();
    const after = silhouetteError(fit.fm, held, fit.scale);
    expect(after).to.be.lessThan(0.4 * before);
    expect(after).to.be.lessThan(0.12);
    expect(fit.losses[fit.losses.length - 1]).to.be.lessThan(fit.losses[0]);
  });

  it('underSegment removes one k-means cluster: about 1/8 of the silhouette, the rest untouched', () => {
    const W = 40;
    const mask = new Float32Array(W * W);
    for (let y = 5; y < 35; y++) for (let x = 8; x < 32; x++) mask[y * W + x] = 1;
    const cut = underSegment(mask, W, new Random(2));
    const before = mask.reduce((s, v) => s + v, 0),
      after = cut.reduce((s, v) => s + v, 0);
    expect(after / before).to.be.within(0.8, 0.95);
    for (let p = 0; p < mask.length; p++) expect(cut[p] <= mask[p]).to.equal(true);
  });
});

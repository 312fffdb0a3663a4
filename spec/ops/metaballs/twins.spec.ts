// The fast renderer and its tape twin must agree: images, pair counts and gradients, in every
// mode, on scenes where many Gaussians overlap.

import { expect } from 'chai';
import { backward } from '../../../lib/tape.js';
import { Random } from '../../../lib/random.js';
import type { Tensor } from '../../../lib/tensor.js';
import { fuzzyMetaballs } from '../../../ops/metaballs/fuzzyMetaballs.js';
import { fuzzyMetaballsReference } from '../../../ops/metaballs/fuzzyMetaballsReference.js';
import type { MetaballOptions } from '../../../ops/metaballs/options.js';
import { frontCamera, poseOf, randomMetaballs } from './scenes.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const modes: MetaballOptions[] = [{}, { front: 'sigmoid', betas: { beta1: 3 } }, { alpha: 'sigmoid' }, { cutoff: 8, relativeCutoff: 5 }];

describe('fuzzyMetaballs fast path vs tape twin', () => {
  modes.forEach((mode, m) => {
    it(`agrees on images, pair counts and gradients (mode ${m}: ${JSON.stringify(mode)})`, () => {
      const camera = frontCamera(32, 24);
      const grads = (render: typeof fuzzyMetaballs) => {
        const fm = randomMetaballs(24, 30 + m, 'float64', true, 2.5);
        const pose = poseOf(camera);
        const r = render(fm, camera, { ...mode, scale: 1.5, threads: 1, pose });
        const rng = new Random(5);
        const seed = (t: Tensor) => Float64Array.from(t.data, () => rng.normal());
        backward([r.depth, r.alpha, r.normal], [seed(r.depth), seed(r.alpha), seed(r.normal)]);
        return { r, g: [fm.means, fm.precisions, fm.logWeights, pose.R, pose.t].map((t) => Float64Array.from(t.grad!.data)) };
      };
      const fast = grads(fuzzyMetaballs);
      const twin = grads(fuzzyMetaballsReference);
      expect(fast.r.stats.pairs).to.equal(twin.r.stats.pairs);
      expect(fast.r.stats.kept).to.equal(twin.r.stats.kept);
      // the footprints cut most pairs, and many pixels blend several Gaussians
      expect(fast.r.stats.candidates).to.be.lessThan(0.8 * twin.r.stats.candidates);
      expect(fast.r.stats.kept).to.be.greaterThan(32 * 24);
      expect(maxDiff(fast.r.depth.data, twin.r.depth.data)).to.be.lessThan(1e-10);
      expect(maxDiff(fast.r.alpha.data, twin.r.alpha.data)).to.be.lessThan(1e-10);
      expect(maxDiff(fast.r.normal.data, twin.r.normal.data)).to.be.lessThan(1e-10);
      fast.g.forEach((g, i) => {
        const scale = Math.max(...twin.g[i].map(Math.abs));
        expect(scale, `gradient ${i} is exercised`).to.be.greaterThan(1e-6);
        expect(maxDiff(g, twin.g[i]) / scale, `gradient ${i}`).to.be.lessThan(1e-8);
      });
    });
  });

  it('drops the pairs below the cutoff in both: a smaller C keeps fewer pairs, and the images still agree', () => {
    const camera = frontCamera(24, 18);
    const fm = randomMetaballs(8, 3, 'float64', false);
    const loose = fuzzyMetaballs(fm, camera, { scale: 1.5, threads: 1 });
    const tight = fuzzyMetaballs(fm, camera, { scale: 1.5, threads: 1, cutoff: 2 });
    const tightTwin = fuzzyMetaballsReference(fm, camera, { scale: 1.5, cutoff: 2 });
    expect(tight.stats.pairs).to.be.lessThan(0.7 * loose.stats.pairs);
    expect(tight.stats.pairs).to.equal(tightTwin.stats.pairs);
    expect(maxDiff(tight.depth.data, tightTwin.depth.data)).to.be.lessThan(1e-10);
  });
});

// Images and gradients of the fast renderer are bit-identical for any thread count.

import { expect } from 'chai';
import { backward, noGrad } from '../../../lib/tape.js';
import { Random } from '../../../lib/random.js';
import { fuzzyMetaballs } from '../../../ops/metaballs/fuzzyMetaballs.js';
import { frontCamera, poseOf, randomMetaballs } from './scenes.js';

describe('fuzzyMetaballs independent of the thread count', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`renders and differentiates bit-identically on 1, 2 and 3 threads (${dtype})`, () => {
      const camera = frontCamera(40, 30);
      const run = (threads: number) => {
        const fm = randomMetaballs(12, 7, dtype);
        const pose = poseOf(camera);
        const P = dtype === 'float64' ? pose : { R: pose.R.to('float32'), t: pose.t.to('float32') };
        const r = fuzzyMetaballs(fm, camera, { scale: 1.5, threads, pose: P });
        const rng = new Random(9);
        backward(
          [r.depth, r.alpha, r.normal],
          [r.depth, r.alpha, r.normal].map((t) => Float64Array.from(t.data, () => rng.normal())),
        );
        return [r.depth, r.alpha, r.normal, fm.means.grad!, fm.precisions.grad!, fm.logWeights.grad!, P.R.grad!, P.t.grad!].map((t) => Array.from(t.data));
      };
      const one = run(1);
      expect(one[1].filter((a) => a > 0.1).length, 'the render covers pixels').to.be.greaterThan(300);
      for (const threads of [2, 3]) {
        const many = run(threads);
        many.forEach((values, i) => expect(values, `output ${i} on ${threads} threads`).to.deep.equal(one[i]));
      }
    });
  }

  it('renders the same without the tape (reused temporaries) as with it, on 1 and 2 threads, call after call', () => {
    const camera = frontCamera(40, 30);
    const fm = randomMetaballs(12, 8, 'float64', false);
    const taped = randomMetaballs(12, 8);
    const want = fuzzyMetaballs(taped, camera, { scale: 1.5, threads: 1 });
    for (const threads of [1, 2, 1]) {
      // a smaller render between uses the same temporaries with other sizes
      noGrad(() => fuzzyMetaballs(randomMetaballs(5, 2, 'float64', false), frontCamera(16, 12), { scale: 1, threads }));
      const r = noGrad(() => fuzzyMetaballs(fm, camera, { scale: 1.5, threads }));
      for (const k of ['depth', 'alpha', 'normal'] as const) expect(Array.from(r[k].data), `${k} on ${threads} threads`).to.deep.equal(Array.from(want[k].data));
    }
  });
});

// A short pose fit from a 20-degree start converges; the plateau rule cuts and stops.

import { expect } from 'chai';
import { Camera } from '../../geometry/camera.js';
import { metaballsOfMesh } from '../../geometry/gaussianMixture.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { rotationErrorDegrees, rotationMatrix } from '../../ops/cameraPose.js';
import { metaballScale, metaballTensors } from '../../ops/metaballs/options.js';
import { estimatePose } from '../../optim/fitPose.js';
import { SGD } from '../../optim/sgd.js';
import { SlopePlateau } from '../../optim/slopePlateau.js';
import { tensor } from '../../lib/create.js';

describe('estimatePose (Fuzzy Metaballs)', () => {
  it('recovers the bunny from a start turned 20 degrees and moved 20% of its size', () => {
    const mesh = loadMesh('bunny');
    const p = metaballsOfMesh(mesh, { K: 40, samples: 4000 });
    const fm = metaballTensors(p);
    const scale = metaballScale(p.means, p.precisions, p.logWeights);
    const b = boundingBox(mesh.positions);
    const camera = Camera.lookAt({ eye: [b.center[0] + 1.2, b.center[1] + 0.6, b.center[2] + 1.3], target: b.center, width: 32, height: 32, fovY: 60 });
    const r = rasterizeMesh(mesh, camera);
    // the start: turned 20 degrees about a tilted axis, and shifted
    const Rw = rotationMatrix([0.2, 0.25, 0.1].map((v) => (v / Math.hypot(0.2, 0.25, 0.1)) * ((20 * Math.PI) / 180)));
    const R = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) R[3 * i + j] = Rw[3 * i] * camera.R[j] + Rw[3 * i + 1] * camera.R[3 + j] + Rw[3 * i + 2] * camera.R[6 + j];
    const centreIn = (RR: ArrayLike<number>, tt: ArrayLike<number>) => [0, 1, 2].map((i) => RR[3 * i] * b.center[0] + RR[3 * i + 1] * b.center[1] + RR[3 * i + 2] * b.center[2] + tt[i]);
    const goal = centreIn(camera.R, camera.t),
      turned = centreIn(R, [0, 0, 0]);
    const size = 0.9;
    const t = goal.map((g, i) => g - turned[i] + [0.1, -0.08, 0.12][i] * size);
    const errorOf = (RR: ArrayLike<number>, tt: ArrayLike<number>) => {
      const c = centreIn(RR, tt);
      return { rotation: rotationErrorDegrees(RR, camera.R), translation: (100 * Math.hypot(c[0] - goal[0], c[1] - goal[1], c[2] - goal[2])) / size };
    };
    const before = errorOf(R, t);
    expect(before.rotation).to.be.closeTo(20, 1e-6);
    const est = estimatePose(fm, { camera, depth: r.depth.data, mask: r.alpha.data }, { R, t }, { centre: b.center, scale, threads: 1, maxSteps: 250 });
    const after = errorOf(est.R, est.t);
    // 32 px and 4,000 samples bound the accuracy (at 64 px and 10,000 samples this start ends at 2.2 degrees)
    expect(after.rotation, 'rotation error (degrees)').to.be.lessThan(10);
    expect(after.translation, 'translation error (% of size)').to.be.lessThan(3);
    expect(est.losses[est.losses.length - 1]).to.be.lessThan(0.5 * est.losses[0]);
  });
});

describe('SlopePlateau', () => {
  it('cuts the learning rate when the loss stops falling, at most maxCuts times, then stops', () => {
    const p = tensor([0], { requiresGrad: true });
    const opt = new SGD([p], { lr: 1 });
    const rule = new SlopePlateau(opt, { window: 10, tolerance: 0.01, maxCuts: 2 });
    let cuts = 0;
    // falling for 40 steps: no cut
    for (let i = 0; i < 40; i++) cuts += rule.step(100 - i) ? 1 : 0;
    expect(cuts).to.equal(0);
    // flat from here: two cuts, then stopped
    for (let i = 0; i < 100 && !rule.stopped; i++) cuts += rule.step(60) ? 1 : 0;
    expect(cuts).to.equal(2);
    expect(opt.paramGroups[0].lr).to.be.closeTo(0.01, 1e-12);
    expect(rule.stopped).to.equal(true);
  });
});

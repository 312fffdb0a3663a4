// Pose recovery through the tracer's camera gradient (docs/dist.md §7) and the shared protocol
// of optim/poseRecovery.ts; the dist-pose demo's summary has the shape scripts read.

import { expect } from 'chai';
import { Camera } from '../../geometry/camera.js';
import { Random } from '../../lib/random.js';
import { noGrad } from '../../lib/tape.js';
import { rotationErrorDegrees, rotationMatrix } from '../../ops/cameraPose.js';
import { csgShape } from '../../ops/sphereTracing/sdf/shapes.js';
import { sphereTrace } from '../../ops/sphereTracing/sphereTrace.js';
import { meanAndIqr, modelSize, perturbPose, poseError } from '../../optim/poseRecovery.js';
import { fitSdfPose } from '../../optim/sdfPose.js';
import { distPose } from '../../cli/demos/distPose.js';
import { demos } from '../../cli/commands/demo.js';

describe('pose recovery protocol (FM sec. 7.1)', () => {
  it('perturbs within 45 degrees and 50% of the size, and scores by the geometric mean', () => {
    const truth = { R: rotationMatrix([0.3, -0.2, 0.1]), position: new Float64Array([0.1, 0, 2.5]) };
    const rng = new Random(3);
    for (let i = 0; i < 200; i++) {
      const p = perturbPose(truth, 2, rng);
      const e = poseError(p, truth, 2);
      expect(e.rotationDegrees).to.be.at.most(45 + 1e-9);
      expect(e.translationPercent).to.be.at.most(50 + 1e-9);
      expect(e.error).to.be.closeTo(Math.sqrt(e.rotationDegrees * e.translationPercent), 1e-12);
    }
    expect(rotationErrorDegrees(truth.R, truth.R)).to.be.closeTo(0, 1e-6);
    // the mean side of the bounding box, and its centre
    const m = modelSize([1, 1, 1, -1, -1, -1, 0, 2, 0]);
    expect(m.size).to.be.closeTo(7 / 3, 1e-12);
    expect(m.centre).to.deep.equal([0, 0.5, 0]);
    const s = meanAndIqr([1, 2, 3, 4, 5]);
    expect(s.meanError).to.equal(3);
    expect(s.iqr).to.equal(2);
  });
});

describe('fitSdfPose', () => {
  it('converges from a small perturbation: depth and silhouette of the CSG shape', () => {
    const camera = Camera.lookAt({ eye: [1.2, 0.9, 2], target: [0, 0, 0], width: 32, height: 32, fovY: 45 });
    const exact = csgShape({ dtype: 'float64' });
    const r = noGrad(() => sphereTrace(exact, camera, { threads: 1, threshold: 1e-7, steps: 200 }));
    const target = { depth: Float32Array.from(r.depth.data), mask: Float32Array.from(r.hit) };
    const centre = [0, 0, 0];
    const truth = { R: Float64Array.from(camera.R), position: Float64Array.from(camera.toCamera(centre)) };
    const start = perturbPose(truth, 1.3, new Random(2), { maxDegrees: 10, maxTranslation: 0.1 });
    const before = poseError(start, truth, 1.3);
    const fit = fitSdfPose(csgShape(), camera, target, start, centre, { iterations: 60, trace: { threads: 1 } });
    const after = poseError(fit.pose, truth, 1.3);
    expect(before.error, 'the start is off').to.be.greaterThan(1);
    expect(after.error).to.be.lessThan(0.2 * before.error);
    expect(fit.losses[fit.losses.length - 1]).to.be.lessThan(0.2 * fit.losses[0]);
  });
});

describe('demo dist-pose', () => {
  it('is registered and its summary has the shape of demo fm-pose', async () => {
    expect(demos).to.have.property('dist-pose');
    const s = await distPose({ trials: 1, size: 24, iterations: 4, bunnySize: 16, bunnyIterations: 4, bunnyCoarseSteps: 2, threads: 1 });
    for (const kind of ['clean', 'noisy'] as const) {
      expect(s.overall[kind].meanError).to.be.a('number');
      expect(s.overall[kind].iqr).to.be.a('number');
    }
    expect(s.secondsPerTrial).to.be.greaterThan(0);
    expect(s.models.csg.clean.trials).to.have.length(1);
    expect(s.models.bunny.noisy.trials).to.have.length(1);
  });
});

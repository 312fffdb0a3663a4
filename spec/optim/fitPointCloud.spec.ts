import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import { defaultLights } from '../../geometry/lights.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { samplePoints } from '../../geometry/sampling.js';
import { fibonacciViews } from '../../geometry/views.js';
import { imageLoss } from '../../ops/losses/imageLoss.js';
import { shade } from '../../ops/shade.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';
import { type FitState, type FitView, fitPointCloud, fitPointCloudAsync } from '../../optim/fitPointCloud.js';

describe('fitPointCloud (the inverse-rendering loop)', () => {
  const cube = loadMesh('cube');
  const views: FitView[] = fibonacciViews(4, { radius: 0.9, width: 48, height: 48 }).map((camera, i) => {
    const lights = defaultLights(camera, { seed: i });
    return { camera, lights, target: tensor(rasterizeMesh(cube, camera, { lights }).color.data, { shape: [48, 48, 3] }) };
  });
  const meanLoss = (positions: ArrayLike<number>, normals: ArrayLike<number>, sigma: number): number =>
    noGrad(() => {
      const n = positions.length / 3;
      const p = tensor(Float32Array.from(positions), { shape: [n, 3] }),
        nn = tensor(Float32Array.from(normals), { shape: [n, 3] });
      return views.reduce((s, v) => s + imageLoss(ewaSplat(p, nn, shade(nn, [1, 1, 1], v.lights), v.camera, { sigma, behindCamera: 'cull' }).image, v.target).item(), 0) / views.length;
    });

  it('lowers the image loss over all views from a sphere towards a cube', () => {
    const init = samplePoints(loadMesh('sphere'), 400, { seed: 3 });
    const sigma = 0.04;
    const before = meanLoss(init.positions, init.normals!, sigma);
    const steps: string[] = [];
    const r = fitPointCloud(init, views, { iterations: 60, splat: { sigma }, lrPositions: 0.004, onStep: (s) => steps.push(s.phase) });
    expect(r.iterations).to.equal(60);
    expect(r.history).to.have.length(60);
    expect(steps.slice(0, 12)).to.deep.equal([...Array(10).fill('normals'), 'positions', 'positions']);
    const after = meanLoss(r.positions, r.normals, sigma);
    expect(after, `mean loss ${before} -> ${after}`).to.be.lessThan(0.9 * before);
  });

  it('stops on a loss threshold or when aborted', () => {
    const init = samplePoints(loadMesh('sphere'), 200, { seed: 4 });
    expect(fitPointCloud(init, views, { iterations: 50, lossThreshold: 10 }).stopped).to.equal('threshold');
    const signal = { aborted: false };
    const r = fitPointCloud(init, views, { iterations: 50, signal, onStep: (s) => (signal.aborted = s.step >= 4) });
    expect(r.stopped).to.equal('aborted');
    expect(r.iterations).to.equal(5);
  });

  it("with loss 'silhouette' fits white splats to the masks", () => {
    const masked = views.map((v) => ({ ...v, mask: rasterizeMesh(cube, v.camera, { lights: v.lights }).alpha.data }));
    const init = samplePoints(loadMesh('sphere'), 300, { seed: 6 });
    const r = fitPointCloud({ positions: init.positions.map((x) => 0.6 * x), normals: init.normals! }, masked, { loss: 'silhouette', iterations: 60, lrPositions: 0.01 });
    const first = r.history.slice(0, 5).reduce((a, b) => a + b) / 5,
      last = r.history.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last, `silhouette L1 ${first} -> ${last}`).to.be.lessThan(0.8 * first);
    expect(() => fitPointCloud(init, views, { loss: 'silhouette' })).to.throw(ArgumentError, /needs a mask on every view/);
    expect(() => fitPointCloud(init, views, { loss: 'l3' as never })).to.throw(ArgumentError, /options.loss must be one of/);
  });

  it('learns per-point colours when asked (a red cube from white points)', () => {
    const red = { ...cube, colors: new Float32Array((cube.positions.length / 3) * 3).map((_, i) => (i % 3 === 0 ? 0.9 : 0.1)) };
    const redViews = views.map((v) => ({ ...v, target: tensor(rasterizeMesh(red, v.camera, { lights: v.lights }).color.data, { shape: [48, 48, 3] }) }));
    const init = samplePoints(cube, 300, { seed: 7 });
    const r = fitPointCloud(init, redViews, { iterations: 40, learnColors: true, lrColors: 0.05, lrPositions: 0 });
    const mean = [0, 1, 2].map((c) => r.colors!.filter((_, i) => i % 3 === c).reduce((a, b) => a + b) / 300);
    expect(mean[0], `mean colour ${mean}`).to.be.greaterThan(mean[1] + 0.3);
    expect(Math.min(...r.colors!)).to.be.at.least(0);
    expect(Math.max(...r.colors!)).to.be.at.most(1);
    expect(fitPointCloud(init, views, { iterations: 2 }).colors).to.equal(null);
  });

  it('hands out checkpoints that resume the fit, and runs the same asynchronously', async () => {
    const init = samplePoints(loadMesh('sphere'), 200, { seed: 8 });
    const states: FitState[] = [];
    const r = fitPointCloud(init, views, { iterations: 25, checkpointEvery: 10, onCheckpoint: (s) => states.push(s) });
    expect(states.map((s) => s.step)).to.deep.equal([10, 20]);
    expect(states[1].positions).to.have.length(600);
    expect(Array.from(states[1].positions)).to.not.deep.equal(Array.from(init.positions).map(Math.fround));
    const resumed = fitPointCloud(states[1], views, { iterations: 5 });
    expect(resumed.iterations).to.equal(5);
    const again = await fitPointCloudAsync(init, views, { iterations: 25 });
    expect(Array.from(again.positions)).to.deep.equal(Array.from(r.positions));
  });

  it('rejects bad input before any work', () => {
    const init = samplePoints(loadMesh('sphere'), 50, { seed: 5 });
    expect(() => fitPointCloud(init, [])).to.throw(ArgumentError, /non-empty/);
    expect(() => fitPointCloud(init, [{ ...views[0], target: tensor(new Float32Array(12), { shape: [2, 2, 3] }) }])).to.throw(ShapeError, /views\[0\].target/);
    expect(() => fitPointCloud({ positions: init.positions, normals: new Float64Array(3) }, views)).to.throw(ShapeError, /same length/);
    expect(() => fitPointCloud(init, views, { iterations: 0 })).to.throw(ArgumentError, /iterations/);
    expect(() => fitPointCloud({ positions: init.positions }, views)).to.throw(ArgumentError, /normals is missing/);
  });
});

// fit --method sdf: an MLP SDF fitted to depth and silhouettes through the tracer, meshed by
// marching cubes; a short fit lowers its loss and its Chamfer; photos without depth are refused.

import { expect } from 'chai';
import { ArgumentError } from '../../../lib/errors.js';
import { chamferDistance } from '../../../geometry/metrics.js';
import { meshTargets } from '../../../optim/fitTargets.js';
import { FIT_METHODS } from '../../../optim/methods/index.js';
import { defaultsOf } from '../../../optim/settings.js';
import type { SdfSettings } from '../../../optim/methods/sdf.js';

describe('fit method sdf', () => {
  it('is registered, lowers its loss in a short fit and meshes the network', () => {
    const method = FIT_METHODS.sdf;
    expect(method).to.not.equal(undefined);
    const targets = meshTargets('sphere', { size: 32, views: 6 });
    const settings = { ...defaultsOf<SdfSettings>(method.settings), resolution: 24, initSteps: 100, initRadius: 0.6, levelResolution: 24 };
    const session = method.start(targets, settings, { iterations: 40, seed: 1, threads: 1 });
    const before = chamferDistance(session.cloud().positions, targets.truth!).chamfer;
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) losses.push(session.step(i));
    const after = chamferDistance(session.cloud().positions, targets.truth!).chamfer;
    expect(losses.slice(-5).reduce((a, b) => a + b, 0)).to.be.lessThan(0.5 * losses.slice(0, 5).reduce((a, b) => a + b, 0));
    expect(after).to.be.lessThan(before);
    const mesh = session.mesh!()!;
    expect(mesh.faces.length).to.be.greaterThan(100);
    expect(session.preview(targets.views[0]).some((v) => v > 0)).to.equal(true);
  });

  it('needs depth images (a folder of photos has none)', () => {
    const targets = meshTargets('sphere', { size: 16, views: 2 });
    const views = targets.views.map(({ depth: _depth, ...v }) => v);
    expect(() => FIT_METHODS.sdf.start({ ...targets, kind: 'images', views }, defaultsOf(FIT_METHODS.sdf.settings), { iterations: 1, seed: 0, threads: 1 })).to.throw(ArgumentError, /depth/);
  });

  it('fits a wide shape whose framed cameras come closer than twice its half-side (no camera inside the unit sphere)', () => {
    // the teapot framed as the driver frames it: its cameras are 1.85 half-sides from its centre
    const targets = meshTargets('teapot', { size: 32, views: 8 });
    const nearest = Math.min(...targets.views.map((v) => Math.hypot(...v.camera.center.map((x, k) => x - targets.center[k]))));
    expect(nearest, 'the case: a camera nearer than twice the half-side').to.be.lessThan(2 * targets.extent);
    const settings = { ...defaultsOf<SdfSettings>(FIT_METHODS.sdf.settings), resolution: 16, initSteps: 20, levelResolution: 16 };
    const session = FIT_METHODS.sdf.start(targets, settings, { iterations: 2, seed: 0, threads: 1 });
    expect(Number.isFinite(session.step(0))).to.equal(true);
    // every view traces, the nearest among them
    for (const view of targets.views) expect(session.preview(view)).to.have.length(3 * view.camera.width * view.camera.height);
  });
});

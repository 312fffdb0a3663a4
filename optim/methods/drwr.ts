// DRWR as a fit method (docs/drwr.md §6): a point cloud moved by the losses of eq. 6 alone, the
// smooth silhouette loss and the structure-aware repulsion of its projections into the target's
// masks. Nothing is rendered; the masks are all it reads (a shape target's, or a folder's --masks).
//
// Why the defaults are what they are (bunny, 12 views at 128 px, measured on the 2-core machine;
// docs/drwr.md §6 has the table):
// - Start outside: a sphere of 1.3 extents around the target. Pulled in by the unary term, each
//   point stops where it enters the last silhouette, i.e. on the visual hull's surface. Nothing in
//   eq. 6 pushes a point back out once it is inside every silhouette, so a start inside the body
//   (DSS's 0.5 extents) leaves a cloud that fills the volume (Chamfer 0.0168 against 0.0105).
// - Adam without momentum (betas 0, 0.9), the lr falling linearly to a tenth: a point stops within a
//   step of where its gradient vanishes (Chamfer 0.0105 against 0.0114 with beta1 = 0.9).
// - beta far below the paper's 3, and the gradient through the boundary bias delta ('bias'): our
//   unary term's slope is 1/diagonal per pixel, so beta = 3 pushes every point off the silhouettes;
//   the bias gradient (scale 2.5, 10 rings) draws points inside every mask out towards the nearest
//   silhouette edge, which is where the hull's surface is.

import { loadPointCloud } from '../../geometry/loadMesh.js';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import { DrwrView, drwrLoss } from '../../ops/silhouette/drwr.js';
import { Adam } from '../adam.js';
import type { FitCloud, FitMethod, FitScene, FitSession } from '../fitMethod.js';
import { previewCloud } from './dss.js';
import { projectionSilhouette } from './silhouette.js';
import { initialCloud } from './initialCloud.js';

export interface DrwrSettings {
  init: string;
  points: number;
  initRadius: number;
  viewsPerStep: number;
  lr: number;
  lrEnd: number;
  momentum: number;
  beta: number;
  sigma: number;
  cutoff: number;
  rings: number;
  biasScale: number;
  weightGradients: 'none' | 'bias' | 'all';
  edge: number;
}

export const drwr: FitMethod<DrwrSettings> = {
  name: 'drwr',
  summary: 'DRWR, a renderer without rendering: points scored where they project in the masks (docs/drwr.md)',
  iterations: 250,
  settings: {
    init: { kind: 'string', default: 'sphere', help: 'sphere|FILE.ply: the starting cloud (normals not needed)' },
    points: { kind: 'integer', default: 3000, min: 8, max: 1_000_000, help: 'points in the starting sphere' },
    initRadius: { kind: 'number', default: 1.3, min: 0.01, max: 10, help: 'its radius, in extents of the target: > 1 starts outside it (at most 0.8 x the nearest camera distance)' },
    viewsPerStep: { kind: 'integer', default: 4, min: 1, max: 512, help: 'views per step (taken in turn)' },
    lr: { kind: 'number', default: 0.01, min: 0, max: 10, help: "Adam's step, in extents of the target" },
    lrEnd: { kind: 'number', default: 0.1, min: 0, max: 1, help: 'the lr at the last step, as a fraction of the first (linear)' },
    momentum: { kind: 'number', default: 0, min: 0, max: 0.999, help: "Adam's beta1 (0: a point stops where its gradient vanishes)" },
    beta: { kind: 'number', default: 3e-5, min: 0, max: 1e6, help: 'beta of eq. 6: the repulsion weight' },
    sigma: { kind: 'number', default: 1, min: 0.01, max: 100, help: "the repulsion's range, in point spacings of the view (sqrt(mask area / points))" },
    cutoff: { kind: 'number', default: 3, min: 0.5, max: 10, help: 'where the repulsion stops, in sigmas' },
    rings: { kind: 'integer', default: 10, min: 1, max: 64, help: 'R of eq. 5: rings of the boundary bias (px)' },
    biasScale: { kind: 'number', default: 2.5, min: 0, max: 100, help: 'delta = this x the boundary bias' },
    weightGradients: { kind: 'string', default: 'bias', choices: ['none', 'bias', 'all'], help: "the repulsion's gradient also through delta (bias) or delta and w (all)" },
    edge: { kind: 'number', default: 1, min: -10, max: 1, help: 'smooth silhouette just off the mask (eq. 3; the reference code: 0.863)' },
  },
  start(scene, s, context): FitSession {
    const views = drwrViews(scene, s);
    const start = startingPositions(scene, s, context.seed);
    const n = start.length / 3;
    const positions = tensor(start, { shape: [n, 3], requiresGrad: true, name: 'positions' });
    const sigma = views.map((v) => s.sigma * v.projectedSpacing(n));
    const lr = (step: number) => s.lr * scene.extent * (1 - (1 - s.lrEnd) * (context.iterations > 1 ? step / (context.iterations - 1) : 0));
    const optimizer = new Adam([positions], { lr: lr(0), betas: [s.momentum, 0.9] });
    let last = { unary: Number.NaN, repulsion: Number.NaN };
    const options = { beta: s.beta, cutoff: s.cutoff, biasScale: s.biasScale, weightGradients: s.weightGradients, threads: context.threads };
    const cloud = (): FitCloud => ({ positions: positions.data, normals: null, colors: null });
    return {
      step(step) {
        const batch = Math.min(s.viewsPerStep, views.length);
        const chosen = Array.from({ length: batch }, (_, k) => (step * batch + k) % views.length);
        optimizer.paramGroups[0].lr = lr(step);
        optimizer.zeroGrad();
        const terms = drwrLoss(
          positions,
          chosen.map((i) => views[i]),
          { ...options, sigma: chosen.map((i) => sigma[i]) },
        );
        terms.loss.backward();
        optimizer.step();
        last = { unary: terms.unary.item(), repulsion: terms.repulsion.item() };
        return terms.loss.item();
      },
      cloud,
      preview: (view) => previewCloud(cloud(), view),
      silhouette: (camera) => projectionSilhouette(positions.data, camera),
      summary: () => ({ unaryFinal: last.unary, repulsionFinal: last.repulsion, drwrLossFinal: noGrad(() => drwrLoss(positions, views, { ...options, sigma }).loss.item()) }),
    };
  },
};

/** The target's masks as DRWR views (a view without a mask cannot be scored). */
function drwrViews(scene: FitScene, s: DrwrSettings): DrwrView[] {
  const missing = scene.views.findIndex((v) => !v.mask);
  if (missing >= 0) throw new ArgumentError(`--method drwr needs a mask for every view; view ${missing} has none: give a folder target --masks DIR (or images with an alpha channel).`);
  return scene.views.map((v) => new DrwrView(v.camera, v.mask!, { rings: s.rings, edge: s.edge }));
}

/** A starting sphere stays within this fraction of the nearest camera's distance (so no point starts behind a camera). */
const NEAREST_CAMERA = 0.8;

/** The starting positions: a sphere around the target, or a PLY cloud's points. */
function startingPositions(scene: FitScene, s: DrwrSettings, seed: number): Float32Array {
  if (s.init === 'sphere') {
    const nearest = Math.min(...scene.views.map((v) => Math.hypot(...v.camera.center.map((c, k) => c - scene.center[k]))));
    const radius = Math.min(s.initRadius, (NEAREST_CAMERA * nearest) / scene.extent);
    return Float32Array.from(initialCloud(scene, 'sphere', s.points, radius, seed).positions);
  }
  if (!s.init.toLowerCase().endsWith('.ply')) throw new ArgumentError(`--init must be 'sphere' or a .ply point cloud, got '${s.init}'.`);
  return Float32Array.from(loadPointCloud(s.init).positions);
}

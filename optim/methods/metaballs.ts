// Fuzzy Metaballs as a fit method (docs/fm.md §8): 40 Gaussians from a small blob fitted to the
// target silhouettes by the per-pixel cross-entropy alone (optim/fitMetaballs.ts). The result is
// the Gaussians (metaballs.json), points drawn from their density (result.ply) and previews
// shaded from the rendered normals.
//
// Why the defaults are what they are (the bunny, teapot and trefoil, 32 views at 64 x 64,
// cross-entropy on 32 held-out random views; docs/fm.md §8):
// - lr 0.05 in the reference's frame (size 2.2): 0.01 stalls at 0.048 on the bunny by the plateau
//   rule's end (480 steps); 0.03 reaches 0.026 in 600 steps, 0.05 0.024, 0.1 stops early at 0.029.
// - 5 views a step (the reference averages 5): 3 views stop sooner, at 0.029.
// - eta = 1.2 x the target's extent (largest bbox half-side): the measured eta of the three
//   models is 1.0-1.4 extents; it only sets how strongly nearer hits win the depth blend.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Camera } from '../../geometry/camera.js';
import { metaballMesh, sampleMetaballs } from '../../geometry/gaussianMixture.js';
import { shadeLambert } from '../../geometry/lights.js';
import { ArgumentError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { noGrad } from '../../lib/tape.js';
import { fuzzyMetaballs } from '../../ops/metaballs/fuzzyMetaballs.js';
import type { FitMethod, FitSession, FitView } from '../fitMethod.js';
import { MetaballSilhouetteFit, SFS_DEFAULTS, type SilhouetteView, underSegment } from '../fitMetaballs.js';

export interface MetaballSettings {
  components: number;
  lr: number;
  viewsPerStep: number;
  initSpread: number;
  initPrecision: number;
  scale: number | null;
  undersegment: number;
  points: number;
}

/** Extents of the target per shape scale eta, when eta is not given. */
const SCALE_PER_EXTENT = 1.2;

/** The shape seen from a view: alpha-weighted Lambert shading of the rendered normals, lit like the target. */
export function previewMetaballs(fit: MetaballSilhouetteFit, view: FitView): Float32Array {
  const { camera } = view;
  const r = noGrad(() => fuzzyMetaballs(fit.fm, camera, { scale: fit.scale }));
  const P = camera.width * camera.height;
  const out = new Float32Array(3 * P);
  const n = new Float64Array(3),
    pos = new Float64Array(3),
    rgb = new Float64Array(3);
  const albedo = new Float64Array([1, 1, 1]);
  const eye = camera.center;
  for (let p = 0; p < P; p++) {
    const a = r.alpha.data[p];
    if (!(a > 1e-3)) continue;
    for (let k = 0; k < 3; k++) n[k] = r.normal.data[3 * p + k];
    if (!(Math.hypot(n[0], n[1], n[2]) > 1e-9)) continue;
    rayPoint(camera, p, r.depth.data[p], eye, pos);
    shadeLambert(albedo, n, pos, view.lights, rgb);
    for (let k = 0; k < 3; k++) out[3 * p + k] = a * rgb[k];
  }
  return out;
}

/** The world point at camera depth z on pixel p's ray. */
function rayPoint(camera: Camera, p: number, z: number, eye: readonly number[], out: Float64Array): void {
  const i = p % camera.width,
    j = Math.floor(p / camera.width);
  const x = (i + 0.5 - camera.cx) / camera.fx,
    y = (j + 0.5 - camera.cy) / camera.fy;
  const R = camera.R;
  for (let k = 0; k < 3; k++) out[k] = eye[k] + z * (R[k] * x + R[3 + k] * y + R[6 + k]);
}

export const metaballs: FitMethod<MetaballSettings> = {
  name: 'metaballs',
  summary: 'Fuzzy Metaballs: 40 Gaussians fitted to the silhouettes by cross-entropy alone (docs/fm.md; best at --size 64 --views 32)',
  iterations: SFS_DEFAULTS.maxSteps,
  settings: {
    components: { kind: 'integer', default: SFS_DEFAULTS.components, min: 1, max: 1000, help: 'Gaussians' },
    lr: { kind: 'number', default: 0.05, min: 0, max: 10, help: "Adam's step in the reference's frame (the object scaled to size 2.2)" },
    viewsPerStep: { kind: 'integer', default: SFS_DEFAULTS.viewsPerStep, min: 1, max: 512, help: 'views whose cross-entropies are averaged per step' },
    initSpread: { kind: 'number', default: SFS_DEFAULTS.initSpread, min: 0, max: 10, help: "std of the starting blob's means, in shape scales" },
    initPrecision: { kind: 'number', default: SFS_DEFAULTS.initPrecision, min: 0.01, max: 1e4, help: 'diagonal of the starting precision factors, per shape scale' },
    scale: { kind: 'number', default: null, min: 1e-9, nullable: true, help: `the shape scale eta (null: ${SCALE_PER_EXTENT} x the target's largest bbox half-side)` },
    undersegment: { kind: 'number', default: 0, min: 0, max: 1, help: 'fraction of the views that lose 1/8 of their silhouette (the paper noisy variant: 0.5)' },
    points: { kind: 'integer', default: 5000, min: 1, max: 1_000_000, help: 'points drawn from the density for result.ply' },
  },
  start(scene, s, context): FitSession {
    const rng = new Random(context.seed + 17);
    const noisy = new Set(rng.shuffle(scene.views.map((_, i) => i)).slice(0, Math.round(s.undersegment * scene.views.length)));
    const views: SilhouetteView[] = scene.views.map((v, i) => {
      if (!v.mask) throw new ArgumentError(`--method metaballs fits silhouettes, but view ${i} has no mask; give --masks DIR (or PNGs with an alpha channel).`);
      return { camera: v.camera, mask: noisy.has(i) ? underSegment(v.mask, v.camera.width, rng) : v.mask };
    });
    const scale = s.scale ?? SCALE_PER_EXTENT * scene.extent;
    const fit = new MetaballSilhouetteFit(views, {
      centre: scene.center,
      scale,
      components: s.components,
      lr: s.lr,
      viewsPerStep: s.viewsPerStep,
      initSpread: s.initSpread,
      initPrecision: s.initPrecision,
      maxSteps: context.iterations,
      seed: context.seed,
      threads: context.threads,
    });
    return {
      step: () => fit.step(),
      stopped: () => (fit.stopped ? 'converged' : null),
      cloud: () => ({ positions: sampleMetaballs(fit.parameters(), s.points, context.seed), normals: null, colors: null }),
      // the density's level set where a ray's alpha is 1/2 (docs/fm.md §6)
      mesh: () => metaballMesh(fit.parameters(), { resolution: 64 }),
      preview: (view) => previewMetaballs(fit, view),
      // the soft silhouette the fit scores (compare's metric)
      silhouette: (camera) => Float32Array.from(noGrad(() => fuzzyMetaballs(fit.fm, camera, { scale: fit.scale, threads: context.threads })).alpha.data),
      summary: () => ({ metaballs: { components: s.components, scale, undersegmentedViews: noisy.size, crossEntropy: fit.losses[fit.losses.length - 1] ?? null } }),
      writeFiles(dir) {
        const p = fit.parameters();
        writeFileSync(join(dir, 'metaballs.json'), `${JSON.stringify({ means: Array.from(p.means), precisions: Array.from(p.precisions), logWeights: Array.from(p.logWeights), scale })}\n`);
        return ['metaballs.json'];
      },
    };
  },
};

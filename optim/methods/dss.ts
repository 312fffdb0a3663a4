// DSS as a fit method (docs/dss.md §5): an oriented point cloud from the visual hull of the masks
// (or a sphere), moved by the splat renderer's gradient (optim/fitPointCloud.ts) with the surface
// regularizers and the silhouette term.
//
// Why the defaults are what they are (measured on the 2-core machine, 12 views at 128 px):
// - Start on the hull where every view has a mask, and then without the artificial gradient
//   (window 0): on six suite shapes at 400 steps that beat the 32 -> 16 window on five (bunny
//   0.0066 vs 0.0071, trefoil 0.0044 vs 0.0059, arrow 0.0045 vs 0.0075; table in docs/dss.md §5).
//   From a sphere, the rest of this list:
// - The silhouette term (ops/losses/silhouetteLoss.ts) is what makes it converge. Without it the cloud fits
//   for ~400 steps and then drifts outward for good (Chamfer 0.035 -> 0.068 by step 1,000, also with
//   L1 or L2 instead of SMAPE): a splat alone over background gets no net artificial gradient, so
//   strays are never pulled back. With the masks' distance transforms: 0.0094 at 1,000 steps.
// - Start small and grow: a sphere of half the target's extent, mostly inside the body, beats one of
//   0.8 extents (0.0094 vs 0.0104 at 1,000 steps). A region covered by several same-coloured splats
//   sends no gradient, so shrinking onto the target is slow; uncovered target pixels pull hard.
// - SGD + Nesterov at lr 0.002 with clipping at 0.05, as the reference; lr 0.004 or clip 0.5 fit
//   faster for 200 steps and then wander (without the silhouette term; not re-measured with it).
// - 128 px, 3 views per step, 5,000 points: 0.0088 at 1,500 steps against 0.0094 for 3,000 points
//   (which plateau there from step ~800 on; a plateau lr schedule did not help them).

import { tensor } from '../../lib/create.js';
import { noGrad } from '../../lib/tape.js';
import { shade } from '../../ops/shade.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';
import type { FitCloud, FitMethod, FitSession, FitView } from '../fitMethod.js';
import { FIT_LOSSES, FIT_POINT_CLOUD_DEFAULTS as D, type FitLossKind, type FitOptions, fitSteps, fitStepsAsync } from '../fitPointCloud.js';
import { ArgumentError } from '../../lib/errors.js';
import { initialCloud } from './initialCloud.js';

export interface DssSettings {
  init: string;
  points: number;
  initRadius: number;
  loss: FitLossKind;
  viewsPerStep: number;
  normalSteps: number;
  positionSteps: number;
  lrPositions: number;
  lrNormals: number;
  clip: number;
  projectionWeight: number;
  repulsionWeight: number;
  silhouetteWeight: number;
  learnColors: boolean | null;
  windowStart: number | null;
  windowEnd: number | null;
  plateauFactor: number | null;
  plateauPatience: number;
  lossThreshold: number | null;
  strays: boolean;
  refine: boolean;
  growth: number;
  converge: number | null;
}

export const dss: FitMethod<DssSettings> = {
  name: 'dss',
  summary: 'differentiable surface splatting: an oriented point cloud rendered as EWA splats (docs/dss.md)',
  iterations: 1600,
  // the hull is the start, and the views carve it: at 12 views of 128 px the coil's hull is at
  // Chamfer 0.0105 / Hausdorff 0.130, at 24 0.0054 / 0.060, at 48 0.0048 / 0.033 (a step still
  // renders viewsPerStep of them)
  views: 48,
  devices: ['cpu', 'webgpu'],
  settings: {
    init: {
      kind: 'string',
      default: 'auto',
      help: 'auto|hull|sphere|FILE.ply: the starting cloud (auto: on the visual hull of the masks where every view has one, else a sphere); a result.ply or checkpoint.ply resumes a fit',
    },
    points: { kind: 'integer', default: 5000, min: 16, max: 2_000_000, help: 'points in the starting cloud' },
    initRadius: {
      kind: 'number',
      default: 0.5,
      min: 0.01,
      max: 10,
      help: "the starting sphere's radius, in extents of the object: the largest half-side of its box (a mesh's; for photos with masks, the region inside every mask; without masks, a guess from the cameras)",
    },
    loss: { kind: 'string', default: D.loss, choices: FIT_LOSSES, help: 'image loss (smape is eq. 7)' },
    viewsPerStep: { kind: 'integer', default: D.viewsPerStep, min: 1, max: 512, help: 'views per step' },
    normalSteps: { kind: 'integer', default: D.normalSteps, min: 0, max: 100_000, help: 'T_n: normal steps per alternating cycle' },
    positionSteps: { kind: 'integer', default: D.positionSteps, min: 1, max: 100_000, help: 'T_p: position steps per cycle' },
    lrPositions: { kind: 'number', default: D.lrPositions, min: 0, max: 10, help: 'learning rate of the positions (SGD + Nesterov)' },
    lrNormals: { kind: 'number', default: D.lrNormals, min: 0, max: 10, help: 'learning rate of the normals (Adam)' },
    clip: { kind: 'number', default: D.clip, min: 0, max: 1e6, help: 'position-gradient clip' },
    projectionWeight: { kind: 'number', default: D.projectionWeight, min: 0, max: 1e6, help: 'gamma_p of eq. 8' },
    repulsionWeight: { kind: 'number', default: D.repulsionWeight, min: 0, max: 1e6, help: 'gamma_r of eq. 8' },
    silhouetteWeight: { kind: 'number', default: D.silhouetteWeight, min: 0, max: 1e6, help: 'weight of the mask term' },
    learnColors: { kind: 'boolean', default: null, nullable: true, help: 'optimize per-point colours (null: on for image folders)' },
    windowStart: {
      kind: 'integer',
      default: null,
      min: 0,
      max: 1024,
      nullable: true,
      help: `artificial-gradient window in px at the first step (null: ${D.window[0]} from a sphere or a file, 0 from the hull: the smooth gradient alone)`,
    },
    windowEnd: { kind: 'integer', default: null, min: 0, max: 1024, nullable: true, help: `... and at the last, shrinking linearly (null: ${D.window[1]}, or 0 from the hull)` },
    plateauFactor: { kind: 'number', default: null, min: 0.01, max: 0.99, nullable: true, help: 'position lr x this after plateau-patience cycles without improvement (null: off)' },
    plateauPatience: { kind: 'integer', default: D.plateau.patience, min: 0, max: 10_000, help: 'cycles without improvement before the cut' },
    lossThreshold: { kind: 'number', default: null, min: 0, nullable: true, help: 'stop once the step loss is below this (null: never)' },
    strays: { kind: 'boolean', default: true, help: 'move points outside a mask, or shown by no view for a while, next to well-placed ones' },
    refine: { kind: 'boolean', default: true, help: 'a coarse stage at window-start, then the cloud grown where sparse, smaller splats, window-end' },
    growth: { kind: 'number', default: D.refine.grow, min: 1, max: 8, help: 'how many times the cloud grows at refinement' },
    converge: { kind: 'number', default: 0.005, min: 0, max: 1, nullable: true, help: 'end a stage once 150 steps lower the loss by less than this fraction (null: run the budget)' },
  },
  start(scene, s, context): FitSession {
    const init = initialCloud(scene, s.init, s.points, s.initRadius, context.seed);
    const startedOnHull = s.init === 'hull' || (s.init === 'auto' && init.onHull === true);
    const learnColors = s.learnColors ?? scene.kind === 'images';
    let loss = NaN;
    const fitInit = { ...init, colors: learnColors ? (init.colors ?? null) : null };
    const fitOptions: FitOptions = {
      iterations: context.iterations,
      normalSteps: s.normalSteps,
      positionSteps: s.positionSteps,
      viewsPerStep: s.viewsPerStep,
      loss: s.loss,
      lrPositions: s.lrPositions,
      lrNormals: s.lrNormals,
      clip: s.clip,
      projectionWeight: s.projectionWeight,
      repulsionWeight: s.repulsionWeight,
      silhouetteWeight: s.silhouetteWeight,
      learnColors,
      // from the hull the points are within a voxel of the surface: the wide window's pulls move
      // them off it (docs/dss.md §5, "The start"), the smooth gradient alone refines
      window: [s.windowStart ?? (startedOnHull ? 0 : D.window[0]), s.windowEnd ?? (startedOnHull ? 0 : D.window[1])],
      plateau: s.plateauFactor === null ? undefined : { factor: s.plateauFactor, patience: s.plateauPatience },
      lossThreshold: s.lossThreshold ?? undefined,
      strays: s.strays ? {} : false,
      refine: s.refine ? { grow: s.growth } : false,
      converge: s.converge === null ? false : { tolerance: s.converge },
      seed: context.seed,
      threads: context.threads,
      device: context.device,
      gpu: context.gpu,
      onStep: (step) => (loss = step.loss),
    };
    // what the CPU and GPU sessions share: the loop decides a threshold or convergence before it
    // hands out the step that met it
    const common = (steps: { stopping(): string | null; state(): FitCloud }) => ({
      stopped: () => {
        const why = steps.stopping();
        return why === 'threshold' || why === 'converged' ? why : null;
      },
      cloud: () => steps.state(),
      surfaces: (): Record<string, Float64Array> => (startedOnHull ? { hull: init.positions } : {}),
      preview: (view: FitView) => previewCloud(steps.state(), view),
    });
    if (context.device === 'webgpu') {
      // the splat op on the GPU (engine.md §9): each step is awaited
      const steps = fitStepsAsync(fitInit, scene.views, fitOptions);
      return {
        step() {
          throw new ArgumentError("dss on device 'webgpu': its steps are asynchronous; the driver calls stepAsync.");
        },
        async stepAsync() {
          loss = NaN;
          await steps.next();
          return loss;
        },
        ...common(steps),
      };
    }
    const steps = fitSteps(fitInit, scene.views, fitOptions);
    return {
      step() {
        loss = NaN;
        steps.next();
        return loss;
      },
      ...common(steps),
    };
  },
};

/** The cloud as splats lit like the view's target (the contact sheets' render). */
export function previewCloud(cloud: FitCloud, view: FitView): Float32Array {
  const n = cloud.positions.length / 3;
  const P = tensor(Float32Array.from(cloud.positions), { shape: [n, 3] });
  const N = tensor(cloud.normals ? Float32Array.from(cloud.normals) : facing(cloud.positions, view.camera.center), { shape: [n, 3] });
  const albedo = cloud.colors ? tensor(Float32Array.from(cloud.colors), { shape: [n, 3] }) : [1, 1, 1];
  return Float32Array.from(noGrad(() => ewaSplat(P, N, shade(N, albedo, view.lights), view.camera, { behindCamera: 'cull' })).image.data);
}

/** Normals for a cloud that has none: each point faces the eye, so every splat shows. */
function facing(positions: ArrayLike<number>, eye: ArrayLike<number>): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < out.length; i += 3) {
    const x = eye[0] - positions[i],
      y = eye[1] - positions[i + 1],
      z = eye[2] - positions[i + 2];
    const l = Math.hypot(x, y, z) || 1;
    out[i] = x / l;
    out[i + 1] = y / l;
    out[i + 2] = z / l;
  }
  return out;
}

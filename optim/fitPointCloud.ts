// The inverse-rendering loop (docs/dss.md §5): from target images and
// their cameras to an oriented point cloud. Loss per eq. 8: the image loss over a batch of views
// plus gamma_p projection + gamma_r repulsion. Positions and normals are optimized independently,
// alternating T_n normal steps and T_p position steps per cycle.
//
// The loop is one generator (`fitSteps`) that yields after every step; `fitPointCloud` drives it
// straight through, `fitPointCloudAsync` hands the event loop back between steps so that a
// Ctrl-C handler (or a UI) can run while a long fit goes on.

import type { FitView } from './fitMethod.js';
import { full, tensor } from '../lib/create.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { noGrad } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { normalize } from '../ops/vector.js';
import { shade } from '../ops/shade.js';
import { type ImageLossKind, imageLoss } from '../ops/losses/imageLoss.js';
import { silhouetteLoss } from '../ops/losses/silhouetteLoss.js';
import { maskDistance } from '../geometry/distanceTransform.js';
import { NeighborhoodSchedule } from '../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../ops/regularizers/surfaceRegularization.js';
import { resolveThreads } from '../parallel/threads.js';
import { ewaSplat, type SplatRender } from '../ops/splat/ewaSplat.js';
import { cloudScale } from '../ops/splat/cloudScale.js';
import { DEFAULT_MERGE_FRACTION, type SplatOptions } from '../ops/splat/options.js';
import { Adam } from './adam.js';
import { clipGradValue } from './clip.js';
import { SGD } from './sgd.js';
import { ReduceLROnPlateau } from './schedules.js';

export type { FitView } from './fitMethod.js';

/** 'silhouette' renders white splats on black and compares them with the masks (L1). */
export type FitLossKind = ImageLossKind | 'silhouette';
export const FIT_LOSSES: readonly FitLossKind[] = ['smape', 'l1', 'l2', 'silhouette'];

/** What a checkpoint holds: enough to resume with `init` = this state. */
export interface FitState {
  step: number;
  positions: Float32Array;
  normals: Float32Array;
  colors: Float32Array | null;
}

export interface FitStep {
  step: number;
  phase: 'normals' | 'positions';
  /** Image loss of this step's views (mean per view). */
  loss: number;
  window: number;
  /** The live position buffer (read it, do not keep or write it). */
  positions: Float32Array;
}

/**
 * The defaults of fitPointCloud's options, in one place (the fit CLI's DSS settings read them
 * too: optim/methods/dss.ts; cli/fit says why they are what they are).
 */
export const FIT_POINT_CLOUD_DEFAULTS = {
  iterations: 300,
  normalSteps: 10,
  positionSteps: 20,
  viewsPerStep: 3,
  loss: 'smape' as FitLossKind,
  lrPositions: 0.002,
  lrNormals: 0.01,
  lrColors: 0.02,
  clip: 0.05,
  projectionWeight: 0.02,
  repulsionWeight: 0,
  /** The regularizers' neighbourhood radius, in point spacings of the initial cloud. */
  radiusInSpacings: 3,
  rebuildEvery: 10,
  silhouetteWeight: 0.001,
  window: [32, 16] as [number, number],
  albedo: [1, 1, 1] as readonly number[],
  plateau: { factor: 0.5, patience: 2, threshold: 0.01, minLr: 0 },
  seed: 0,
} as const;

export interface FitOptions {
  /** Step budget (default 300). */
  iterations?: number;
  /** T_n and T_p: normal and position steps per cycle (default 10 and 20). */
  normalSteps?: number;
  positionSteps?: number;
  /** Views per step (default 3). */
  viewsPerStep?: number;
  /** Image loss (default 'smape', eq. 7); 'silhouette' needs a mask on every view. */
  loss?: FitLossKind;
  /** Learning rates: SGD with Nesterov momentum for positions, Adam for normals. */
  lrPositions?: number;
  lrNormals?: number;
  /** Clip position gradients to [-clip, clip] (default 0.05; the artificial gradient is spiky). */
  clip?: number;
  /** gamma_p, gamma_r of eq. 8 and the neighbourhood radius (scene units; default 3 x spacing). */
  projectionWeight?: number;
  repulsionWeight?: number;
  radius?: number;
  /** Steps between neighbourhood rebuilds (default 10). */
  rebuildEvery?: number;
  /** Weight of the silhouette term (ops/losses/silhouetteLoss.ts; default 0.001 when views have masks). */
  silhouetteWeight?: number;
  /**
   * Plateau schedule on the position lr (optim/schedules.ts): once per cycle the cycle's mean image
   * loss is reported; after `patience` cycles without improvement the lr is multiplied by `factor`.
   */
  plateau?: { factor?: number; patience?: number; threshold?: number; minLr?: number };
  /** Artificial-gradient window, shrinking linearly from the first to the second (pixels). */
  window?: [number, number];
  /** Albedo of the points (default white), or the starting albedo when `learnColors` is on. */
  albedo?: readonly number[];
  /** Optimize a per-point albedo too (Adam, `lrColors`, default 0.02), e.g. for photographs. */
  learnColors?: boolean;
  lrColors?: number;
  /** Every this many steps `onCheckpoint` gets the current state (default: never). */
  checkpointEvery?: number;
  onCheckpoint?: (state: FitState) => void;
  /** Stop once the step loss falls below this. */
  lossThreshold?: number;
  /** Splat options; sigma defaults to the initial cloud's spacing and is then held fixed. */
  splat?: SplatOptions;
  /** Threads for the renders and their gradients (default: every core; the fit is the same for any count). */
  threads?: number;
  seed?: number;
  onStep?: (s: FitStep) => void;
  /** Polled every step: set `aborted` (e.g. on Ctrl-C) to stop early and keep what there is. */
  signal?: { aborted: boolean };
}

export interface FitResult {
  positions: Float32Array;
  normals: Float32Array;
  /** Per-point albedo when `learnColors` was on, else null. */
  colors: Float32Array | null;
  iterations: number;
  seconds: number;
  lossInitial: number;
  lossFinal: number;
  /** Step losses. */
  history: number[];
  stopped: 'budget' | 'threshold' | 'aborted';
}

function checkViews(views: readonly FitView[], loss: FitLossKind): void {
  if (!FIT_LOSSES.includes(loss)) throw new ArgumentError(`fitPointCloud: options.loss must be one of ${FIT_LOSSES.join(', ')}, got ${JSON.stringify(loss)}.`);
  if (!Array.isArray(views) || views.length === 0) throw new ArgumentError('fitPointCloud: views must be a non-empty array of { camera, target, lights }.');
  views.forEach((v, i) => {
    const { width, height } = v.camera;
    if (v.target.ndim !== 3 || v.target.shape[0] !== height || v.target.shape[1] !== width || v.target.shape[2] !== 3) {
      throw new ShapeError(`fitPointCloud: views[${i}].target is [${v.target.shape}] but its camera renders [${height}, ${width}, 3]; give every target its camera's size.`);
    }
    if (v.mask && v.mask.length !== width * height) throw new ShapeError(`fitPointCloud: views[${i}].mask has ${v.mask.length} values; it needs ${width * height} (${height} x ${width}).`);
    if (loss === 'silhouette' && !v.mask) throw new ArgumentError(`fitPointCloud: loss 'silhouette' needs a mask on every view; views[${i}] has none.`);
  });
}

export interface FitInit {
  positions: ArrayLike<number>;
  normals?: ArrayLike<number>;
  /** Starting per-point albedo (N x 3) for `learnColors`. */
  colors?: ArrayLike<number> | null;
}

/** Runs the whole fit synchronously. */
export function fitPointCloud(init: FitInit, views: readonly FitView[], options: FitOptions = {}): FitResult {
  const steps = fitSteps(init, views, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the fit, giving the event loop a turn after every step (so SIGINT handlers can set `signal.aborted`). */
export async function fitPointCloudAsync(init: FitInit, views: readonly FitView[], options: FitOptions = {}): Promise<FitResult> {
  const steps = fitSteps(init, views, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The loop as a generator (yields the step number after every step, returns the result), and the state it has reached. */
export type PointCloudSteps = Generator<number, FitResult, void> & {
  /** A copy of the current cloud (unit normals), as a checkpoint holds it. */
  state(): FitState;
};

/** The loop itself. The inputs are checked here, before the first step. */
export function fitSteps(init: FitInit, views: readonly FitView[], options: FitOptions = {}): PointCloudSteps {
  const D = FIT_POINT_CLOUD_DEFAULTS;
  const lossKind = options.loss ?? D.loss;
  checkViews(views, lossKind);
  if (!init?.normals) throw new ArgumentError('fitPointCloud: init.normals is missing; the initial cloud needs normals (samplePoints gives them).');
  const n = init.positions.length / 3;
  if (!Number.isInteger(n) || n < 1 || init.normals!.length !== init.positions.length) {
    throw new ShapeError('fitPointCloud: init.positions and init.normals must be flat xyz arrays of the same length (at least one point).');
  }
  const t0 = performance.now();
  const iterations = options.iterations ?? D.iterations;
  if (!Number.isInteger(iterations) || iterations < 1) throw new ArgumentError(`fitPointCloud: options.iterations must be a whole number >= 1, got ${iterations}.`);
  const Tn = options.normalSteps ?? D.normalSteps,
    Tp = options.positionSteps ?? D.positionSteps;
  const batch = Math.min(options.viewsPerStep ?? D.viewsPerStep, views.length);
  const [window0, window1] = options.window ?? D.window;
  const albedo0 = options.albedo ?? D.albedo;
  let colors: Tensor | null = null;
  if (options.learnColors) {
    const c = new Float32Array(n * 3);
    if (init.colors && init.colors.length !== c.length) throw new ShapeError(`fitPointCloud: init.colors has ${init.colors.length} values; it needs ${c.length} (N x 3).`);
    for (let i = 0; i < c.length; i++) c[i] = init.colors ? init.colors[i] : albedo0[i % 3];
    colors = tensor(c, { shape: [n, 3], requiresGrad: true, name: 'colors' });
  }
  const albedo = colors ?? albedo0;
  const white = lossKind === 'silhouette' ? full([n, 1], 1, { dtype: 'float32' }) : null;
  const maskTargets = lossKind === 'silhouette' ? views.map((v) => tensor(Float32Array.from(v.mask!), { shape: [v.camera.height, v.camera.width, 1] })) : [];
  const positions = tensor(Float32Array.from(init.positions), { shape: [n, 3], requiresGrad: true, name: 'positions' });
  const normals = tensor(Float32Array.from(init.normals!), { shape: [n, 3], requiresGrad: true, name: 'normals' });
  const scale = cloudScale(positions.data);
  const splat: SplatOptions = { behindCamera: 'cull', ...options.splat };
  splat.threads = resolveThreads(options.threads ?? splat.threads, 'fitPointCloud: options.threads');
  splat.sigma ??= (splat.sigmaScale ?? 1) * scale.spacing;
  splat.mergeThreshold ??= DEFAULT_MERGE_FRACTION * scale.diagonal;
  const optP = new SGD([positions], { lr: options.lrPositions ?? D.lrPositions, momentum: 0.9, nesterov: true });
  const optN = new Adam([normals], { lr: options.lrNormals ?? D.lrNormals });
  const optC = colors ? new Adam([colors], { lr: options.lrColors ?? D.lrColors }) : null;
  const checkpointEvery = options.checkpointEvery ?? 0;
  const clip = options.clip ?? D.clip;
  const radius = options.radius ?? D.radiusInSpacings * scale.spacing;
  const schedule = new NeighborhoodSchedule({ radius, every: options.rebuildEvery ?? D.rebuildEvery });
  const gammaP = options.projectionWeight ?? D.projectionWeight,
    gammaR = options.repulsionWeight ?? D.repulsionWeight;
  const rng = new Random(options.seed ?? D.seed);
  const distances = views.map((v) => (v.mask ? maskDistance(v.mask, v.camera.width, v.camera.height) : null));
  const gammaS = options.silhouetteWeight ?? D.silhouetteWeight;
  const plateau = options.plateau
    ? new ReduceLROnPlateau(optP, {
        factor: options.plateau.factor ?? D.plateau.factor,
        patience: options.plateau.patience ?? D.plateau.patience,
        threshold: options.plateau.threshold ?? D.plateau.threshold,
        minLr: options.plateau.minLr ?? D.plateau.minLr,
      })
    : null;
  let cycleLoss = 0,
    cycleSteps = 0;
  let order: number[] = [];
  const nextViews = (): number[] => {
    const picked: number[] = [];
    while (picked.length < batch) {
      if (order.length === 0) order = rng.shuffle(views.map((_, i) => i));
      picked.push(order.pop()!);
    }
    return picked;
  };
  const state = (step: number): FitState => ({
    step,
    positions: Float32Array.from(positions.data),
    normals: Float32Array.from(noGrad(() => normalize(normals)).data),
    colors: colors ? Float32Array.from(colors.data) : null,
  });

  const history: number[] = [];
  const lastRender: SplatRender[] = [];
  let stopped: FitResult['stopped'] = 'budget';
  let step = 0;
  function* loop(): Generator<number, FitResult, void> {
    while (step < iterations) {
      for (const [phase, steps] of [
        ['normals', Tn],
        ['positions', Tp],
      ] as const) {
        for (let s = 0; s < steps && step < iterations; s++, step++) {
          if (options.signal?.aborted) {
            stopped = 'aborted';
            break;
          }
          const window = Math.round(window0 + ((window1 - window0) * step) / Math.max(1, iterations - 1));
          // only this phase's parameters get a gradient: a normal step skips the position backward
          // (the artificial gradient above all) and a position step the normal chain
          const unit = phase === 'normals' ? normalize(normals) : noGrad(() => normalize(normals));
          const points = phase === 'positions' ? positions : positions.detach();
          let loss: Tensor | null = null;
          for (const [slot, i] of nextViews().entries()) {
            const v = views[i];
            // the render of this batch slot at the last step is done with (that step ran its
            // backward): take its buffers (a batch may show one view twice, so not per view)
            const options = { ...splat, window, reuse: lastRender[slot] };
            const render = white !== null ? ewaSplat(points, unit, white, v.camera, options) : ewaSplat(points, unit, shade(unit, albedo, v.lights), v.camera, options);
            lastRender[slot] = render;
            const l = white !== null ? imageLoss(render.image, maskTargets[i], 'l1') : imageLoss(render.image, v.target, lossKind as ImageLossKind);
            loss = loss ? add(loss, l) : l;
          }
          const imageValue = loss!.item() / batch;
          history.push(imageValue);
          cycleLoss += imageValue;
          cycleSteps++;
          if (phase === 'positions' && (gammaP > 0 || gammaR > 0)) {
            const reg = surfaceRegularization(
              positions,
              noGrad(() => unit.detach()),
              {
                neighborhood: schedule.at(step, positions),
                projectionWeight: gammaP,
                repulsionWeight: gammaR,
                detachFrame: true,
                threads: splat.threads,
              },
            );
            loss = add(loss!, reg.loss);
          }
          if (phase === 'positions' && gammaS > 0) {
            // the silhouette term of every masked view (cheap: one projection per point and view)
            views.forEach((v, i) => {
              if (distances[i]) loss = add(loss!, mul(silhouetteLoss(positions, v.camera, distances[i]!), gammaS));
            });
          }
          positions.grad = null;
          normals.grad = null;
          if (colors) colors.grad = null;
          loss!.backward();
          if (phase === 'positions') {
            clipGradValue([positions], clip);
            optP.step();
          } else optN.step();
          if (colors && optC) {
            optC.step();
            const c = colors.data;
            for (let i = 0; i < c.length; i++) c[i] = c[i] < 0 ? 0 : c[i] > 1 ? 1 : c[i];
          }
          options.onStep?.({ step, phase, loss: imageValue, window, positions: positions.data as Float32Array });
          if (checkpointEvery > 0 && (step + 1) % checkpointEvery === 0) options.onCheckpoint?.(state(step + 1));
          yield step;
          if (options.lossThreshold !== undefined && imageValue < options.lossThreshold) {
            stopped = 'threshold';
            break;
          }
        }
        if (stopped !== 'budget') break;
      }
      if (stopped !== 'budget') break;
      if (plateau && cycleSteps > 0) plateau.step(cycleLoss / cycleSteps);
      cycleLoss = 0;
      cycleSteps = 0;
    }
    const last = state(history.length);
    return {
      positions: last.positions,
      normals: last.normals,
      colors: last.colors,
      iterations: history.length,
      seconds: (performance.now() - t0) / 1000,
      lossInitial: history[0] ?? NaN,
      lossFinal: history[history.length - 1] ?? NaN,
      history,
      stopped,
    };
  }
  return Object.assign(loop(), { state: () => state(history.length) });
}

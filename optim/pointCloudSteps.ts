// The point-cloud fit's loop (docs/dss.md §5), one step per `next()`: render a batch of views,
// the image loss, the regularizers and the silhouette term on position steps, backward, update.
// Around it: stray control (strays.ts), and with `refine` a coarse stage, then the cloud grown
// where it is sparse (upsample.ts) with smaller splats and window, ended by `converge`
// (convergence.ts) or the budget. fitPointCloud.ts checks the inputs and is the public entry.
// With a GPU (device 'webgpu', engine.md §9) the batch's renders and the backward are the GPU's:
// the loop yields their promises and is sent back what they resolve to (fitStepsAsync); on the CPU
// it yields only step numbers.

import { maskDistance } from '../geometry/distanceTransform.js';
import { full, tensor } from '../lib/create.js';
import { Random } from '../lib/random.js';
import { noGrad } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { type ImageLossKind, imageLoss } from '../ops/losses/imageLoss.js';
import { silhouetteLossViews } from '../ops/losses/silhouetteLoss.js';
import { NeighborhoodSchedule } from '../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../ops/regularizers/surfaceRegularization.js';
import { shade } from '../ops/shade.js';
import { cloudScale } from '../ops/splat/cloudScale.js';
import { type SplatRender, ewaSplat } from '../ops/splat/ewaSplat.js';
import { DEFAULT_MERGE_FRACTION, type SplatOptions } from '../ops/splat/options.js';
import { normalize } from '../ops/vector.js';
import { resolveThreads } from '../parallel/threads.js';
import { Adam } from './adam.js';
import { clipGradValue } from './clip.js';
import { Convergence, DEFAULT_CONVERGENCE } from './convergence.js';
import type { FitView } from './fitMethod.js';
import { FIT_POINT_CLOUD_DEFAULTS as D, type FitInit, type FitOptions, type FitResult, type FitState } from './fitOptions.js';
import type { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';
import type { GpuSplatRender } from '../ops/splat/webgpu/types.js';
import { ReduceLROnPlateau } from './schedules.js';
import { SGD } from './sgd.js';
import { findStrays, markSeen, markShown, outsideMasks, relocateStrays } from './strays.js';
import { upsampleCloud } from './upsample.js';

/** Pixels outside a mask the silhouette term forgives (the hull's surface projects onto the masks' edges). */
const SILHOUETTE_SLACK = 1;

/** What changes when the cloud grows: its tensors, their optimizers and what depends on its size. */
interface Cloud {
  n: number;
  positions: Tensor;
  normals: Tensor;
  colors: Tensor | null;
  optP: SGD;
  optN: Adam;
  optC: Adam | null;
  plateau: ReduceLROnPlateau | null;
  /** Per-point white attributes of the silhouette loss. */
  white: Tensor | null;
  spacing: number;
  schedule: NeighborhoodSchedule;
  /** The step each point was last shown by a render. */
  lastSeen: Int32Array;
  /** Each batch slot's last render, whose buffers the next render of the slot takes. */
  lastRender: SplatRender[];
}

/** What the loop yields: a finished step's number, or GPU work to await (its value is sent back). */
export type LoopYield = number | Promise<unknown>;

/** The loop: `gpu` non-null renders and differentiates on that GPU (set before the first step). */
export function pointCloudSteps(
  init: FitInit,
  views: readonly FitView[],
  options: FitOptions,
  gpu: { gpu: SplatGpu | null } | null,
): Generator<LoopYield, FitResult, unknown> & { state(): FitState; stopping(): FitResult['stopped'] } {
  const lossKind = options.loss ?? D.loss;
  const t0 = performance.now();
  const iterations = options.iterations ?? D.iterations;
  const Tn = options.normalSteps ?? D.normalSteps,
    Tp = options.positionSteps ?? D.positionSteps;
  const batch = Math.min(options.viewsPerStep ?? D.viewsPerStep, views.length);
  const [window0, window1] = options.window ?? D.window;
  const albedo0 = options.albedo ?? D.albedo;
  const maskTargets = lossKind === 'silhouette' ? views.map((v) => tensor(Float32Array.from(v.mask!), { shape: [v.camera.height, v.camera.width, 1] })) : [];
  const threads = resolveThreads(options.threads ?? options.splat?.threads, 'fitPointCloud: options.threads');
  const checkpointEvery = options.checkpointEvery ?? 0;
  const clip = options.clip ?? D.clip;
  const gammaP = options.projectionWeight ?? D.projectionWeight,
    gammaR = options.repulsionWeight ?? D.repulsionWeight;
  const rng = new Random(options.seed ?? D.seed);
  const distances = views.map((v) => (v.mask ? maskDistance(v.mask, v.camera.width, v.camera.height) : null));
  const gammaS = options.silhouetteWeight ?? D.silhouetteWeight;
  // the silhouette term leaves alone points within SILHOUETTE_SLACK px of a mask: a pixel's
  // quantization is all a mask can say there (docs/dss.md §5, the fit loop)
  const masked = views.flatMap((v, i) => (distances[i] ? [{ camera: v.camera, distance: distances[i]!.map((d) => Math.max(0, d - SILHOUETTE_SLACK)) }] : []));
  const maskedCameras = masked.map((m) => m.camera),
    maskedDistances = masked.map((m) => m.distance);
  const strayRule = options.strays === false ? null : { ...D.strays, ...options.strays };
  const strayRng = new Random((options.seed ?? D.seed) + 1);
  const refine = options.refine ? { ...D.refine, ...options.refine } : null;
  const convergence = options.converge ? new Convergence({ ...DEFAULT_CONVERGENCE, ...options.converge }) : null;

  /** The tensors, optimizers and schedules of a cloud of these points. */
  const makeCloud = (P: ArrayLike<number>, N: ArrayLike<number>, C: ArrayLike<number> | null | undefined, step: number): Cloud => {
    const n = P.length / 3;
    let colors: Tensor | null = null;
    if (options.learnColors) {
      const c = new Float32Array(n * 3);
      for (let i = 0; i < c.length; i++) c[i] = C ? C[i] : albedo0[i % 3];
      colors = tensor(c, { shape: [n, 3], requiresGrad: true, name: 'colors' });
    }
    const positions = tensor(Float32Array.from(P), { shape: [n, 3], requiresGrad: true, name: 'positions' });
    const normals = tensor(Float32Array.from(N), { shape: [n, 3], requiresGrad: true, name: 'normals' });
    const spacing = cloudScale(positions.data).spacing;
    const optP = new SGD([positions], { lr: options.lrPositions ?? D.lrPositions, momentum: 0.9, nesterov: true });
    const plateau = options.plateau
      ? new ReduceLROnPlateau(optP, {
          factor: options.plateau.factor ?? D.plateau.factor,
          patience: options.plateau.patience ?? D.plateau.patience,
          threshold: options.plateau.threshold ?? D.plateau.threshold,
          minLr: options.plateau.minLr ?? D.plateau.minLr,
        })
      : null;
    return {
      n,
      positions,
      normals,
      colors,
      optP,
      optN: new Adam([normals], { lr: options.lrNormals ?? D.lrNormals }),
      optC: colors ? new Adam([colors], { lr: options.lrColors ?? D.lrColors }) : null,
      plateau,
      white: lossKind === 'silhouette' ? full([n, 1], 1, { dtype: 'float32' }) : null,
      spacing,
      schedule: new NeighborhoodSchedule({ radius: options.radius ?? D.radiusInSpacings * spacing, every: options.rebuildEvery ?? D.rebuildEvery }),
      lastSeen: new Int32Array(n).fill(step),
      lastRender: [],
    };
  };
  let cloud = makeCloud(init.positions, init.normals!, init.colors, 0);
  // sigma follows the initial cloud's spacing (and the grown cloud's, after refinement) unless given
  const splat: SplatOptions = { behindCamera: 'cull', ...options.splat, threads };
  const sigmaGiven = splat.sigma !== undefined;
  splat.sigma ??= (splat.sigmaScale ?? 1) * cloud.spacing;
  splat.mergeThreshold ??= DEFAULT_MERGE_FRACTION * cloudScale(cloud.positions.data).diagonal;

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
    positions: Float32Array.from(cloud.positions.data),
    normals: Float32Array.from(noGrad(() => normalize(cloud.normals)).data),
    colors: cloud.colors ? Float32Array.from(cloud.colors.data) : null,
  });

  const history: number[] = [];
  let relocatedTotal = 0;
  const stageStarts: number[] = [];
  let stage = 0;
  let stopped: FitResult['stopped'] = 'budget';
  let step = 0;

  /** Moves the strays (strays.ts); returns how many. */
  const controlStrays = (): number => {
    const c = cloud;
    const outside = outsideMasks(c.positions.data, views, distances);
    const strays = findStrays(outside, c.lastSeen, { step, unseenSteps: strayRule!.unseenSteps });
    const graph = c.schedule.at(step, c.positions);
    const counts = new Int32Array(c.n);
    for (let k = 0; k < c.n; k++) counts[k] = graph.offsets[k + 1] - graph.offsets[k];
    const moved = relocateStrays(c.positions.data, c.normals.data, c.colors?.data ?? null, strays, counts, strayRng, c.spacing);
    if (moved.length === 0) return 0;
    c.optP.resetRows(c.positions, moved, 3);
    c.optN.resetRows(c.normals, moved, 3);
    if (c.colors) c.optC?.resetRows(c.colors, moved, 3);
    for (const k of moved) c.lastSeen[k] = step;
    c.schedule.invalidate();
    relocatedTotal += moved.length;
    return moved.length;
  };

  /** The window of this step: constant per stage with refinement, else shrinking over the budget. */
  const windowAt = (): number => (refine ? (stage === 0 ? window0 : window1) : Math.round(window0 + ((window1 - window0) * step) / Math.max(1, iterations - 1)));

  /** Ends the coarse stage: the cloud grows where it is sparse and the splats shrink to match. */
  const grow = (): void => {
    const s = state(step);
    const grown = upsampleCloud(s.positions, s.normals, s.colors, Math.round((refine!.grow - 1) * cloud.n));
    cloud = makeCloud(grown.positions, grown.normals, grown.colors, step);
    if (!sigmaGiven) splat.sigma = (splat.sigmaScale ?? 1) * cloud.spacing;
    stage = 1;
    stageStarts.push(step);
    convergence?.reset();
  };

  function* loop(): Generator<LoopYield, FitResult, unknown> {
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
          const window = windowAt();
          const strayTime = strayRule !== null && step >= strayRule.from && step < strayRule.until * iterations && (step - strayRule.from) % strayRule.every === 0;
          const relocated = strayTime ? controlStrays() : 0;
          const { positions, normals, colors, white } = cloud;
          const albedo = colors ?? albedo0;
          // only this phase's parameters get a gradient: a normal step skips the position backward
          // (the artificial gradient above all) and a position step the normal chain
          const unit = phase === 'normals' ? normalize(normals) : noGrad(() => normalize(normals));
          const points = phase === 'positions' ? positions : positions.detach();
          let loss: Tensor | null = null;
          if (gpu) {
            // the batch's renders on the GPU, in flight together
            const picked = nextViews();
            const attributes = (i: number) => (white !== null ? white : shade(unit, albedo, views[i].lights));
            const renders = (yield Promise.all(picked.map((i) => gpu.gpu!.ewaSplat(points, unit, attributes(i), views[i].camera, { ...splat, window })))) as GpuSplatRender[];
            for (const [slot, render] of renders.entries()) {
              const i = picked[slot];
              if (strayRule) markShown(render.shown, step, cloud.lastSeen);
              const l = white !== null ? imageLoss(render.image, maskTargets[i], 'l1') : imageLoss(render.image, views[i].target, lossKind as ImageLossKind);
              loss = loss ? add(loss, l) : l;
            }
          } else {
            for (const [slot, i] of nextViews().entries()) {
              const v = views[i];
              // the render of this batch slot at the last step is done with (that step ran its
              // backward): take its buffers (a batch may show one view twice, so not per view)
              const splatOptions = { ...splat, window, reuse: cloud.lastRender[slot] };
              const render = white !== null ? ewaSplat(points, unit, white, v.camera, splatOptions) : ewaSplat(points, unit, shade(unit, albedo, v.lights), v.camera, splatOptions);
              cloud.lastRender[slot] = render;
              if (strayRule) markSeen(render.cache, step, cloud.lastSeen);
              const l = white !== null ? imageLoss(render.image, maskTargets[i], 'l1') : imageLoss(render.image, v.target, lossKind as ImageLossKind);
              loss = loss ? add(loss, l) : l;
            }
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
                neighborhood: cloud.schedule.at(step, positions),
                projectionWeight: gammaP,
                repulsionWeight: gammaR,
                detachFrame: true,
                // the weights too: their backward was a fifth of a position step (docs/dss.md §5)
                detachWeights: true,
                threads,
                reportUnweighted: false,
              },
            );
            loss = add(loss!, reg.loss);
          }
          if (phase === 'positions' && gammaS > 0) {
            // the silhouette term of every masked view (cheap: one projection per point and view)
            if (masked.length > 0) loss = add(loss!, mul(silhouetteLossViews(positions, maskedCameras, maskedDistances), gammaS));
          }
          positions.grad = null;
          normals.grad = null;
          if (colors) colors.grad = null;
          if (gpu) yield loss!.backwardAsync();
          else loss!.backward();
          if (phase === 'positions') {
            clipGradValue([positions], clip);
            cloud.optP.step();
          } else cloud.optN.step();
          if (colors && cloud.optC) {
            cloud.optC.step();
            const c = colors.data;
            for (let i = 0; i < c.length; i++) c[i] = c[i] < 0 ? 0 : c[i] > 1 ? 1 : c[i];
          }
          options.onStep?.({ step, phase, loss: imageValue, window, positions: positions.data as Float32Array, relocated });
          if (checkpointEvery > 0 && (step + 1) % checkpointEvery === 0) options.onCheckpoint?.(state(step + 1));
          // what ends the fit, or the coarse stage, is decided before the step is handed out
          if (options.lossThreshold !== undefined && imageValue < options.lossThreshold) stopped = 'threshold';
          else {
            // the coarse stage ends once converged or at its share of the budget; the last stage once converged
            const settled = convergence?.push(imageValue) ?? false;
            if (refine && stage === 0 && (settled || step + 1 >= Math.round(refine.at * iterations)) && step + 1 < iterations) grow();
            else if (settled && (!refine || stage === 1)) stopped = 'converged';
          }
          yield step;
          if (stopped !== 'budget') break;
        }
        if (stopped !== 'budget') break;
      }
      if (stopped !== 'budget') break;
      if (cloud.plateau && cycleSteps > 0) cloud.plateau.step(cycleLoss / cycleSteps);
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
      relocated: relocatedTotal,
      stageStarts,
    };
  }
  return Object.assign(loop(), { state: () => state(history.length), stopping: () => stopped });
}

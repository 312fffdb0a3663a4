// The options, defaults, state and result of the point-cloud fit (optim/fitPointCloud.ts; the
// loss of docs/dss.md §5), in one place: the CLI's dss settings read the defaults from here too.

import type { SplatOptions } from '../ops/splat/options.js';
import type { ImageLossKind } from '../ops/losses/imageLoss.js';
import type { ConvergenceRule } from './convergence.js';
import type { SplatDevice } from '../ops/splat/ewaSplatAsync.js';
import type { SplatGpu } from '../ops/splat/webgpu/gpuSplat.js';

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
  /** Points stray control moved just before this step (0 on most steps). */
  relocated: number;
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
  strays: { every: 50, from: 100, until: 0.85, unseenSteps: 150 },
  refine: { at: 0.5, grow: 2 },
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
  /**
   * 'cpu' (default) or 'webgpu': the splat op's renders and gradients on the GPU (engine.md §9),
   * with fitStepsAsync or fitPointCloudAsync; the losses, regularizers and optimizers stay on the CPU.
   */
  device?: SplatDevice;
  /** The GPU of device 'webgpu' (default: defaultSplatGpu()). */
  gpu?: SplatGpu;
  seed?: number;
  onStep?: (s: FitStep) => void;
  /** Polled every step: set `aborted` (e.g. on Ctrl-C) to stop early and keep what there is. */
  signal?: { aborted: boolean };
  /**
   * Stray control (optim/strays.ts): every `every` steps from step `from` until the fraction
   * `until` of the budget, points outside a view's mask or shown by no render for `unseenSteps`
   * steps are moved next to well-placed points. Default on (every 50, from 100, until 0.85,
   * unseen 150); false turns it off.
   */
  strays?: { every?: number; from?: number; until?: number; unseenSteps?: number } | false;
  /**
   * Staged refinement: a coarse stage at window[0], then, once it converges (with `converge`) or
   * at the fraction `at` of the budget, the cloud grows `grow` x (optim/upsample.ts), the splats
   * shrink to its new spacing and the fit goes on at window[1]. Off by default: one stage whose
   * window shrinks linearly from window[0] to window[1] over the budget. The CLI's dss method
   * turns it on.
   */
  refine?: { at?: number; grow?: number } | false;
  /** Stop (and end a coarse stage) once the loss stops falling (optim/convergence.ts). Off by default. */
  converge?: Partial<ConvergenceRule> | false;
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
  stopped: 'budget' | 'threshold' | 'converged' | 'aborted';
  /** Points moved by stray control, over the run. */
  relocated: number;
  /** The step each stage after the first began at (empty without refinement). */
  stageStarts: number[];
}

export interface FitInit {
  positions: ArrayLike<number>;
  normals?: ArrayLike<number>;
  /** Starting per-point albedo (N x 3) for `learnColors`. */
  colors?: ArrayLike<number> | null;
}

// Pose estimation with Fuzzy Metaballs (docs/fm.md §7, paper §7.1): given a target depth image and
// silhouette of a known shape, find the camera pose by gradient descent from a perturbed start.
// The pose is the object's rotation w (a rotation vector) and translation tau about its centre,
// in camera coordinates (ops/cameraPose.ts), so both errors are measured about the object as in
// the paper. Loss: silhouette cross-entropy (eq. 11, alpha clipped) + depthWeight x the scale-free
// depth error (eq. 12); SGD with momentum, the translation's gradient scaled by eta^2 (the paper:
// it scales as the inverse of the model's size), the learning rate cut 10x on a plateau (at most
// 3 times here; optim/slopePlateau.ts), then stop.
//
// Why the defaults are what they are (20 trials each on the bunny, teapot and a trefoil knot at
// 64 x 64, starts up to 45 degrees and 50% off; error = sqrt(degrees x % of size), docs/fm.md §7):
// - The depth term absolute, x 5: with weight 1 (squared) it is ~1% of the loss and the fit leaves
//   the object 2-7% too far (started at the true pose the bunny drifts to 3.6; 1.9 at x 50,
//   absolute, the reference's later notebook's). But a strong depth term also pulls the start into
//   wrong minima: the clean mean over the three models, on three trial sequences (seeds 0, 1, 2),
//   is 3.2, 4.4, 3.2 at x 50; 2.9, 3.2 (seeds 0, 1) at x 20; 2.7, 2.4, 1.5 at x 10; 1.5, 2.5, 1.3
//   at x 5; 2.0, 3.2 at x 2.
// - lr 0.05 with gradients clipped to 0.3: lr 0.5 diverges (rotations of 170 degrees); 0.02-0.1
//   converge, but unclipped the first gradients (|dL/dw| ~ 5) let momentum carry the rotation a
//   radian past the answer in some trials (bunny mean 6.5 unclipped, 5.3 clipped at 0.3).
// - A larger translation scale (2 or 4 instead of eta^2 = 0.5) diverges; momentum 0.95 or 0.8,
//   a volumetric mixture, or a blurred first phase were no better (bunny 7.5, 7.2, 11.5, 6.0).
// - Window 20 and 3 cuts: the same errors as window 30 and 4 cuts in about 60% of the steps.

import type { Camera } from '../geometry/camera.js';
import { tensor } from '../lib/create.js';
import { ArgumentError } from '../lib/errors.js';
import type { Tensor } from '../lib/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import { poseAboutCentre } from '../ops/cameraPose.js';
import { relativeDepthError, silhouetteCrossEntropy } from '../ops/losses/silhouetteCrossEntropy.js';
import { fuzzyMetaballs } from '../ops/metaballs/fuzzyMetaballs.js';
import type { MetaballOptions, Metaballs } from '../ops/metaballs/options.js';
import { SGD } from './sgd.js';
import { SlopePlateau, type SlopePlateauOptions } from './slopePlateau.js';

export interface PoseTarget {
  /** Intrinsics and image size of the target (its own pose is not read). */
  camera: Camera;
  /** Target camera depth per pixel, 0 (or anything) where `mask` is 0. */
  depth: ArrayLike<number>;
  /** Target silhouette per pixel (1 inside). */
  mask: ArrayLike<number>;
}

export interface PoseStart {
  /** World-to-camera rotation (row-major 3x3) and translation to start from. */
  R: ArrayLike<number>;
  t: ArrayLike<number>;
}

/** The defaults of estimatePose, each measured (docs/fm.md §7). */
export const POSE_DEFAULTS = {
  lr: 0.05,
  momentum: 0.9,
  clip: 0.3,
  depthWeight: 5,
  depthPower: 1 as 1 | 2,
  maxSteps: 400,
  plateau: { window: 20, tolerance: 0.01, factor: 0.1, maxCuts: 3 },
};

export interface EstimatePoseOptions {
  /** The object's centre (world), the pivot of the rotation. */
  centre: ArrayLike<number>;
  /** The shape scale eta (render option `scale`, and the translation gradient's eta^2). */
  scale: number;
  /** Step size (default 0.05, for the mean-over-pixels loss of eq. 11-12). */
  lr?: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** The translation's gradient is multiplied by this (default eta^2, the paper's correction). */
  translationScale?: number;
  /** Largest gradient norm of the rotation and of the (scaled) translation; longer ones are shortened (default 0.3; null: no clip). */
  clip?: number | null;
  /** Weight of the depth term (default 5; the reference's later notebook uses 50; 0 fits the silhouette alone). */
  depthWeight?: number;
  /** 1 (default): absolute depth error; 2: squared. */
  depthPower?: 1 | 2;
  /** Most steps (default 400). */
  maxSteps?: number;
  /** The plateau rule (default: window 20, tolerance 0.01, factor 0.1, 3 cuts). */
  plateau?: SlopePlateauOptions;
  /** Renderer options (betas, variants; scale and pose are set here). */
  render?: Omit<MetaballOptions, 'pose' | 'scale' | 'threads'>;
  threads?: number;
  onStep?: (step: number, loss: number) => void;
}

export interface PoseEstimate {
  /** The pose found: c = R x + t. */
  R: Float64Array;
  t: Float64Array;
  steps: number;
  losses: number[];
  /** 'plateau' (the plateau rule ended it) or 'steps' (the budget). */
  stopped: 'plateau' | 'steps';
  cuts: number;
}

/** Finds the pose of `fm` that renders `target`, starting from `start` (docs/fm.md §7). */
export function estimatePose(fm: Metaballs, target: PoseTarget, start: PoseStart, options: EstimatePoseOptions): PoseEstimate {
  const { camera } = target;
  const P = camera.width * camera.height;
  if (target.depth.length !== P || target.mask.length !== P) throw new ArgumentError(`estimatePose: target.depth and target.mask need ${P} values (the camera's ${camera.width} x ${camera.height}).`);
  if (!(options.scale > 0)) throw new ArgumentError(`estimatePose: options.scale must be the shape scale eta (> 0), got ${options.scale}.`);
  const dtype = fm.means.dtype;
  const w = tensor([0, 0, 0], { dtype, requiresGrad: true, name: 'rotation' });
  const tau = tensor([0, 0, 0], { dtype, requiresGrad: true, name: 'translation' });
  const D = POSE_DEFAULTS;
  const opt = new SGD([w, tau], { lr: options.lr ?? D.lr, momentum: options.momentum ?? D.momentum });
  const plateau = new SlopePlateau(opt, { ...D.plateau, ...options.plateau });
  const depthWeight = options.depthWeight ?? D.depthWeight;
  const depthPower = options.depthPower ?? D.depthPower;
  const maxSteps = options.maxSteps ?? D.maxSteps;
  const clip = options.clip === undefined ? D.clip : options.clip;
  const eta2 = options.translationScale ?? options.scale * options.scale;
  const losses: number[] = [];
  const pose = () => poseAboutCentre(w, tau, start.R, start.t, options.centre);
  let step = 0;
  for (; step < maxSteps && !plateau.stopped; step++) {
    opt.zeroGrad();
    const r = fuzzyMetaballs(fm, camera, { ...options.render, scale: options.scale, threads: options.threads, pose: pose() });
    let loss: Tensor = silhouetteCrossEntropy(r.alpha, target.mask);
    if (depthWeight > 0) loss = add(loss, mul(relativeDepthError(r.depth, target.depth, target.mask, depthPower), depthWeight));
    loss.backward();
    // the paper's correction: the translation's gradient scales as 1 / size, so scale it by eta^2
    const g = tau.grad!.data;
    for (let i = 0; i < 3; i++) g[i] *= eta2;
    // a clip on each gradient's length: the first steps' gradients are large (the silhouettes
    // barely overlap), and momentum would otherwise carry the rotation past the answer
    if (clip !== null) {
      for (const p of [w.grad!.data, g]) {
        const n = Math.hypot(p[0], p[1], p[2]);
        if (n > clip) for (let i = 0; i < 3; i++) p[i] *= clip / n;
      }
    }
    opt.step();
    const value = loss.item();
    losses.push(value);
    options.onStep?.(step, value);
    plateau.step(value);
  }
  const final = pose();
  return { R: Float64Array.from(final.R.data), t: Float64Array.from(final.t.data), steps: step, losses, stopped: plateau.stopped ? 'plateau' : 'steps', cuts: plateau.cuts };
}

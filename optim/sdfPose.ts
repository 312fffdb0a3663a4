// Camera pose from a depth image and a silhouette of a known SDF (docs/dist.md §7, the paper's
// Fig. 6): the object's rotation about its centre (a rotation vector omega, composed with the
// starting rotation) and the centre's position in camera space are optimized by Adam through the
// tracer's camera gradient (ops/cameraPose.ts poseAboutCentre), on the depth L1 of the
// silhouettes' overlap and the silhouette hinge.

import { Camera } from '../geometry/camera.js';
import { tensor } from '../lib/create.js';
import { ArgumentError } from '../lib/errors.js';
import { poseAboutCentre } from '../ops/cameraPose.js';
import { depthSilhouetteLoss } from '../ops/sphereTracing/losses.js';
import type { Sdf } from '../ops/sphereTracing/sdf/sdf.js';
import type { SphereTraceOptions } from '../ops/sphereTracing/options.js';
import { sphereTrace } from '../ops/sphereTracing/sphereTrace.js';
import { Adam } from './adam.js';
import { type ObjectPose, worldToCamera } from './poseRecovery.js';

export interface SdfPoseOptions {
  /** Adam steps (default 300). */
  iterations?: number;
  /** Learning rate at the start (default 0.01); it decays to lrEnd by a cosine. */
  lr?: number;
  lrEnd?: number;
  /**
   * Weights of the depth L1 and the silhouette hinge (default 10 and 50). The hinge is a mean over
   * every pixel and the depth a mean over the silhouettes' overlap, so the reference's 1 left the
   * silhouette ~80x weaker per pixel than the depth here: on the dist-pose demo's CSG trials, 4 of
   * 20 clean fits stalled with the object beside its target (mean error 5.9, median 0.008); with 50,
   * 1 of 20 (mean 0.64); with 200, 3.
   */
  depthWeight?: number;
  silhouetteWeight?: number;
  /** Tracer options (steps, threads...). */
  trace?: SphereTraceOptions;
  /**
   * The first `steps` of the budget at half resolution (targets and camera downsampled by 2):
   * cheap steps while the pose is far off (default 0).
   */
  coarseSteps?: number;
  /** Called after each step with its loss. */
  onStep?: (step: number, loss: number) => void;
}

export interface SdfPoseTarget {
  /** Camera z per pixel (0 off the object). */
  depth: ArrayLike<number>;
  /** 1 on the object. */
  mask: ArrayLike<number>;
}

/**
 * The camera and target at half resolution: 2 x 2 blocks, on where at least two of the four are
 * (their mean depth); intrinsics halved.
 */
export function halfResolution(camera: Camera, target: SdfPoseTarget): { camera: Camera; target: SdfPoseTarget } {
  const W = Math.floor(camera.width / 2),
    H = Math.floor(camera.height / 2);
  const depth = new Float32Array(W * H),
    mask = new Float32Array(W * H);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      let on = 0,
        z = 0;
      for (const [di, dj] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]) {
        const p = (2 * j + dj) * camera.width + 2 * i + di;
        if (target.mask[p] > 0.5) {
          on++;
          z += target.depth[p];
        }
      }
      if (on >= 2) {
        mask[j * W + i] = 1;
        depth[j * W + i] = z / on;
      }
    }
  }
  const half = Camera.fromMatrix({ R: Array.from(camera.R), t: Array.from(camera.t), width: W, height: H, fx: camera.fx / 2, fy: camera.fy / 2, cx: camera.cx / 2, cy: camera.cy / 2 });
  return { camera: half, target: { depth, mask } };
}

export interface SdfPoseResult {
  pose: ObjectPose;
  losses: number[];
}

/**
 * Recovers the object pose (x_cam = R (x - centre) + position) under which `sdf`, seen through
 * `camera`'s intrinsics, matches `target`, starting from `start`.
 */
export function fitSdfPose(sdf: Sdf, camera: Camera, target: SdfPoseTarget, start: ObjectPose, centre: ArrayLike<number>, options: SdfPoseOptions = {}): SdfPoseResult {
  const iterations = options.iterations ?? 300;
  if (!Number.isInteger(iterations) || iterations < 0) throw new ArgumentError(`fitSdfPose: options.iterations must be a whole number >= 0, got ${iterations}.`);
  const dtype = sdf.dtype;
  const lr = options.lr ?? 0.01,
    lrEnd = options.lrEnd ?? 0.0005;
  const wd = options.depthWeight ?? 10,
    ws = options.silhouetteWeight ?? 50;
  const omega = tensor([0, 0, 0], { dtype, requiresGrad: true });
  const tau = tensor([0, 0, 0], { dtype, requiresGrad: true });
  const { R: R0, t: t0 } = worldToCamera(start, centre);
  const adam = new Adam([omega, tau], { lr });
  const losses: number[] = [];
  const pose = () => poseAboutCentre(omega, tau, R0, t0, centre);
  // the shape is known: no gradient is taken for its parameters (a network's weights)
  const frozen = sdf.parameters();
  const before = frozen.map((p) => p.requiresGrad);
  for (const p of frozen) p.requiresGrad = false;
  try {
    const coarseSteps = options.coarseSteps ?? 0;
    const coarse = coarseSteps > 0 ? halfResolution(camera, target) : null;
    for (let step = 0; step < iterations; step++) {
      adam.paramGroups[0].lr = lrEnd + 0.5 * (lr - lrEnd) * (1 + Math.cos((Math.PI * step) / Math.max(1, iterations - 1)));
      const [cam, tgt] = coarse && step < coarseSteps ? [coarse.camera, coarse.target] : [camera, target];
      const render = sphereTrace(sdf, cam, { ...options.trace, pose: pose() });
      const loss = depthSilhouetteLoss(render, tgt.depth, tgt.mask, wd, ws);
      adam.zeroGrad();
      loss.backward();
      adam.step();
      losses.push(loss.item());
      options.onStep?.(step, losses[losses.length - 1]);
    }
  } finally {
    frozen.forEach((p, i) => (p.requiresGrad = before[i]));
  }
  const final = pose();
  return { pose: { R: Float64Array.from(final.R.data), position: Float64Array.from(start.position, (x, k) => x + tau.data[k]) }, losses };
}

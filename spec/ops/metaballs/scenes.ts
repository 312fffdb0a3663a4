// Small scenes for the metaball specs: a camera on +z looking at the origin and a few random
// Gaussians in front of it.

import { Camera } from '../../../geometry/camera.js';
import { tensor } from '../../../lib/create.js';
import type { DType } from '../../../lib/dtype.js';
import { Random } from '../../../lib/random.js';
import type { Metaballs } from '../../../ops/metaballs/options.js';

export function frontCamera(width = 24, height = 18, distance = 3, fovY = 40): Camera {
  return Camera.lookAt({ eye: [0, 0, distance], target: [0, 0, 0], up: [0, 1, 0], width, height, fovY });
}

/** K random anisotropic Gaussians in a box around the origin (sigma ~ 0.15-0.4 divided by `sharpness`), as tensors. */
export function randomMetaballs(K: number, seed: number, dtype: DType = 'float64', requiresGrad = true, sharpness = 1): Metaballs {
  const rng = new Random(seed);
  const means: number[][] = [],
    precisions: number[][] = [],
    logWeights: number[] = [];
  for (let k = 0; k < K; k++) {
    means.push([rng.uniform(-0.5, 0.5), rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4)]);
    // a positive diagonal of 2.5-7 (std 0.14-0.4) and off-diagonal shear
    const u = [rng.uniform(2.5, 7), rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(2.5, 7), rng.uniform(-2, 2), rng.uniform(2.5, 7)];
    precisions.push(u.map((x) => x * sharpness));
    logWeights.push(rng.uniform(-0.5, 1));
  }
  return {
    means: tensor(means, { dtype, requiresGrad, name: 'means' }),
    precisions: tensor(precisions, { dtype, requiresGrad, name: 'precisions' }),
    logWeights: tensor(logWeights, { dtype, requiresGrad, name: 'logWeights' }),
  };
}

/** The camera's pose as tensors (for gradients to R and t). */
export function poseOf(camera: Camera, requiresGrad = true) {
  return { R: tensor(camera.R, { dtype: 'float64', shape: [3, 3], requiresGrad, name: 'R' }), t: tensor(camera.t, { dtype: 'float64', requiresGrad, name: 't' }) };
}

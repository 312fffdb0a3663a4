// The Fuzzy Metaballs renderer (docs/fm.md), public entry: K anisotropic Gaussians and a camera
// -> depth, alpha and normal images, smooth and defined everywhere, differentiable in the means,
// the precision factors, the log-weights and (with options.pose) the camera pose.
//
// This file validates and resolves the defaults; the work is in fuzzyMetaballsFast.ts. To learn
// the algorithm, read fuzzyMetaballsReference.ts first: the same renderer as tape ops.

import type { Camera } from '../../geometry/camera.js';
import { tensor } from '../../lib/create.js';
import { renderFast } from './fuzzyMetaballsFast.js';
import { type MetaballOptions, type MetaballRender, type Metaballs, resolveMetaballOptions, validateMetaballs } from './options.js';

export type { MetaballOptions, MetaballRender, Metaballs, MetaballPose, Betas } from './options.js';

/** Renders the metaballs `fm` from `camera` (docs/fm.md §2-4). */
export function fuzzyMetaballs(fm: Metaballs, camera: Camera, options: MetaballOptions = {}): MetaballRender {
  validateMetaballs(fm, camera, options.pose);
  const resolved = resolveMetaballOptions(fm, options);
  const dtype = fm.means.dtype;
  const R = options.pose?.R ?? tensor(camera.R, { dtype, shape: [3, 3] });
  const t = options.pose?.t ?? tensor(camera.t, { dtype, shape: [3] });
  return renderFast(fm.means, fm.precisions, fm.logWeights, R, t, camera, resolved);
}

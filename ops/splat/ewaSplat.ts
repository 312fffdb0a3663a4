// The DSS splat op (docs/dss.md §2-3), public entry: oriented points -> image, depth, normal and
// alpha images plus the per-pixel cache of the A front-most splats. Differentiable in positions,
// normals and attributes: exact through the smooth weights rho_bar and the attributes, with the
// artificial gradient in place of the visibility term (eq. 9-14).
//
// This file validates and resolves the defaults; the work is in ewaSplatFast.ts. To learn the
// algorithm, read ewaSplatReference.ts first: the same op as textbook loops.

import type { Camera } from '../../geometry/camera.js';
import { ArgumentError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { cloudScale, splatScale } from './cloudScale.js';
import { renderFast } from './ewaSplatFast.js';
import { type SplatOptions, resolveSplatOptions } from './options.js';
import type { SplatCache } from './splatCache.js';
import { type SplatRender, validateSplatInputs } from './splatRender.js';

export type { SplatRender } from './splatRender.js';

export interface SplatCall extends SplatOptions {
  /** 'cpu' (the default and the only device here): the GPU path is asynchronous, see ewaSplatAsync. */
  device?: 'cpu' | 'webgpu';
  /**
   * Freeze the visibility h (eq. 9): render with these front lists (from an earlier render's
   * `cache`), recomputing only the smooth weights rho_bar. For checking the smooth gradient.
   */
  visibility?: SplatCache;
  /**
   * An earlier render whose images and per-pixel cache this call may overwrite instead of
   * allocating its own: same size, channels, front count, dtype and thread sharing, else it is
   * left alone and fresh buffers are used. A render loop that passes its last render allocates
   * nothing large per call. The earlier render is used up: its tensors and cache hold this call's
   * values and its backward throws, so run its backward first, and feed neither it nor its cache
   * (as `visibility`, say) into this call.
   */
  reuse?: SplatRender;
}

/**
 * Renders oriented points with screen-space EWA splats from one camera (docs/dss.md §2).
 * positions, normals: N x 3; attributes: N x C (e.g. shaded colours from `shade`).
 */
export function ewaSplat(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: SplatCall = {}): SplatRender {
  const channels = validateSplatInputs(positions, normals, attributes, camera);
  if (options.device !== undefined && options.device !== 'cpu') {
    throw new ArgumentError(
      options.device === 'webgpu'
        ? "device 'webgpu' renders asynchronously: call await ewaSplatAsync(positions, normals, attributes, camera, { device: 'webgpu' }) (its backward is await loss.backwardAsync())."
        : `options.device must be 'cpu' or 'webgpu', got ${JSON.stringify(options.device)}.`,
    );
  }
  if ('implementation' in options) throw new ArgumentError('options.implementation is gone: call ewaSplatReference(positions, normals, attributes, camera, options) for the textbook twin.');
  const resolved = resolveSplatOptions(options, channels, () => splatScale(positions.data, camera));
  return renderFast(positions, normals, attributes, camera, resolved, { visibility: options.visibility, reuse: options.reuse });
}

/** One render per camera; `attributes` may depend on the view (shading with per-view lights). */
export function ewaSplatViews(positions: Tensor, normals: Tensor, attributes: Tensor | ((camera: Camera, view: number) => Tensor), cameras: readonly Camera[], options: SplatCall = {}): SplatRender[] {
  if (!Array.isArray(cameras) || cameras.length === 0) throw new ArgumentError('cameras must be a non-empty array of Camera.');
  if (options.reuse !== undefined) throw new ArgumentError('options.reuse names one earlier render; for several views call ewaSplat per view, each with its own.');
  // measure the cloud once for all views (one without extent is sized per view, from each camera)
  const fixed: SplatCall = { ...options };
  const m = fixed.sigma === undefined || fixed.mergeThreshold === undefined ? cloudScale(positions.data) : null;
  if (m?.measured) {
    fixed.sigma ??= (options.sigmaScale ?? 1) * m.spacing;
    fixed.mergeThreshold ??= resolveSplatOptions({ sigma: 1 }, 1, () => m).mergeThreshold;
  }
  return cameras.map((camera, v) => ewaSplat(positions, normals, typeof attributes === 'function' ? attributes(camera, v) : attributes, camera, fixed));
}

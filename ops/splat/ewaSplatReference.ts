// The textbook twin of ewaSplat (docs/dss.md §2-3): the same op, inputs and outputs, computed by
// plain loops. The forward tests every pixel against every point (splatForwardReference.ts); the
// backward recomputes every pixel in full for each pair (splatBackwardReference.ts). Slow on
// purpose, one thread, and the file to read first; spec/ops/splat/twins.spec.ts holds the fast
// path to it.

import type { Camera } from '../../geometry/camera.js';
import { customOp } from '../../lib/customOp.js';
import { allocate } from '../../lib/dtype.js';
import { Tensor } from '../../lib/tensor.js';
import { splatScale } from './cloudScale.js';
import { composite } from './composite.js';
import { binSplats } from './rasterizeSplats.js';
import { type ResolvedSplatOptions, type SplatOptions, resolveSplatOptions } from './options.js';
import { type ScreenSplats, screenSplats } from './screenSplats.js';
import { splatBackwardReference } from './splatBackwardReference.js';
import type { SplatCache } from './splatCache.js';
import { splatForwardReference } from './splatForwardReference.js';
import { type SplatRender, nonFinitePixel, validateSplatInputs } from './splatRender.js';

interface ReferenceView {
  camera: Camera;
  options: ResolvedSplatOptions;
  result?: Pick<SplatRender, 'cache' | 'culled'>;
}

const referenceOp = customOp({
  name: 'ewaSplatReference',
  allowNonFinite: true, // inputs are validated and composite checks every output pixel
  forward(ctx, positions: Tensor, normals: Tensor, attributes: Tensor, view: ReferenceView) {
    const { camera, options: o } = view;
    const H = camera.height,
      W = camera.width,
      channels = attributes.shape[1];
    // eq. 1-5: every pixel's front list by brute force
    const cache = splatForwardReference(positions.data, normals.data, camera, o);
    // the backward's per-splat screen parameters (centres, M^-1, scale), as the fast path has them
    const { splats: screen, culled } = screenSplats(positions.data, normals.data, camera, o);
    cache.bins = binSplats(screen, H); // so the cache can freeze a fast render's visibility too
    const image = new Tensor(allocate(ctx.dtype, H * W * channels), [H, W, channels]);
    const depth = new Tensor(allocate(ctx.dtype, H * W), [H, W]);
    const normal = new Tensor(allocate(ctx.dtype, H * W * 3), [H, W, 3]);
    const alpha = new Tensor(allocate(ctx.dtype, H * W), [H, W]);
    // eq. 6 over the visible prefixes the forward marked
    const bad = composite(cache, null, attributes.data, channels, normals.data, o.background, { image: image.data, depth: depth.data, normal: normal.data, alpha: alpha.data }, 0, W * H, true);
    if (bad >= 0) throw nonFinitePixel(bad, W);
    ctx.markNonDifferentiable(depth, normal, alpha);
    view.result = { cache, culled };
    ctx.save(positions, normals, attributes, view, screen, cache);
    return [image, depth, normal, alpha];
  },
  backward(ctx, gImage) {
    const [positions, normals, attributes, view, screen, cache] = ctx.saved as [Tensor, Tensor, Tensor, ReferenceView, ScreenSplats, SplatCache];
    const [needP, needN, needW] = ctx.needsInputGrad;
    if (!gImage) return [null, null, null];
    const g = splatBackwardReference(cache, screen, positions.data, normals.data, attributes.data, attributes.shape[1], view.camera, view.options, gImage);
    const as = (a: Float64Array) => {
      const out = allocate(ctx.dtype, a.length);
      out.set(a);
      return out;
    };
    return [needP ? as(g.gP) : null, needN ? as(g.gN) : null, needW ? as(g.gW) : null];
  },
});

/**
 * ewaSplat as textbook loops: same arguments (less `reuse`, `visibility` and `threads`, which
 * belong to the fast path) and the same render.
 */
export function ewaSplatReference(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera, options: SplatOptions = {}): SplatRender {
  const channels = validateSplatInputs(positions, normals, attributes, camera);
  const resolved = resolveSplatOptions(options, channels, () => splatScale(positions.data, camera));
  const view: ReferenceView = { camera, options: resolved };
  const [image, depth, normal, alpha] = referenceOp(positions, normals, attributes, view);
  const { cache, culled } = view.result!;
  return { image, depth, normal, alpha, cache, options: resolved, culled, stats: { evaluations: positions.shape[0] * camera.width * camera.height } };
}

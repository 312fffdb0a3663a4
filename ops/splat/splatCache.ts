// The per-pixel list of the A front-most splats (docs/dss.md §2, the cache): what the backward pass and the occlusion
// counter read. Entries of pixel p live in slots p*A .. p*A + count[p] - 1, sorted by depth
// (ties by point index); the first `visible[p]` of them are within the merge threshold T of the
// front one (eq. 5) and are the ones rendered.

import { type DType, type FloatArray, allocate } from '../../lib/dtype.js';
import { int32, uint8 } from '../../lib/sharedMemory.js';
import type { BandBins } from './rasterizeSplats.js';

export interface SplatCache {
  width: number;
  height: number;
  /** Slots per pixel (A). */
  frontCount: number;
  /** Point index per slot, -1 when empty. */
  index: Int32Array;
  /** rho_bar (the smooth splat weight, before visibility) per slot, in the op's dtype. */
  rho: FloatArray;
  /** Camera depth of every point (the depth of a slot is pointDepth[index[slot]]). */
  pointDepth: Float64Array;
  /** Cached entries per pixel. */
  count: Uint8Array;
  /** Visible entries per pixel (a prefix of the cached ones). */
  visible: Uint8Array;
  /** Per band of rows, the splats that may appear in its lists (from the fast forward; the backward's work units). */
  bins?: BandBins;
}

/**
 * `shared`: on shared memory, for the thread pool. Empty slots hold index -1, unless `clear` is
 * false: then the caller fills them (the fast forward does it band by band, in parallel).
 */
export function emptyCache(width: number, height: number, frontCount: number, pointDepth: Float64Array, dtype: DType, shared = false, clear = true): SplatCache {
  const slots = width * height * frontCount;
  const index = int32(slots, shared);
  if (clear) index.fill(-1);
  return {
    width,
    height,
    frontCount,
    index,
    rho: allocate(dtype, slots, shared),
    pointDepth,
    count: uint8(width * height, shared),
    visible: uint8(width * height, shared),
  };
}

/** How many views each point is cached but occluded in (o_k of eq. 15c), added into `counts`. */
export function countOccluded(cache: SplatCache, counts: Float64Array | Uint32Array): void {
  // a point counts once per view: mark it in a per-call set
  const seen = new Uint8Array(counts.length);
  const A = cache.frontCount;
  for (let p = 0; p < cache.count.length; p++) {
    for (let s = cache.visible[p]; s < cache.count[p]; s++) {
      const k = cache.index[p * A + s];
      if (!seen[k]) {
        seen[k] = 1;
        counts[k]++;
      }
    }
  }
}

/**
 * The same front lists with rho_bar recomputed from new splat parameters, without truncation:
 * the render with the visibility h frozen (eq. 9), for checking the smooth gradient.
 */
export function refreshWeights(
  frozen: SplatCache,
  splat: { px: Float64Array; py: Float64Array; ia: Float64Array; ib: Float64Array; ic: Float64Array; scale: Float64Array; depth: Float64Array },
): SplatCache {
  const A = frozen.frontCount;
  const out: SplatCache = { ...frozen, rho: new (frozen.rho.constructor as Float64ArrayConstructor)(frozen.rho.length), pointDepth: splat.depth };
  for (let p = 0; p < frozen.count.length; p++) {
    const dx0 = (p % frozen.width) + 0.5,
      dy0 = ((p / frozen.width) | 0) + 0.5;
    for (let s = 0; s < frozen.count[p]; s++) {
      const k = frozen.index[p * A + s];
      const dx = dx0 - splat.px[k],
        dy = dy0 - splat.py[k];
      out.rho[p * A + s] = splat.scale[k] * Math.exp(-0.5 * (splat.ia[k] * dx * dx + 2 * splat.ib[k] * dx * dy + splat.ic[k] * dy * dy));
    }
  }
  return out;
}

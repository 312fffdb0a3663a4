// The per-pixel list of the A front-most splats [0071]: what the backward pass and the occlusion
// counter read. Entries of pixel p live in slots p*A .. p*A + count[p] - 1, sorted by depth
// (ties by point index); the first `visible[p]` of them are within the merge threshold T of the
// front one (eq. 5) and are the ones rendered.

export interface SplatCache {
  width: number;
  height: number;
  /** Slots per pixel (A). */
  frontCount: number;
  /** Point index per slot, -1 when empty. */
  index: Int32Array;
  /** rho_bar (the smooth splat weight, before visibility) per slot. */
  rho: Float32Array;
  /** Camera depth of the splat per slot. */
  depth: Float64Array;
  /** Cached entries per pixel. */
  count: Uint8Array;
  /** Visible entries per pixel (a prefix of the cached ones). */
  visible: Uint8Array;
}

export function emptyCache(width: number, height: number, frontCount: number): SplatCache {
  const slots = width * height * frontCount;
  return {
    width,
    height,
    frontCount,
    index: new Int32Array(slots).fill(-1),
    rho: new Float32Array(slots),
    depth: new Float64Array(slots),
    count: new Uint8Array(width * height),
    visible: new Uint8Array(width * height),
  };
}

/** Marks the visible prefix of every pixel: entries no more than T behind the front one (eq. 5). */
export function markVisible(cache: SplatCache, mergeThreshold: number): void {
  const A = cache.frontCount;
  for (let p = 0; p < cache.count.length; p++) {
    const n = cache.count[p];
    if (n === 0) continue;
    const limit = cache.depth[p * A] + mergeThreshold;
    let v = 1;
    while (v < n && cache.depth[p * A + v] <= limit) v++;
    cache.visible[p] = v;
  }
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

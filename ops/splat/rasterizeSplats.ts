// The fast forward: each splat visits only the pixels of its bounding box [0042] and is inserted
// into that pixel's depth-sorted list of A front-most splats. Plain loops over typed arrays.
// Its textbook twin is ewaSplatReference.ts; spec/ops/splat/twins.spec.ts holds them equal.

import type { ScreenSplats } from './screenSplats.js';
import { type SplatCache, emptyCache, markVisible } from './splatCache.js';

export interface RasterStats {
  /** Splat-pixel pairs evaluated: exactly the pixels inside the truncated ellipses (eq. 4). */
  evaluations: number;
}

export function rasterizeSplats(s: ScreenSplats, width: number, height: number, frontCount: number, cutoff: number, mergeThreshold: number): { cache: SplatCache; stats: RasterStats } {
  const cache = emptyCache(width, height, frontCount);
  const A = frontCount;
  const { index, rho, depth, count } = cache;
  let evaluations = 0;
  for (let k = 0; k < s.count; k++) {
    if (!s.active[k]) continue;
    const X = s.px[k], Y = s.py[k], z = s.depth[k];
    const ha = 0.5 * s.ia[k], ib = s.ib[k], hc = 0.5 * s.ic[k], scale = s.scale[k];
    const stepRatio = Math.exp(-2 * ha);
    for (let j = s.y0[k]; j <= s.y1[k]; j++) {
      const dy = j + 0.5 - Y;
      // along the row q(dx) = ha dx^2 + qb dx + qc (= 1/2 d^T M^-1 d); eq. 4 keeps q <= C, an
      // interval of dx, so only covered pixels are visited
      const qb = ib * dy, qc = hc * dy * dy - cutoff;
      const disc = qb * qb - 4 * ha * qc;
      if (disc < 0) continue;
      const root = Math.sqrt(disc);
      const i0 = Math.max(s.x0[k], Math.ceil(X - 0.5 + (-qb - root) / (2 * ha)));
      const i1 = Math.min(s.x1[k], Math.floor(X - 0.5 + (-qb + root) / (2 * ha)));
      if (i0 > i1) continue;
      evaluations += i1 - i0 + 1;
      // exp(-q) along the row by recurrence: q(dx+1) - q(dx) = 2 ha dx + ha + qb, whose own
      // step is the constant 2 ha, so two exps per row instead of one per pixel
      let dx = i0 + 0.5 - X;
      let w = scale * Math.exp(-((ha * dx + qb) * dx + qc + cutoff));
      let ratio = Math.exp(-(2 * ha * dx + ha + qb));
      const rowBase = j * width;
      for (let i = i0; i <= i1; i++, dx++, w *= ratio, ratio *= stepRatio) {
        const p = rowBase + i;
        const base = p * A;
        const n = count[p];
        if (n === A && z >= depth[base + A - 1]) continue; // behind all A kept splats
        // insertion sort step: later splats with equal depth go after (ties by index)
        let at = n === A ? A - 1 : n;
        while (at > 0 && depth[base + at - 1] > z) {
          index[base + at] = index[base + at - 1];
          depth[base + at] = depth[base + at - 1];
          rho[base + at] = rho[base + at - 1];
          at--;
        }
        index[base + at] = k;
        depth[base + at] = z;
        rho[base + at] = w;
        if (n < A) count[p] = n + 1;
      }
    }
  }
  markVisible(cache, mergeThreshold);
  return { cache, stats: { evaluations } };
}

// The fast forward (patent [0042]): each splat visits only the pixels inside its truncated
// ellipse, and is appended to those pixels' lists of the A front-most splats. Two orderings make
// that cheap: splats go front to back (so a list is filled by appending, and a full list rejects
// the rest with one comparison), and the image is cut into 16 x 16 tiles processed one at a time
// (so the lists being written stay in cache; tiles are also the unit of parallel work).
// Its textbook twin is ewaSplatReference.ts; spec/ops/splat/twins.spec.ts holds them equal.

import type { ScreenSplats } from './screenSplats.js';
import { type SplatCache, emptyCache, markVisible } from './splatCache.js';

export const TILE = 16;

export interface RasterStats {
  /** Splat-pixel pairs evaluated: exactly the pixels inside the truncated ellipses (eq. 4). */
  evaluations: number;
}

/** Indices of the active splats sorted by depth, then index. */
export function frontToBack(s: ScreenSplats): Int32Array {
  let m = 0;
  for (let k = 0; k < s.count; k++) if (s.active[k]) m++;
  const order = new Int32Array(m);
  m = 0;
  for (let k = 0; k < s.count; k++) if (s.active[k]) order[m++] = k;
  const z = s.depth;
  return order.sort((a, b) => z[a] - z[b] || a - b);
}

/** Per tile, the splats whose box overlaps it, front to back (CSR: tileStart[t]..tileStart[t+1]). */
export interface TileBins {
  tilesX: number;
  tilesY: number;
  tileStart: Int32Array;
  splats: Int32Array;
}

export function binSplats(s: ScreenSplats, width: number, height: number): TileBins {
  const tilesX = Math.ceil(width / TILE), tilesY = Math.ceil(height / TILE);
  const order = frontToBack(s);
  const tileStart = new Int32Array(tilesX * tilesY + 1);
  for (let o = 0; o < order.length; o++) {
    const k = order[o];
    for (let ty = (s.y0[k] / TILE) | 0; ty <= ((s.y1[k] / TILE) | 0); ty++)
      for (let tx = (s.x0[k] / TILE) | 0; tx <= ((s.x1[k] / TILE) | 0); tx++) tileStart[ty * tilesX + tx + 1]++;
  }
  for (let t = 0; t < tilesX * tilesY; t++) tileStart[t + 1] += tileStart[t];
  const fill = tileStart.slice(0, -1);
  const splats = new Int32Array(tileStart[tilesX * tilesY]);
  // a stable counting sort: each tile's list keeps the front-to-back order
  for (let o = 0; o < order.length; o++) {
    const k = order[o];
    for (let ty = (s.y0[k] / TILE) | 0; ty <= ((s.y1[k] / TILE) | 0); ty++)
      for (let tx = (s.x0[k] / TILE) | 0; tx <= ((s.x1[k] / TILE) | 0); tx++) splats[fill[ty * tilesX + tx]++] = k;
  }
  return { tilesX, tilesY, tileStart, splats };
}

/** Fills the cache lists of the pixels of tile t (all of them when called for every tile). */
export function rasterizeTile(s: ScreenSplats, bins: TileBins, t: number, cache: SplatCache, cutoff: number): number {
  const { width, height, frontCount: A, index, rho, depth, count } = cache;
  const tx0 = (t % bins.tilesX) * TILE, ty0 = ((t / bins.tilesX) | 0) * TILE;
  const tx1 = Math.min(tx0 + TILE, width) - 1, ty1 = Math.min(ty0 + TILE, height) - 1;
  let evaluations = 0;
  for (let e = bins.tileStart[t]; e < bins.tileStart[t + 1]; e++) {
    const k = bins.splats[e];
    const X = s.px[k], Y = s.py[k], z = s.depth[k];
    const ha = 0.5 * s.ia[k], ib = s.ib[k], hc = 0.5 * s.ic[k], scale = s.scale[k];
    const stepRatio = Math.exp(-2 * ha);
    const jEnd = Math.min(s.y1[k], ty1);
    for (let j = Math.max(s.y0[k], ty0); j <= jEnd; j++) {
      const dy = j + 0.5 - Y;
      // along the row q(dx) = ha dx^2 + qb dx + qc (= 1/2 d^T M^-1 d); eq. 4 keeps q <= C, an
      // interval of dx, so only covered pixels are visited
      const qb = ib * dy, qc = hc * dy * dy - cutoff;
      const disc = qb * qb - 4 * ha * qc;
      if (disc < 0) continue;
      const root = Math.sqrt(disc);
      const i0 = Math.max(tx0, Math.ceil(X - 0.5 + (-qb - root) / (2 * ha)));
      const i1 = Math.min(tx1, Math.floor(X - 0.5 + (-qb + root) / (2 * ha)));
      if (i0 > i1) continue;
      evaluations += i1 - i0 + 1;
      // exp(-q) along the row by recurrence: q(dx+1) - q(dx) = 2 ha dx + ha + qb, whose own
      // step is the constant 2 ha, so two exps per row instead of one per pixel
      let dx = i0 + 0.5 - X;
      let w = scale * Math.exp(-((ha * dx + qb) * dx + qc + cutoff));
      let ratio = Math.exp(-(2 * ha * dx + ha + qb));
      const rowBase = j * width;
      for (let i = i0; i <= i1; i++) {
        const p = rowBase + i;
        const n = count[p];
        if (n < A) {
          // front to back: appending keeps the list sorted (ties by index)
          const slot = p * A + n;
          index[slot] = k;
          depth[slot] = z;
          rho[slot] = w;
          count[p] = n + 1;
        }
        w *= ratio;
        ratio *= stepRatio;
      }
    }
  }
  return evaluations;
}

export function rasterizeSplats(s: ScreenSplats, width: number, height: number, frontCount: number, cutoff: number, mergeThreshold: number): { cache: SplatCache; stats: RasterStats } {
  const cache = emptyCache(width, height, frontCount);
  const bins = binSplats(s, width, height);
  let evaluations = 0;
  for (let t = 0; t < bins.tilesX * bins.tilesY; t++) evaluations += rasterizeTile(s, bins, t, cache, cutoff);
  markVisible(cache, mergeThreshold);
  return { cache, stats: { evaluations } };
}

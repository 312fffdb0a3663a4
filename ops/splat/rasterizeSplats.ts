// The fast forward (docs/dss.md §2, truncation): each splat visits only the pixels inside its truncated
// ellipse, and is appended to those pixels' lists of the A front-most splats. Two orderings make
// that cheap: splats go front to back (so a list is filled by appending, and a full list rejects
// the rest with one comparison), and the image is cut into bands of 16 rows processed one at a
// time (so the lists being written stay in cache, and no splat row is split; bands are also the
// unit of parallel work, see kernels.ts).
// Its textbook twin is ewaSplatReference.ts; spec/ops/splat/twins.spec.ts holds them equal.

import { int32 } from '../../lib/sharedMemory.js';
import type { ScreenSplats } from './screenSplats.js';
import type { SplatCache } from './splatCache.js';

export const BAND = 16;

export interface RasterStats {
  /** Splat-pixel pairs evaluated: exactly the pixels inside the truncated ellipses (eq. 4). */
  evaluations: number;
}

/**
 * Indices of the active splats sorted by depth, then index. Positive floats order like their bit
 * patterns, so an LSD radix sort on the float32 bits of the depths (4 passes of 8 bits, every
 * histogram from one read) puts them in order up to depths that float32 can't tell apart; each
 * run of equal float32 keys is then sorted exactly (insertion for short runs). Each pass is stable
 * and the input is in index order, so ties stay in index order.
 */
export function frontToBack(s: ScreenSplats): Int32Array {
  const { depth, active } = s;
  let m = 0;
  for (let k = 0; k < s.count; k++) if (active[k]) m++;
  let order = new Int32Array(m),
    spare = new Int32Array(m);
  const f32 = new Float32Array(m);
  let keys = new Uint32Array(f32.buffer),
    spareKeys = new Uint32Array(m);
  m = 0;
  for (let k = 0; k < s.count; k++) {
    if (!active[k]) continue;
    order[m] = k;
    f32[m++] = depth[k]; // rounds to nearest: never reverses two depths, may tie them
  }
  const counts = new Int32Array(4 * 256);
  for (let o = 0; o < m; o++) {
    const key = keys[o];
    counts[key & 255]++;
    counts[256 + ((key >>> 8) & 255)]++;
    counts[512 + ((key >>> 16) & 255)]++;
    counts[768 + (key >>> 24)]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const shift = 8 * pass,
      base = 256 * pass;
    if (m === 0 || counts[base + ((keys[0] >>> shift) & 255)] === m) continue; // one digit for all: nothing moves
    for (let d = 0, total = 0; d < 256; d++) {
      const c = counts[base + d];
      counts[base + d] = total;
      total += c;
    }
    for (let o = 0; o < m; o++) {
      const key = keys[o],
        at = counts[base + ((key >>> shift) & 255)]++;
      spare[at] = order[o];
      spareKeys[at] = key;
    }
    [order, spare] = [spare, order];
    [keys, spareKeys] = [spareKeys, keys];
  }
  for (let i = 0; i < m; ) {
    let j = i + 1;
    while (j < m && keys[j] === keys[i]) j++;
    if (j - i > 1) sortExactly(order, i, j, depth);
    i = j;
  }
  return order;
}

/** Sorts order[i..j-1] by (depth, index): insertion for a few, a comparison sort for a long run. */
function sortExactly(order: Int32Array, i: number, j: number, depth: Float64Array): void {
  if (j - i > 32) {
    order.subarray(i, j).sort((a, b) => depth[a] - depth[b] || a - b);
    return;
  }
  for (let a = i + 1; a < j; a++) {
    const k = order[a],
      z = depth[k];
    let b = a - 1;
    while (b >= i && (depth[order[b]] > z || (depth[order[b]] === z && order[b] > k))) {
      order[b + 1] = order[b];
      b--;
    }
    order[b + 1] = k;
  }
}

/**
 * Per band of BAND rows, the splats whose box overlaps it, front to back (CSR: entries
 * bandStart[b]..bandStart[b+1]-1 of `splats`); and per splat its entries, band by band (CSR:
 * splatEntries[splatStart[k]..splatStart[k+1]-1], in bands firstBand[k], firstBand[k] + 1, ...),
 * for passes that gather a splat's bands.
 */
export interface BandBins {
  bands: number;
  bandStart: Int32Array;
  splats: Int32Array;
  splatStart: Int32Array;
  splatEntries: Int32Array;
  firstBand: Int32Array;
}

export function binSplats(s: ScreenSplats, height: number, shared = false): BandBins {
  const bands = Math.ceil(height / BAND);
  const order = frontToBack(s);
  const bandStart = int32(bands + 1, shared);
  const splatStart = int32(s.count + 1, shared),
    firstBand = int32(s.count, shared);
  for (let o = 0; o < order.length; o++) {
    const k = order[o],
      b0 = (s.y0[k] / BAND) | 0,
      b1 = (s.y1[k] / BAND) | 0;
    for (let b = b0; b <= b1; b++) bandStart[b + 1]++;
    splatStart[k + 1] = b1 - b0 + 1;
    firstBand[k] = b0;
  }
  for (let b = 0; b < bands; b++) bandStart[b + 1] += bandStart[b];
  for (let k = 0; k < s.count; k++) splatStart[k + 1] += splatStart[k];
  const fill = bandStart.slice(0, -1);
  const splats = int32(bandStart[bands], shared);
  const splatEntries = int32(bandStart[bands], shared);
  // a stable counting sort: each band's list keeps the front-to-back order
  for (let o = 0; o < order.length; o++) {
    const k = order[o],
      b0 = (s.y0[k] / BAND) | 0,
      b1 = (s.y1[k] / BAND) | 0;
    for (let b = b0; b <= b1; b++) {
      splatEntries[splatStart[k] + b - b0] = fill[b];
      splats[fill[b]++] = k;
    }
  }
  return { bands, bandStart, splats, splatStart, splatEntries, firstBand };
}

/**
 * Appends splat k to the lists of pixels rowBase + from, from + dir, ... (count pixels), with
 * weight w at the first and w multiplied by ratio (itself multiplied by stepRatio) per step.
 * Front to back, so appending keeps each list sorted (ties by index), and a full list rejects the
 * splat. A small function of its own keeps V8's loop tight.
 */
function appendRun(cache: SplatCache, p: number, dir: 1 | -1, count: number, k: number, w: number, ratio: number, stepRatio: number): void {
  const { frontCount: A, index, rho, count: filled } = cache;
  for (let c = 0; c < count; c++, p += dir) {
    const n = filled[p];
    if (n < A) {
      const slot = p * A + n;
      index[slot] = k;
      rho[slot] = w;
      filled[p] = n + 1;
    }
    w *= ratio;
    ratio *= stepRatio;
  }
}

/** Fills the cache lists of the pixels of band b; returns the splat-pixel evaluations. */
export function rasterizeBand(s: ScreenSplats, bins: BandBins, b: number, cache: SplatCache, cutoff: number): number {
  const { width, height } = cache;
  const by0 = b * BAND,
    by1 = Math.min(by0 + BAND, height) - 1;
  let evaluations = 0;
  for (let e = bins.bandStart[b]; e < bins.bandStart[b + 1]; e++) {
    const k = bins.splats[e];
    const X = s.px[k],
      Y = s.py[k];
    const ha = 0.5 * s.ia[k],
      ib = s.ib[k],
      hc = 0.5 * s.ic[k],
      scale = s.scale[k];
    const x0 = s.x0[k],
      x1 = s.x1[k];
    // q(dx, dy) = 1/2 d^T M^-1 d = ha dx^2 + ib dx dy + hc dy^2 is quadratic, so exp(-q) steps by
    // ratios whose own ratios are constant: along a row exp(-2 ha), down a column exp(-2 hc).
    // Anchor: the column of the centre; per row we carry exp(-q) and the row ratio there, and each
    // row runs outwards from it in both directions.
    const stepRatio = Math.exp(-2 * ha),
      inv2ha = 1 / (2 * ha);
    const anchor = Math.min(Math.max(Math.round(X - 0.5), x0), x1);
    const ax = anchor + 0.5 - X;
    const jStart = Math.max(s.y0[k], by0),
      jEnd = Math.min(s.y1[k], by1);
    let dy = jStart + 0.5 - Y;
    let wA = Math.exp(-((ha * ax + ib * dy) * ax + hc * dy * dy)); // exp(-q) at the anchor
    let colRatio = Math.exp(-(ib * ax + hc * (2 * dy + 1))); // exp(-(q(j+1) - q(j))) at the anchor
    const colStep = Math.exp(-2 * hc);
    let rowRatio = Math.exp(-(2 * ha * ax + ha + ib * dy)); // exp(-(q(i+1) - q(i))) at the anchor
    let rowRatioInv = 1 / rowRatio; // kept too, so that walking left multiplies instead of divides
    const rowRatioStep = Math.exp(-ib),
      rowRatioStepInv = 1 / rowRatioStep;
    for (let j = jStart; j <= jEnd; j++, dy++) {
      if (j > jStart) {
        wA *= colRatio;
        colRatio *= colStep;
        rowRatio *= rowRatioStep;
        rowRatioInv *= rowRatioStepInv;
      }
      // eq. 4 keeps q <= C: an interval of dx on this row, so only covered pixels are visited
      const qb = ib * dy,
        qc = hc * dy * dy - cutoff;
      const disc = qb * qb - 4 * ha * qc;
      if (disc < 0) continue;
      const root = Math.sqrt(disc);
      const i0 = Math.max(x0, Math.ceil(X - 0.5 + (-qb - root) * inv2ha));
      const i1 = Math.min(x1, Math.floor(X - 0.5 + (-qb + root) * inv2ha));
      if (i0 > i1) continue;
      evaluations += i1 - i0 + 1;
      const rowBase = j * width;
      if (i0 <= anchor && anchor <= i1) {
        // the usual row: from the anchor rightwards, and from its left neighbour leftwards, where
        // exp(-q(i-1)) = exp(-q(i)) / ratio(i-1) and 1/ratio(i-1) = stepRatio / ratio(i)
        appendRun(cache, rowBase + anchor, 1, i1 - anchor + 1, k, scale * wA, rowRatio, stepRatio);
        if (i0 < anchor) {
          const inv = rowRatioInv * stepRatio;
          appendRun(cache, rowBase + anchor - 1, -1, anchor - i0, k, scale * wA * inv, inv * stepRatio, stepRatio);
        }
      } else {
        // the row misses the centre column (thin tilted ellipses): start it directly
        const dx = i0 + 0.5 - X;
        const w = Math.exp(-((ha * dx + qb) * dx + qc + cutoff));
        appendRun(cache, rowBase + i0, 1, i1 - i0 + 1, k, scale * w, Math.exp(-(2 * ha * dx + ha + qb)), stepRatio);
      }
    }
  }
  return evaluations;
}

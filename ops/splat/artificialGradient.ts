// The artificial gradient of DSS (docs/dss.md §3, eq. 12-14): what replaces
// (dI_x/dh_k)(dh_k/dp_k), the derivative of the visibility step, which is zero or undefined.
//
// For splat k and each pixel x in a window around it, Delta I_x is the change of x if k moved to
// cover it (or off it, when k is visible there), evaluated with eq. 6 over x's cached front list.
// Only moves that lower the loss count (eq. 12): sum_c dL/dI_xc Delta I_xc < 0. The translation
// D = q_x - p_k (eq. 13) is measured in pixels, with depth converted to pixels at the splat's
// distance (dz f / z), and per scenario (docs/dss.md §3, (a)-(c)):
//   (a) k not visible at x, a splat rendered in front of it there: q_x on that front splat, so D
//       has the screen offset and the depth step forward;
//   (b) k not visible at x, nothing in front: q_x on k's own plane (screen offset only);
//   (c) k visible at x: moving it off x either way reveals what is behind; the two opposite
//       options (the short and the long way out of the ellipse) are averaged.
// An occluded k whose ellipse already covers x needs only the depth step forward.
// The contribution to dL/dp_k is, with g = sum_c dL/dI_xc Delta I_xc (eq. 14):
//   covering or visible:  g D / (|D|^2 + eps)
//   otherwise:            g D / ((|D| + r)|D| + eps) + g D / ((|D| - r)|D| + eps)
// with r the distance from the centre to the ellipse edge along D, eps = 0.01 (docs/dss.md §3, eq. 14).

import type { CameraPose } from '../../geometry/camera.js';
import { scratchUnset } from '../../parallel/scratch.js';
import type { FloatArray } from '../../lib/dtype.js';
import type { ResolvedSplatOptions } from './options.js';
import type { ScreenSplats } from './screenSplats.js';
import type { SplatCache } from './splatCache.js';

export const ARTIFICIAL_EPS = 0.01;

/**
 * The window is scanned pixel by pixel within FOVEA px of the splat's centre (Chebyshev
 * distance), then ever more sparsely: every 2nd pixel (of the image grid) out to 2 FOVEA, every
 * 4th out to 4 FOVEA..., each sample standing for the stride^2 pixels around it (docs/dss.md §3,
 * "The window"). A far pixel's pull is small and smooth across its neighbours, and a large window
 * costs O(FOVEA^2 log(window)) instead of O(window^2); windows up to 2 FOVEA are scanned in full.
 */
export const FOVEA = 8;

/** The weight of pixel (i, j) at Chebyshev distance m from a splat's centre: 0 (not sampled) or stride^2. */
export function windowWeight(i: number, j: number, m: number): number {
  if (m <= FOVEA) return 1;
  let stride = 2;
  for (let limit = 2 * FOVEA; m > limit; limit *= 2) stride *= 2;
  return ((i | j) & (stride - 1)) === 0 ? stride * stride : 0;
}

type ArtificialOptions = Pick<ResolvedSplatOptions, 'window' | 'cutoff' | 'mergeThreshold' | 'background'>;

/**
 * Per pixel, side by side in one record of 5 + C values (one cache line for RGB, since
 * a window reads them all): G = sum_c dL/dI_c I_c (for a new value I' the loss changes by
 * sum_c dL/dI_c I'_c - G); the sum S of visible rho; D = sum_k rho_k sum_c dL/dI_c w_kc over the
 * visible splats (= G S, summed exactly: without a visible k behind the front, the pixel's new
 * value scores (D - rho_k dot_k) / (S - rho_k)); the front depth; the depth of the last visible
 * splat (the lists are in depth order, so only a splat no deeper can be among the visible); then
 * dL/dI_c. Where dL/dI = 0 no move can lower the loss, and the record says so with S = -1.
 */
export type PixelRecords = Float64Array;

/** Offsets in a pixel record (a const enum: inlined as numbers, so the hot loop reads no module bindings). */
const enum Px {
  G = 0,
  S = 1,
  D = 2,
  Front = 3,
  Back = 4,
  /** dL/dI_c from here on */
  Grad = 5,
}

/** Per-pixel records for `pixels` pixels: a call temporary, unset (the band pass sets every record). */
export function emptyPixelRecords(pixels: number, channels: number, shared: boolean): PixelRecords {
  return scratchUnset(Float64Array, 'artificial.records', (Px.Grad + channels) * pixels, shared);
}

/** Writes pixel p's record (filled by the smooth band pass, accumulateSmoothBand, which sums the same terms). */
export function setPixelRecord(record: Float64Array, p: number, gImage: FloatArray, px: number, channels: number, G: number, S: number, D: number, front: number, back: number): void {
  const o = p * (Px.Grad + channels);
  record[o + Px.G] = G;
  record[o + Px.S] = S;
  record[o + Px.D] = D;
  record[o + Px.Front] = front;
  record[o + Px.Back] = back;
  for (let c = 0; c < channels; c++) record[o + Px.Grad + c] = gImage[px + c];
}

/**
 * Adds the artificial gradient of the splats order[e0..e1-1] into `gScreen` (per splat: dL/dx,
 * dL/dy in pixels, dL/dz_px). `order` lists the active splats tile by tile (tileOrder), so that
 * consecutive windows share cached pixel data. `record` must be filled (accumulateSmoothBand) for the whole image first.
 */
export function artificialScreenGradient(
  cache: SplatCache,
  screen: ScreenSplats,
  attributes: FloatArray,
  channels: number,
  focal: number,
  o: ArtificialOptions,
  record: PixelRecords,
  gScreen: Float64Array,
  order: Int32Array,
  e0 = 0,
  e1 = order.length,
): void {
  const { width, height, frontCount: A, index, rho, visible } = cache;
  const stride = Px.Grad + channels;
  const half = o.window / 2;
  const eps = ARTIFICIAL_EPS,
    T = o.mergeThreshold,
    C = o.cutoff;
  // k can only be cached at x inside its truncated ellipse (q <= C); the slack covers the
  // rasterizer's rounding at the edge, so the list is searched wherever k could be in it
  const inside = C * (1 + 1e-9);
  const rgb = channels === 3;
  for (let e = e0; e < e1; e++) {
    const k = order[e];
    const X = screen.px[k],
      Y = screen.py[k],
      zk = screen.depth[k];
    const ha = 0.5 * screen.ia[k],
      ib = screen.ib[k],
      hc = 0.5 * screen.ic[k],
      wk = screen.scale[k];
    const toPx = focal / zk; // pixels per unit of depth at the splat
    const w0 = attributes[3 * k],
      w1 = attributes[3 * k + 1],
      w2 = attributes[3 * k + 2]; // RGB fast path
    const i0 = Math.max(0, Math.ceil(X - half - 0.5)),
      i1 = Math.min(width - 1, Math.floor(X + half - 0.5));
    const j0 = Math.max(0, Math.ceil(Y - half - 0.5)),
      j1 = Math.min(height - 1, Math.floor(Y + half - 0.5));
    let gx = 0,
      gy = 0,
      gz = 0;
    // the window ring by ring: the fovea (m <= FOVEA) in full, then each ring FOVEA 2^(L-1) < m
    // <= FOVEA 2^L at stride 2^L on the image grid; bounds are widened by a pixel and the exact m
    // decides, so a pixel on a ring's edge is in exactly the ring windowWeight puts it in
    for (let step = 1, lo = -1, hi = FOVEA; lo < half; step *= 2, lo = hi, hi *= 2) {
      const weight = step * step,
        reach = hi < half ? hi : half;
      const rj0 = Math.max(j0, Math.ceil(Y - reach - 0.5) - 1),
        rj1 = Math.min(j1, Math.floor(Y + reach - 0.5) + 1);
      const ri0 = Math.max(i0, Math.ceil(X - reach - 0.5) - 1),
        ri1 = Math.min(i1, Math.floor(X + reach - 0.5) + 1);
      // columns that may lie outside the inner box, left and right of it
      const leftEnd = Math.ceil(X - lo - 0.5),
        rightStart = Math.floor(X + lo - 0.5);
      for (let j = rj0 + ((step - (rj0 % step)) % step); j <= rj1; j += step) {
        const dy = j + 0.5 - Y,
          qb = ib * dy,
          qc = hc * dy * dy,
          ady = dy < 0 ? -dy : dy;
        const crossesInner = ady <= lo;
        for (let half2 = 0; half2 < (crossesInner ? 2 : 1); half2++) {
          const a = crossesInner && half2 === 1 ? Math.max(ri0, rightStart) : ri0,
            b = crossesInner && half2 === 0 ? Math.min(ri1, leftEnd) : ri1;
          const first = a + ((step - (a % step)) % step);
          for (let i = first, p = j * width + first; i <= b; i += step, p += step) {
            const dx = i + 0.5 - X;
            const adx = dx < 0 ? -dx : dx;
            const m = adx > ady ? adx : ady;
            if (m <= lo || m > hi) continue; // another ring's pixel
            const rec = p * stride;
            if (record[rec + Px.S] < 0) continue; // dL/dI = 0 at x: no move can lower the loss there
            const q = (ha * dx + qb) * dx + qc; // 1/2 d^T M^-1 d
            // is k among the visible splats of x? (only inside its ellipse, no deeper than the last visible)
            let at = -1;
            if (q <= inside && zk <= record[rec + Px.Back]) {
              for (let s = p * A, end = s + visible[p]; s < end; s++) {
                if (index[s] === k) {
                  at = s;
                  break;
                }
              }
            }
            // g = sum_c dL/dI_c Delta I_c for the move that changes x; dot(x, k) = sum_c dL/dI_xc w_kc
            let dot = 0;
            if (rgb) dot = record[rec + Px.Grad] * w0 + record[rec + Px.Grad + 1] * w1 + record[rec + Px.Grad + 2] * w2;
            else for (let c = 0; c < channels; c++) dot += record[rec + Px.Grad + c] * attributes[k * channels + c];
            const G = record[rec + Px.G];
            let g: number,
              fr = 0;
            if (at >= 0) {
              // (c) without k: the rest of the list, re-thresholded against its new front (eq. 5, 6);
              // the front stays where it is unless k was it
              const rest = record[rec + Px.S] - rho[at],
                restD = record[rec + Px.D] - rho[at] * dot;
              g = at > p * A && rest > 0 ? restD / rest - G : restScore(cache, p, at === p * A, rest, restD, record, rec, attributes, channels, T, o.background) - G;
            } else {
              // (a), (b): k joins x with its centre weight wk: I' = (S I + wk w_k) / (S + wk), so
              // Delta I = wk (w_k - I) / (S + wk); alone (I' = w_k) if it ends up more than T in front
              // (fr is Infinity where nothing is visible)
              g = dot - G;
              if (!(g < 0)) continue; // the factor below is positive: the sign is known already
              fr = record[rec + Px.Front];
              if (zk >= fr - T) g *= wk / (record[rec + Px.S] + wk); // joins
            }
            if (!(g < 0)) continue; // eq. 12: only moves that lower the loss
            g *= weight;
            const dist2 = dx * dx + dy * dy;
            const dist = Math.sqrt(dist2);
            // r: centre to ellipse edge along the screen direction of x - x_k
            const r = dist > 0 ? dist * Math.sqrt(C / q) : 0;
            if (at >= 0) {
              // (c) two ways off x along +-(x_k - x): the short one (r - dist) and the long one (r + dist)
              if (dist === 0) continue; // centred exactly: no preferred direction
              const d1 = r - dist,
                d2 = -(r + dist);
              // G = g D / (|D|^2 + eps): with g < 0 it points against D, so descent moves along D
              const f = (0.5 * g * (d1 / (d1 * d1 + eps) + d2 / (d2 * d2 + eps))) / dist;
              gx -= f * dx;
              gy -= f * dy;
            } else {
              // forward to the front splat's depth when one is in front (a), none otherwise (b)
              const dzPx = fr < zk ? (fr - zk) * toPx : 0;
              if (q <= C) {
                // covers x already, only hidden: the depth step alone
                if (dzPx === 0) continue;
                gz += (g * dzPx) / (dzPx * dzPx + eps);
                continue;
              }
              const len = Math.sqrt(dist2 + dzPx * dzPx);
              const near = Math.max(len - r, 0);
              // g / a + g / b with one division
              const a = (len + r) * len + eps,
                b = near * len + eps;
              const f = (g * (a + b)) / (a * b);
              gx += f * dx;
              gy += f * dy;
              gz += f * dzPx;
            }
          }
        }
      }
    }
    gScreen[3 * k] += gx;
    gScreen[3 * k + 1] += gy;
    gScreen[3 * k + 2] += gz;
  }
}

/**
 * sum_c dL/dI_c I'_c where I' is pixel p rendered without one of its visible splats (eq. 5, 6), given
 * the rest's rho sum (weight) and rho-weighted dot products (sum). When the one left out was the
 * front, the splats behind the visible ones join if they lie within T of the new front.
 */
function restScore(
  cache: SplatCache,
  p: number,
  wasFront: boolean,
  weight: number,
  sum: number,
  record: Float64Array,
  rec: number,
  attributes: FloatArray,
  channels: number,
  T: number,
  background: readonly number[],
): number {
  const { frontCount: A, index, rho, pointDepth, visible, count } = cache;
  const base = p * A,
    n = count[p];
  if (wasFront && n > 1) {
    const limit = pointDepth[index[base + 1]] + T;
    for (let s = base + visible[p]; s < base + n; s++) {
      const j = index[s];
      if (pointDepth[j] > limit) break;
      let dot = 0;
      for (let c = 0; c < channels; c++) dot += record[rec + Px.Grad + c] * attributes[j * channels + c];
      weight += rho[s];
      sum += rho[s] * dot;
    }
  }
  if (weight > 0) return sum / weight;
  let dot = 0;
  for (let c = 0; c < channels; c++) dot += record[rec + Px.Grad + c] * background[c];
  return dot;
}

/** Screen-space gradients (pixels, depth in pixels) -> dL/dp through the projection. */
export function chainScreenGradient(gScreen: Float64Array, positions: FloatArray, camera: CameraPose, focal: number, gP: FloatArray, k0 = 0, k1 = gScreen.length / 3): void {
  const R = camera.R,
    t = camera.t,
    fx = camera.fx,
    fy = camera.fy;
  for (let k = k0; k < k1; k++) {
    const gx = gScreen[3 * k],
      gy = gScreen[3 * k + 1],
      gzPx = gScreen[3 * k + 2];
    if (gx === 0 && gy === 0 && gzPx === 0) continue;
    const p0 = positions[3 * k],
      p1 = positions[3 * k + 1],
      p2 = positions[3 * k + 2];
    const x = R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0];
    const y = R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1];
    const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
    const iz = 1 / z;
    // pixel = (fx x/z + cx, fy y/z + cy); depth in pixels = z f / z_k (its derivative at z_k: f / z)
    const dcx = gx * fx * iz;
    const dcy = gy * fy * iz;
    const dcz = -(gx * fx * x + gy * fy * y) * iz * iz + gzPx * focal * iz;
    gP[3 * k] += R[0] * dcx + R[3] * dcy + R[6] * dcz;
    gP[3 * k + 1] += R[1] * dcx + R[4] * dcy + R[7] * dcz;
    gP[3 * k + 2] += R[2] * dcx + R[5] * dcy + R[8] * dcz;
  }
}

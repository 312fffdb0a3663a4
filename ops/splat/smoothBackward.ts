// The exact half of the DSS backward (docs/dss.md §3, eq. 9-11): gradients through the smooth weights
// rho_bar and the attributes, with the visibility h held fixed.
//
// Per pixel x (eq. 6) with S = sum_k rho_k over the visible splats and I = sum_k rho_k w_k / S:
//   dI/dw_k = rho_k / S,        dI/drho_k = (w_k - I) / S.
// Per splat k, with u = M^-1 (x - x_k) and a = dL/drho_k * rho_k summed over its pixels:
//   dL/dx_k = sum a u                                   (rho = s exp(-1/2 d^T M^-1 d))
//   dL/dM   = 1/2 sum a u u^T - 1/2 M^-1 sum a           (exp term and 1/sqrt(det M))
//   dL/dQ   = sigma^2 dL/dM + 1/2 Q^-1 sum a              (M = sigma^2 Q + I, |det J| = sqrt(det Q))
// and then, with c = R p + t, Q = P'(c) (I - m m^T) P'(c)^T and m = R n / |n|, back to p and n
// (chainSplat). The per-splat sums make the cost one pass over the cached pixels plus O(N).
// The pass runs per band of rows (accumulateSmoothBand), each band into its own partial sums.
// Since u is linear in x, the pass needs nothing of the splat but its attributes: it sums the
// moments of a over pixel coordinates (a, a x, a y, a x^2, a x y, a y^2, about the band's centre),
// and the reduction turns them into the sums of a u and a u u^T about each splat's centre.

import type { CameraPose } from '../../geometry/camera.js';
import type { FloatArray } from '../../lib/dtype.js';
import { BAND, type BandBins } from './rasterizeSplats.js';
import type { ScreenSplats } from './screenSplats.js';
import type { SplatCache } from './splatCache.js';
import { type PixelRecords, setPixelRecord } from './artificialGradient.js';

/**
 * Per splat k, six sums side by side at 6k (one cache line per splat, since pixels visit splats
 * in no useful order): sum a, sum a u_x, sum a u_y, sum a u_x^2, sum a u_x u_y, sum a u_y^2.
 */
export type SplatSums = Float64Array;
export const SUMS = 6;

export function emptySums(n: number): SplatSums {
  return new Float64Array(SUMS * n);
}

/** Adds one pixel's a and u = M^-1 (x - x_k) into the six sums at sums[o..o+5] (splat k's: o = 6k). */
export function addPixel(sums: Float64Array, o: number, a: number, ux: number, uy: number): void {
  sums[o] += a;
  sums[o + 1] += a * ux;
  sums[o + 2] += a * uy;
  sums[o + 3] += a * ux * ux;
  sums[o + 4] += a * ux * uy;
  sums[o + 5] += a * uy * uy;
}

/** Values per splat in `packed`: centre, M^-1 (3), and the RGB attributes when there are 3 channels. */
export const PACK = 8;

/**
 * Centre, M^-1 and (for RGB) attributes of every splat side by side at PACK k, into `packed`: the
 * band pass reads them per cached entry, one cache line per splat.
 */
export function packSplats(screen: ScreenSplats, attributes: FloatArray, channels: number, packed: Float64Array): Float64Array {
  const n = screen.count;
  for (let k = 0; k < n; k++) {
    const o = PACK * k;
    packed[o] = screen.px[k];
    packed[o + 1] = screen.py[k];
    packed[o + 2] = screen.ia[k];
    packed[o + 3] = screen.ib[k];
    packed[o + 4] = screen.ic[k];
    if (channels === 3) {
      packed[o + 5] = attributes[3 * k];
      packed[o + 6] = attributes[3 * k + 1];
      packed[o + 7] = attributes[3 * k + 2];
    }
  }
  return packed;
}

/** Values per bin entry in the partial buffer: the six moments, then dL/dw_k per channel. */
export const entryStride = (channels: number): number => SUMS + channels;

// per thread: splat -> its entry in the band being processed, -1 for splats not binned there
// (set for a band's splats at its start, cleared at its end)
let entryOf = new Int32Array(0);

// The band pass measures pixel coordinates from the band's centre, (width / 2, bandCentre(b)):
// small moments, little cancellation when the reduction moves them to each splat's centre.
const bandCentre = (b: number): number => (b + 0.5) * BAND;

/**
 * One band of rows, one pass over its visible cache entries: each (band, splat) bin entry gets
 * its own partial moments and attribute gradient in `partial`, so bands can run on any thread and
 * reduceSplats adds them up in a fixed order (the band clears its own entries first). `image`
 * is the forward output (I), `gImage` dL/dI. With `records`, the same pass fills the per-pixel
 * records the artificial gradient reads (its S, G and dot products are this pass's own).
 */
export function accumulateSmoothBand(
  cache: SplatCache,
  bins: BandBins,
  b: number,
  packed: Float64Array,
  attributes: FloatArray,
  channels: number,
  image: FloatArray,
  gImage: FloatArray,
  partial: Float64Array,
  records: PixelRecords | null = null,
): void {
  const { width, height, frontCount: A, index, rho, visible, pointDepth } = cache;
  const stride = entryStride(channels),
    rgb = channels === 3;
  const pack = PACK,
    attr = SUMS; // locals: a module constant read in the loop is checked for its temporal dead zone on every read
  if (entryOf.length < packed.length / PACK) entryOf = new Int32Array(packed.length / PACK).fill(-1);
  const at = entryOf; // a local: the module binding is reloaded on every use in the loop
  const e0 = bins.bandStart[b],
    e1 = bins.bandStart[b + 1];
  for (let e = e0; e < e1; e++) at[bins.splats[e]] = e;
  partial.fill(0, e0 * stride, e1 * stride); // this band's entries are this task's alone
  const ox = 0.5 * width,
    oy = bandCentre(b);
  const j1 = Math.min((b + 1) * BAND, height);
  for (let j = b * BAND; j < j1; j++) {
    const y = j + 0.5 - oy,
      yy = y * y;
    for (let i = 0, p = j * width; i < width; i++, p++) {
      const v = visible[p];
      if (v === 0 && !records) continue;
      const base = p * A,
        end = base + v,
        px = p * channels;
      const g0 = gImage[px],
        g1 = gImage[px + 1],
        g2 = gImage[px + 2];
      let live = rgb && (g0 !== 0 || g1 !== 0 || g2 !== 0);
      if (!rgb) for (let c = 0; c < channels; c++) if (gImage[px + c] !== 0) live = true;
      if (!live) {
        // nothing to pass on
        if (records) setPixelRecord(records, p, gImage, px, channels, 0, -1, 0, Infinity, -Infinity); // S < 0: no move helps here
        continue;
      }
      let gI = 0; // sum_c dL/dI_c I_c
      if (rgb) gI = g0 * image[px] + g1 * image[px + 1] + g2 * image[px + 2];
      else for (let c = 0; c < channels; c++) gI += gImage[px + c] * image[px + c];
      let S = 0,
        D = 0;
      for (let s = base; s < end; s++) S += rho[s];
      const invS = 1 / S,
        x = i + 0.5 - ox,
        xx = x * x,
        xy = x * y;
      for (let s = base; s < end; s++) {
        const k = index[s],
          r = rho[s] * invS; // rho_k / S = dI/dw_k
        const e = at[k];
        if (e < 0) {
          // a splat cached in this band but not binned there: a bookkeeping bug, not a gradient
          at.fill(-1);
          throw new Error(`accumulateSmoothBand: splat ${k} is cached in band ${b} but not binned there`);
        }
        const o = e * stride;
        let dot = 0; // sum_c dL/dI_c w_kc
        if (rgb) {
          const q = pack * k;
          dot = g0 * packed[q + 5] + g1 * packed[q + 6] + g2 * packed[q + 7];
          partial[o + attr] += g0 * r;
          partial[o + attr + 1] += g1 * r;
          partial[o + attr + 2] += g2 * r;
        } else {
          for (let c = 0; c < channels; c++) {
            const g = gImage[px + c];
            dot += g * attributes[k * channels + c];
            partial[o + attr + c] += g * r;
          }
        }
        D += rho[s] * dot;
        const ar = (dot - gI) * r; // a = dL/drho_k rho_k = g . (w_k - I) rho_k / S
        partial[o] += ar;
        partial[o + 1] += ar * x;
        partial[o + 2] += ar * y;
        partial[o + 3] += ar * xx;
        partial[o + 4] += ar * xy;
        partial[o + 5] += ar * yy;
      }
      if (records) {
        const front = v ? pointDepth[index[base]] : Infinity,
          back = v ? pointDepth[index[end - 1]] : -Infinity;
        setPixelRecord(records, p, gImage, px, channels, gI, S, D, front, back);
      }
    }
  }
  for (let e = e0; e < e1; e++) at[bins.splats[e]] = -1;
}

/**
 * Splats k0..k1-1: each one's sums from its bin entries' partials, band by band (a fixed order),
 * into sums[6k..6k+5] (set, not added) and gAttributes (added). Each entry's moments about its
 * band's centre become the sums of a u and a u u^T (u = M^-1 d, d = x - x_k) that chainSplat reads.
 */
export function reduceSplats(
  k0: number,
  k1: number,
  bins: BandBins,
  partial: Float64Array,
  channels: number,
  packed: Float64Array,
  width: number,
  sums: SplatSums,
  gAttributes: FloatArray | null,
): void {
  const { splatStart, splatEntries, firstBand } = bins;
  const stride = entryStride(channels),
    pack = PACK,
    six = SUMS,
    band = BAND; // locals: no module reads in the loop
  const ox = 0.5 * width;
  for (let k = k0; k < k1; k++) {
    const q = pack * k,
      t = six * k;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      s5 = 0;
    const i0 = splatStart[k],
      i1 = splatStart[k + 1];
    const cx = packed[q] - ox,
      y = packed[q + 1],
      b0 = firstBand[k];
    const ia = packed[q + 2],
      ib = packed[q + 3],
      ic = packed[q + 4]; // M^-1 = [[ia, ib], [ib, ic]]
    for (let i = i0; i < i1; i++) {
      const o = splatEntries[i] * stride;
      const cy = y - (b0 + i - i0 + 0.5) * band; // the centre relative to its band's centre (bandCentre)
      const a = partial[o],
        ax = partial[o + 1],
        ay = partial[o + 2],
        axx = partial[o + 3],
        axy = partial[o + 4],
        ayy = partial[o + 5];
      // moments of d about the splat's centre c: sum a d = sum a x - c sum a, and so on
      const dx = ax - cx * a,
        dy = ay - cy * a;
      const dxx = axx - 2 * cx * ax + cx * cx * a;
      const dxy = axy - cx * ay - cy * ax + cx * cy * a;
      const dyy = ayy - 2 * cy * ay + cy * cy * a;
      // u = M^-1 d
      s0 += a;
      s1 += ia * dx + ib * dy;
      s2 += ib * dx + ic * dy;
      s3 += ia * ia * dxx + 2 * ia * ib * dxy + ib * ib * dyy;
      s4 += ia * ib * dxx + (ia * ic + ib * ib) * dxy + ib * ic * dyy;
      s5 += ib * ib * dxx + 2 * ib * ic * dxy + ic * ic * dyy;
      if (gAttributes) for (let c = 0; c < channels; c++) gAttributes[k * channels + c] += partial[o + six + c];
    }
    sums[t] = s0;
    sums[t + 1] = s1;
    sums[t + 2] = s2;
    sums[t + 3] = s3;
    sums[t + 4] = s4;
    sums[t + 5] = s5;
  }
}

/** dL/dp_k and dL/dn_k (added into gP, gN) from splat k's sums; see the header for the chain. */
export function chainSplat(k: number, sums: SplatSums, positions: FloatArray, normals: FloatArray, camera: CameraPose, sigma: number, gP: FloatArray | null, gN: FloatArray | null): void {
  const o = SUMS * k;
  const sa = sums[o],
    sux = sums[o + 1],
    suy = sums[o + 2],
    suxx = sums[o + 3],
    suxy = sums[o + 4],
    suyy = sums[o + 5];
  if (sa === 0 && sux === 0 && suy === 0 && suxx === 0 && suxy === 0 && suyy === 0) return;
  const R = camera.R,
    t = camera.t,
    fx = camera.fx,
    fy = camera.fy;
  const p0 = positions[3 * k],
    p1 = positions[3 * k + 1],
    p2 = positions[3 * k + 2];
  const x = R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0];
  const y = R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1];
  const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
  const n0 = normals[3 * k],
    n1 = normals[3 * k + 1],
    n2 = normals[3 * k + 2];
  const nl = Math.sqrt(n0 * n0 + n1 * n1 + n2 * n2);
  const mx = (R[0] * n0 + R[1] * n1 + R[2] * n2) / nl;
  const my = (R[3] * n0 + R[4] * n1 + R[5] * n2) / nl;
  const mz = (R[6] * n0 + R[7] * n1 + R[8] * n2) / nl;
  const iz = 1 / z,
    iz2 = iz * iz;
  // rows of P': r0 = (a0, 0, a2), r1 = (0, b1, b2)
  const a0 = fx * iz,
    a2 = -fx * x * iz2,
    b1 = fy * iz,
    b2 = -fy * y * iz2;
  const am = a0 * mx + a2 * mz,
    bm = b1 * my + b2 * mz; // r . m
  const qxx = a0 * a0 + a2 * a2 - am * am,
    qxy = a2 * b2 - am * bm,
    qyy = b1 * b1 + b2 * b2 - bm * bm;
  const s2 = sigma * sigma;
  const mxx = s2 * qxx + 1,
    mxy = s2 * qxy,
    myy = s2 * qyy + 1;
  const detM = mxx * myy - mxy * mxy,
    detQ = qxx * qyy - qxy * qxy;
  // dL/dM = 1/2 sum a u u^T - 1/2 M^-1 sum a
  const gmxx = 0.5 * suxx - (0.5 * sa * myy) / detM;
  const gmxy = 0.5 * suxy + (0.5 * sa * mxy) / detM;
  const gmyy = 0.5 * suyy - (0.5 * sa * mxx) / detM;
  // dL/dQ = sigma^2 dL/dM + 1/2 Q^-1 sum a
  const hq = detQ > 0 ? (0.5 * sa) / detQ : 0;
  const gxx = s2 * gmxx + hq * qyy,
    gxy = s2 * gmxy - hq * qxy,
    gyy = s2 * gmyy + hq * qxx;
  // dL/dP' = 2 G P' S with S r = r - m (m . r)
  const sr0x = a0 - mx * am,
    sr0y = -my * am,
    sr0z = a2 - mz * am;
  const sr1x = -mx * bm,
    sr1y = b1 - my * bm,
    sr1z = b2 - mz * bm;
  const g0x = 2 * (gxx * sr0x + gxy * sr1x),
    g0z = 2 * (gxx * sr0z + gxy * sr1z);
  const g1y = 2 * (gxy * sr0y + gyy * sr1y),
    g1z = 2 * (gxy * sr0z + gyy * sr1z);
  // dL/dc: through the centre x_k = (fx x/z + cx, fy y/z + cy) and through the entries of P'
  const gx = sux,
    gy = suy;
  const dcx = gx * a0 + g0z * (-fx * iz2);
  const dcy = gy * b1 + g1z * (-fy * iz2);
  const dcz = gx * a2 + gy * b2 + g0x * (-fx * iz2) + g0z * (2 * fx * x * iz2 * iz) + g1y * (-fy * iz2) + g1z * (2 * fy * y * iz2 * iz);
  if (gP) {
    // dL/dp = R^T dL/dc
    gP[3 * k] += R[0] * dcx + R[3] * dcy + R[6] * dcz;
    gP[3 * k + 1] += R[1] * dcx + R[4] * dcy + R[7] * dcz;
    gP[3 * k + 2] += R[2] * dcx + R[5] * dcy + R[8] * dcz;
  }
  if (gN) {
    // dL/dm = -2 (P'^T G P') m, then m = R n / |n|
    const dmx = -2 * (gxx * a0 * am + gxy * a0 * bm);
    const dmy = -2 * (gxy * b1 * am + gyy * b1 * bm);
    const dmz = -2 * (gxx * a2 * am + gxy * (a2 * bm + b2 * am) + gyy * b2 * bm);
    const hx = (R[0] * dmx + R[3] * dmy + R[6] * dmz) / nl;
    const hy = (R[1] * dmx + R[4] * dmy + R[7] * dmz) / nl;
    const hz = (R[2] * dmx + R[5] * dmy + R[8] * dmz) / nl;
    const u0 = n0 / nl,
      u1 = n1 / nl,
      u2 = n2 / nl;
    const along = hx * u0 + hy * u1 + hz * u2;
    gN[3 * k] += hx - along * u0;
    gN[3 * k + 1] += hy - along * u1;
    gN[3 * k + 2] += hz - along * u2;
  }
}

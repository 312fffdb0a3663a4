// The exact half of the DSS backward (dss.md §3, eq. 9-11): gradients through the smooth weights
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

import type { CameraPose } from '../../geometry/camera.js';
import type { FloatArray } from '../../lib/dtype.js';
import { BAND, type BandBins } from './rasterizeSplats.js';
import type { ScreenSplats } from './screenSplats.js';
import type { SplatCache } from './splatCache.js';

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

/** Centre and M^-1 of every splat side by side at 5k, into `packed` (the band pass reads them per pixel). */
export function packSplats(screen: ScreenSplats, packed: Float64Array): Float64Array {
  const n = screen.count;
  for (let k = 0; k < n; k++) {
    packed[5 * k] = screen.px[k];
    packed[5 * k + 1] = screen.py[k];
    packed[5 * k + 2] = screen.ia[k];
    packed[5 * k + 3] = screen.ib[k];
    packed[5 * k + 4] = screen.ic[k];
  }
  return packed;
}

/** Values per bin entry in the partial buffer: the six sums, then dL/dw_k per channel. */
export const entryStride = (channels: number): number => SUMS + channels;

let entryOf = new Int32Array(0); // per thread: splat -> its entry in the band being processed

/**
 * One band of rows, one pass over its visible cache entries: each (band, splat) bin entry gets
 * its own partial sums and attribute gradient in `partial`, so bands can run on any thread and
 * reduceSmooth adds them up in a fixed order. `image` is the forward output (I), `gImage` dL/dI.
 */
export function accumulateSmoothBand(cache: SplatCache, bins: BandBins, b: number, packed: Float64Array, attributes: FloatArray, channels: number, image: FloatArray, gImage: FloatArray, partial: Float64Array): void {
  const { width, height, frontCount: A, index, rho, visible } = cache;
  const stride = entryStride(channels);
  if (entryOf.length < packed.length / 5) entryOf = new Int32Array(packed.length / 5);
  for (let e = bins.bandStart[b]; e < bins.bandStart[b + 1]; e++) entryOf[bins.splats[e]] = e;
  const p1 = Math.min((b + 1) * BAND, height) * width;
  for (let p = b * BAND * width; p < p1; p++) {
    const v = visible[p];
    if (v === 0) continue;
    const base = p * A, px = p * channels;
    let S = 0;
    for (let s = 0; s < v; s++) S += rho[base + s];
    const invS = 1 / S;
    const xc = (p % width) + 0.5, yc = ((p / width) | 0) + 0.5;
    const g0 = gImage[px], g1 = gImage[px + 1], g2 = gImage[px + 2];
    const gI = channels === 3 ? g0 * image[px] + g1 * image[px + 1] + g2 * image[px + 2] : 0;
    for (let s = 0; s < v; s++) {
      const k = index[base + s], r = rho[base + s];
      const e = entryOf[k];
      if (bins.splats[e] !== k) throw new Error(`accumulateSmoothBand: splat ${k} is cached in band ${b} but not binned there`);
      const o = e * stride;
      const wr = r * invS;
      let dLdrho = 0;
      if (channels === 3) {
        // RGB in registers: dL/drho = g . (w_k - I) / S
        const kc = 3 * k;
        dLdrho = g0 * attributes[kc] + g1 * attributes[kc + 1] + g2 * attributes[kc + 2] - gI;
        partial[o + SUMS] += g0 * wr;
        partial[o + SUMS + 1] += g1 * wr;
        partial[o + SUMS + 2] += g2 * wr;
      } else {
        for (let c = 0; c < channels; c++) {
          const g = gImage[px + c];
          dLdrho += g * (attributes[k * channels + c] - image[px + c]);
          partial[o + SUMS + c] += g * wr;
        }
      }
      const a = dLdrho * invS * r;
      const q = 5 * k;
      const dx = xc - packed[q], dy = yc - packed[q + 1];
      addPixel(partial, o, a, packed[q + 2] * dx + packed[q + 3] * dy, packed[q + 3] * dx + packed[q + 4] * dy);
    }
  }
}

/** Adds the bin entries' partials into per-splat sums and gAttributes, entry by entry (a fixed order). */
export function reduceSmooth(bins: BandBins, partial: Float64Array, channels: number, sums: SplatSums, gAttributes: FloatArray | null): void {
  const stride = entryStride(channels);
  for (let e = 0; e < bins.splats.length; e++) {
    const k = bins.splats[e], o = e * stride;
    for (let i = 0; i < SUMS; i++) sums[SUMS * k + i] += partial[o + i];
    if (gAttributes) for (let c = 0; c < channels; c++) gAttributes[k * channels + c] += partial[o + SUMS + c];
  }
}

/** dL/dp_k and dL/dn_k (added into gP, gN) from splat k's sums; see the header for the chain. */
export function chainSplat(k: number, sums: SplatSums, positions: FloatArray, normals: FloatArray, camera: CameraPose, sigma: number, gP: FloatArray | null, gN: FloatArray | null): void {
  const o = SUMS * k;
  const sa = sums[o], sux = sums[o + 1], suy = sums[o + 2], suxx = sums[o + 3], suxy = sums[o + 4], suyy = sums[o + 5];
  if (sa === 0 && sux === 0 && suy === 0 && suxx === 0 && suxy === 0 && suyy === 0) return;
  const R = camera.R, t = camera.t, fx = camera.fx, fy = camera.fy;
  const p0 = positions[3 * k], p1 = positions[3 * k + 1], p2 = positions[3 * k + 2];
  const x = R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0];
  const y = R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1];
  const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
  const n0 = normals[3 * k], n1 = normals[3 * k + 1], n2 = normals[3 * k + 2];
  const nl = Math.sqrt(n0 * n0 + n1 * n1 + n2 * n2);
  const mx = (R[0] * n0 + R[1] * n1 + R[2] * n2) / nl;
  const my = (R[3] * n0 + R[4] * n1 + R[5] * n2) / nl;
  const mz = (R[6] * n0 + R[7] * n1 + R[8] * n2) / nl;
  const iz = 1 / z, iz2 = iz * iz;
  // rows of P': r0 = (a0, 0, a2), r1 = (0, b1, b2)
  const a0 = fx * iz, a2 = -fx * x * iz2, b1 = fy * iz, b2 = -fy * y * iz2;
  const am = a0 * mx + a2 * mz, bm = b1 * my + b2 * mz; // r . m
  const qxx = a0 * a0 + a2 * a2 - am * am, qxy = a2 * b2 - am * bm, qyy = b1 * b1 + b2 * b2 - bm * bm;
  const s2 = sigma * sigma;
  const mxx = s2 * qxx + 1, mxy = s2 * qxy, myy = s2 * qyy + 1;
  const detM = mxx * myy - mxy * mxy, detQ = qxx * qyy - qxy * qxy;
  // dL/dM = 1/2 sum a u u^T - 1/2 M^-1 sum a
  const gmxx = 0.5 * suxx - (0.5 * sa * myy) / detM;
  const gmxy = 0.5 * suxy + (0.5 * sa * mxy) / detM;
  const gmyy = 0.5 * suyy - (0.5 * sa * mxx) / detM;
  // dL/dQ = sigma^2 dL/dM + 1/2 Q^-1 sum a
  const hq = detQ > 0 ? (0.5 * sa) / detQ : 0;
  const gxx = s2 * gmxx + hq * qyy, gxy = s2 * gmxy - hq * qxy, gyy = s2 * gmyy + hq * qxx;
  // dL/dP' = 2 G P' S with S r = r - m (m . r)
  const sr0x = a0 - mx * am, sr0y = -my * am, sr0z = a2 - mz * am;
  const sr1x = -mx * bm, sr1y = b1 - my * bm, sr1z = b2 - mz * bm;
  const g0x = 2 * (gxx * sr0x + gxy * sr1x), g0z = 2 * (gxx * sr0z + gxy * sr1z);
  const g1y = 2 * (gxy * sr0y + gyy * sr1y), g1z = 2 * (gxy * sr0z + gyy * sr1z);
  // dL/dc: through the centre x_k = (fx x/z + cx, fy y/z + cy) and through the entries of P'
  const gx = sux, gy = suy;
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
    const u0 = n0 / nl, u1 = n1 / nl, u2 = n2 / nl;
    const along = hx * u0 + hy * u1 + hz * u2;
    gN[3 * k] += hx - along * u0;
    gN[3 * k + 1] += hy - along * u1;
    gN[3 * k + 2] += hz - along * u2;
  }
}

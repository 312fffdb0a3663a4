// Each Gaussian seen from the camera (docs/fm.md §2, §5 eq. 18): what every ray-Gaussian pair needs,
// computed once per render, and the chain of the per-Gaussian gradient sums back to the means,
// precision factors, log-weights and the pose (R, t). With S = Sigma^-1 = U U^T:
//   o = -R^T t,  delta = mu - o,  z = U^T delta,  nu = U z = S delta
//   M = R S R^T  (so v^T S v = r^T M r for the world ray v = R^T r),  b = R nu,  c = |z|^2
//   u = -nu / max(|nu|, eps)  (the Gaussian's world normal, eq. 13)

import { NORMAL_EPS } from './options.js';

/** Numbers per Gaussian in the packed record. */
export const GAUSSIAN_STRIDE = 16;
// record layout
export const G_M00 = 0,
  G_M01 = 1,
  G_M02 = 2,
  G_M11 = 3,
  G_M12 = 4,
  G_M22 = 5,
  G_B0 = 6,
  G_B1 = 7,
  G_B2 = 8,
  G_C = 9,
  G_LW = 10,
  G_U0 = 11,
  G_U1 = 12,
  G_U2 = 13;

/** The camera-space record of every Gaussian into `out` (K x GAUSSIAN_STRIDE). R row-major 3x3. */
export function gaussiansToCamera(means: ArrayLike<number>, precisions: ArrayLike<number>, logWeights: ArrayLike<number>, R: ArrayLike<number>, t: ArrayLike<number>, out: Float64Array): void {
  const K = logWeights.length;
  // o = -R^T t
  const o0 = -(R[0] * t[0] + R[3] * t[1] + R[6] * t[2]),
    o1 = -(R[1] * t[0] + R[4] * t[1] + R[7] * t[2]),
    o2 = -(R[2] * t[0] + R[5] * t[1] + R[8] * t[2]);
  for (let k = 0; k < K; k++) {
    const u00 = precisions[6 * k],
      u01 = precisions[6 * k + 1],
      u02 = precisions[6 * k + 2],
      u11 = precisions[6 * k + 3],
      u12 = precisions[6 * k + 4],
      u22 = precisions[6 * k + 5];
    const d0 = means[3 * k] - o0,
      d1 = means[3 * k + 1] - o1,
      d2 = means[3 * k + 2] - o2;
    // z = U^T delta (U^T is lower triangular)
    const z0 = u00 * d0,
      z1 = u01 * d0 + u11 * d1,
      z2 = u02 * d0 + u12 * d1 + u22 * d2;
    // nu = U z
    const n0 = u00 * z0 + u01 * z1 + u02 * z2,
      n1 = u11 * z1 + u12 * z2,
      n2 = u22 * z2;
    // A = U^T R^T (3x3): row i of A is (U^T)_i . R^T, so M = A^T A = R S R^T
    // columns of R^T are the rows of R: A_ij = sum_l (U^T)_il R_jl
    const a00 = u00 * R[0],
      a01 = u00 * R[3],
      a02 = u00 * R[6];
    const a10 = u01 * R[0] + u11 * R[1],
      a11 = u01 * R[3] + u11 * R[4],
      a12 = u01 * R[6] + u11 * R[7];
    const a20 = u02 * R[0] + u12 * R[1] + u22 * R[2],
      a21 = u02 * R[3] + u12 * R[4] + u22 * R[5],
      a22 = u02 * R[6] + u12 * R[7] + u22 * R[8];
    const g = k * GAUSSIAN_STRIDE;
    out[g + G_M00] = a00 * a00 + a10 * a10 + a20 * a20;
    out[g + G_M01] = a00 * a01 + a10 * a11 + a20 * a21;
    out[g + G_M02] = a00 * a02 + a10 * a12 + a20 * a22;
    out[g + G_M11] = a01 * a01 + a11 * a11 + a21 * a21;
    out[g + G_M12] = a01 * a02 + a11 * a12 + a21 * a22;
    out[g + G_M22] = a02 * a02 + a12 * a12 + a22 * a22;
    out[g + G_B0] = R[0] * n0 + R[1] * n1 + R[2] * n2;
    out[g + G_B1] = R[3] * n0 + R[4] * n1 + R[5] * n2;
    out[g + G_B2] = R[6] * n0 + R[7] * n1 + R[8] * n2;
    out[g + G_C] = z0 * z0 + z1 * z1 + z2 * z2;
    out[g + G_LW] = logWeights[k];
    const len = Math.max(Math.sqrt(n0 * n0 + n1 * n1 + n2 * n2), NORMAL_EPS);
    out[g + G_U0] = -n0 / len;
    out[g + G_U1] = -n1 / len;
    out[g + G_U2] = -n2 / len;
  }
}

/** Per-Gaussian gradient sums the pixels produce (docs/fm.md §5), in this order. */
export const SUM_STRIDE = 13;
// G = sum g_P r r^T (camera; symmetric: 00 01 11 02 12 22), h = sum g_q r, sum g_d (= dL/dlambda;
// dL/dc = -1/2 of it), and the world-normal gradient sum w g_m
export const S_G00 = 0,
  S_G01 = 1,
  S_G11 = 2,
  S_G02 = 3,
  S_G12 = 4,
  S_G22 = 5,
  S_H0 = 6,
  S_H1 = 7,
  S_H2 = 8,
  S_D = 9,
  S_U0 = 10,
  S_U1 = 11,
  S_U2 = 12;

export interface CameraSpaceGradients {
  gMeans: Float64Array | null;
  gPrecisions: Float64Array | null;
  gLogWeights: Float64Array | null;
  gR: Float64Array | null;
  gT: Float64Array | null;
}

/**
 * The chain of the summed pixel gradients (`sums`, K x SUM_STRIDE) to mu, U, lambda, R and t
 * (docs/fm.md §5, eq. 18). Writes into the given arrays (null: not needed).
 */
export function gaussiansToCameraBackward(means: ArrayLike<number>, precisions: ArrayLike<number>, R: ArrayLike<number>, t: ArrayLike<number>, sums: Float64Array, out: CameraSpaceGradients): void {
  const K = means.length / 3;
  const o0 = -(R[0] * t[0] + R[3] * t[1] + R[6] * t[2]),
    o1 = -(R[1] * t[0] + R[4] * t[1] + R[7] * t[2]),
    o2 = -(R[2] * t[0] + R[5] * t[1] + R[8] * t[2]);
  const gR = new Float64Array(9);
  let go0 = 0,
    go1 = 0,
    go2 = 0;
  const Sw = new Float64Array(9); // dL/dS (world), full
  const Gc = new Float64Array(9);
  for (let k = 0; k < K; k++) {
    const s = k * SUM_STRIDE;
    const u00 = precisions[6 * k],
      u01 = precisions[6 * k + 1],
      u02 = precisions[6 * k + 2],
      u11 = precisions[6 * k + 3],
      u12 = precisions[6 * k + 4],
      u22 = precisions[6 * k + 5];
    const d0 = means[3 * k] - o0,
      d1 = means[3 * k + 1] - o1,
      d2 = means[3 * k + 2] - o2;
    const z0 = u00 * d0,
      z1 = u01 * d0 + u11 * d1,
      z2 = u02 * d0 + u12 * d1 + u22 * d2;
    const n0 = u00 * z0 + u01 * z1 + u02 * z2,
      n1 = u11 * z1 + u12 * z2,
      n2 = u22 * z2;
    // S = U U^T (world precision)
    const S00 = u00 * u00 + u01 * u01 + u02 * u02,
      S01 = u01 * u11 + u02 * u12,
      S02 = u02 * u22,
      S11 = u11 * u11 + u12 * u12,
      S12 = u12 * u22,
      S22 = u22 * u22;
    // camera-space G (full symmetric)
    Gc[0] = sums[s + S_G00];
    Gc[1] = Gc[3] = sums[s + S_G01];
    Gc[2] = Gc[6] = sums[s + S_G02];
    Gc[4] = sums[s + S_G11];
    Gc[5] = Gc[7] = sums[s + S_G12];
    Gc[8] = sums[s + S_G22];
    const h0 = sums[s + S_H0],
      h1 = sums[s + S_H1],
      h2 = sums[s + S_H2];
    const gd = sums[s + S_D];
    const gc = -0.5 * gd;
    // M = R S R^T: dL/dS = R^T G R, dL/dR += 2 G R S
    let GR00 = 0,
      GR01 = 0,
      GR02 = 0,
      GR10 = 0,
      GR11 = 0,
      GR12 = 0,
      GR20 = 0,
      GR21 = 0,
      GR22 = 0;
    {
      // GR = G R
      const g = Gc;
      GR00 = g[0] * R[0] + g[1] * R[3] + g[2] * R[6];
      GR01 = g[0] * R[1] + g[1] * R[4] + g[2] * R[7];
      GR02 = g[0] * R[2] + g[1] * R[5] + g[2] * R[8];
      GR10 = g[3] * R[0] + g[4] * R[3] + g[5] * R[6];
      GR11 = g[3] * R[1] + g[4] * R[4] + g[5] * R[7];
      GR12 = g[3] * R[2] + g[4] * R[5] + g[5] * R[8];
      GR20 = g[6] * R[0] + g[7] * R[3] + g[8] * R[6];
      GR21 = g[6] * R[1] + g[7] * R[4] + g[8] * R[7];
      GR22 = g[6] * R[2] + g[7] * R[5] + g[8] * R[8];
    }
    // Sw = R^T (G R)
    Sw[0] = R[0] * GR00 + R[3] * GR10 + R[6] * GR20;
    Sw[1] = R[0] * GR01 + R[3] * GR11 + R[6] * GR21;
    Sw[2] = R[0] * GR02 + R[3] * GR12 + R[6] * GR22;
    Sw[3] = R[1] * GR00 + R[4] * GR10 + R[7] * GR20;
    Sw[4] = R[1] * GR01 + R[4] * GR11 + R[7] * GR21;
    Sw[5] = R[1] * GR02 + R[4] * GR12 + R[7] * GR22;
    Sw[6] = R[2] * GR00 + R[5] * GR10 + R[8] * GR20;
    Sw[7] = R[2] * GR01 + R[5] * GR11 + R[8] * GR21;
    Sw[8] = R[2] * GR02 + R[5] * GR12 + R[8] * GR22;
    if (out.gR) {
      // 2 (G R) S
      gR[0] += 2 * (GR00 * S00 + GR01 * S01 + GR02 * S02);
      gR[1] += 2 * (GR00 * S01 + GR01 * S11 + GR02 * S12);
      gR[2] += 2 * (GR00 * S02 + GR01 * S12 + GR02 * S22);
      gR[3] += 2 * (GR10 * S00 + GR11 * S01 + GR12 * S02);
      gR[4] += 2 * (GR10 * S01 + GR11 * S11 + GR12 * S12);
      gR[5] += 2 * (GR10 * S02 + GR11 * S12 + GR12 * S22);
      gR[6] += 2 * (GR20 * S00 + GR21 * S01 + GR22 * S02);
      gR[7] += 2 * (GR20 * S01 + GR21 * S11 + GR22 * S12);
      gR[8] += 2 * (GR20 * S02 + GR21 * S12 + GR22 * S22);
      // b = R nu: dL/dR += h nu^T
      gR[0] += h0 * n0;
      gR[1] += h0 * n1;
      gR[2] += h0 * n2;
      gR[3] += h1 * n0;
      gR[4] += h1 * n1;
      gR[5] += h1 * n2;
      gR[6] += h2 * n0;
      gR[7] += h2 * n1;
      gR[8] += h2 * n2;
    }
    // dL/dnu from b (R^T h) and from the normal u = -nu / max(|nu|, eps)
    let gn0 = R[0] * h0 + R[3] * h1 + R[6] * h2,
      gn1 = R[1] * h0 + R[4] * h1 + R[7] * h2,
      gn2 = R[2] * h0 + R[5] * h1 + R[8] * h2;
    {
      const gu0 = sums[s + S_U0],
        gu1 = sums[s + S_U1],
        gu2 = sums[s + S_U2];
      const len = Math.sqrt(n0 * n0 + n1 * n1 + n2 * n2);
      if (len >= NORMAL_EPS) {
        const f0 = n0 / len,
          f1 = n1 / len,
          f2 = n2 / len;
        const fg = f0 * gu0 + f1 * gu1 + f2 * gu2;
        gn0 -= (gu0 - f0 * fg) / len;
        gn1 -= (gu1 - f1 * fg) / len;
        gn2 -= (gu2 - f2 * fg) / len;
      } else {
        gn0 -= gu0 / NORMAL_EPS;
        gn1 -= gu1 / NORMAL_EPS;
        gn2 -= gu2 / NORMAL_EPS;
      }
    }
    // nu = U z: dL/dU += gnu z^T, dL/dz += U^T gnu;  c = |z|^2: dL/dz += 2 gc z
    const gz0 = u00 * gn0 + 2 * gc * z0,
      gz1 = u01 * gn0 + u11 * gn1 + 2 * gc * z1,
      gz2 = u02 * gn0 + u12 * gn1 + u22 * gn2 + 2 * gc * z2;
    // z = U^T delta: dL/dU += delta gz^T, dL/ddelta = U gz
    const gd0 = u00 * gz0 + u01 * gz1 + u02 * gz2,
      gd1 = u11 * gz1 + u12 * gz2,
      gd2 = u22 * gz2;
    if (out.gPrecisions) {
      // dL/dU (upper entries) = 2 Sw U + gnu z^T + delta gz^T
      const g = out.gPrecisions;
      const p = 6 * k;
      // (Sw U)_ij = sum_l Sw_il U_lj, U_lj nonzero for l <= j
      g[p] = 2 * Sw[0] * u00 + gn0 * z0 + d0 * gz0; // (0,0)
      g[p + 1] = 2 * (Sw[0] * u01 + Sw[1] * u11) + gn0 * z1 + d0 * gz1; // (0,1)
      g[p + 2] = 2 * (Sw[0] * u02 + Sw[1] * u12 + Sw[2] * u22) + gn0 * z2 + d0 * gz2; // (0,2)
      g[p + 3] = 2 * (Sw[3] * u01 + Sw[4] * u11) + gn1 * z1 + d1 * gz1; // (1,1)
      g[p + 4] = 2 * (Sw[3] * u02 + Sw[4] * u12 + Sw[5] * u22) + gn1 * z2 + d1 * gz2; // (1,2)
      g[p + 5] = 2 * (Sw[6] * u02 + Sw[7] * u12 + Sw[8] * u22) + gn2 * z2 + d2 * gz2; // (2,2)
    }
    if (out.gMeans) {
      out.gMeans[3 * k] = gd0;
      out.gMeans[3 * k + 1] = gd1;
      out.gMeans[3 * k + 2] = gd2;
    }
    if (out.gLogWeights) out.gLogWeights[k] = gd;
    // delta = mu - o
    go0 -= gd0;
    go1 -= gd1;
    go2 -= gd2;
  }
  // o = -R^T t: dL/dt = -R go, dL/dR += -t go^T
  if (out.gT) {
    out.gT[0] = -(R[0] * go0 + R[1] * go1 + R[2] * go2);
    out.gT[1] = -(R[3] * go0 + R[4] * go1 + R[5] * go2);
    out.gT[2] = -(R[6] * go0 + R[7] * go1 + R[8] * go2);
  }
  if (out.gR) {
    for (let i = 0; i < 3; i++) {
      gR[3 * i] -= t[i] * go0;
      gR[3 * i + 1] -= t[i] * go1;
      gR[3 * i + 2] -= t[i] * go2;
    }
    out.gR.set(gR);
  }
}

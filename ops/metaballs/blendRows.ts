// The per-pixel work of the fast path, one image row at a time (docs/fm.md §2-5): every Gaussian
// whose footprint covers the row is intersected with the row's rays (eq. 4, 6), the pairs with
// d >= -C (eq. 14) are blended (eq. 5, 8-10, 13, with the relative cut of eq. 14), and what the backward needs is
// kept per pixel: the pairs that carry weight or alpha, with their normalized weight w and alpha
// term a = exp(d). The backward recomputes t and d (cheap) instead of storing them.

import { GAUSSIAN_STRIDE, G_B0, G_B1, G_B2, G_C, G_LW, G_M00, G_M01, G_M02, G_M11, G_M12, G_M22, G_U0, G_U1, G_U2, SUM_STRIDE } from './cameraSpace.js';
import { MIN_QUADRATIC } from './fuzzyMetaballsReference.js';
import { fastExp } from './fastExp.js';
import { NORMAL_EPS } from './options.js';

/** Per-pixel numbers the forward leaves for the backward: S (the alpha sum), depth D, the blended normal m before normalization and 1 / sum of the weights. */
export const AUX_STRIDE = 6;

export interface BlendConstants {
  width: number;
  height: number;
  K: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  cutoff: number;
  relativeCutoff: number;
  /** front 'hard': only pairs with t > 0 exist. */
  frontOnly: boolean;
  /** alpha 'sigmoid' (eq. 5b) instead of 'exp' (eq. 5a). */
  tanhAlpha: boolean;
  /** beta1 / eta, beta2 / eta, beta3, beta4, beta5. */
  beta1s: number;
  beta2s: number;
  beta3: number;
  beta4: number;
  beta5: number;
}

/** The pairs of every pixel: slots start[p] ... start[p + 1] - 1, the first kept[p] of them carrying weight or alpha. */
export interface PairCache {
  start: Int32Array;
  kept: Int32Array;
  gaussian: Int32Array;
  /** t during the forward, then the weight e^(E - Emax) (normalized by the pixel's aux 1 / sum). */
  first: Float64Array;
  /** d during the forward, then the alpha term a. */
  second: Float64Array;
}

export interface RowImages {
  depth: Float32Array | Float64Array;
  alpha: Float32Array | Float64Array;
  normal: Float32Array | Float64Array;
  aux: Float64Array;
}

/** Ray x coordinate of every pixel column. */
export function columnRays(width: number, fx: number, cx: number): Float64Array {
  const xs = new Float64Array(width);
  for (let i = 0; i < width; i++) xs[i] = (i + 0.5 - cx) / fx;
  return xs;
}

/** Per-task scratch of forwardRow. */
export interface RowScratch {
  /** Pairs so far per pixel of the row (W). */
  fill: Int32Array;
  /** The largest exponent E and log-density d in front, per pixel of the row (W). */
  Emax: Float64Array;
  dmax: Float64Array;
  /** Each pair's exponent E, by its slot within the row (W K). */
  exponents: Float64Array;
}

let lastScratch: RowScratch | null = null;

/** This thread's scratch for rows of `width` pixels and K Gaussians (reused while it fits: tasks on one thread run one after another). */
export function rowScratch(width: number, K: number): RowScratch {
  const s = lastScratch;
  if (s && s.fill.length === width && s.exponents.length >= width * K) return s;
  lastScratch = { fill: new Int32Array(width), Emax: new Float64Array(width), dmax: new Float64Array(width), exponents: new Float64Array(width * K) };
  return lastScratch;
}

/**
 * Row j: pairs (eq. 4, 6, 14; footprint spans from footprint.ts), blend (eq. 5, 8-10, 13), cache. Returns the
 * number of pairs with d >= -C.
 */
export function forwardRow(j: number, c: BlendConstants, gaussians: Float64Array, spans: Int32Array, xs: Float64Array, cache: PairCache, out: RowImages, scratch: RowScratch): number {
  const { width: W, K, cutoff, frontOnly, beta1s, beta2s, beta3 } = c;
  const ry = (j + 0.5 - c.cy) / c.fy;
  const { start, gaussian: ck, first: c0, second: c1 } = cache;
  const { fill, Emax, dmax, exponents } = scratch;
  const rowStart = j * W,
    rowSlot = start[rowStart];
  fill.fill(0);
  Emax.fill(-Infinity);
  dmax.fill(-Infinity);
  let pairs = 0;
  // eq. 4, 6 for every pixel of every span, Gaussian by Gaussian (so each pixel's pairs are in Gaussian order)
  for (let k = 0; k < K; k++) {
    const o = 2 * (j * K + k);
    const i0 = spans[o],
      i1 = spans[o + 1];
    if (i0 > i1) continue;
    const g = k * GAUSSIAN_STRIDE;
    const A = gaussians[g + G_M00],
      B = 2 * (gaussians[g + G_M01] * ry + gaussians[g + G_M02]),
      C = (gaussians[g + G_M11] * ry + 2 * gaussians[g + G_M12]) * ry + gaussians[g + G_M22];
    const b0 = gaussians[g + G_B0],
      q0 = gaussians[g + G_B1] * ry + gaussians[g + G_B2];
    const cc = gaussians[g + G_C],
      lw = gaussians[g + G_LW];
    for (let i = i0; i <= i1; i++) {
      const x = xs[i];
      const P = (A * x + B) * x + C;
      if (!(P > MIN_QUADRATIC)) continue;
      const q = b0 * x + q0;
      const t = q / P;
      if (frontOnly && !(t > 0)) continue;
      const d = lw - 0.5 * (cc - q * t);
      if (!(d >= -cutoff)) continue;
      const slot = start[rowStart + i] + fill[i]++;
      ck[slot] = k;
      c0[slot] = t;
      c1[slot] = d;
      // eq. 9-10
      const E = frontOnly ? beta3 * d - beta2s * t : beta3 * d * (0.5 * Math.tanh(beta1s * t) + 0.5) - beta2s * t;
      exponents[slot - rowSlot] = E;
      if (E > Emax[i]) Emax[i] = E;
      if (t > 0 && d > dmax[i]) dmax[i] = d;
      pairs++;
    }
  }
  // eq. 5, 8, 13 per pixel
  const { beta4, beta5, relativeCutoff: Rc } = c;
  const { depth, alpha, normal, aux } = out;
  for (let i = 0; i < W; i++) {
    const p = rowStart + i;
    const s0 = start[p],
      n = fill[i];
    const Em = Emax[i];
    // weights e^(E - Emax) and alpha terms e^d, each dropped more than R below the pixel's largest
    // (eq. 14); the pairs that carry either are compacted to the front of the slots
    const Ecut = Em - Rc,
      dcut = dmax[i] - Rc;
    let total = 0,
      S = 0,
      D = 0,
      m0 = 0,
      m1 = 0,
      m2 = 0,
      kept = 0;
    for (let e = 0; e < n; e++) {
      const slot = s0 + e;
      const E = exponents[slot - rowSlot];
      const t = c0[slot],
        d = c1[slot];
      const w = E >= Ecut ? fastExp(E - Em) : 0;
      const a = t > 0 && d >= dcut ? fastExp(d) : 0;
      if (w > 0 || a > 0) {
        const k = ck[slot];
        const g = k * GAUSSIAN_STRIDE;
        total += w;
        S += a;
        D += w * t;
        m0 += w * gaussians[g + G_U0];
        m1 += w * gaussians[g + G_U1];
        m2 += w * gaussians[g + G_U2];
        const to = s0 + kept++;
        ck[to] = k;
        c0[to] = w;
        c1[to] = a;
      }
    }
    cache.kept[p] = kept;
    const inv = total > 0 ? 1 / total : 0;
    D *= inv;
    m0 *= inv;
    m1 *= inv;
    m2 *= inv;
    depth[p] = D;
    alpha[p] = c.tanhAlpha ? 0.5 * Math.tanh(beta4 * (S + beta5)) + 0.5 : 1 - Math.exp(-S);
    const len = Math.max(Math.sqrt(m0 * m0 + m1 * m1 + m2 * m2), NORMAL_EPS);
    normal[3 * p] = m0 / len;
    normal[3 * p + 1] = m1 / len;
    normal[3 * p + 2] = m2 / len;
    const x = AUX_STRIDE * p;
    aux[x] = S;
    aux[x + 1] = D;
    aux[x + 2] = m0;
    aux[x + 3] = m1;
    aux[x + 4] = m2;
    aux[x + 5] = inv;
  }
  return pairs;
}

export interface RowGradients {
  depth: Float32Array | Float64Array | null;
  alpha: Float32Array | Float64Array | null;
  normal: Float32Array | Float64Array | null;
}

/**
 * The backward of row j (docs/fm.md §5, eq. 16-17): per kept pair, the gradient of the pixel's outputs
 * through t and d into the per-Gaussian sums `sums` (K x SUM_STRIDE, added to). `coeff` is
 * scratch, 8 K long.
 */
export function backwardRow(
  j: number,
  c: BlendConstants,
  gaussians: Float64Array,
  xs: Float64Array,
  cache: PairCache,
  aux: Float64Array,
  grads: RowGradients,
  sums: Float64Array,
  coeff: Float64Array,
): void {
  const { width: W, K, frontOnly, beta1s, beta2s, beta3, beta4, beta5 } = c;
  const ry = (j + 0.5 - c.cy) / c.fy,
    ry2 = ry * ry;
  // each Gaussian's quadratic and linear form along the row
  for (let k = 0; k < K; k++) {
    const g = k * GAUSSIAN_STRIDE,
      o = 8 * k;
    coeff[o] = gaussians[g + G_M00];
    coeff[o + 1] = 2 * (gaussians[g + G_M01] * ry + gaussians[g + G_M02]);
    coeff[o + 2] = (gaussians[g + G_M11] * ry + 2 * gaussians[g + G_M12]) * ry + gaussians[g + G_M22];
    coeff[o + 3] = gaussians[g + G_B0];
    coeff[o + 4] = gaussians[g + G_B1] * ry + gaussians[g + G_B2];
    coeff[o + 5] = gaussians[g + G_C];
    coeff[o + 6] = gaussians[g + G_LW];
  }
  const { start, kept, gaussian: ck, first: cw, second: ca } = cache;
  const gDepth = grads.depth,
    gAlpha = grads.alpha,
    gNormal = grads.normal;
  for (let i = 0; i < W; i++) {
    const p = j * W + i;
    const n = kept[p];
    if (n === 0) continue;
    const s0 = start[p];
    const x = xs[i];
    const S = aux[AUX_STRIDE * p],
      D = aux[AUX_STRIDE * p + 1],
      m0 = aux[AUX_STRIDE * p + 2],
      m1 = aux[AUX_STRIDE * p + 3],
      m2 = aux[AUX_STRIDE * p + 4],
      inv = aux[AUX_STRIDE * p + 5];
    const gD = gDepth ? gDepth[p] : 0;
    // eq. 5: dalpha/dS
    let gS = 0;
    if (gAlpha) {
      const ga = gAlpha[p];
      if (c.tanhAlpha) {
        const th = Math.tanh(beta4 * (S + beta5));
        gS = ga * 0.5 * beta4 * (1 - th * th);
      } else gS = ga * Math.exp(-S);
    }
    // eq. 13: through n = m / max(|m|, eps)
    let gm0 = 0,
      gm1 = 0,
      gm2 = 0;
    if (gNormal) {
      const g0 = gNormal[3 * p],
        g1 = gNormal[3 * p + 1],
        g2 = gNormal[3 * p + 2];
      const len = Math.sqrt(m0 * m0 + m1 * m1 + m2 * m2);
      if (len >= NORMAL_EPS) {
        const n0 = m0 / len,
          n1 = m1 / len,
          n2 = m2 / len;
        const ng = n0 * g0 + n1 * g1 + n2 * g2;
        gm0 = (g0 - n0 * ng) / len;
        gm1 = (g1 - n1 * ng) / len;
        gm2 = (g2 - n2 * ng) / len;
      } else {
        gm0 = g0 / NORMAL_EPS;
        gm1 = g1 / NORMAL_EPS;
        gm2 = g2 / NORMAL_EPS;
      }
    }
    const mg = m0 * gm0 + m1 * gm1 + m2 * gm2;
    for (let e = 0; e < n; e++) {
      const slot = s0 + e;
      const k = ck[slot],
        w = cw[slot] * inv,
        a = ca[slot];
      const o = 8 * k;
      const P = (coeff[o] * x + coeff[o + 1]) * x + coeff[o + 2];
      const q = coeff[o + 3] * x + coeff[o + 4];
      const t = q / P;
      const d = coeff[o + 6] - 0.5 * (coeff[o + 5] - q * t);
      const g = k * GAUSSIAN_STRIDE;
      // eq. 8, 13: dL/dE through the normalized weights (eq. 16)
      const gE = w * (gD * (t - D) + (gaussians[g + G_U0] * gm0 + gaussians[g + G_U1] * gm1 + gaussians[g + G_U2] * gm2 - mg));
      let gt = gD * w,
        gd = gS * a;
      if (frontOnly) {
        gd += beta3 * gE;
        gt -= beta2s * gE;
      } else {
        const th = Math.tanh(beta1s * t);
        gd += beta3 * (0.5 * th + 0.5) * gE;
        gt += (beta3 * d * 0.5 * beta1s * (1 - th * th) - beta2s) * gE;
      }
      // eq. 4, 6: t = q / P, d = lambda - (c - q t) / 2 (eq. 17)
      const gq = gt / P + gd * t;
      const gP = -(gt * t) / P - 0.5 * gd * t * t;
      const s = k * SUM_STRIDE;
      sums[s] += gP * x * x;
      sums[s + 1] += gP * x * ry;
      sums[s + 2] += gP * ry2;
      sums[s + 3] += gP * x;
      sums[s + 4] += gP * ry;
      sums[s + 5] += gP;
      sums[s + 6] += gq * x;
      sums[s + 7] += gq * ry;
      sums[s + 8] += gq;
      sums[s + 9] += gd;
      sums[s + 10] += w * gm0;
      sums[s + 11] += w * gm1;
      sums[s + 12] += w * gm2;
    }
  }
}

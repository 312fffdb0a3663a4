// Which pixels of a row a Gaussian can reach (docs/fm.md §4, eq. 15). A pair counts only when
// its log-density d = lambda - s/2 is at least -C, i.e. when the ray passes within the
// Mahalanobis radius rho, rho^2 = 2 (lambda + C), of the mean. With q = r^T b and P = r^T M r
// (cameraSpace.ts), s = c - q^2 / P, so for a ray r = (x, y, 1):
//   s <= rho^2   <=>   q(x)^2 - kappa P(x) >= 0,   kappa = c - rho^2            (eq. 15)
// a quadratic in x along a row. For a Gaussian wholly in front of the camera its leading
// coefficient is negative and the pixels form one interval (a chord of the projected ellipse);
// otherwise (the rho-ellipsoid reaches the camera plane, or holds the camera) the whole row is
// taken. The span is padded by a pixel and a relative slack, so rounding never loses a pair: the
// per-pair test d >= -C (blendRows.ts) decides, exactly as in the twin.

import { GAUSSIAN_STRIDE, G_B0, G_B1, G_B2, G_C, G_LW, G_M00, G_M01, G_M02, G_M11, G_M12, G_M22 } from './cameraSpace.js';

/** Relative slack of the span roots (rounding of the quadratic's coefficients). */
const SLACK = 1e-7;

/**
 * Pixel spans of every Gaussian on row j into spans[2 (j K + k) ...] as [first, last] (first >
 * last when none), and the count of spans covering each pixel into coverage[j W + i].
 */
export function rowSpans(
  j: number,
  gaussians: Float64Array,
  K: number,
  width: number,
  fx: number,
  cx: number,
  ry: number,
  cutoff: number,
  frontOnly: boolean,
  spans: Int32Array,
  coverage: Int32Array,
): number {
  const W = width;
  const row = coverage.subarray(j * W, (j + 1) * W);
  row.fill(0);
  let total = 0;
  const toPixel = (x: number) => x * fx + cx - 0.5; // continuous pixel index of ray coordinate x
  for (let k = 0; k < K; k++) {
    const g = k * GAUSSIAN_STRIDE;
    const o = 2 * (j * K + k);
    spans[o] = 1;
    spans[o + 1] = 0;
    const rho2 = 2 * (gaussians[g + G_LW] + cutoff);
    if (!(rho2 > 0)) continue; // even the mean is below -C
    const A = gaussians[g + G_M00],
      B = 2 * (gaussians[g + G_M01] * ry + gaussians[g + G_M02]),
      C = (gaussians[g + G_M11] * ry + 2 * gaussians[g + G_M12]) * ry + gaussians[g + G_M22];
    const b0 = gaussians[g + G_B0],
      q0 = gaussians[g + G_B1] * ry + gaussians[g + G_B2];
    const kappa = gaussians[g + G_C] - rho2;
    let lo = -Infinity,
      hi = Infinity;
    if (kappa > 0) {
      const a2 = b0 * b0 - kappa * A,
        a1 = 2 * b0 * q0 - kappa * B,
        a0 = q0 * q0 - kappa * C;
      const scale = b0 * b0 + Math.abs(kappa * A);
      if (a2 < -1e-9 * scale) {
        const disc = a1 * a1 - 4 * a2 * a0;
        const discScale = a1 * a1 + Math.abs(4 * a2 * a0);
        if (disc < -1e-9 * discScale) continue; // the row misses the ellipse
        const centre = -a1 / (2 * a2);
        const half = Math.sqrt(Math.max(disc, 0)) / (2 * -a2);
        const slack = SLACK * (Math.abs(centre) + half) + 1e-12;
        lo = centre - half - slack;
        hi = centre + half + slack;
      }
      // else: unbounded in x (or nearly so): the whole row
    }
    if (frontOnly) {
      // t > 0 needs q(x) = b0 x + q0 > 0: a half-line
      if (b0 > 0) lo = Math.max(lo, -q0 / b0 - SLACK * (Math.abs(q0 / b0) + 1));
      else if (b0 < 0) hi = Math.min(hi, -q0 / b0 + SLACK * (Math.abs(q0 / b0) + 1));
      else if (!(q0 > 0)) continue;
    }
    // pixels whose centre lies in [lo, hi], padded by one
    const pl = toPixel(lo),
      ph = toPixel(hi);
    const first = pl <= 0 ? 0 : pl >= W ? W : Math.ceil(pl) - 1;
    const last = ph >= W - 1 ? W - 1 : ph < 0 ? -1 : Math.floor(ph) + 1;
    const i0 = Math.max(0, first),
      i1 = Math.min(W - 1, last);
    if (!(i0 <= i1)) continue; // (also NaN-safe)
    spans[o] = i0;
    spans[o + 1] = i1;
    row[i0]++;
    if (i1 + 1 < W) row[i1 + 1]--;
    total += i1 - i0 + 1;
  }
  for (let i = 1; i < W; i++) row[i] += row[i - 1];
  return total;
}

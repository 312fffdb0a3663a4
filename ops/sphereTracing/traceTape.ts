// The tracer's tape (docs/dist.md §5): marching ran without it, so the render reaches the SDF's
// parameters and the camera only through f re-evaluated, on the tape, at one point per ray (the
// hit, or the minimum along a miss), and through the eye and the ray directions. Four fused ops,
// each one pass over the rays:
//   rayPoints      R, t           -> p_i = R^T (d_i q_i - t)          (eq. 11, d_i a constant)
//   traceImages    f(p), t        -> depth and silhouette images      (eq. 13, 16, 17, 19, 20)
//   normalProbes   R, t, f(p)     -> p_i +- delta e_k at the hits     (eq. 15, 21)
//   normalImage    f(probes)      -> the normal image                 (eq. 15)
// q_i is the unit camera-space direction of ray i. The sphereTraceReference twin writes the same
// chain with generic tape ops.

import { customOp } from '../../lib/customOp.js';
import type { FloatArray } from '../../lib/dtype.js';
import type { Tensor } from '../../lib/tensor.js';

/** eq. 11 at fixed distances: p_i = R^T (d_i q_i - t), q the camera directions (3 per ray). */
export const rayPoints = customOp({
  name: 'sphereTrace.rayPoints',
  forward(ctx, R: Tensor, t: Tensor, q: FloatArray, d: FloatArray) {
    const m = d.length;
    const out = ctx.output([m, 3]);
    const M = R.data,
      T = t.data,
      P = out.data;
    for (let i = 0, o = 0; i < m; i++, o += 3) {
      const x = d[i] * q[o] - T[0],
        y = d[i] * q[o + 1] - T[1],
        z = d[i] * q[o + 2] - T[2];
      P[o] = M[0] * x + M[3] * y + M[6] * z;
      P[o + 1] = M[1] * x + M[4] * y + M[7] * z;
      P[o + 2] = M[2] * x + M[5] * y + M[8] * z;
    }
    ctx.save(M, T, q, d);
    return out;
  },
  backward(ctx, gP) {
    const [M, T, q, d] = ctx.saved as [FloatArray, FloatArray, FloatArray, FloatArray];
    return poseGradients(ctx, gP!, M, T, q, d);
  },
});

/** dL/dR and dL/dt of p_i = R^T (d_i q_i - t) given dL/dp (m x 3), accumulated in float64 in ray order. */
function poseGradients(ctx: { needsInputGrad: readonly boolean[]; zeros(n: number): FloatArray }, G: FloatArray, M: FloatArray, T: FloatArray, q: FloatArray, d: FloatArray): (FloatArray | null)[] {
  const gR = new Float64Array(9),
    gt = new Float64Array(3);
  const m = d.length;
  for (let i = 0, o = 0; i < m; i++, o += 3) {
    const g0 = G[o],
      g1 = G[o + 1],
      g2 = G[o + 2];
    if (g0 === 0 && g1 === 0 && g2 === 0) continue;
    const x = d[i] * q[o] - T[0],
      y = d[i] * q[o + 1] - T[1],
      z = d[i] * q[o + 2] - T[2];
    // p_j = sum_k R_kj x_k: dL/dR_kj = x_k g_j, dL/dx_k = sum_j R_kj g_j, dx/dt = -I
    gR[0] += x * g0;
    gR[1] += x * g1;
    gR[2] += x * g2;
    gR[3] += y * g0;
    gR[4] += y * g1;
    gR[5] += y * g2;
    gR[6] += z * g0;
    gR[7] += z * g1;
    gR[8] += z * g2;
    gt[0] -= M[0] * g0 + M[1] * g1 + M[2] * g2;
    gt[1] -= M[3] * g0 + M[4] * g1 + M[5] * g2;
    gt[2] -= M[6] * g0 + M[7] * g1 + M[8] * g2;
  }
  const out = (a: Float64Array, need: boolean) => {
    if (!need) return null;
    const z = ctx.zeros(a.length);
    z.set(a);
    return z;
  };
  return [out(gR, ctx.needsInputGrad[0]), out(gt, ctx.needsInputGrad[1])];
}

/** What traceImages needs besides f and t (plain arrays from the marching). */
export interface ImagePlan {
  width: number;
  height: number;
  /** Pixel of each re-evaluated ray (hits and misses inside the sphere), in ray order. */
  pixels: Int32Array;
  /** Depth of each (0 for a miss): d z_scale (eq. 13). */
  depth: FloatArray;
  /** Implicit depth weight of each (0 for a miss): z_scale / max(-grad f . v, minCosine |grad f|) (eq. 20). */
  depthWeight: FloatArray;
  /** Rays that miss the bounding sphere: pixel and camera direction (3 each). */
  outsidePixels: Int32Array;
  outsideDirections: FloatArray;
  radius: number;
  threshold: number;
}

/**
 * The depth and silhouette images from f at the rays' points (and t, for the rays that miss the
 * sphere): depth = d z_scale, with derivative depthWeight * df (eq. 20); silhouette = f for a ray
 * that meets the sphere (eq. 17, 19) and dist(ray, sphere centre) - radius + threshold for one
 * that misses it (eq. 16), whose derivative goes to t alone: the sphere's centre in camera space.
 */
export const traceImages = customOp({
  name: 'sphereTrace.images',
  forward(ctx, f: Tensor, t: Tensor, plan: ImagePlan) {
    const { width, height, pixels, depth: D } = plan;
    const depth = ctx.output([height, width]);
    const minSdf = ctx.output([height, width]);
    const F = f.data,
      Z = depth.data,
      S = minSdf.data;
    for (let i = 0; i < pixels.length; i++) {
      Z[pixels[i]] = D[i];
      S[pixels[i]] = F[i];
    }
    const T = t.data;
    const q = plan.outsideDirections;
    const tt = T[0] * T[0] + T[1] * T[1] + T[2] * T[2];
    for (let i = 0, o = 0; i < plan.outsidePixels.length; i++, o += 3) {
      const b = T[0] * q[o] + T[1] * q[o + 1] + T[2] * q[o + 2];
      S[plan.outsidePixels[i]] = Math.sqrt(b > 0 ? Math.max(tt - b * b, 0) : tt) - plan.radius + plan.threshold;
    }
    ctx.save(plan, T);
    return [depth, minSdf];
  },
  backward(ctx, gDepth, gMin) {
    const [plan, T] = ctx.saved as [ImagePlan, FloatArray];
    const { pixels, depthWeight: Wz } = plan;
    let gf = null;
    if (ctx.needsInputGrad[0]) {
      gf = ctx.zeros(pixels.length);
      for (let i = 0; i < pixels.length; i++) {
        const p = pixels[i];
        gf[i] = (gDepth ? gDepth[p] * Wz[i] : 0) + (gMin ? gMin[p] : 0);
      }
    }
    let gt = null;
    if (ctx.needsInputGrad[1] && gMin) {
      const acc = new Float64Array(3);
      const q = plan.outsideDirections;
      const tt = T[0] * T[0] + T[1] * T[1] + T[2] * T[2];
      for (let i = 0, o = 0; i < plan.outsidePixels.length; i++, o += 3) {
        const g = gMin[plan.outsidePixels[i]];
        if (g === 0) continue;
        const b = T[0] * q[o] + T[1] * q[o + 1] + T[2] * q[o + 2];
        // d sqrt(|t|^2 - (t.q)^2) / dt = (t - (t.q) q) / dist; d |t| / dt = t / |t|
        const along = b > 0 ? b : 0;
        const dist = Math.sqrt(Math.max(tt - along * along, 1e-300));
        for (let k = 0; k < 3; k++) acc[k] += (g * (T[k] - along * q[o + k])) / dist;
      }
      gt = ctx.zeros(3);
      gt.set(acc);
    }
    return [gf, gt];
  },
});

/** What normalProbes needs: the hit rays among the re-evaluated ones. */
export interface ProbePlan {
  /** Index of each hit among the re-evaluated rays (into f). */
  rays: Int32Array;
  /** Its camera direction (3 each) and distance. */
  directions: FloatArray;
  dist: FloatArray;
  /** Its implicit distance weight 1 / max(-grad f . v, ...) (eq. 20, without z_scale). */
  distWeight: FloatArray;
  step: number;
}

/**
 * eq. 21: six probes p +- delta e_k around each hit p = R^T ((d + w (f - f0)) q - t), whose
 * distance d moves with f as the depth does (eq. 20), so the normals carry that gradient too.
 * Probe 6i + 2k is p_i + delta e_k, 6i + 2k + 1 is p_i - delta e_k.
 */
export const normalProbes = customOp({
  name: 'sphereTrace.normalProbes',
  forward(ctx, R: Tensor, t: Tensor, f: Tensor, plan: ProbePlan) {
    const h = plan.rays.length;
    const out = ctx.output([6 * h, 3]);
    const M = R.data,
      T = t.data,
      P = out.data,
      q = plan.directions;
    for (let i = 0; i < h; i++) {
      const o = 3 * i,
        d = plan.dist[i];
      const x = d * q[o] - T[0],
        y = d * q[o + 1] - T[1],
        z = d * q[o + 2] - T[2];
      const px = M[0] * x + M[3] * y + M[6] * z,
        py = M[1] * x + M[4] * y + M[7] * z,
        pz = M[2] * x + M[5] * y + M[8] * z;
      for (let k = 0; k < 6; k++) {
        const b = 3 * (6 * i + k);
        const s = k % 2 === 0 ? plan.step : -plan.step;
        P[b] = px + (k >> 1 === 0 ? s : 0);
        P[b + 1] = py + (k >> 1 === 1 ? s : 0);
        P[b + 2] = pz + (k >> 1 === 2 ? s : 0);
      }
    }
    ctx.save(M, T, plan, f.size);
    return out;
  },
  backward(ctx, gProbes) {
    const [M, T, plan, fSize] = ctx.saved as [FloatArray, FloatArray, ProbePlan, number];
    const G = gProbes!;
    const h = plan.rays.length;
    const gp = new Float64Array(3 * h);
    for (let i = 0; i < h; i++) {
      for (let k = 0; k < 6; k++) {
        const b = 3 * (6 * i + k);
        gp[3 * i] += G[b];
        gp[3 * i + 1] += G[b + 1];
        gp[3 * i + 2] += G[b + 2];
      }
    }
    const [gR, gt] = poseGradients(ctx, gp, M, T, plan.directions, plan.dist);
    let gf = null;
    if (ctx.needsInputGrad[2]) {
      gf = ctx.zeros(fSize);
      const q = plan.directions;
      for (let i = 0; i < h; i++) {
        // dp/df = w R^T q
        const o = 3 * i;
        const vx = M[0] * q[o] + M[3] * q[o + 1] + M[6] * q[o + 2],
          vy = M[1] * q[o] + M[4] * q[o + 1] + M[7] * q[o + 2],
          vz = M[2] * q[o] + M[5] * q[o + 1] + M[8] * q[o + 2];
        gf[plan.rays[i]] += plan.distWeight[i] * (gp[o] * vx + gp[o + 1] * vy + gp[o + 2] * vz);
      }
    }
    return [gR, gt, gf];
  },
});

/** eq. 15: the normal image from f at the probes: n = normalize(f(p + delta e_k) - f(p - delta e_k)). */
export const normalImage = customOp({
  name: 'sphereTrace.normalImage',
  forward(ctx, f6: Tensor, pixels: Int32Array, width: number, height: number) {
    const out = ctx.output([height, width, 3]);
    const F = f6.data,
      N = out.data;
    const h = pixels.length;
    const unit = new Float64Array(3 * h),
      length = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const a = F[6 * i] - F[6 * i + 1],
        b = F[6 * i + 2] - F[6 * i + 3],
        c = F[6 * i + 4] - F[6 * i + 5];
      const l = Math.sqrt(a * a + b * b + c * c);
      const il = l > 0 ? 1 / l : 0;
      length[i] = l;
      unit[3 * i] = a * il;
      unit[3 * i + 1] = b * il;
      unit[3 * i + 2] = c * il;
      const p = 3 * pixels[i];
      N[p] = unit[3 * i];
      N[p + 1] = unit[3 * i + 1];
      N[p + 2] = unit[3 * i + 2];
    }
    ctx.save(unit, length, pixels);
    return out;
  },
  backward(ctx, gN) {
    const [unit, length, pixels] = ctx.saved as [Float64Array, Float64Array, Int32Array];
    const G = gN!;
    const h = pixels.length;
    const g6 = ctx.zeros(6 * h);
    for (let i = 0; i < h; i++) {
      if (!(length[i] > 0)) continue;
      const p = 3 * pixels[i];
      const nx = unit[3 * i],
        ny = unit[3 * i + 1],
        nz = unit[3 * i + 2];
      const dot = G[p] * nx + G[p + 1] * ny + G[p + 2] * nz;
      // d normalize(x) = (g - n (n . g)) / |x|; the step 2 delta cancels in the normalization
      const il = 1 / length[i];
      const a = (G[p] - nx * dot) * il,
        b = (G[p + 1] - ny * dot) * il,
        c = (G[p + 2] - nz * dot) * il;
      g6[6 * i] = a;
      g6[6 * i + 1] = -a;
      g6[6 * i + 2] = b;
      g6[6 * i + 3] = -b;
      g6[6 * i + 4] = c;
      g6[6 * i + 5] = -c;
    }
    return [g6];
  },
});

// Gaussian mixtures in 3-D (docs/fm.md §6): fitting one to points by EM from a seeded k-means++
// start, and the conversions to and from the Fuzzy Metaballs parameters (means, upper-triangular
// precision factors U with Sigma^-1 = U U^T, log-weights), plus sampling points from one.
//
// EM (Dempster, Laird & Rubin 1977) as scikit-learn's GaussianMixture does it, full covariances:
//   E-step  r_nk = pi_k N(x_n | mu_k, Sigma_k) / sum_j pi_j N(x_n | mu_j, Sigma_j)   (log domain)
//   M-step  N_k = sum_n r_nk,  pi_k = N_k / N,  mu_k = sum_n r_nk x_n / N_k,
//           Sigma_k = sum_n r_nk (x_n - mu_k)(x_n - mu_k)^T / N_k + reg I
// The start: k-means++ seeds (Arthur & Vassilvitskii 2007: each next seed drawn with probability
// proportional to the squared distance to the nearest seed so far), every point assigned to its
// nearest seed, one M-step. `reg` keeps a component that collapses onto a plane positive definite.

import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { marchingCubes } from './marchingCubes.js';
import type { Mesh } from './mesh.js';
import { samplePoints } from './sampling.js';

export interface GaussianMixture {
  /** K x 3 means. */
  means: Float64Array;
  /** K x 9 row-major covariances. */
  covariances: Float64Array;
  /** K mixing weights, summing to 1. */
  weights: Float64Array;
}

export interface FitGaussiansOptions {
  /** Seed of the k-means++ start (default 0). */
  seed?: number;
  /** Most EM iterations (default 100). */
  iterations?: number;
  /** Stop when the mean log-likelihood per point improves by less than this (default 1e-4). */
  tolerance?: number;
  /** Added to every covariance's diagonal, in squared units of the cloud's size (default 1e-6). */
  regularization?: number;
}

export interface FitGaussiansResult extends GaussianMixture {
  /** Mean log-likelihood per point at the end. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/** A flat xyz array, checked. */
function checkPoints3(points: ArrayLike<number>, what: string): number {
  if (!points || typeof points.length !== 'number') throw new ArgumentError(`${what} must be a flat array of xyz triples (Float64Array, Float32Array or number[]).`);
  if (points.length % 3 !== 0) throw new ShapeError(`${what} has ${points.length} values, not a multiple of 3; pass flat xyz triples.`);
  assertFinite(points, what, 'remove the NaN/infinite coordinates');
  return points.length / 3;
}

/**
 * Lower Cholesky factor of a row-major SPD 3x3 `a` into `out`; false when `a` is not positive
 * definite (a pivot <= 0).
 */
export function cholesky3(a: ArrayLike<number>, out: Float64Array): boolean {
  const l00 = a[0];
  if (!(l00 > 0)) return false;
  const s00 = Math.sqrt(l00);
  const l10 = a[3] / s00,
    l20 = a[6] / s00;
  const d1 = a[4] - l10 * l10;
  if (!(d1 > 0)) return false;
  const s11 = Math.sqrt(d1);
  const l21 = (a[7] - l20 * l10) / s11;
  const d2 = a[8] - l20 * l20 - l21 * l21;
  if (!(d2 > 0)) return false;
  out.set([s00, 0, 0, l10, s11, 0, l20, l21, Math.sqrt(d2)]);
  return true;
}

/** log N(x | mu, Sigma) for every point and component, given each component's lower Cholesky factor L (Sigma = L L^T). */
function logDensities(points: ArrayLike<number>, n: number, means: Float64Array, chol: Float64Array, k: number, out: Float64Array): void {
  const LOG2PI3 = 1.5 * Math.log(2 * Math.PI);
  for (let j = 0; j < k; j++) {
    const L = chol.subarray(9 * j, 9 * j + 9);
    const logDet = Math.log(L[0]) + Math.log(L[4]) + Math.log(L[8]); // half log det Sigma
    const m0 = means[3 * j],
      m1 = means[3 * j + 1],
      m2 = means[3 * j + 2];
    const i00 = 1 / L[0],
      i11 = 1 / L[4],
      i22 = 1 / L[8];
    for (let i = 0; i < n; i++) {
      // y = L^-1 (x - mu) by forward substitution; |y|^2 is the Mahalanobis distance
      const x0 = points[3 * i] - m0,
        x1 = points[3 * i + 1] - m1,
        x2 = points[3 * i + 2] - m2;
      const y0 = x0 * i00;
      const y1 = (x1 - L[3] * y0) * i11;
      const y2 = (x2 - L[6] * y0 - L[7] * y1) * i22;
      out[i * k + j] = -0.5 * (y0 * y0 + y1 * y1 + y2 * y2) - logDet - LOG2PI3;
    }
  }
}

/** k-means++ seeds: indices of `k` points. */
function kmeansPlusPlus(points: ArrayLike<number>, n: number, k: number, rng: Random): Int32Array {
  const seeds = new Int32Array(k);
  const best = new Float64Array(n).fill(Infinity);
  seeds[0] = rng.int(n);
  for (let s = 1; s <= k; s++) {
    const c = seeds[s - 1];
    const c0 = points[3 * c],
      c1 = points[3 * c + 1],
      c2 = points[3 * c + 2];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = (points[3 * i] - c0) ** 2 + (points[3 * i + 1] - c1) ** 2 + (points[3 * i + 2] - c2) ** 2;
      if (d < best[i]) best[i] = d;
      total += best[i];
    }
    if (s === k) break;
    // draw the next seed with probability best[i] / total (uniform if all points coincide with seeds)
    let u = rng.next() * total,
      pick = n - 1;
    if (total > 0) {
      for (let i = 0; i < n; i++) {
        u -= best[i];
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.int(n);
    seeds[s] = pick;
  }
  return seeds;
}

/** M-step from responsibilities `resp` (n x k), into `mix`. */
function maximize(points: ArrayLike<number>, n: number, resp: Float64Array, k: number, reg: number, mix: GaussianMixture): void {
  const { means, covariances, weights } = mix;
  means.fill(0);
  covariances.fill(0);
  weights.fill(0);
  for (let i = 0; i < n; i++) {
    const x0 = points[3 * i],
      x1 = points[3 * i + 1],
      x2 = points[3 * i + 2];
    for (let j = 0; j < k; j++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      weights[j] += r;
      means[3 * j] += r * x0;
      means[3 * j + 1] += r * x1;
      means[3 * j + 2] += r * x2;
    }
  }
  // a component with (almost) no responsibility keeps a tiny weight; its mean goes to the cloud's
  // mean and its covariance to the regularizer, so it stays valid (EM may revive it or not)
  const floor = 10 * Number.EPSILON * n;
  for (let j = 0; j < k; j++) {
    const w = Math.max(weights[j], floor);
    for (let c = 0; c < 3; c++) means[3 * j + c] /= w;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      const d0 = points[3 * i] - means[3 * j],
        d1 = points[3 * i + 1] - means[3 * j + 1],
        d2 = points[3 * i + 2] - means[3 * j + 2];
      const C = 9 * j;
      covariances[C] += r * d0 * d0;
      covariances[C + 1] += r * d0 * d1;
      covariances[C + 2] += r * d0 * d2;
      covariances[C + 4] += r * d1 * d1;
      covariances[C + 5] += r * d1 * d2;
      covariances[C + 8] += r * d2 * d2;
    }
  }
  let total = 0;
  for (let j = 0; j < k; j++) {
    const w = Math.max(weights[j], floor);
    const C = 9 * j;
    for (const e of [0, 1, 2, 4, 5, 8]) covariances[C + e] /= w;
    covariances[C + 3] = covariances[C + 1];
    covariances[C + 6] = covariances[C + 2];
    covariances[C + 7] = covariances[C + 5];
    covariances[C] += reg;
    covariances[C + 4] += reg;
    covariances[C + 8] += reg;
    weights[j] = w;
    total += w;
  }
  for (let j = 0; j < k; j++) weights[j] /= total;
}

/**
 * A K-component Gaussian mixture fitted to 3-D points by EM from a seeded k-means++ start
 * (docs/fm.md §6). Deterministic for a seed.
 */
export function fitGaussians(points: ArrayLike<number>, K: number, options: FitGaussiansOptions = {}): FitGaussiansResult {
  const n = checkPoints3(points, 'fitGaussians: points');
  if (!Number.isInteger(K) || K < 1) throw new ArgumentError(`fitGaussians: K must be a whole number >= 1 (the number of components), got ${K}.`);
  if (n < K) throw new ArgumentError(`fitGaussians: ${n} points cannot seed ${K} components; pass at least K points (a few hundred per component is typical).`);
  const iterations = options.iterations ?? 100;
  if (!Number.isInteger(iterations) || iterations < 0) throw new ArgumentError(`fitGaussians: options.iterations must be a whole number >= 0, got ${iterations}.`);
  const tolerance = options.tolerance ?? 1e-4;
  if (!(tolerance >= 0)) throw new ArgumentError(`fitGaussians: options.tolerance must be >= 0, got ${tolerance}.`);
  const regFraction = options.regularization ?? 1e-6;
  if (!(regFraction > 0) || !Number.isFinite(regFraction)) throw new ArgumentError(`fitGaussians: options.regularization must be a positive number, got ${regFraction}.`);

  // regularize in units of the cloud's size, so the fit does not depend on the scene's units
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c], points[3 * i + c]);
      hi[c] = Math.max(hi[c], points[3 * i + c]);
    }
  }
  const size = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) || 1;
  const reg = regFraction * size * size;

  const rng = new Random(options.seed ?? 0);
  const seeds = kmeansPlusPlus(points, n, K, rng);
  const resp = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    let best = 0,
      bestD = Infinity;
    for (let j = 0; j < K; j++) {
      const s = seeds[j];
      const d = (points[3 * i] - points[3 * s]) ** 2 + (points[3 * i + 1] - points[3 * s + 1]) ** 2 + (points[3 * i + 2] - points[3 * s + 2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    resp[i * K + best] = 1;
  }
  const mix: GaussianMixture = { means: new Float64Array(3 * K), covariances: new Float64Array(9 * K), weights: new Float64Array(K) };
  maximize(points, n, resp, K, reg, mix);

  const chol = new Float64Array(9 * K);
  const logW = new Float64Array(K);
  let previous = -Infinity,
    logLikelihood = -Infinity,
    done = 0,
    converged = false;
  for (let it = 0; it <= iterations; it++) {
    for (let j = 0; j < K; j++) {
      if (!cholesky3(mix.covariances.subarray(9 * j, 9 * j + 9), chol.subarray(9 * j, 9 * j + 9))) {
        throw new ArgumentError(`fitGaussians: component ${j}'s covariance stopped being positive definite; raise options.regularization (now ${regFraction}).`);
      }
      logW[j] = Math.log(mix.weights[j]);
    }
    // E-step in the log domain (log-sum-exp per point)
    logDensities(points, n, mix.means, chol, K, resp);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let top = -Infinity;
      for (let j = 0; j < K; j++) top = Math.max(top, (resp[i * K + j] += logW[j]));
      let s = 0;
      for (let j = 0; j < K; j++) s += Math.exp(resp[i * K + j] - top);
      const lse = top + Math.log(s);
      sum += lse;
      for (let j = 0; j < K; j++) resp[i * K + j] = Math.exp(resp[i * K + j] - lse);
    }
    logLikelihood = sum / n;
    if (it === iterations) break;
    if (Math.abs(logLikelihood - previous) < tolerance) {
      converged = true;
      break;
    }
    previous = logLikelihood;
    maximize(points, n, resp, K, reg, mix);
    done = it + 1;
  }
  return { ...mix, logLikelihood, iterations: done, converged };
}

/** Fuzzy Metaballs parameters as flat arrays: K x 3 means, K x 6 precision factors, K log-weights. */
export interface MetaballParameters {
  means: Float64Array;
  /** Upper-triangular U per component, row-major upper triangle [u00, u01, u02, u11, u12, u22]; Sigma^-1 = U U^T. */
  precisions: Float64Array;
  logWeights: Float64Array;
}

/**
 * The FM parameters of a mixture (docs/fm.md §6): U = L^-T with Sigma = L L^T (so U U^T = Sigma^-1,
 * U upper triangular with a positive diagonal, the form scikit-learn calls precisions_cholesky_),
 * and log-weights log pi_k + `logWeightOffset` (the pose notebook adds log 80 to surface fits).
 */
export function metaballsFromMixture(mix: GaussianMixture, logWeightOffset = 0): MetaballParameters {
  const K = mix.weights.length;
  const precisions = new Float64Array(6 * K);
  const logWeights = new Float64Array(K);
  const L = new Float64Array(9);
  for (let j = 0; j < K; j++) {
    if (!cholesky3(mix.covariances.subarray(9 * j, 9 * j + 9), L)) throw new ArgumentError(`metaballsFromMixture: covariance ${j} is not positive definite.`);
    // inverse of the lower-triangular L, then transposed: upper-triangular U
    const a = 1 / L[0],
      d = 1 / L[4],
      f = 1 / L[8];
    const b = -L[3] * a * d; // (L^-1)[1][0]
    const e = -L[7] * d * f; // (L^-1)[2][1]
    const c = -(L[6] * a + L[7] * b) * f; // (L^-1)[2][0]
    // U = (L^-1)^T: rows [a b c; 0 d e; 0 0 f]
    precisions.set([a, b, c, d, e, f], 6 * j);
    logWeights[j] = Math.log(mix.weights[j]) + logWeightOffset;
  }
  return { means: Float64Array.from(mix.means), precisions, logWeights };
}

/** Sigma^-1 = U U^T of one component as a row-major 3x3 (U from its 6 upper-triangle numbers). */
export function precisionMatrix(u: ArrayLike<number>, offset = 0, out = new Float64Array(9)): Float64Array {
  const u00 = u[offset],
    u01 = u[offset + 1],
    u02 = u[offset + 2],
    u11 = u[offset + 3],
    u12 = u[offset + 4],
    u22 = u[offset + 5];
  // rows of U: [u00 u01 u02], [0 u11 u12], [0 0 u22]
  out[0] = u00 * u00 + u01 * u01 + u02 * u02;
  out[1] = out[3] = u01 * u11 + u02 * u12;
  out[2] = out[6] = u02 * u22;
  out[4] = u11 * u11 + u12 * u12;
  out[5] = out[7] = u12 * u22;
  out[8] = u22 * u22;
  return out;
}

/**
 * `count` points drawn from the metaballs' density rho(x) = sum_k exp(lambda_k - 1/2 |U_k^T (x - mu_k)|^2)
 * (docs/fm.md §6): component k with probability proportional to its mass exp(lambda_k) / |det U_k|,
 * then x = mu_k + U_k^-T z with z standard normal (so Cov x = (U_k U_k^T)^-1).
 */
export function sampleMetaballs(fm: MetaballParameters, count: number, seed = 0): Float64Array {
  const K = fm.logWeights.length;
  if (!Number.isInteger(count) || count < 0) throw new ArgumentError(`sampleMetaballs: count must be a whole number >= 0, got ${count}.`);
  const logMass = new Float64Array(K);
  let top = -Infinity;
  for (let j = 0; j < K; j++) {
    const u = fm.precisions.subarray(6 * j, 6 * j + 6);
    logMass[j] = fm.logWeights[j] - Math.log(Math.abs(u[0] * u[3] * u[5]));
    top = Math.max(top, logMass[j]);
  }
  const cumulative = new Float64Array(K);
  let total = 0;
  for (let j = 0; j < K; j++) cumulative[j] = total += Math.exp(logMass[j] - top);
  const rng = new Random(seed);
  const out = new Float64Array(3 * count);
  for (let i = 0; i < count; i++) {
    const u = rng.next() * total;
    let j = 0;
    while (j < K - 1 && cumulative[j] <= u) j++;
    const z0 = rng.normal(),
      z1 = rng.normal(),
      z2 = rng.normal();
    // solve U^T y = z (U^T lower triangular): forward substitution
    const U = fm.precisions.subarray(6 * j, 6 * j + 6);
    const y0 = z0 / U[0];
    const y1 = (z1 - U[1] * y0) / U[3];
    const y2 = (z2 - U[2] * y0 - U[4] * y1) / U[5];
    out[3 * i] = fm.means[3 * j] + y0;
    out[3 * i + 1] = fm.means[3 * j + 1] + y1;
    out[3 * i + 2] = fm.means[3 * j + 2] + y2;
  }
  return out;
}

/** The metaballs' density rho(x) (docs/fm.md §6) at every xyz triple of `points`. */
export function metaballDensity(fm: MetaballParameters, points: ArrayLike<number>): Float64Array {
  const K = fm.logWeights.length;
  const n = points.length / 3;
  const out = new Float64Array(n);
  for (let j = 0; j < K; j++) {
    const U = fm.precisions.subarray(6 * j, 6 * j + 6);
    const m0 = fm.means[3 * j],
      m1 = fm.means[3 * j + 1],
      m2 = fm.means[3 * j + 2],
      lw = fm.logWeights[j];
    for (let i = 0; i < n; i++) {
      const x0 = points[3 * i] - m0,
        x1 = points[3 * i + 1] - m1,
        x2 = points[3 * i + 2] - m2;
      // U^T x
      const a = U[0] * x0,
        b = U[1] * x0 + U[3] * x1,
        c = U[2] * x0 + U[4] * x1 + U[5] * x2;
      out[i] += Math.exp(lw - 0.5 * (a * a + b * b + c * c));
    }
  }
  return out;
}

export interface MetaballsOfMeshOptions {
  /** Components (default 40). */
  K?: number;
  /** Surface samples the mixture is fitted to (default 10,000). */
  samples?: number;
  /** Seed of the samples and of the k-means++ start (default 0). */
  seed?: number;
  /** Added to every log-weight (default log 80, the reference's pose notebook: the silhouette of alpha 1/2 then matches the mesh's). */
  logWeightOffset?: number;
}

/**
 * Fuzzy Metaballs of a mesh (docs/fm.md §6): a mixture fitted by EM to points sampled on its
 * surface, converted with `metaballsFromMixture`.
 */
export function metaballsOfMesh(mesh: Mesh, options: MetaballsOfMeshOptions = {}): MetaballParameters {
  const seed = options.seed ?? 0;
  const points = samplePoints(mesh, options.samples ?? 10000, { seed: seed + 1 }).positions;
  return metaballsFromMixture(fitGaussians(points, options.K ?? 40, { seed }), options.logWeightOffset ?? Math.log(80));
}

export interface MetaballMeshOptions {
  /** Density level of the surface (default ln 2: where alpha = 1 - exp(-S) is 1/2 for a ray meeting that much density, docs/fm.md §6). */
  level?: number;
  /** Grid points along the longest side of the box (default 64). */
  resolution?: number;
}

/**
 * The surface rho(x) = level of the metaballs' density (docs/fm.md §6), by marching cubes over a
 * box that holds every point where it can reach the level: outside each Gaussian's ellipsoid
 * where its own term is below level / K, the sum is below the level.
 */
export function metaballMesh(fm: MetaballParameters, options: MetaballMeshOptions = {}): Mesh {
  const level = options.level ?? Math.LN2;
  if (!(level > 0)) throw new ArgumentError(`metaballMesh: options.level must be a positive density, got ${level}.`);
  const K = fm.logWeights.length;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  const S = new Float64Array(9);
  for (let k = 0; k < K; k++) {
    const r2 = 2 * (fm.logWeights[k] - Math.log(level / K));
    if (!(r2 > 0)) continue;
    // half-widths of the ellipsoid (x - mu)^T Sigma^-1 (x - mu) <= r2: r sqrt(Sigma_ii)
    const sigma = covarianceOf(fm.precisions, 6 * k, S);
    for (let i = 0; i < 3; i++) {
      const h = Math.sqrt(r2 * sigma[4 * i]);
      lo[i] = Math.min(lo[i], fm.means[3 * k + i] - h);
      hi[i] = Math.max(hi[i], fm.means[3 * k + i] + h);
    }
  }
  if (!(lo[0] < hi[0])) return { positions: new Float64Array(0), faces: new Uint32Array(0) };
  const longest = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  const n = options.resolution ?? 64;
  // a cell of margin, so the surface closes inside the box
  const pad = (2 * longest) / n;
  const min = [lo[0] - pad, lo[1] - pad, lo[2] - pad] as [number, number, number],
    max = [hi[0] + pad, hi[1] + pad, hi[2] + pad] as [number, number, number];
  const size = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const resolution = [0, 1, 2].map((i) => Math.max(2, Math.round((n * (max[i] - min[i])) / size))) as [number, number, number];
  return marchingCubes((points) => metaballDensity(fm, points), { bounds: { min, max }, resolution, level, inside: 'above' });
}

/** Sigma = (U U^T)^-1 of one component, row-major 3x3. */
function covarianceOf(u: ArrayLike<number>, offset: number, out: Float64Array): Float64Array {
  // U^-1 = [a b c; 0 d e; 0 0 f], Sigma = U^-T U^-1
  const a = 1 / u[offset],
    d = 1 / u[offset + 3],
    f = 1 / u[offset + 5];
  const b = -u[offset + 1] * a * d,
    e = -u[offset + 4] * d * f;
  const c = -(u[offset + 2] * a * f + b * u[offset + 4] * f);
  const cols = [
    [a, 0, 0],
    [b, d, 0],
    [c, e, f],
  ];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = cols[i][0] * cols[j][0] + cols[i][1] * cols[j][1] + cols[i][2] * cols[j][2];
  return out;
}

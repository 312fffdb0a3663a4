// Seeded test clouds for the regularizer specs: planes, noisy planes, clumps.

import { tensor } from '../../../lib/create.js';
import { Random } from '../../../lib/random.js';
import type { Tensor } from '../../../lib/tensor.js';

/** A side x side jittered grid of spacing h in the z = 0 plane, centred, plus Gaussian z noise. */
export function noisyPlane(side: number, h: number, noise: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const p = new Float64Array(3 * side * side);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const o = 3 * (j * side + i);
      p[o] = h * (i - (side - 1) / 2 + 0.3 * rng.uniform(-1, 1));
      p[o + 1] = h * (j - (side - 1) / 2 + 0.3 * rng.uniform(-1, 1));
      p[o + 2] = noise * rng.normal();
    }
  }
  return removeBestFitPlane(p);
}

/**
 * Subtracts the least-squares plane z = a x + b y + c from the z values, so z = 0 is the plane the
 * points fit: a local loss that keeps the centroid and the mean orientation cannot find another one.
 */
function removeBestFitPlane(p: Float64Array): Float64Array {
  const n = p.length / 3;
  // normal equations of [x y 1] [a b c]^T = z
  const A = [0, 0, 0, 0, 0, 0, 0, 0, 0],
    r = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const row = [p[3 * i], p[3 * i + 1], 1];
    for (let a = 0; a < 3; a++) {
      r[a] += row[a] * p[3 * i + 2];
      for (let b = 0; b < 3; b++) A[3 * a + b] += row[a] * row[b];
    }
  }
  const det = (m: number[]) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const D = det(A);
  const coef = [0, 1, 2].map((c) => det(A.map((v, k) => (k % 3 === c ? r[Math.floor(k / 3)] : v))) / D); // Cramer's rule
  for (let i = 0; i < n; i++) p[3 * i + 2] -= coef[0] * p[3 * i] + coef[1] * p[3 * i + 1] + coef[2];
  return p;
}

/** n points from an anisotropic Gaussian (std sx, sy, sz): well-separated PCA eigenvalues. */
export function anisotropic(n: number, [sx, sy, sz]: [number, number, number], seed: number): Float64Array {
  const rng = new Random(seed);
  const p = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    p[3 * i] = sx * rng.normal();
    p[3 * i + 1] = sy * rng.normal();
    p[3 * i + 2] = sz * rng.normal();
  }
  return p;
}

/** Unit normals near +z, tilted by up to `tilt` (seeded). */
export function nearlyUp(n: number, tilt: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const x = tilt * rng.uniform(-1, 1),
      y = tilt * rng.uniform(-1, 1),
      l = Math.hypot(x, y, 1);
    out[3 * i] = x / l;
    out[3 * i + 1] = y / l;
    out[3 * i + 2] = 1 / l;
  }
  return out;
}

export function leaf(values: Float64Array, name?: string, requiresGrad = true): Tensor {
  return tensor(values, { shape: [values.length / 3, 3], requiresGrad, name });
}

/** Distance from each point to its nearest other point (brute force). */
export function nearestSpacing(p: ArrayLike<number>): number[] {
  const n = p.length / 3;
  return Array.from({ length: n }, (_, i) => {
    let best = Infinity;
    for (let k = 0; k < n; k++) if (k !== i) best = Math.min(best, Math.hypot(p[3 * i] - p[3 * k], p[3 * i + 1] - p[3 * k + 1], p[3 * i + 2] - p[3 * k + 2]));
    return best;
  });
}

/** Coefficient of variation (std / mean). */
export function variation(d: number[]): number {
  const m = d.reduce((s, v) => s + v, 0) / d.length;
  return Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length) / m;
}

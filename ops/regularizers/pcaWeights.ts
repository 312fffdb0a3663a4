// The weights of the weighted PCA (docs/dss.md §4, eq. 15-16), one per
// neighbour-list entry (i, k):
//   psi_ik   = exp(-|p_i - p_k|^2 / D^2)                          (15a) spatial
//   theta_ik = exp(-(1 - n_k.n_i)^2 / max(1e-5, 1 - cos Theta))   (15b) normal similarity, Theta = pi/3
//   phi_ik   = 1 / (o_k + 1)                                      (15c) visibility, o_k = views occluding p_k
//   w_ik     = u_ik / sum_k u_ik,  u_ik = psi theta phi           (16)
// Differentiable in the positions (through psi) and the normals (through theta); the occlusion
// counts are data. Backward: with g the gradient of w and S_i = sum_k u_ik,
//   dL/du_ik = (g_ik - sum_k' g_ik' w_ik') / S_i,
//   dpsi/dp_i = -2 psi (p_i - p_k) / D^2 (= -dpsi/dp_k),  dtheta/d(n_i.n_k) = 2 theta (1 - n_i.n_k) / sigma.

import { customOp } from '../../lib/customOp.js';
import { type FloatArray, allocate } from '../../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { defineKernel } from '../../parallel/kernels.js';
import { scratchShared } from '../../parallel/scratch.js';
import { float64 } from '../../lib/sharedMemory.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { type NeighborLists, checkNeighbors } from './neighborhood.js';
import { CHUNKS, chunkRange } from './pointChunks.js';

export interface PcaWeightOptions {
  /** o_k of eq. 15c per point (e.g. summed by countOccluded over a step's views); omitted: all 0. */
  occlusion?: ArrayLike<number>;
  /** Theta of eq. 15b in radians (default pi/3). */
  normalAngle?: number;
  /** Threads (default: every core; the same result for any count). */
  threads?: number;
}

export interface PcaWeightArgs {
  P: FloatArray;
  /** The points' normals (eq. 15b), or null to leave that term out. */
  N: FloatArray | null;
  phi: Float64Array;
  offsets: Int32Array;
  indices: Int32Array;
  invD2: number;
  invSigma: number;
  /** Written: u_ik per entry, S_i = sum_k u_ik per point, w_ik per entry. */
  u: Float64Array;
  sums: Float64Array;
  w: FloatArray;
}

/**
 * Range c of points: their rows of u and w, independent of each other. (The backward scatters
 * each row to its neighbours and stays on the calling thread: split into ranges it needs a
 * partial buffer per range, and zero-filling and summing those made one thread 2-5 ms slower.)
 */
export const pcaWeightRanges = defineKernel<PcaWeightArgs>('regularizer.pcaWeights', import.meta.url, (a, c) => {
  const { P, N, phi, offsets, indices, invD2, invSigma, u, sums, w } = a;
  const [i0, i1] = chunkRange(offsets.length - 1, c);
  for (let i = i0; i < i1; i++) {
    const px = P[3 * i],
      py = P[3 * i + 1],
      pz = P[3 * i + 2];
    let s = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const k = indices[e];
      const dx = px - P[3 * k],
        dy = py - P[3 * k + 1],
        dz = pz - P[3 * k + 2];
      let v = Math.exp(-(dx * dx + dy * dy + dz * dz) * invD2) * phi[k]; // psi phi
      if (N) {
        const d = 1 - (N[3 * i] * N[3 * k] + N[3 * i + 1] * N[3 * k + 1] + N[3 * i + 2] * N[3 * k + 2]);
        v *= Math.exp(-d * d * invSigma); // theta
      }
      u[e] = v;
      s += v;
    }
    sums[i] = s;
    if (s > 0) for (let e = offsets[i]; e < offsets[i + 1]; e++) w[e] = u[e] / s; // an empty or all-zero row keeps w = 0
  }
});

const pcaWeightsOp = customOp({
  name: 'pcaWeights',
  forward(ctx, positions: Tensor, normals: Tensor | null, phi: Float64Array, neighbors: NeighborLists, radius: number, sigma: number, threads: number) {
    const on = threads > 1;
    const n = neighbors.offsets.length - 1,
      entries = neighbors.indices.length;
    const u = float64(entries, on),
      sums = float64(n, on);
    const out = new Tensor(allocate(ctx.dtype, entries, on), [entries]);
    const invD2 = 1 / (radius * radius),
      invSigma = 1 / sigma;
    runTasks(
      pcaWeightRanges,
      {
        P: scratchShared('pcaWeights.P', positions.data, on),
        N: normals ? scratchShared('pcaWeights.N', normals.data, on) : null,
        phi: scratchShared('pcaWeights.phi', phi, on),
        offsets: scratchShared('pcaWeights.offsets', neighbors.offsets, on),
        indices: scratchShared('pcaWeights.indices', neighbors.indices, on),
        invD2,
        invSigma,
        u,
        sums,
        w: out.data,
      },
      CHUNKS,
      threads,
    );
    ctx.save(positions, normals, neighbors, invD2, invSigma, u, sums, out.data);
    return out;
  },
  backward(ctx, g) {
    const [positions, normals, neighbors, invD2, invSigma, u, sums, w] = ctx.saved as [Tensor, Tensor | null, NeighborLists, number, number, Float64Array, Float64Array, ArrayLike<number>];
    const G = g!;
    const P = positions.data,
      N = normals ? normals.data : null;
    const { offsets, indices } = neighbors;
    const n = offsets.length - 1;
    const gP = ctx.zeros(P.length);
    const gN = N ? ctx.zeros(N.length) : null;
    for (let i = 0; i < n; i++) {
      const S = sums[i];
      if (!(S > 0)) continue;
      let gw = 0;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) gw += G[e] * w[e];
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const gu = ((G[e] - gw) / S) * u[e]; // dL/du times u: dL/dlog(psi), dL/dlog(theta)
        if (gu === 0) continue;
        const k = indices[e];
        const dx = P[3 * i] - P[3 * k],
          dy = P[3 * i + 1] - P[3 * k + 1],
          dz = P[3 * i + 2] - P[3 * k + 2];
        const f = -2 * gu * invD2; // d log psi / d p_i = -2 d / D^2
        gP[3 * i] += f * dx;
        gP[3 * i + 1] += f * dy;
        gP[3 * i + 2] += f * dz;
        gP[3 * k] -= f * dx;
        gP[3 * k + 1] -= f * dy;
        gP[3 * k + 2] -= f * dz;
        if (N && gN) {
          const c = 1 - (N[3 * i] * N[3 * k] + N[3 * i + 1] * N[3 * k + 1] + N[3 * i + 2] * N[3 * k + 2]);
          const h = 2 * gu * c * invSigma; // d log theta / d(n_i.n_k) = 2 (1 - n_i.n_k) / sigma
          for (let a = 0; a < 3; a++) {
            gN[3 * i + a] += h * N[3 * k + a];
            gN[3 * k + a] += h * N[3 * i + a];
          }
        }
      }
    }
    return normals ? [gP, gN] : [gP];
  },
});

/** Checks [N, 3] positions (and normals, when given) for the regularizer ops; returns N. */
export function checkPoints(positions: Tensor, normals: Tensor | null, caller: string): number {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) {
    throw new ShapeError(`${caller}: positions must be an N x 3 tensor, got ${positions instanceof Tensor ? `[${positions.shape}]` : typeof positions}.`);
  }
  const n = positions.shape[0];
  if (n === 0) throw new ArgumentError(`${caller}: positions is empty; pass at least one point.`);
  assertFinite(positions.data, `${caller}: positions`, 'remove or fix the NaN/infinite coordinates');
  if (normals !== null) {
    if (!(normals instanceof Tensor) || normals.size !== 3 * n) {
      throw new ShapeError(`${caller}: normals must be an N x 3 tensor matching positions (${n} x 3), got ${normals instanceof Tensor ? `[${normals.shape}]` : typeof normals}.`);
    }
    assertFinite(normals.data, `${caller}: normals`, 'fix the NaN/infinite normals');
    for (let i = 0; i < n; i++) {
      const x = normals.data[3 * i],
        y = normals.data[3 * i + 1],
        z = normals.data[3 * i + 2];
      if (x * x + y * y + z * z < 1e-24) throw new ArgumentError(`${caller}: normal ${i} has zero length; give every point a unit normal (or estimate one with weightedPca).`);
    }
  }
  return n;
}

/** The visibility weights phi_k = 1 / (o_k + 1) of eq. 15c, checked. */
export function visibilityWeights(occlusion: ArrayLike<number> | undefined, n: number, caller: string): Float64Array {
  const phi = new Float64Array(n).fill(1);
  if (occlusion === undefined) return phi;
  if (occlusion.length !== n) throw new ShapeError(`${caller}: options.occlusion must hold one count per point (${n}), got ${occlusion.length}.`);
  for (let k = 0; k < n; k++) {
    const o = occlusion[k];
    if (!(o >= 0) || !Number.isFinite(o)) throw new ArgumentError(`${caller}: options.occlusion[${k}] = ${o}; occlusion counts o_k must be finite and >= 0 (count them with countOccluded).`);
    phi[k] = 1 / (o + 1);
  }
  return phi;
}

/**
 * The normalized weights w_ik of eq. 15-16, one per entry of `neighbors` (shape [E]), for
 * positions [N, 3], unit normals [N, 3] (null: no normal-similarity term) and the spatial scale
 * D = `radius`. Rows without neighbours get no weights.
 */
export function pcaWeights(positions: Tensor, normals: Tensor | null, neighbors: NeighborLists, radius: number, options: PcaWeightOptions = {}): Tensor {
  const n = checkPoints(positions, normals, 'pcaWeights');
  checkNeighbors(neighbors, n, 'pcaWeights');
  if (!(radius > 0) || !Number.isFinite(radius)) throw new ArgumentError(`pcaWeights: radius must be a positive number (the D of eq. 15a), got ${radius}.`);
  const angle = options.normalAngle ?? Math.PI / 3;
  if (!(angle > 0 && angle <= Math.PI)) throw new ArgumentError(`pcaWeights: options.normalAngle must be in (0, pi] radians (Theta of eq. 15b), got ${angle}.`);
  const sigma = Math.max(1e-5, 1 - Math.cos(angle));
  const phi = visibilityWeights(options.occlusion, n, 'pcaWeights');
  return pcaWeightsOp(positions, normals, phi, neighbors, radius, sigma, resolveThreads(options.threads, 'pcaWeights: options.threads'));
}

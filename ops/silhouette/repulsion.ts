// The structure-aware repulsion (docs/drwr.md §4, eq. 5), summed over the points of each view:
//   E = sum_j a_j sum_{j' != j} w_j' k(|p_j - p_j'|),   a_j = w_j e^(delta_j)
//   k(d) = e^(-d^2 / sigma^2) - e^(-c^2) for d < c sigma, else 0                     (eq. 9)
// p: the points' pixel positions, w: the mask sampled there (a point off the object repels and is
// repelled by nothing), delta: the boundary bias sampled there. The kernel is the reference code's
// Gaussian of the squared distance, lowered by its value at the cutoff c sigma (c = 3: 1.2e-4 of
// its peak) so it reaches 0 there continuously and the sum can be binned (pixelBins.ts).
// Backward (eq. 10), with S_w(j) = sum_j' w_j' k_jj', S_a(j) = sum_j' a_j' k_jj':
//   dE/dp_j = -2 / sigma^2 sum_j' (a_j w_j' + a_j' w_j) e^(-d_jj'^2 / sigma^2) (p_j - p_j')
//   dE/dw_j = e^(delta_j) S_w(j) + S_a(j),   dE/ddelta_j = a_j S_w(j)
// Each point gathers its own sums (no scatter), in the forward when a backward will follow, so the
// backward is one O(N) pass. Several views go in one call, one job over the thread pool for all of
// them (kernels.ts). The textbook twin is repulsionReference.ts (every pair, tape ops).

import { customOp } from '../../lib/customOp.js';
import type { FloatArray } from '../../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { scratch, scratchUnset } from '../../parallel/scratch.js';
import { resolveThreads } from '../../parallel/threads.js';
import { runTasks } from '../../parallel/workerPool.js';
import { CELLS_PER_CUTOFF, GRID_FIELDS, REPULSION_CHUNKS, type RepulsionRangeArgs, repulsionRanges } from './kernels.js';
import { binPixels } from './pixelBins.js';

/** c: the kernel is cut off at c sigma (the paper's Gaussian is below 1.2e-4 of its peak there). */
export const REPULSION_CUTOFF = 3;

/** Below this many points in all one thread does the work (a job's hand-off costs more). */
const PARALLEL_POINTS = 1024;

export interface StructureRepulsionOptions {
  /** The kernel's range sigma, in pixels. */
  sigma: number;
  /** Cut-off in sigmas (default 3). */
  cutoff?: number;
  /** Threads (default: every core); the result is the same for any count. */
  threads?: number;
}

/** One view's inputs to structureAwareRepulsionViews. */
export interface RepulsionView {
  pixels: Tensor;
  weights: Tensor;
  bias: Tensor;
  /** sigma of this view, in pixels. */
  sigma: number;
}

interface Saved {
  pointOffset: Int32Array;
  w: FloatArray;
  expBias: Float64Array;
  sumW: Float64Array;
  sumA: Float64Array;
  gx: Float64Array;
  gy: Float64Array;
  sigmas: readonly number[];
}

const repulsionOp = customOp({
  name: 'structureAwareRepulsion',
  forward(ctx, pixels: Tensor[], weights: Tensor[], bias: Tensor[], sigmas: readonly number[], cutoff: number, threads: number) {
    const views = pixels.length;
    const total = weights.reduce((n, t) => n + t.size, 0);
    const useThreads = total >= PARALLEL_POINTS ? threads : 1;
    const shared = useThreads > 1;
    // the job's arrays are reused temporaries (a fresh SharedArrayBuffer per call costs more than the copies out below)
    const pointOffset = scratchUnset(Int32Array, 'drwr.pointOffset', views + 1, shared);
    pointOffset[0] = 0;
    for (let v = 0; v < views; v++) pointOffset[v + 1] = pointOffset[v] + weights[v].size;
    const gradients = ctx.recording;
    // the views' inputs side by side, and each view's bins
    const P = scratch(Float64Array, 'drwr.P', 2 * total, shared);
    const w = scratch(Float64Array, 'drwr.w', total, shared);
    const a = scratch(Float64Array, 'drwr.a', total, shared);
    const expBias = new Float64Array(total);
    const grids = scratchUnset(Float64Array, 'drwr.grids', views * GRID_FIELDS, shared);
    const bins = [];
    let cellCount = 0,
      binned = 0;
    for (let v = 0; v < views; v++) {
      const o = pointOffset[v];
      P.set(pixels[v].data, 2 * o);
      w.set(weights[v].data, o);
      for (let j = o; j < pointOffset[v + 1]; j++) {
        expBias[j] = Math.exp(bias[v].data[j - o]);
        a[j] = w[j] * expBias[j];
      }
      const b = binPixels(pixels[v].data, weights[v].data, (cutoff * sigmas[v]) / CELLS_PER_CUTOFF, false);
      grids.set([b.x0, b.y0, b.cell, b.nx, b.ny, 1 / (sigmas[v] * sigmas[v]), cutoff * cutoff * sigmas[v] * sigmas[v], Math.exp(-cutoff * cutoff)], v * GRID_FIELDS);
      bins.push(b);
      cellCount += b.start.length;
      binned += b.order.length;
    }
    const cellOffset = scratchUnset(Int32Array, 'drwr.cellOffset', views + 1, shared);
    const start = scratchUnset(Int32Array, 'drwr.start', cellCount, shared);
    const order = scratchUnset(Int32Array, 'drwr.order', binned, shared);
    const SX = scratchUnset(Float64Array, 'drwr.SX', binned, shared),
      SY = scratchUnset(Float64Array, 'drwr.SY', binned, shared),
      SW = scratchUnset(Float64Array, 'drwr.SW', binned, shared),
      SA = scratchUnset(Float64Array, 'drwr.SA', binned, shared);
    const queries = scratchUnset(Int32Array, 'drwr.queries', total, shared);
    cellCount = binned = 0;
    bins.forEach((b, v) => {
      cellOffset[v] = cellCount;
      for (let c = 0; c < b.start.length; c++) start[cellCount + c] = b.start[c] + binned; // into the shared lists
      order.set(b.order, binned);
      const o = pointOffset[v];
      for (let e = 0; e < b.order.length; e++) {
        const k = o + b.order[e];
        SX[binned + e] = P[2 * k];
        SY[binned + e] = P[2 * k + 1];
        SW[binned + e] = w[k];
        SA[binned + e] = a[k];
      }
      queries.set(b.queries, o);
      cellCount += b.start.length;
      binned += b.order.length;
    });
    cellOffset[views] = cellCount;
    // every task writes all its points' sums, so nothing needs clearing
    const sumW = scratchUnset(Float64Array, 'drwr.sumW', total, shared);
    const sumA = gradients ? scratchUnset(Float64Array, 'drwr.sumA', total, shared) : sumW;
    const gx = gradients ? scratchUnset(Float64Array, 'drwr.gx', total, shared) : sumW;
    const gy = gradients ? scratchUnset(Float64Array, 'drwr.gy', total, shared) : sumW;
    const totals = scratch(Float64Array, 'drwr.totals', views * REPULSION_CHUNKS, shared);
    const args: RepulsionRangeArgs = { pointOffset, P, w, a, grids, cellOffset, start, order, SX, SY, SW, SA, queries, gradients, totals, sumW, sumA, gx, gy };
    runTasks(repulsionRanges, args, views * REPULSION_CHUNKS, useThreads);
    let energy = 0;
    for (let t = 0; t < views * REPULSION_CHUNKS; t++) energy += totals[t];
    const out = ctx.output([]);
    out.data[0] = energy;
    if (gradients) {
      // what the backward reads, copied out of the temporaries
      ctx.save({
        pointOffset: Int32Array.from(pointOffset),
        w: Float64Array.from(w),
        expBias,
        sumW: Float64Array.from(sumW),
        sumA: Float64Array.from(sumA),
        gx: Float64Array.from(gx),
        gy: Float64Array.from(gy),
        sigmas,
      } satisfies Saved);
    }
    return out;
  },
  backward(ctx, g) {
    const [s] = ctx.saved as [Saved];
    const views = s.sigmas.length;
    const scale = g![0];
    // one gradient per tensor argument, in order: every view's pixels, then weights, then biases
    const grads: (FloatArray | null)[] = [];
    const need = ctx.needsInputGrad;
    for (let v = 0; v < views; v++) {
      const o = s.pointOffset[v],
        n = s.pointOffset[v + 1] - o;
      const gP = need[v] ? ctx.zeros(2 * n) : null;
      if (gP) {
        const f = (-2 * scale) / (s.sigmas[v] * s.sigmas[v]);
        for (let j = 0; j < n; j++) {
          gP[2 * j] = f * s.gx[o + j];
          gP[2 * j + 1] = f * s.gy[o + j];
        }
      }
      grads.push(gP);
    }
    for (let v = 0; v < views; v++) {
      const o = s.pointOffset[v],
        n = s.pointOffset[v + 1] - o;
      const gW = need[views + v] ? ctx.zeros(n) : null;
      if (gW) for (let j = 0; j < n; j++) gW[j] = scale * (s.expBias[o + j] * s.sumW[o + j] + s.sumA[o + j]);
      grads.push(gW);
    }
    for (let v = 0; v < views; v++) {
      const o = s.pointOffset[v],
        n = s.pointOffset[v + 1] - o;
      const gB = need[2 * views + v] ? ctx.zeros(n) : null;
      if (gB) for (let j = 0; j < n; j++) gB[j] = scale * s.w[o + j] * s.expBias[o + j] * s.sumW[o + j];
      grads.push(gB);
    }
    return grads;
  },
});

/** Checks one view's arguments; returns its point count. Shared with the twin. */
export function checkRepulsionInputs(pixels: Tensor, weights: Tensor, bias: Tensor, sigma: number, cutoff: number, caller: string): number {
  if (!(pixels instanceof Tensor) || pixels.ndim !== 2 || pixels.shape[1] !== 2) throw new ShapeError(`${caller}: pixels must be a tensor [N, 2] of (x, y) positions.`);
  const n = pixels.shape[0];
  for (const [t, what] of [
    [weights, 'weights'],
    [bias, 'bias'],
  ] as const) {
    if (!(t instanceof Tensor) || t.ndim !== 1 || t.size !== n) {
      throw new ShapeError(`${caller}: ${what} must be a tensor [N] with one value per pixel position (${n}), got ${t instanceof Tensor ? `[${t.shape}]` : typeof t}.`);
    }
    assertFinite(t.data, `${caller}: ${what}`);
  }
  assertFinite(pixels.data, `${caller}: pixels`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ArgumentError(`${caller}: sigma must be a positive number of pixels (the kernel's range), got ${sigma}.`);
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) throw new ArgumentError(`${caller}: options.cutoff must be a positive number of sigmas, got ${cutoff}.`);
  return n;
}

/**
 * eq. 5 summed over the points of one view: `pixels` [N, 2] their projections, `weights` [N] the
 * mask sampled there (w), `bias` [N] the boundary bias sampled there (delta). Differentiable in all
 * three. Binned (O(N) at a fixed density) and split over threads by point ranges.
 */
export function structureAwareRepulsion(pixels: Tensor, weights: Tensor, bias: Tensor, options: StructureRepulsionOptions): Tensor {
  return structureAwareRepulsionViews([{ pixels, weights, bias, sigma: options?.sigma }], options);
}

/** The sum over views of eq. 5 (each view with its own points and sigma), in one call: one job for all views. */
export function structureAwareRepulsionViews(views: readonly RepulsionView[], options: Omit<StructureRepulsionOptions, 'sigma'> = {}): Tensor {
  if (!Array.isArray(views) || views.length === 0) throw new ArgumentError('structureAwareRepulsion: views must be a non-empty array of { pixels, weights, bias, sigma }.');
  const cutoff = options.cutoff ?? REPULSION_CUTOFF;
  views.forEach((v, i) => checkRepulsionInputs(v.pixels, v.weights, v.bias, v.sigma, cutoff, views.length > 1 ? `structureAwareRepulsion: views[${i}]` : 'structureAwareRepulsion'));
  const threads = resolveThreads(options.threads, 'structureAwareRepulsion: options.threads');
  return repulsionOp(
    views.map((v) => v.pixels),
    views.map((v) => v.weights),
    views.map((v) => v.bias),
    views.map((v) => v.sigma),
    cutoff,
    threads,
  );
}

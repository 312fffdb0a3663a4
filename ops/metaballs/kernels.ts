// The renderer cut into tasks for the thread pool (parallel/workerPool.ts): bands of image rows.
// A band's forward writes only its own pixels and cache slots; its backward adds into its own
// partial sums, which the calling thread reduces in band order. The bands do not depend on the
// thread count, so images and gradients are bit-identical for any count
// (spec/ops/metaballs/threads.spec.ts).

import { defineKernel } from '../../parallel/kernels.js';
import { SUM_STRIDE } from './cameraSpace.js';
import { type BlendConstants, type PairCache, type RowGradients, type RowImages, backwardRow, forwardRow, rowScratch } from './blendRows.js';

/** Rows per task. */
export const BAND_ROWS = 4;

export function bandCount(height: number): number {
  return Math.ceil(height / BAND_ROWS);
}

export interface ForwardBandArgs {
  constants: BlendConstants;
  gaussians: Float64Array;
  spans: Int32Array;
  xs: Float64Array;
  cache: PairCache;
  out: RowImages;
  /** Pairs with d >= -C, per band. */
  pairs: Float64Array;
}

/** Task b: rows of band b, forward (docs/fm.md §2-4). */
export const forwardBands = defineKernel<ForwardBandArgs>('metaballs.forwardBands', import.meta.url, (a, b) => {
  const { constants: c } = a;
  const scratch = rowScratch(c.width, c.K);
  let pairs = 0;
  for (let j = b * BAND_ROWS, end = Math.min(c.height, (b + 1) * BAND_ROWS); j < end; j++) {
    pairs += forwardRow(j, c, a.gaussians, a.spans, a.xs, a.cache, a.out, scratch);
  }
  a.pairs[b] = pairs;
});

export interface BackwardBandArgs {
  constants: BlendConstants;
  gaussians: Float64Array;
  xs: Float64Array;
  cache: PairCache;
  aux: Float64Array;
  grads: RowGradients;
  /** bands x K x SUM_STRIDE partial sums (zero-filled). */
  partial: Float64Array;
}

/** Task b: rows of band b, backward into band b's partial sums (docs/fm.md §5). */
export const backwardBands = defineKernel<BackwardBandArgs>('metaballs.backwardBands', import.meta.url, (a, b) => {
  const { constants: c } = a;
  const stride = c.K * SUM_STRIDE;
  const sums = a.partial.subarray(b * stride, (b + 1) * stride);
  const coeff = new Float64Array(8 * c.K);
  for (let j = b * BAND_ROWS, end = Math.min(c.height, (b + 1) * BAND_ROWS); j < end; j++) {
    backwardRow(j, c, a.gaussians, a.xs, a.cache, a.aux, a.grads, sums, coeff);
  }
});

// The linear layer and the large matmul cut into tasks for the thread pool. A task owns what it
// writes: a block of BLOCK_ROWS output rows (forward, input gradient), or one tile of the weight
// gradient, whose reduction over the batch rows it does whole (gemm.ts: fixed row chunks, summed in
// order). Block and tile sizes come from the shapes alone, so every value is computed by the same
// loop in the same order on any thread count: the results are the same bits.

import type { FloatArray } from '../../lib/dtype.js';
import { defineKernel } from '../../parallel/kernels.js';
import { NONE, activationGrad, biasActivate } from './activation.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';

/** Output rows per task (a multiple of 4, the register tile's height). */
export const BLOCK_ROWS = 64;
/** Weight-gradient tile: rows (output features) x columns (input features). */
export const TILE_ROWS = 16,
  TILE_COLS = 32;

export const rowBlocks = (rows: number): number => Math.ceil(rows / BLOCK_ROWS);
export const tileCount = (m: number, n: number): number => Math.ceil(m / TILE_ROWS) * Math.ceil(n / TILE_COLS);

export interface LinearForwardArgs {
  X: FloatArray;
  W: FloatArray;
  bias: FloatArray | null;
  Y: FloatArray;
  rows: number;
  inFeatures: number;
  outFeatures: number;
  activation: number;
}

/** Rows of Y = act(X W^T + b). */
export const linearForwardRows = defineKernel<LinearForwardArgs>('linear.forward', import.meta.url, (a, task) => {
  const i0 = task * BLOCK_ROWS,
    i1 = Math.min(a.rows, i0 + BLOCK_ROWS);
  gemmNT(a.X, a.W, a.Y, a.outFeatures, a.inFeatures, i0, i1);
  if (a.bias || a.activation !== NONE) biasActivate(a.Y, a.bias, a.outFeatures, i0, i1, a.activation);
});

export interface LinearInputGradArgs {
  dY: FloatArray;
  Y: FloatArray;
  /** Written: dY * act'(z) (the same array as dY when there is no activation). */
  dZ: FloatArray;
  W: FloatArray;
  /** Written unless null: dZ W. */
  dX: FloatArray | null;
  rows: number;
  inFeatures: number;
  outFeatures: number;
  activation: number;
}

/** Rows of dZ = dY * act'(z) and of dX = dZ W. */
export const linearInputGradRows = defineKernel<LinearInputGradArgs>('linear.inputGrad', import.meta.url, (a, task) => {
  const i0 = task * BLOCK_ROWS,
    i1 = Math.min(a.rows, i0 + BLOCK_ROWS);
  if (a.activation !== NONE) activationGrad(a.dZ, a.dY, a.Y, i0 * a.outFeatures, i1 * a.outFeatures, a.activation);
  if (a.dX) gemmNN(a.dZ, a.W, a.dX, a.inFeatures, a.outFeatures, i0, i1);
});

export interface GemmRowsArgs {
  /** 'nn': C = A B; 'nt': C = A B^T. */
  layout: 'nn' | 'nt';
  A: FloatArray;
  B: FloatArray;
  C: FloatArray;
  rows: number;
  /** Columns of C and the shared inner dimension. */
  n: number;
  k: number;
}

/** Rows of C = A B or A B^T. */
export const gemmRows = defineKernel<GemmRowsArgs>('gemm.rows', import.meta.url, (a, task) => {
  const i0 = task * BLOCK_ROWS,
    i1 = Math.min(a.rows, i0 + BLOCK_ROWS);
  if (a.layout === 'nn') gemmNN(a.A, a.B, a.C, a.n, a.k, i0, i1);
  else gemmNT(a.A, a.B, a.C, a.n, a.k, i0, i1);
});

export interface GemmTilesArgs {
  /** A [r, m], B [r, n]; C [m, n] = A^T B. */
  A: FloatArray;
  B: FloatArray;
  C: FloatArray;
  r: number;
  m: number;
  n: number;
  /** Written unless null: the column sums of A (a bias gradient). */
  columnSums: FloatArray | null;
}

/** One tile of C = A^T B. */
export const gemmTiles = defineKernel<GemmTilesArgs>('gemm.tiles', import.meta.url, (a, task) => {
  const across = Math.ceil(a.n / TILE_COLS);
  const i0 = Math.floor(task / across) * TILE_ROWS,
    j0 = (task % across) * TILE_COLS;
  gemmTN(a.A, a.B, a.C, a.r, a.m, a.n, i0, Math.min(a.m, i0 + TILE_ROWS), j0, Math.min(a.n, j0 + TILE_COLS), a.columnSums);
});

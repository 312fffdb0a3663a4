// Blocked matrix products over flat row-major arrays, the loops behind the fused linear op and the
// large-matrix path of matmul (docs/toolbox.md §2). Three layouts cover a layer's forward and both
// halves of its backward:
//   gemmNT: C = A B^T   (forward  y = x W^T, W stored [out, in] as PyTorch does)
//   gemmNN: C = A B     (input gradient dX = dZ W)
//   gemmTN: C = A^T B   (weight gradient dW = dZ^T X, a reduction over the batch rows)
// Each output element is summed in float64, p ascending, by one 4 x 4 register tile (16
// accumulators, 8 loads per 16 multiply-adds: measured ~4 GFLOPS a core in V8, against ~1.3 for
// the plain triple loop) or by the scalar loop at the edges, which sums in the same order, so a
// value never depends on which of the two computed it. gemmTN sums the rows in fixed chunks of
// ROW_CHUNK (the chunk's sum is added to the element's running sum), so its operands stay in cache.

import type { FloatArray } from '../../lib/dtype.js';

/** Rows of the reduction gemmTN adds per pass over its tile (a chunk of A and of B stay in L2). */
export const ROW_CHUNK = 256;

/**
 * Rows i0..i1-1 of C [m, n] = A [m, k] B^T, B [n, k]: C[i, j] = sum_p A[i, p] B[j, p].
 * i0 and the tile structure are relative to i0, so callers split rows at multiples of 4.
 */
export function gemmNT(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, i0: number, i1: number): void {
  const i4 = i0 + ((i1 - i0) & ~3),
    n4 = n & ~3;
  for (let i = i0; i < i4; i += 4) {
    const a0 = i * k,
      a1 = a0 + k,
      a2 = a1 + k,
      a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k,
        b1 = b0 + k,
        b2 = b1 + k,
        b3 = b2 + k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p],
          x2 = A[a2 + p],
          x3 = A[a3 + p];
        const y0 = B[b0 + p],
          y1 = B[b1 + p],
          y2 = B[b2 + p],
          y3 = B[b3 + p];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = i * n + j;
      C[o] = c00;
      C[o + 1] = c01;
      C[o + 2] = c02;
      C[o + 3] = c03;
      o += n;
      C[o] = c10;
      C[o + 1] = c11;
      C[o + 2] = c12;
      C[o + 3] = c13;
      o += n;
      C[o] = c20;
      C[o + 1] = c21;
      C[o + 2] = c22;
      C[o + 3] = c23;
      o += n;
      C[o] = c30;
      C[o + 1] = c31;
      C[o + 2] = c32;
      C[o + 3] = c33;
    }
    for (let j = n4; j < n; j++) for (let r = 0; r < 4; r++) C[(i + r) * n + j] = dotRows(A, (i + r) * k, B, j * k, k);
  }
  for (let i = i4; i < i1; i++) for (let j = 0; j < n; j++) C[i * n + j] = dotRows(A, i * k, B, j * k, k);
}

function dotRows(A: FloatArray, a: number, B: FloatArray, b: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += A[a + p] * B[b + p];
  return s;
}

/** Rows i0..i1-1 of C [m, n] = A [m, k] B [k, n]: C[i, j] = sum_p A[i, p] B[p, j]. */
export function gemmNN(A: FloatArray, B: FloatArray, C: FloatArray, n: number, k: number, i0: number, i1: number): void {
  const i4 = i0 + ((i1 - i0) & ~3),
    n4 = n & ~3;
  for (let i = i0; i < i4; i += 4) {
    const a0 = i * k,
      a1 = a0 + k,
      a2 = a1 + k,
      a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0, b = j; p < k; p++, b += n) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p],
          x2 = A[a2 + p],
          x3 = A[a3 + p];
        const y0 = B[b],
          y1 = B[b + 1],
          y2 = B[b + 2],
          y3 = B[b + 3];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = i * n + j;
      C[o] = c00;
      C[o + 1] = c01;
      C[o + 2] = c02;
      C[o + 3] = c03;
      o += n;
      C[o] = c10;
      C[o + 1] = c11;
      C[o + 2] = c12;
      C[o + 3] = c13;
      o += n;
      C[o] = c20;
      C[o + 1] = c21;
      C[o + 2] = c22;
      C[o + 3] = c23;
      o += n;
      C[o] = c30;
      C[o + 1] = c31;
      C[o + 2] = c32;
      C[o + 3] = c33;
    }
    for (let j = n4; j < n; j++) for (let r = 0; r < 4; r++) C[(i + r) * n + j] = dotColumn(A, (i + r) * k, B, j, n, k);
  }
  for (let i = i4; i < i1; i++) for (let j = 0; j < n; j++) C[i * n + j] = dotColumn(A, i * k, B, j, n, k);
}

function dotColumn(A: FloatArray, a: number, B: FloatArray, j: number, n: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += A[a + p] * B[p * n + j];
  return s;
}

// per-thread running sums of gemmTN's tile (each worker has its own copy of this module)
let tileSums = new Float64Array(0);

/**
 * The tile rows i0..i1-1, columns j0..j1-1 of C [m, n] = A^T B with A [r, m], B [r, n]:
 * C[i, j] = sum_t A[t, i] B[t, j]. When `columnSums` is given and j0 = 0, also writes
 * columnSums[i] = sum_t A[t, i] for the tile's rows (a bias gradient), chunked the same way.
 */
export function gemmTN(A: FloatArray, B: FloatArray, C: FloatArray, r: number, m: number, n: number, i0: number, i1: number, j0: number, j1: number, columnSums: FloatArray | null = null): void {
  const rows = i1 - i0,
    cols = j1 - j0;
  if (tileSums.length < rows * cols + rows) tileSums = new Float64Array(rows * cols + rows);
  const S = tileSums;
  S.fill(0, 0, rows * cols + rows);
  const sumsAt = rows * cols; // the column sums follow the tile
  const wantSums = columnSums !== null && j0 === 0;
  const r4 = rows & ~3,
    c4 = cols & ~3;
  for (let t0 = 0; t0 < r; t0 += ROW_CHUNK) {
    const t1 = Math.min(r, t0 + ROW_CHUNK);
    for (let ii = 0; ii < r4; ii += 4) {
      const ia = i0 + ii;
      for (let jj = 0; jj < c4; jj += 4) {
        const jb = j0 + jj;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0,
          c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0,
          c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0,
          c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        for (let t = t0; t < t1; t++) {
          const a = t * m + ia,
            b = t * n + jb;
          const x0 = A[a],
            x1 = A[a + 1],
            x2 = A[a + 2],
            x3 = A[a + 3];
          const y0 = B[b],
            y1 = B[b + 1],
            y2 = B[b + 2],
            y3 = B[b + 3];
          c00 += x0 * y0;
          c01 += x0 * y1;
          c02 += x0 * y2;
          c03 += x0 * y3;
          c10 += x1 * y0;
          c11 += x1 * y1;
          c12 += x1 * y2;
          c13 += x1 * y3;
          c20 += x2 * y0;
          c21 += x2 * y1;
          c22 += x2 * y2;
          c23 += x2 * y3;
          c30 += x3 * y0;
          c31 += x3 * y1;
          c32 += x3 * y2;
          c33 += x3 * y3;
        }
        let o = ii * cols + jj;
        S[o] += c00;
        S[o + 1] += c01;
        S[o + 2] += c02;
        S[o + 3] += c03;
        o += cols;
        S[o] += c10;
        S[o + 1] += c11;
        S[o + 2] += c12;
        S[o + 3] += c13;
        o += cols;
        S[o] += c20;
        S[o + 1] += c21;
        S[o + 2] += c22;
        S[o + 3] += c23;
        o += cols;
        S[o] += c30;
        S[o + 1] += c31;
        S[o + 2] += c32;
        S[o + 3] += c33;
      }
      for (let jj = c4; jj < cols; jj++) for (let q = 0; q < 4; q++) S[(ii + q) * cols + jj] += dotDown(A, i0 + ii + q, m, B, j0 + jj, n, t0, t1);
    }
    for (let ii = r4; ii < rows; ii++) for (let jj = 0; jj < cols; jj++) S[ii * cols + jj] += dotDown(A, i0 + ii, m, B, j0 + jj, n, t0, t1);
    if (wantSums) {
      for (let ii = 0; ii < rows; ii++) {
        let s = 0;
        for (let t = t0; t < t1; t++) s += A[t * m + i0 + ii];
        S[sumsAt + ii] += s;
      }
    }
  }
  for (let ii = 0; ii < rows; ii++) for (let jj = 0; jj < cols; jj++) C[(i0 + ii) * n + j0 + jj] = S[ii * cols + jj];
  if (wantSums) for (let ii = 0; ii < rows; ii++) columnSums![i0 + ii] = S[sumsAt + ii];
}

function dotDown(A: FloatArray, i: number, m: number, B: FloatArray, j: number, n: number, t0: number, t1: number): number {
  let s = 0;
  for (let t = t0; t < t1; t++) s += A[t * m + i] * B[t * n + j];
  return s;
}

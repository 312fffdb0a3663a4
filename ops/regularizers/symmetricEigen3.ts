// Eigendecomposition of a symmetric 3 x 3 matrix by cyclic Jacobi rotations: each rotation zeroes
// one off-diagonal entry; a few sweeps drive all three below round-off. Slower than the closed
// (trigonometric) formula but accurate for every spectrum, clustered eigenvalues included, which
// is what the weighted PCA of eq. 16 meets on flat patches (two large, one near-zero eigenvalue).
//
// Output: eigenvalues sorted descending (lambda_1 >= lambda_2 >= lambda_3) and the matching unit
// eigenvectors as rows (vectors[3 j + c] = component c of eigenvector j), each signed so that its
// largest-magnitude component is positive (a fixed convention, so the vectors move smoothly).

/** Most sweeps before giving up (3 x 3 converges quadratically: 4-6 are typical). */
const MAX_SWEEPS = 32;

/**
 * Decomposes the symmetric matrix stored at a[offset .. offset + 9) (row-major; only the upper
 * triangle is read) into values[vOff .. vOff + 3) and vectors[eOff .. eOff + 9).
 */
export function symmetricEigen3(a: ArrayLike<number>, offset: number, values: Float64Array | Float32Array, vOff: number, vectors: Float64Array | Float32Array, eOff: number): void {
  // working copy: diagonal d0..d2, off-diagonals a01, a02, a12; V accumulates the rotations (columns = eigenvectors)
  let d0 = a[offset],
    d1 = a[offset + 4],
    d2 = a[offset + 8];
  let a01 = a[offset + 1],
    a02 = a[offset + 2],
    a12 = a[offset + 5];
  let v00 = 1,
    v01 = 0,
    v02 = 0,
    v10 = 0,
    v11 = 1,
    v12 = 0,
    v20 = 0,
    v21 = 0,
    v22 = 1;
  const scale = Math.abs(d0) + Math.abs(d1) + Math.abs(d2) + Math.abs(a01) + Math.abs(a02) + Math.abs(a12);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const off = Math.abs(a01) + Math.abs(a02) + Math.abs(a12);
    if (off <= 1e-300 || off <= 1e-17 * scale) break;
    // the rotation in plane (p, q) that zeroes a_pq: t = tan(angle) from theta = (a_qq - a_pp) / (2 a_pq),
    // the smaller root, so the rotation stays below 45 degrees (Golub & Van Loan §8.5)
    // plane (0, 1)
    if (a01 !== 0) {
      const theta = (d1 - d0) / (2 * a01);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1),
        s = t * c;
      d0 -= t * a01;
      d1 += t * a01;
      a01 = 0;
      const x = a02,
        y = a12;
      a02 = c * x - s * y;
      a12 = s * x + c * y;
      let p = v00,
        q = v01;
      v00 = c * p - s * q;
      v01 = s * p + c * q;
      p = v10;
      q = v11;
      v10 = c * p - s * q;
      v11 = s * p + c * q;
      p = v20;
      q = v21;
      v20 = c * p - s * q;
      v21 = s * p + c * q;
    }
    // plane (0, 2)
    if (a02 !== 0) {
      const theta = (d2 - d0) / (2 * a02);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1),
        s = t * c;
      d0 -= t * a02;
      d2 += t * a02;
      a02 = 0;
      const x = a01,
        y = a12;
      a01 = c * x - s * y;
      a12 = s * x + c * y;
      let p = v00,
        q = v02;
      v00 = c * p - s * q;
      v02 = s * p + c * q;
      p = v10;
      q = v12;
      v10 = c * p - s * q;
      v12 = s * p + c * q;
      p = v20;
      q = v22;
      v20 = c * p - s * q;
      v22 = s * p + c * q;
    }
    // plane (1, 2)
    if (a12 !== 0) {
      const theta = (d2 - d1) / (2 * a12);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1),
        s = t * c;
      d1 -= t * a12;
      d2 += t * a12;
      a12 = 0;
      const x = a01,
        y = a02;
      a01 = c * x - s * y;
      a02 = s * x + c * y;
      let p = v01,
        q = v02;
      v01 = c * p - s * q;
      v02 = s * p + c * q;
      p = v11;
      q = v12;
      v11 = c * p - s * q;
      v12 = s * p + c * q;
      p = v21;
      q = v22;
      v21 = c * p - s * q;
      v22 = s * p + c * q;
    }
  }
  // sort descending (three compare-swaps on the column order)
  let i0 = 0,
    i1 = 1,
    i2 = 2;
  const d = [d0, d1, d2];
  if (d[i0] < d[i1]) [i0, i1] = [i1, i0];
  if (d[i1] < d[i2]) [i1, i2] = [i2, i1];
  if (d[i0] < d[i1]) [i0, i1] = [i1, i0];
  const cols = [v00, v10, v20, v01, v11, v21, v02, v12, v22]; // column j at 3 j
  const order = [i0, i1, i2];
  for (let j = 0; j < 3; j++) {
    const col = 3 * order[j];
    let x = cols[col],
      y = cols[col + 1],
      z = cols[col + 2];
    const ax = Math.abs(x),
      ay = Math.abs(y),
      az = Math.abs(z);
    const lead = ax >= ay && ax >= az ? x : ay >= az ? y : z;
    if (lead < 0) {
      x = -x;
      y = -y;
      z = -z;
    }
    values[vOff + j] = d[order[j]];
    vectors[eOff + 3 * j] = x;
    vectors[eOff + 3 * j + 1] = y;
    vectors[eOff + 3 * j + 2] = z;
  }
}

// Exact closest point of a triangle to a point, by Voronoi region: the point projects onto one of
// the three vertices, the three edges, or the face. The region tests use dot products of the edge
// vectors with p - vertex (the classic formulation, e.g. Ericson, Real-Time Collision Detection 5.1.5).
// Degenerate (zero-area) triangles are handled as their three edges, where the region tests would
// divide by zero.

/** Below this sin^2 of the angle at vertex a a triangle is treated as a segment. */
const DEGENERATE_SIN2 = 1e-14;

/**
 * Squared distance from p = (px, py, pz) to the triangle with vertices at flat offsets ia, ib, ic of
 * `v` (xyz triples: pass 3 * vertexIndex); the closest point goes to out[0..2].
 */
export function closestPointOnTriangleFlat(px: number, py: number, pz: number, v: Float64Array, ia: number, ib: number, ic: number, out: Float64Array): number {
  const ax = v[ia],
    ay = v[ia + 1],
    az = v[ia + 2];
  const abx = v[ib] - ax,
    aby = v[ib + 1] - ay,
    abz = v[ib + 2] - az;
  const acx = v[ic] - ax,
    acy = v[ic + 1] - ay,
    acz = v[ic + 2] - az;
  const nx = aby * acz - abz * acy,
    ny = abz * acx - abx * acz,
    nz = abx * acy - aby * acx;
  const ab2 = abx * abx + aby * aby + abz * abz,
    ac2 = acx * acx + acy * acy + acz * acz;
  if (nx * nx + ny * ny + nz * nz <= DEGENERATE_SIN2 * ab2 * ac2) return closestOnDegenerate(px, py, pz, v, ia, ib, ic, out);

  const apx = px - ax,
    apy = py - ay,
    apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  if (d1 <= 0 && d2 <= 0) return setPoint(out, ax, ay, az, px, py, pz); // vertex a

  const bpx = px - v[ib],
    bpy = py - v[ib + 1],
    bpz = pz - v[ib + 2];
  const d3 = abx * bpx + aby * bpy + abz * bpz;
  const d4 = acx * bpx + acy * bpy + acz * bpz;
  if (d3 >= 0 && d4 <= d3) return setPoint(out, v[ib], v[ib + 1], v[ib + 2], px, py, pz); // vertex b

  const vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) {
    const s = d1 / (d1 - d3); // edge ab
    return setPoint(out, ax + s * abx, ay + s * aby, az + s * abz, px, py, pz);
  }

  const cpx = px - v[ic],
    cpy = py - v[ic + 1],
    cpz = pz - v[ic + 2];
  const d5 = abx * cpx + aby * cpy + abz * cpz;
  const d6 = acx * cpx + acy * cpy + acz * cpz;
  if (d6 >= 0 && d5 <= d6) return setPoint(out, v[ic], v[ic + 1], v[ic + 2], px, py, pz); // vertex c

  const vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) {
    const s = d2 / (d2 - d6); // edge ac
    return setPoint(out, ax + s * acx, ay + s * acy, az + s * acz, px, py, pz);
  }

  const va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
    const s = (d4 - d3) / (d4 - d3 + (d5 - d6)); // edge bc
    return setPoint(out, v[ib] + s * (v[ic] - v[ib]), v[ib + 1] + s * (v[ic + 1] - v[ib + 1]), v[ib + 2] + s * (v[ic + 2] - v[ib + 2]), px, py, pz);
  }

  // face: barycentric (1 - s - t, s, t)
  const inv = 1 / (va + vb + vc);
  const s = vb * inv,
    t = vc * inv;
  return setPoint(out, ax + s * abx + t * acx, ay + s * aby + t * acy, az + s * abz + t * acz, px, py, pz);
}

/** Closest point of triangle (a, b, c) to p, written to `out`; returns the (not squared) distance. */
export function closestPointOnTriangle(p: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, out: Float64Array = new Float64Array(3)): number {
  const v = new Float64Array([a[0], a[1], a[2], b[0], b[1], b[2], c[0], c[1], c[2]]);
  return Math.sqrt(closestPointOnTriangleFlat(p[0], p[1], p[2], v, 0, 3, 6, out));
}

function setPoint(out: Float64Array, x: number, y: number, z: number, px: number, py: number, pz: number): number {
  out[0] = x;
  out[1] = y;
  out[2] = z;
  return (px - x) * (px - x) + (py - y) * (py - y) + (pz - z) * (pz - z);
}

/** Nearest of the three edges of a zero-area triangle. */
function closestOnDegenerate(px: number, py: number, pz: number, v: Float64Array, ia: number, ib: number, ic: number, out: Float64Array): number {
  let best = Infinity,
    bx = 0,
    by = 0,
    bz = 0;
  const ends = [ia, ib, ib, ic, ic, ia];
  for (let e = 0; e < 6; e += 2) {
    const i = ends[e],
      j = ends[e + 1];
    const ex = v[j] - v[i],
      ey = v[j + 1] - v[i + 1],
      ez = v[j + 2] - v[i + 2];
    const len2 = ex * ex + ey * ey + ez * ez;
    let s = len2 > 0 ? ((px - v[i]) * ex + (py - v[i + 1]) * ey + (pz - v[i + 2]) * ez) / len2 : 0;
    s = s < 0 ? 0 : s > 1 ? 1 : s;
    const x = v[i] + s * ex,
      y = v[i + 1] + s * ey,
      z = v[i + 2] + s * ez;
    const d2 = (px - x) * (px - x) + (py - y) * (py - y) + (pz - z) * (pz - z);
    if (d2 < best) {
      best = d2;
      bx = x;
      by = y;
      bz = z;
    }
  }
  return setPoint(out, bx, by, bz, px, py, pz);
}

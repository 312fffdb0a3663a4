// Growing a point cloud where it is sparse (docs/dss.md §5, "Stages"): the midpoints of the
// longest edges of its 6-nearest-neighbour graph, each put on the tangent plane of the edge's
// first point, with the two ends' mean normal and colour. Distinct edges give distinct points.

import { knn } from '../geometry/neighbors.js';
import { ArgumentError } from '../lib/errors.js';

export interface GrownCloud {
  positions: Float32Array;
  normals: Float32Array;
  colors: Float32Array | null;
}

/** The cloud with `added` more points (at most one per distinct neighbour edge). */
export function upsampleCloud(positions: ArrayLike<number>, normals: ArrayLike<number>, colors: ArrayLike<number> | null, added: number): GrownCloud {
  const n = positions.length / 3;
  if (!Number.isInteger(added) || added < 0) throw new ArgumentError(`upsampleCloud: added must be a whole number >= 0, got ${added}.`);
  const k = Math.min(6, n - 1);
  const P = Float64Array.from(positions);
  const edges: [number, number, number][] = []; // length, i, j with i < j
  if (k > 0) {
    const nn = knn(P, k);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      for (let e = 0; e < k; e++) {
        const j = nn.indices[i * k + e];
        const a = Math.min(i, j),
          b = Math.max(i, j);
        const key = a * n + b;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push([nn.distances[i * k + e], a, b]);
      }
    }
  }
  // the longest first; ties by index, so the result does not depend on the search structure
  edges.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const m = Math.min(added, edges.length);
  const out = { positions: new Float32Array(3 * (n + m)), normals: new Float32Array(3 * (n + m)), colors: colors ? new Float32Array(3 * (n + m)) : null };
  out.positions.set(Array.from(positions));
  out.normals.set(Array.from(normals));
  if (out.colors && colors) out.colors.set(Array.from(colors));
  for (let e = 0; e < m; e++) {
    const [, i, j] = edges[e];
    const o = 3 * (n + e);
    let nx = normals[3 * i],
      ny = normals[3 * i + 1],
      nz = normals[3 * i + 2];
    const l = Math.hypot(nx, ny, nz) || 1;
    nx /= l;
    ny /= l;
    nz /= l;
    // half the edge, less its component along i's normal: on i's tangent plane
    const hx = 0.5 * (positions[3 * j] - positions[3 * i]),
      hy = 0.5 * (positions[3 * j + 1] - positions[3 * i + 1]),
      hz = 0.5 * (positions[3 * j + 2] - positions[3 * i + 2]);
    const along = hx * nx + hy * ny + hz * nz;
    out.positions[o] = positions[3 * i] + hx - along * nx;
    out.positions[o + 1] = positions[3 * i + 1] + hy - along * ny;
    out.positions[o + 2] = positions[3 * i + 2] + hz - along * nz;
    // the mean of the two normals, or i's where they disagree
    let mx = normals[3 * j],
      my = normals[3 * j + 1],
      mz = normals[3 * j + 2];
    const ml = Math.hypot(mx, my, mz) || 1;
    mx /= ml;
    my /= ml;
    mz /= ml;
    const agree = mx * nx + my * ny + mz * nz > 0;
    const sx = agree ? nx + mx : nx,
      sy = agree ? ny + my : ny,
      sz = agree ? nz + mz : nz;
    const sl = Math.hypot(sx, sy, sz) || 1;
    out.normals[o] = sx / sl;
    out.normals[o + 1] = sy / sl;
    out.normals[o + 2] = sz / sl;
    if (out.colors && colors) for (let c = 0; c < 3; c++) out.colors[o + c] = 0.5 * (colors[3 * i + c] + colors[3 * j + c]);
  }
  return out;
}

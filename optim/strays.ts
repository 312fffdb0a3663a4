// Stray control for point-cloud fits (docs/dss.md §5, "Strays"): a point on the object projects
// inside every silhouette and is, from some view, among the splats a pixel shows. A point outside
// a mask, or one no render has shown for a long while (stuck inside the body, or in the webs a
// starting sphere leaves between a knot's strands), is a stray. It is moved next to a point that
// is where it should be, preferring where the points are sparse, so the count never changes.

import type { Camera } from '../geometry/camera.js';
import type { FloatArray } from '../lib/dtype.js';
import type { Random } from '../lib/random.js';
import type { SplatCache } from '../ops/splat/splatCache.js';

/** Marks, in `lastSeen`, every point among the visible splats of some pixel of a render at `step`. */
export function markSeen(cache: SplatCache, step: number, lastSeen: Int32Array): void {
  const { frontCount: A, index, visible } = cache;
  for (let p = 0; p < visible.length; p++) {
    for (let s = p * A, end = s + visible[p]; s < end; s++) lastSeen[index[s]] = step;
  }
}

/** markSeen for a GPU render: `shown` is 1 for each point among the visible splats of some pixel. */
export function markShown(shown: Uint8Array, step: number, lastSeen: Int32Array): void {
  for (let k = 0; k < shown.length; k++) if (shown[k]) lastSeen[k] = step;
}

/** Pixels outside the mask a point may be before it counts as outside (rasterization and splat size). */
export const MASK_MARGIN = 1.5;

/**
 * 1 per point projecting more than `margin` px outside the mask of any view (its distance
 * transform `distance`, 0 inside), or in front of no view's image plane at all.
 */
export function outsideMasks(positions: FloatArray, views: readonly { camera: Camera }[], distances: readonly (Float32Array | null)[], margin = MASK_MARGIN): Uint8Array {
  const n = positions.length / 3;
  const out = new Uint8Array(n);
  views.forEach((v, i) => {
    const d = distances[i];
    if (!d) return;
    const { width: W, height: H, R, t, fx, fy, cx, cy } = v.camera;
    for (let k = 0; k < n; k++) {
      if (out[k]) continue;
      const p0 = positions[3 * k],
        p1 = positions[3 * k + 1],
        p2 = positions[3 * k + 2];
      const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
      if (!(z > v.camera.near)) continue; // behind this camera: its mask says nothing
      const i = Math.floor((fx * (R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0])) / z + cx);
      const j = Math.floor((fy * (R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1])) / z + cy);
      // off the image counts as outside: every target shows the whole object
      if (i < 0 || j < 0 || i >= W || j >= H || d[j * W + i] > margin) out[k] = 1;
    }
  });
  return out;
}

export interface StrayOptions {
  /** Steps since a point was last shown by a render after which it is a stray. */
  unseenSteps: number;
  /** The current step (for `lastSeen`). */
  step: number;
  /** Spacing of the cloud: relocated points land this far from their donor, on its tangent plane. */
  spacing: number;
}

/**
 * Moves every stray next to a donor: a point that is neither a stray nor crowded (the donors are
 * the half of the good points with the fewest neighbours, `neighbours` per point), at half a
 * spacing along a random direction of the donor's tangent plane, with the donor's normal (and
 * colour). Returns the indices moved. Deterministic for a seeded `rng`.
 */
export function relocateStrays(positions: FloatArray, normals: FloatArray, colors: FloatArray | null, strays: Uint8Array, neighbours: ArrayLike<number>, rng: Random, spacing: number): Int32Array {
  const n = positions.length / 3;
  const good: number[] = [];
  const moved: number[] = [];
  for (let k = 0; k < n; k++) (strays[k] ? moved : good).push(k);
  if (moved.length === 0 || good.length === 0) return new Int32Array(0);
  // the sparser half of the good points, sparsest first (ties by index: deterministic)
  good.sort((a, b) => neighbours[a] - neighbours[b] || a - b);
  const donors = good.slice(0, Math.max(1, Math.ceil(good.length / 2)));
  for (const k of moved) {
    const j = donors[rng.int(donors.length)];
    let nx = normals[3 * j],
      ny = normals[3 * j + 1],
      nz = normals[3 * j + 2];
    const nl = Math.hypot(nx, ny, nz) || 1;
    nx /= nl;
    ny /= nl;
    nz /= nl;
    // a random unit direction in the donor's tangent plane
    let ux = rng.normal(),
      uy = rng.normal(),
      uz = rng.normal();
    const along = ux * nx + uy * ny + uz * nz;
    ux -= along * nx;
    uy -= along * ny;
    uz -= along * nz;
    const ul = Math.hypot(ux, uy, uz) || 1;
    const r = (0.5 * spacing) / ul;
    positions[3 * k] = positions[3 * j] + r * ux;
    positions[3 * k + 1] = positions[3 * j + 1] + r * uy;
    positions[3 * k + 2] = positions[3 * j + 2] + r * uz;
    normals[3 * k] = nx;
    normals[3 * k + 1] = ny;
    normals[3 * k + 2] = nz;
    if (colors) for (let c = 0; c < 3; c++) colors[3 * k + c] = colors[3 * j + c];
  }
  return Int32Array.from(moved);
}

/** 1 per point outside a mask or not shown by any render for `unseenSteps`; `lastSeen` is from markSeen. */
export function findStrays(outside: Uint8Array, lastSeen: Int32Array, options: Pick<StrayOptions, 'unseenSteps' | 'step'>): Uint8Array {
  const strays = new Uint8Array(outside.length);
  for (let k = 0; k < outside.length; k++) strays[k] = outside[k] || options.step - lastSeen[k] > options.unseenSteps ? 1 : 0;
  return strays;
}

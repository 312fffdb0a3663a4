// What the GPU kernels read per splat (engine.md §9), written on the CPU from the float64 screen
// splats of screenSplats.ts (docs/dss.md §2): the same centres, inverse covariances, pixel boxes
// and culling as the CPU path, so the two paths start from the same numbers. Only active splats
// are packed, in index order; `ids[s]` is the point index of packed splat s.
//
// Per splat: centre and M^-1 as double-float (hi + lo float32 pairs), rho_bar at the centre, the
// box and the artificial window as u16 pairs, and the depth, z + T and z - T as float64 bit
// patterns, which the kernels compare as the CPU compares the doubles (eq. 5 and the join test of
// §3). Attributes, the normal and the position follow in `attributes` (C + 6 floats per splat).

import type { FloatArray } from '../../../lib/dtype.js';
import type { ScreenSplats } from '../screenSplats.js';
import { DEPTH_WORDS, SPLAT_WORDS, TILE } from './wgsl/common.js';

export interface PackedSplats {
  /** Points (active or not). */
  pointCount: number;
  /** Active splats. */
  count: number;
  /** Point index of each packed splat. */
  ids: Int32Array;
  splats: Uint32Array;
  depth: Uint32Array;
  /** Per splat: C attributes, the (unnormalized) normal, the position. */
  attributes: Float32Array;
  /** Entries of the per-tile lists: the sum over splats of the tiles their boxes overlap. */
  tileEntries: number;
}

export interface PackOptions {
  width: number;
  height: number;
  channels: number;
  mergeThreshold: number;
  /** Side of the artificial gradient's window (px). */
  window: number;
  /** (fx + fy) / 2: a depth step to pixels at the splat's distance (docs/dss.md §3, eq. 13). */
  focal: number;
}

const f64 = new Float64Array(1);
const f64Bits = new Uint32Array(f64.buffer);

/** Writes the bits of the double v as (hi, lo) at out[o], out[o + 1]. */
function doubleBits(v: number, out: Uint32Array, o: number): void {
  f64[0] = v;
  out[o] = f64Bits[1]; // little endian: the high word second
  out[o + 1] = f64Bits[0];
}

/** v as hi + lo float32 (48 significant bits) at out[o], out[o + 1]. */
function doubleFloat(v: number, out: Float32Array, o: number): void {
  const hi = Math.fround(v);
  out[o] = hi;
  out[o + 1] = Math.fround(v - hi);
}

export function packSplats(screen: ScreenSplats, positions: FloatArray, normals: FloatArray, attributes: FloatArray, o: PackOptions): PackedSplats {
  const n = screen.count,
    C = o.channels;
  let count = 0;
  for (let k = 0; k < n; k++) if (screen.active[k]) count++;
  const ids = new Int32Array(count);
  const splats = new Uint32Array(SPLAT_WORDS * count),
    splatsF = new Float32Array(splats.buffer);
  const depth = new Uint32Array(DEPTH_WORDS * count),
    depthF = new Float32Array(depth.buffer);
  const stride = C + 6;
  const attrs = new Float32Array(stride * count);
  const T = o.mergeThreshold,
    half = o.window / 2;
  let tileEntries = 0;
  for (let k = 0, s = 0; k < n; k++) {
    if (!screen.active[k]) continue;
    ids[s] = k;
    const w = SPLAT_WORDS * s;
    const X = screen.px[k],
      Y = screen.py[k],
      z = screen.depth[k];
    doubleFloat(X, splatsF, w);
    doubleFloat(Y, splatsF, w + 2);
    doubleFloat(screen.ia[k], splatsF, w + 4);
    doubleFloat(screen.ib[k], splatsF, w + 6);
    doubleFloat(screen.ic[k], splatsF, w + 8);
    splatsF[w + 10] = screen.scale[k];
    splats[w + 11] = k;
    const x0 = screen.x0[k],
      x1 = screen.x1[k],
      y0 = screen.y0[k],
      y1 = screen.y1[k];
    splats[w + 12] = x0 | (x1 << 16);
    splats[w + 13] = y0 | (y1 << 16);
    doubleBits(z, splats, w + 14);
    tileEntries += (((x1 / TILE) | 0) - ((x0 / TILE) | 0) + 1) * (((y1 / TILE) | 0) - ((y0 / TILE) | 0) + 1);
    const d = DEPTH_WORDS * s;
    doubleBits(z + T, depth, d); // the merge limit of eq. 5, rounded as composite.ts rounds it
    doubleBits(z - T, depth, d + 2); // the join limit of docs/dss.md §3 (a), (b), as artificialGradient.ts rounds it
    doubleFloat(z, depthF, d + 4);
    depthF[d + 6] = o.focal / z;
    // the artificial window, clipped to the image, as artificialGradient.ts bounds it
    const i0 = Math.max(0, Math.ceil(X - half - 0.5)),
      i1 = Math.min(o.width - 1, Math.floor(X + half - 0.5));
    const j0 = Math.max(0, Math.ceil(Y - half - 0.5)),
      j1 = Math.min(o.height - 1, Math.floor(Y + half - 0.5));
    const empty = i0 > i1 || j0 > j1 || o.window <= 0;
    depth[d + 7] = empty ? 1 : i0 | (i1 << 16); // first > last: an empty window
    depth[d + 8] = empty ? 0 : j0 | (j1 << 16);
    depthF[d + 9] = Math.fround(screen.scale[k] - Math.fround(screen.scale[k])); // the low part of rho_bar at the centre
    const a = stride * s;
    for (let c = 0; c < C; c++) attrs[a + c] = attributes[k * C + c];
    for (let c = 0; c < 3; c++) {
      attrs[a + C + c] = normals[3 * k + c];
      attrs[a + C + 3 + c] = positions[3 * k + c];
    }
    s++;
  }
  return { pointCount: n, count, ids, splats, depth, attributes: attrs, tileEntries };
}

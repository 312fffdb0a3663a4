// eq. 6: the pixel value is the rho-weighted mean of the visible splats' attributes,
//   I_x = sum_k rho_k(x) w_k / sum_k rho_k(x);
// depth and normal images use the same weights; background where no splat is visible.

import type { FloatArray } from '../../lib/dtype.js';
import type { SplatCache } from './splatCache.js';

/** Zero-filled outputs the composite writes into (the op's output tensors' storage). */
export interface CompositeImages {
  /** H x W x C attributes. */
  image: FloatArray;
  /** H x W weighted camera depth, 0 where empty. */
  depth: FloatArray;
  /** H x W x 3 weighted world normal (unit length), 0 where empty. */
  normal: FloatArray;
  /** H x W coverage: 1 where a splat is visible, else 0. */
  alpha: FloatArray;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Pixels p0..p1-1 in one pass over each pixel's list: marks the visible prefix (entries no more
 * than `mergeThreshold` behind the front one, eq. 5) and composites it (eq. 6). With
 * `mergeThreshold` null the cache's `visible` prefixes are taken as they are (a frozen
 * visibility, or lists the reference twin marked). Returns the first pixel with a non-finite
 * value (which finite inputs cannot give, short of overflow), or -1: the op checks its outputs
 * here. `zeroed`: the outputs are fresh (all zero), so empty pixels need writing only for a
 * non-zero background; otherwise (an earlier render's buffers) every output of every pixel is written.
 */
export function composite(
  cache: SplatCache,
  mergeThreshold: number | null,
  attributes: FloatArray,
  channels: number,
  normals: FloatArray,
  background: readonly number[],
  out: CompositeImages,
  p0: number,
  p1: number,
  zeroed: boolean,
): number {
  const { frontCount: A, index, rho, pointDepth, count, visible } = cache;
  const { image, depth, normal, alpha } = out;
  const rgb = channels === 3;
  const acc = new Float64Array(channels);
  const narrow = image instanceof Float32Array; // a finite float64 can still overflow a float32
  const blank = zeroed && background.every((v) => v === 0); // untouched pages stay untouched
  const mark = mergeThreshold !== null;
  const T = mark ? mergeThreshold : Infinity;
  let bad = -1;
  for (let p = p0; p < p1; p++) {
    const n = mark ? count[p] : visible[p];
    const px = p * channels;
    if (n === 0) {
      visible[p] = 0;
      if (!blank) for (let c = 0; c < channels; c++) image[px + c] = background[c];
      if (!zeroed) {
        depth[p] = 0;
        normal[3 * p] = normal[3 * p + 1] = normal[3 * p + 2] = 0;
        alpha[p] = 0;
      }
      continue;
    }
    const base = p * A;
    let k = index[base],
      zk = pointDepth[k],
      r = rho[base];
    const limit = zk + T;
    let wsum = 0,
      z = 0,
      nx = 0,
      ny = 0,
      nz = 0,
      a0 = 0,
      a1 = 0,
      a2 = 0;
    if (!rgb) acc.fill(0);
    let s = base;
    for (;;) {
      wsum += r;
      z += r * zk;
      const k3 = 3 * k;
      nx += r * normals[k3];
      ny += r * normals[k3 + 1];
      nz += r * normals[k3 + 2];
      if (rgb) {
        a0 += r * attributes[k3];
        a1 += r * attributes[k3 + 1];
        a2 += r * attributes[k3 + 2];
      } else {
        for (let c = 0, kc = k * channels; c < channels; c++) acc[c] += r * attributes[kc + c];
      }
      if (++s === base + n) break;
      k = index[s];
      zk = pointDepth[k];
      if (zk > limit) break;
      r = rho[s];
    }
    visible[p] = s - base;
    const inv = 1 / wsum;
    let check: number; // x * 0 is NaN exactly when x is NaN or infinite
    if (rgb) {
      const i0 = a0 * inv,
        i1 = a1 * inv,
        i2 = a2 * inv;
      image[px] = i0;
      image[px + 1] = i1;
      image[px + 2] = i2;
      check = i0 * 0 + i1 * 0 + i2 * 0;
    } else {
      check = 0;
      for (let c = 0; c < channels; c++) {
        image[px + c] = acc[c] * inv;
        check += acc[c] * inv * 0;
      }
    }
    const d = z * inv;
    depth[p] = d;
    const len2 = nx * nx + ny * ny + nz * nz;
    const il = len2 > 0 ? 1 / Math.sqrt(len2) : 1;
    normal[3 * p] = nx * il;
    normal[3 * p + 1] = ny * il;
    normal[3 * p + 2] = nz * il;
    alpha[p] = 1;
    // attributes and normals are weighted means of finite inputs; the depth alone could overflow a float32
    if (bad < 0 && (check + d * 0 + il * 0 !== 0 || (narrow && Math.abs(d) > FLOAT32_MAX))) bad = p;
  }
  return bad;
}

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

export function composite(cache: SplatCache, attributes: FloatArray, channels: number, normals: FloatArray, background: readonly number[], out: CompositeImages): void {
  const { width, height, frontCount: A, index, rho, depth: slotDepth, visible } = cache;
  const { image, depth, normal, alpha } = out;
  const P = width * height;
  for (let p = 0; p < P; p++) {
    const v = visible[p];
    const px = p * channels;
    if (v === 0) {
      for (let c = 0; c < channels; c++) image[px + c] = background[c];
      continue;
    }
    let wsum = 0, z = 0, nx = 0, ny = 0, nz = 0;
    for (let s = p * A, end = p * A + v; s < end; s++) {
      const k = index[s];
      const r = rho[s];
      wsum += r;
      z += r * slotDepth[s];
      nx += r * normals[3 * k];
      ny += r * normals[3 * k + 1];
      nz += r * normals[3 * k + 2];
      for (let c = 0, kc = k * channels; c < channels; c++) image[px + c] += r * attributes[kc + c];
    }
    const inv = 1 / wsum;
    for (let c = 0; c < channels; c++) image[px + c] *= inv;
    depth[p] = z * inv;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    normal[3 * p] = nx / len;
    normal[3 * p + 1] = ny / len;
    normal[3 * p + 2] = nz / len;
    alpha[p] = 1;
  }
}

// The two images DRWR samples besides the mask itself, made once per view (docs/drwr.md §3, §4):
// - the smooth silhouette v^G (eq. 3-4): 1 on the object; off it, a value that falls with the
//   distance d to the object, so a point anywhere in the background is pulled towards it:
//     v^G(x) = 1 inside,   edge - d(x) / diagonal outside
//   d in pixels (the exact Euclidean distance transform, geometry/distanceTransform.ts), divided
//   by the image diagonal (the paper's "normalized by the resolution"). edge = 1 by default: one
//   slope everywhere off the object. The paper's min-max normalization would put the first pixel
//   off the object at 1 too (a flat shelf a pixel wide); the reference code steps down to
//   edge = 220/255 there, a cliff that leaves points of a direct fit stuck outside the silhouettes
//   where several views' pulls balance (measured: docs/drwr.md §3).
// - the boundary-bias image (eq. 11, eq. 5's delta): the mask averaged over R square rings around each
//   pixel, ring r the 8r pixels at Chebyshev distance r, the rings weighted equally. 1 deep
//   inside, smaller within R pixels of the edge. Sampled bilinearly it is the paper's multiscale
//   interpolation exactly: the ring offsets are whole pixels, so shifting and interpolating commute.

import { maskDistance } from '../../geometry/distanceTransform.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';

/** The smooth silhouette just off the object, before the distance term (the reference code's is 220/255). */
export const SMOOTH_SILHOUETTE_EDGE = 1;
/** R, the rings of the boundary bias (the paper's and the reference code's 5). */
export const BOUNDARY_RINGS = 5;

function checkMask(mask: ArrayLike<number>, width: number, height: number, caller: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ArgumentError(`${caller}: width and height must be positive whole numbers of pixels, got ${width} x ${height}.`);
  }
  if (mask === null || typeof mask !== 'object' || mask.length !== width * height) {
    throw new ShapeError(`${caller}: mask must hold width x height = ${width * height} values (1 on the object), got ${(mask as { length?: number })?.length}.`);
  }
}

/** eq. 3: 1 where mask > 0.5, else edge - d / diagonal (d: pixels to the nearest object pixel). */
export function smoothSilhouette(mask: ArrayLike<number>, width: number, height: number, edge = SMOOTH_SILHOUETTE_EDGE): Float32Array {
  checkMask(mask, width, height, 'smoothSilhouette');
  if (!Number.isFinite(edge)) throw new ArgumentError(`smoothSilhouette: edge must be a finite number (the value just outside the object), got ${edge}.`);
  const d = maskDistance(mask, width, height);
  const diagonal = Math.hypot(width, height);
  const out = new Float32Array(width * height);
  for (let p = 0; p < out.length; p++) out[p] = mask[p] > 0.5 ? 1 : edge - d[p] / diagonal;
  return out;
}

/** eq. 11, eq. 5's boundary-bias image: the mean over rings r = 1..R of the mean mask on ring r (pixels off the image read 0). */
export function boundaryBias(mask: ArrayLike<number>, width: number, height: number, rings = BOUNDARY_RINGS): Float32Array {
  checkMask(mask, width, height, 'boundaryBias');
  if (!Number.isInteger(rings) || rings < 1) throw new ArgumentError(`boundaryBias: rings must be a whole number >= 1 (R of eq. 5), got ${rings}.`);
  // a summed-area table makes each ring (a square minus the square inside it) four lookups
  const W1 = width + 1;
  const table = new Float64Array(W1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += mask[y * width + x] > 0.5 ? 1 : 0;
      table[(y + 1) * W1 + x + 1] = table[y * W1 + x + 1] + row;
    }
  }
  // sum of the mask over the square of half side r around (x, y), clipped to the image
  const square = (x: number, y: number, r: number): number => {
    const x0 = Math.max(0, x - r),
      x1 = Math.min(width, x + r + 1),
      y0 = Math.max(0, y - r),
      y1 = Math.min(height, y + r + 1);
    if (x0 >= x1 || y0 >= y1) return 0;
    return table[y1 * W1 + x1] - table[y0 * W1 + x1] - table[y1 * W1 + x0] + table[y0 * W1 + x0];
  };
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let total = 0,
        inner = square(x, y, 0);
      for (let r = 1; r <= rings; r++) {
        const outer = square(x, y, r);
        total += (outer - inner) / (8 * r);
        inner = outer;
      }
      out[y * width + x] = total / rings;
    }
  }
  return out;
}

// Simulated under-segmentation (the Fuzzy Metaballs paper's noisy silhouettes, §7.2): the object's
// pixels are clustered by position (k-means, k = 8, so a cluster is about 1/8 of the silhouette)
// and one cluster is dropped from the mask, as a segmenter that misses a part would.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import { Random } from '../lib/random.js';

export interface UnderSegmentOptions {
  /** Clusters the silhouette is cut into (default 8: one of them is about 1/8 of it). */
  clusters?: number;
  /** Seed of the clustering's start and of the cluster dropped (default 0). */
  seed?: number;
  /** k-means iterations (default 20). */
  iterations?: number;
}

/** A copy of `mask` (H * W, 1 on the object) with one k-means cluster of its object pixels set to 0. */
export function underSegment(mask: ArrayLike<number>, width: number, height: number, options: UnderSegmentOptions = {}): Float32Array {
  if (mask === null || typeof mask !== 'object' || mask.length !== width * height)
    throw new ShapeError(`underSegment: mask must hold width x height = ${width * height} values, got ${(mask as { length?: number })?.length}.`);
  const k = options.clusters ?? 8;
  if (!Number.isInteger(k) || k < 2) throw new ArgumentError(`underSegment: options.clusters must be a whole number >= 2, got ${k}.`);
  const out = Float32Array.from(mask, (v) => (v > 0.5 ? 1 : 0));
  const pixels: number[] = [];
  for (let p = 0; p < out.length; p++) if (out[p]) pixels.push(p);
  if (pixels.length < k) return out; // too small to cut into k parts
  const rng = new Random(options.seed ?? 0);
  const xs = Float64Array.from(pixels, (p) => p % width),
    ys = Float64Array.from(pixels, (p) => Math.floor(p / width));
  // k-means++ start: each next centre drawn with probability proportional to the squared distance to the nearest so far
  const cx = new Float64Array(k),
    cy = new Float64Array(k);
  const nearest = new Float64Array(pixels.length).fill(Infinity);
  let pick = rng.int(pixels.length);
  for (let c = 0; c < k; c++) {
    cx[c] = xs[pick];
    cy[c] = ys[pick];
    let total = 0;
    for (let i = 0; i < pixels.length; i++) {
      nearest[i] = Math.min(nearest[i], (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2);
      total += nearest[i];
    }
    let r = rng.uniform(0, total);
    pick = pixels.length - 1;
    for (let i = 0; i < pixels.length; i++) {
      r -= nearest[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  const label = new Int32Array(pixels.length);
  for (let it = 0; it < (options.iterations ?? 20); it++) {
    const sx = new Float64Array(k),
      sy = new Float64Array(k),
      count = new Float64Array(k);
    for (let i = 0; i < pixels.length; i++) {
      let best = 0,
        bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (xs[i] - cx[c]) ** 2 + (ys[i] - cy[c]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      label[i] = best;
      sx[best] += xs[i];
      sy[best] += ys[i];
      count[best]++;
    }
    for (let c = 0; c < k; c++) {
      if (count[c] === 0) continue;
      cx[c] = sx[c] / count[c];
      cy[c] = sy[c] / count[c];
    }
  }
  const dropped = rng.int(k);
  for (let i = 0; i < pixels.length; i++) if (label[i] === dropped) out[pixels[i]] = 0;
  return out;
}

// Colour maps for looking at renders: depth -> viridis, normals -> RGB.
//
// Viridis (perceptually uniform, readable in gray and by colour-blind viewers) is stored as its
// 10 standard samples at t = 0, 1/9, ..., 1 and interpolated linearly between them, which stays
// within a few 1/255 steps of the full 256-entry table.
// Depth: foreground pixels are those with a finite depth > 0 (the renderers write 0 where nothing
// is drawn; Infinity is treated as background too). By default the range is the foreground's own
// [min, max]; NEAR maps to the bright (yellow) end, FAR to the dark (purple) end; depths outside
// an explicit range are clamped. Background: transparent (RGBA, alpha 0) or opaque black (RGB).

import { ArgumentError, NonFiniteError } from '../lib/errors.js';
import { type FloatImage, type ImageLike, asFloatImage, createImage, validateImage } from './image.js';

/** Viridis at t = k / 9, k = 0 .. 9, as 0-255 RGB. */
const VIRIDIS_SAMPLES = [
  [0x44, 0x01, 0x54],
  [0x48, 0x28, 0x78],
  [0x3e, 0x4a, 0x89],
  [0x31, 0x68, 0x8e],
  [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89],
  [0x35, 0xb7, 0x79],
  [0x6d, 0xcd, 0x59],
  [0xb4, 0xde, 0x2c],
  [0xfd, 0xe7, 0x25],
];

/** Viridis colour at t (clamped to [0, 1]), RGB in [0, 1], written to `out`. */
export function viridis(t: number, out: Float32Array = new Float32Array(3)): Float32Array {
  if (Number.isNaN(t)) throw new NonFiniteError('viridis: t is NaN; pass a number in [0, 1].');
  const x = (t <= 0 ? 0 : t >= 1 ? 1 : t) * (VIRIDIS_SAMPLES.length - 1);
  const k = Math.min(Math.floor(x), VIRIDIS_SAMPLES.length - 2);
  const f = x - k,
    lo = VIRIDIS_SAMPLES[k],
    hi = VIRIDIS_SAMPLES[k + 1];
  for (let c = 0; c < 3; c++) out[c] = (lo[c] + f * (hi[c] - lo[c])) / 255;
  return out;
}

export type ColormapBackground = 'transparent' | 'black';

export interface DepthColorOptions {
  /** Depth shown brightest (default: nearest foreground depth). */
  near?: number;
  /** Depth shown darkest (default: farthest foreground depth). */
  far?: number;
  /** 'transparent' (default: RGBA output) or 'black' (RGB output). */
  background?: ColormapBackground;
}

/** Depth image (1 channel; a FloatImage or the render's depth tensor [H, W]) -> viridis colours; see the file comment for range and background. */
export function depthToColor(depthImage: ImageLike, options: DepthColorOptions = {}): FloatImage {
  const depth = asFloatImage(depthImage, 'depth');
  validateImage(depth, 'depth', false);
  if (depth.channels !== 1) throw new ArgumentError(`depth must have 1 channel, got ${depth.channels}; pass the renderer's depth image.`);
  const d = depth.data;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const z = d[i];
    if (Number.isNaN(z)) throw new NonFiniteError(`depth.data[${i}] is NaN; depth images use 0 (or Infinity) for empty pixels, never NaN.`);
    if (isForeground(z)) {
      if (z < lo) lo = z;
      if (z > hi) hi = z;
    }
  }
  const near = options.near ?? lo,
    far = options.far ?? hi;
  for (const [name, v] of [
    ['near', options.near],
    ['far', options.far],
  ] as const) {
    if (v !== undefined && !Number.isFinite(v)) throw new ArgumentError(`options.${name} must be a finite depth, got ${v}.`);
  }
  const transparent = background(options.background);
  const channels = transparent ? 4 : 3;
  const out = createImage(depth.width, depth.height, channels);
  const rgb = new Float32Array(3);
  const span = far - near;
  for (let i = 0; i < d.length; i++) {
    const z = d[i];
    if (!isForeground(z)) continue; // zeros: transparent or black
    // near -> t = 1 (bright); a single depth value is drawn bright
    viridis(span !== 0 ? (far - z) / span : 1, rgb);
    const o = i * channels;
    out.data[o] = rgb[0];
    out.data[o + 1] = rgb[1];
    out.data[o + 2] = rgb[2];
    if (transparent) out.data[o + 3] = 1;
  }
  return out;
}

export interface NormalColorOptions {
  /** 'transparent' (default: RGBA output) or 'black' (RGB output). */
  background?: ColormapBackground;
  /**
   * Row-major 3x3 rotation applied first, e.g. camera.R to show camera-space normals
   * (x right = red, y down = green, z forward = blue). Default: normals as given (world space).
   */
  rotation?: ArrayLike<number>;
}

/** Normal image (3 channels; a FloatImage or the render's normal tensor [H, W, 3]) -> RGB (n + 1) / 2, clamped; zero normals are background. */
export function normalsToColor(normalImage: ImageLike, options: NormalColorOptions = {}): FloatImage {
  const normals = asFloatImage(normalImage, 'normals');
  validateImage(normals, 'normals');
  if (normals.channels !== 3) throw new ArgumentError(`normals must have 3 channels, got ${normals.channels}; pass the renderer's normal image.`);
  const R = options.rotation ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (R.length !== 9) throw new ArgumentError(`options.rotation must be 9 numbers (row-major 3x3), got ${R.length}.`);
  const transparent = background(options.background);
  const channels = transparent ? 4 : 3;
  const out = createImage(normals.width, normals.height, channels);
  const n = normals.data;
  for (let p = 0, count = normals.width * normals.height; p < count; p++) {
    const x = n[3 * p],
      y = n[3 * p + 1],
      z = n[3 * p + 2];
    if (x * x + y * y + z * z < 1e-12) continue; // no surface here
    const o = p * channels;
    for (let c = 0; c < 3; c++) {
      const v = 0.5 * (R[3 * c] * x + R[3 * c + 1] * y + R[3 * c + 2] * z + 1);
      out.data[o + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    if (transparent) out.data[o + 3] = 1;
  }
  return out;
}

function isForeground(z: number): boolean {
  return z > 0 && z < Infinity;
}

function background(b: ColormapBackground | undefined): boolean {
  if (b === undefined || b === 'transparent') return true;
  if (b === 'black') return false;
  throw new ArgumentError(`options.background must be 'transparent' or 'black', got ${JSON.stringify(b)}.`);
}

// A float image: row-major H x W x C samples in a Float32Array, the form the renderers, losses,
// colour maps and PNG files exchange. Colour values are nominally in [0, 1]; depth images hold
// scene units. Channel conventions: 1 gray/depth/alpha, 2 gray+alpha, 3 RGB, 4 RGBA.

import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';

export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  /** Sample (x, y, c) is data[(y * width + x) * channels + c]. */
  data: Float32Array;
}

/** A new image filled with `fill` (a number for every sample, or one value per channel). */
export function createImage(width: number, height: number, channels: number, fill: number | readonly number[] = 0): FloatImage {
  checkDimensions(width, height, channels, 'createImage');
  const data = new Float32Array(width * height * channels);
  if (typeof fill === 'number') {
    if (fill !== 0) data.fill(fill);
  } else {
    if (fill.length !== channels) throw new ArgumentError(`createImage: fill has ${fill.length} values but the image has ${channels} channels; pass one value per channel.`);
    for (let i = 0; i < data.length; i += channels) for (let c = 0; c < channels; c++) data[i + c] = fill[c];
  }
  return { width, height, channels, data };
}

/** An image, or an image tensor as the renderers return them: [H, W] (one channel) or [H, W, C]. */
export type ImageLike = FloatImage | Tensor;

/**
 * `image` as a FloatImage: a FloatImage as it is; a tensor [H, W] or [H, W, C] (C = 1..4) as its
 * samples in a Float32Array (shared when already float32). `what` names it in errors.
 */
export function asFloatImage(image: ImageLike, what = 'image'): FloatImage {
  if (!(image instanceof Tensor)) return image;
  const [height, width, channels = 1] = image.shape;
  if ((image.ndim !== 2 && image.ndim !== 3) || channels < 1 || channels > 4) {
    throw new ShapeError(
      `${what} is a tensor of shape [${image.shape}]; an image tensor is [height, width] or [height, width, channels] with 1 to 4 channels (render.image, render.depth, render.alpha...).`,
    );
  }
  const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
  return { width, height, channels, data };
}

/** Wraps existing samples as an image after checking that the sizes agree (infinite samples allowed). */
export function imageFromData(data: Float32Array, width: number, height: number, channels: number): FloatImage {
  const image = { width, height, channels, data };
  validateImage(image, 'image', false);
  return image;
}

/**
 * Throws a typed error naming `what` unless `image` is a well-formed FloatImage; with
 * `finite` (default true) NaN and infinite samples are rejected too.
 */
export function validateImage(image: FloatImage, what = 'image', finite = true): void {
  if (image === null || typeof image !== 'object') throw new ArgumentError(`${what} must be an image { width, height, channels, data: Float32Array } or an image tensor [H, W, C].`);
  if (image instanceof Tensor) throw new ArgumentError(`${what} is a tensor; wrap it with asFloatImage(tensor) first.`);
  checkDimensions(image.width, image.height, image.channels, what);
  if (!(image.data instanceof Float32Array)) throw new ArgumentError(`${what}.data must be a Float32Array (row-major height x width x channels).`);
  const want = image.width * image.height * image.channels;
  if (image.data.length !== want) {
    throw new ShapeError(`${what}.data has ${image.data.length} samples but ${image.width} x ${image.height} x ${image.channels} needs ${want}.`);
  }
  if (finite) assertFinite(image.data, `${what}.data`, 'replace NaN/infinite samples (e.g. empty depth) before using the image');
}

/** Throws unless a and b have the same width and height (and channels, when `sameChannels`). */
export function assertSameSize(a: FloatImage, b: FloatImage, whatA: string, whatB: string, sameChannels = true): void {
  if (a.width !== b.width || a.height !== b.height || (sameChannels && a.channels !== b.channels)) {
    throw new ShapeError(`${whatA} is ${a.width} x ${a.height} x ${a.channels} but ${whatB} is ${b.width} x ${b.height} x ${b.channels}; render or resize them to the same size.`);
  }
}

function checkDimensions(width: number, height: number, channels: number, what: string): void {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${what}: ${name} must be a whole number >= 1, got ${v}.`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) throw new ArgumentError(`${what}: channels must be 1, 2, 3 or 4, got ${channels}.`);
}

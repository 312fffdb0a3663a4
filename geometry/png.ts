// PNG files <-> float images, through fast-png. Writing clamps samples to [0, 1] and quantizes to
// 8 or 16 bits (round to nearest); reading returns samples divided by the format's maximum
// (255, 65535, or 2^depth - 1 for 1/2/4-bit gray), palettes expanded to RGB(A). 1 (gray),
// 2 (gray + alpha), 3 (RGB) and 4 (RGBA) channels. A tRNS colour key on a non-palette
// image is ignored (no alpha channel is made from it).

import { readFileSync, writeFileSync } from 'node:fs';
import { convertIndexedToRgb, decode, encode } from 'fast-png';
import { ArgumentError, SplatgradError } from '../lib/errors.js';
import { type FloatImage, type ImageLike, asFloatImage, validateImage } from './image.js';

export interface PngWriteOptions {
  /** Bits per sample (default 8). */
  bitDepth?: 8 | 16;
}

/**
 * PNG file bytes of `image` (a FloatImage, or an image tensor [H, W] / [H, W, C] as the renderers
 * return: render.image, render.alpha); NaN or infinite samples are rejected, others clamped to [0, 1].
 */
export function encodePng(imageOrTensor: ImageLike, options: PngWriteOptions = {}): Uint8Array {
  const image = asFloatImage(imageOrTensor, 'image');
  validateImage(image, 'image');
  const depth = options.bitDepth ?? 8;
  if (depth !== 8 && depth !== 16) throw new ArgumentError(`options.bitDepth must be 8 or 16, got ${JSON.stringify(depth)}.`);
  const max = depth === 8 ? 255 : 65535;
  const src = image.data;
  const data = depth === 8 ? new Uint8Array(src.length) : new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    data[i] = v <= 0 ? 0 : v >= 1 ? max : Math.round(v * max);
  }
  return encode({ width: image.width, height: image.height, channels: image.channels, depth, data });
}

/** Decodes PNG bytes to a float image; `fileName` names the source in errors. */
export function decodePng(bytes: Uint8Array, fileName = 'PNG data'): FloatImage {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${fileName}: expected the file contents as a Uint8Array.`);
  // fast-png reads chunks by slicing the view's whole ArrayBuffer, so a view into a larger buffer
  // (a pooled Node Buffer from readFileSync, a subarray) could read past its own end: a truncated
  // file would decode, or fail by chance, from whatever follows. Decode an exact copy instead.
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  let png: ReturnType<typeof decode>;
  try {
    png = decode(exact, { checkCrc: true });
    if (png.palette) png = { ...png, data: convertIndexedToRgb(png), depth: 8 as const, channels: png.palette[0].length };
  } catch (e) {
    throw unreadable(fileName, bytes, e);
  }
  const { width, height, channels, depth } = png;
  const samples = width * height * channels;
  let raw: ArrayLike<number> = png.data;
  if (depth < 8) raw = unpackRows(png.data, width, height, channels, depth);
  if (raw.length < samples) throw unreadable(fileName, bytes, new Error(`image data holds ${raw.length} of ${samples} samples`));
  const scale = 1 / ((depth === 16 ? 65536 : 1 << depth) - 1);
  const data = new Float32Array(samples);
  for (let i = 0; i < samples; i++) data[i] = raw[i] * scale;
  return { width, height, channels, data };
}

export function writePng(path: string, image: ImageLike, options: PngWriteOptions = {}): void {
  writeFileSync(path, encodePng(image, options));
}

export function readPng(path: string): FloatImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ArgumentError(`${path}: cannot read the file (${(e as Error).message}); check the path.`);
  }
  return decodePng(bytes, path);
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]; // the empty last chunk, with its CRC

const startsWith = (bytes: Uint8Array, head: number[]) => bytes.length >= head.length && head.every((v, i) => bytes[i] === v);
const endsWith = (bytes: Uint8Array, tail: number[]) => bytes.length >= tail.length && tail.every((v, i) => bytes[bytes.length - tail.length + i] === v);

function unreadable(fileName: string, bytes: Uint8Array, cause: unknown): SplatgradError {
  if (cause instanceof SplatgradError) return cause;
  // a PNG ends with its IEND chunk: one that starts like a PNG but lacks it was cut short,
  // whichever way the decoder happened to trip over the missing data
  const truncated = cause instanceof RangeError || (startsWith(bytes, SIGNATURE) && !endsWith(bytes, IEND));
  const why = truncated ? 'the data ends early (truncated file?)' : (cause as Error).message;
  return new ArgumentError(`${fileName}: not a readable PNG (${bytes.length} bytes; ${why}); re-export or re-download the file.`);
}

/** Samples of a gray image stored below 8 bits: each row packed most significant bit first, padded to a byte. */
function unpackRows(packed: ArrayLike<number>, width: number, height: number, channels: number, depth: number): Uint8Array {
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(perRow * height);
  if (packed.length < rowBytes * height) return out.subarray(0, 0); // reported as short by the caller
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      const byte = packed[y * rowBytes + (bit >> 3)];
      out[y * perRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

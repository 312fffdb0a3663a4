// Several images side by side in a grid, optionally with a text label under each (3 x 5 bitmap
// font, bitmapFont.ts), for looking at targets, renders and error maps together.
// By default the sheet is RGB and images with alpha (2 or 4 channels) are composited over the
// background colour; with flatten: false it keeps alpha (RGBA when any input has it, missing
// alpha = 1). Gray is repeated into RGB. Images smaller than the largest are centred in their
// cell. Labels longer than a cell are cut off.

import { ArgumentError } from '../lib/errors.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel, textWidth } from './bitmapFont.js';
import { type FloatImage, createImage, validateImage } from './image.js';

export interface ContactSheetOptions {
  /** Images per row (default: ceil(sqrt(count))). */
  columns?: number;
  /** Pixels between cells and around the sheet (default 2). */
  gap?: number;
  /** Sheet colour, RGB or RGBA (default black, opaque). */
  background?: readonly number[];
  /** One label per image ('' for none), drawn under it. */
  labels?: readonly string[];
  /** Font pixel size in image pixels (default 2). */
  labelScale?: number;
  /** Label colour, RGB (default white). */
  labelColor?: readonly number[];
  /** Composite alpha over the background into an RGB sheet (default true). */
  flatten?: boolean;
}

export function contactSheet(images: readonly FloatImage[], options: ContactSheetOptions = {}): FloatImage {
  if (!Array.isArray(images) || images.length === 0) throw new ArgumentError('images must be a non-empty array of images; pass at least one.');
  images.forEach((im, i) => validateImage(im, `images[${i}]`));
  const count = images.length;
  const columns = options.columns ?? Math.ceil(Math.sqrt(count));
  const gap = options.gap ?? 2;
  const scale = options.labelScale ?? 2;
  if (!Number.isInteger(columns) || columns < 1) throw new ArgumentError(`options.columns must be a whole number >= 1, got ${columns}.`);
  if (!Number.isInteger(gap) || gap < 0) throw new ArgumentError(`options.gap must be a whole number >= 0, got ${gap}.`);
  if (!Number.isInteger(scale) || scale < 1) throw new ArgumentError(`options.labelScale must be a whole number >= 1, got ${scale}.`);
  const labels = options.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length !== count)) {
    throw new ArgumentError(`options.labels must have one string per image (${count}), got ${Array.isArray(labels) ? labels.length : typeof labels}.`);
  }
  const labelColor = colour(options.labelColor ?? [1, 1, 1], 3, 'options.labelColor');

  const flatten = options.flatten ?? true;
  const channels = !flatten && images.some((im) => im.channels === 2 || im.channels === 4) ? 4 : 3;
  const cellW = Math.max(...images.map((im) => im.width));
  const labelBand = labels?.some((l) => l.length > 0) ? (GLYPH_HEIGHT + 2) * scale : 0;
  const cellH = Math.max(...images.map((im) => im.height)) + labelBand;
  const rows = Math.ceil(count / columns);
  const width = columns * cellW + (columns + 1) * gap;
  const height = rows * cellH + (rows + 1) * gap;
  const bg = colour(options.background ?? [0, 0, 0], channels, 'options.background');
  const sheet = createImage(width, height, channels, bg);
  const bgRgb = bg.slice(0, 3);

  images.forEach((im, i) => {
    const cellX = gap + (i % columns) * (cellW + gap);
    const cellY = gap + Math.floor(i / columns) * (cellH + gap);
    paste(sheet, im, cellX + ((cellW - im.width) >> 1), cellY + ((cellH - labelBand - im.height) >> 1), flatten ? bgRgb : null);
    const text = labels?.[i] ?? '';
    if (text.length > 0) {
      const x0 = cellX + Math.max(0, (cellW - textWidth(text) * scale) >> 1);
      drawText(sheet, text, x0, cellY + cellH - labelBand + scale, scale, labelColor, cellX + cellW);
    }
  });
  return sheet;
}

/**
 * Copies `im` into `sheet` with its top-left corner at (x0, y0), converting channels; with
 * `over` (an RGB background) alpha is composited: rgb * alpha + over * (1 - alpha).
 */
function paste(sheet: FloatImage, im: FloatImage, x0: number, y0: number, over: number[] | null): void {
  const C = sheet.channels,
    c = im.channels,
    gray = c <= 2,
    hasAlpha = c === 2 || c === 4;
  for (let y = 0; y < im.height; y++) {
    for (let x = 0; x < im.width; x++) {
      const s = (y * im.width + x) * c;
      const d = ((y0 + y) * sheet.width + x0 + x) * C;
      const alpha = hasAlpha ? im.data[s + c - 1] : 1;
      for (let k = 0; k < 3; k++) {
        const v = im.data[s + (gray ? 0 : k)];
        sheet.data[d + k] = over ? v * alpha + over[k] * (1 - alpha) : v;
      }
      if (C === 4) sheet.data[d + 3] = alpha;
    }
  }
}

function drawText(sheet: FloatImage, text: string, x0: number, y0: number, scale: number, color: number[], xLimit: number): void {
  const C = sheet.channels;
  for (let i = 0; i < text.length; i++) {
    const gx = x0 + i * GLYPH_ADVANCE * scale;
    if (gx + GLYPH_WIDTH * scale > xLimit) break; // cut off at the cell edge
    for (let y = 0; y < GLYPH_HEIGHT * scale; y++) {
      for (let x = 0; x < GLYPH_WIDTH * scale; x++) {
        if (!glyphPixel(text[i], Math.floor(x / scale), Math.floor(y / scale))) continue;
        const d = ((y0 + y) * sheet.width + gx + x) * C;
        for (let k = 0; k < 3; k++) sheet.data[d + k] = color[k];
        if (C === 4) sheet.data[d + 3] = 1;
      }
    }
  }
}

/** A colour with `channels` values (RGB given for RGBA gets alpha 1), finite, or throws naming `what`. */
function colour(v: readonly number[], channels: number, what: string): number[] {
  if (!Array.isArray(v) || (v.length !== channels && !(channels === 4 && v.length === 3)) || v.some((x) => !Number.isFinite(x))) {
    throw new ArgumentError(`${what} must be ${channels === 4 ? '3 or 4' : channels} finite numbers, got ${JSON.stringify(v)}.`);
  }
  return v.length === channels ? [...v] : [...v, 1];
}

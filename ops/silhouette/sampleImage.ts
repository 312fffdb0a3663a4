// Differentiable bilinear image sampling (docs/drwr.md §2): the values of an image [H, W] or
// [H, W, C] at continuous pixel positions [N, 2] (x, y), for any loss that scores projected points
// against an image. Pixel (i, j) is centred at (i + 0.5, j + 0.5), as the cameras count (camera.ts):
//   u = x - 1/2, v = y - 1/2, i = floor(u), j = floor(v), a = u - i, b = v - j            (eq. 7)
//   s = (1-a)(1-b) I[j, i] + a (1-b) I[j, i+1] + (1-a) b I[j+1, i] + a b I[j+1, i+1]
// Backward (eq. 8), per channel c with upstream gradient g:
//   ds/dx = (1-b)(I[j, i+1] - I[j, i]) + b (I[j+1, i+1] - I[j+1, i])
//   ds/dy = (1-a)(I[j+1, i] - I[j, i]) + a (I[j+1, i+1] - I[j, i+1])
//   ds/dI[corner] = that corner's weight (scattered into the image gradient)
// Off the image, 'border' padding (the default) repeats the edge pixels, so the value is constant
// and its gradient in x or y zero there; 'zeros' reads 0 for every corner outside.

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError, assertFinite } from '../../lib/errors.js';
import type { FloatArray } from '../../lib/dtype.js';
import { Tensor } from '../../lib/tensor.js';

export type SamplePadding = 'border' | 'zeros';

export interface SampleImageOptions {
  /** What corners off the image read: the nearest edge pixel ('border', default) or 0 ('zeros'). */
  padding?: SamplePadding;
}

/** The four corners of one sample: flat pixel indices (-1 for a 'zeros' corner off the image) and weights. */
interface Corners {
  i00: number;
  i10: number;
  i01: number;
  i11: number;
  a: number;
  b: number;
}

/** Corners of the sample at (x, y) on a W x H image (eq. 7); writes into `c`. */
export function bilinearCorners(x: number, y: number, W: number, H: number, zeros: boolean, c: Corners): void {
  const u = x - 0.5,
    v = y - 0.5;
  const i = Math.floor(u),
    j = Math.floor(v);
  c.a = u - i;
  c.b = v - j;
  let i0 = i,
    i1 = i + 1,
    j0 = j,
    j1 = j + 1;
  if (zeros) {
    const in0 = i0 >= 0 && i0 < W,
      in1 = i1 >= 0 && i1 < W,
      jn0 = j0 >= 0 && j0 < H,
      jn1 = j1 >= 0 && j1 < H;
    c.i00 = in0 && jn0 ? j0 * W + i0 : -1;
    c.i10 = in1 && jn0 ? j0 * W + i1 : -1;
    c.i01 = in0 && jn1 ? j1 * W + i0 : -1;
    c.i11 = in1 && jn1 ? j1 * W + i1 : -1;
    return;
  }
  i0 = i0 < 0 ? 0 : i0 >= W ? W - 1 : i0;
  i1 = i1 < 0 ? 0 : i1 >= W ? W - 1 : i1;
  j0 = j0 < 0 ? 0 : j0 >= H ? H - 1 : j0;
  j1 = j1 < 0 ? 0 : j1 >= H ? H - 1 : j1;
  c.i00 = j0 * W + i0;
  c.i10 = j0 * W + i1;
  c.i01 = j1 * W + i0;
  c.i11 = j1 * W + i1;
}

const read = (image: FloatArray, index: number, channels: number, ch: number): number => (index < 0 ? 0 : image[index * channels + ch]);

const sampleOp = customOp({
  name: 'sampleImage',
  forward(ctx, image: Tensor, pixels: Tensor, zeros: boolean) {
    const [H, W] = image.shape;
    const C = image.ndim === 3 ? image.shape[2] : 1;
    const n = pixels.shape[0];
    const out = ctx.output(image.ndim === 3 ? [n, C] : [n]);
    const I = image.data,
      P = pixels.data,
      o = out.data;
    const c: Corners = { i00: 0, i10: 0, i01: 0, i11: 0, a: 0, b: 0 };
    for (let k = 0; k < n; k++) {
      bilinearCorners(P[2 * k], P[2 * k + 1], W, H, zeros, c);
      const { a, b } = c;
      for (let ch = 0; ch < C; ch++) {
        o[k * C + ch] = (1 - b) * ((1 - a) * read(I, c.i00, C, ch) + a * read(I, c.i10, C, ch)) + b * ((1 - a) * read(I, c.i01, C, ch) + a * read(I, c.i11, C, ch));
      }
    }
    ctx.save(image, pixels, zeros);
    return out;
  },
  backward(ctx, g) {
    const [image, pixels, zeros] = ctx.saved as [Tensor, Tensor, boolean];
    const [H, W] = image.shape;
    const C = image.ndim === 3 ? image.shape[2] : 1;
    const n = pixels.shape[0];
    const I = image.data,
      P = pixels.data;
    const gImage = ctx.needsInputGrad[0] ? ctx.zeros(image.size) : null;
    const gPixels = ctx.needsInputGrad[1] ? ctx.zeros(pixels.size) : null;
    const c: Corners = { i00: 0, i10: 0, i01: 0, i11: 0, a: 0, b: 0 };
    for (let k = 0; k < n; k++) {
      bilinearCorners(P[2 * k], P[2 * k + 1], W, H, zeros, c);
      const { a, b } = c;
      let gx = 0,
        gy = 0;
      for (let ch = 0; ch < C; ch++) {
        const gk = g![k * C + ch];
        if (gk === 0) continue;
        if (gPixels) {
          const v00 = read(I, c.i00, C, ch),
            v10 = read(I, c.i10, C, ch),
            v01 = read(I, c.i01, C, ch),
            v11 = read(I, c.i11, C, ch);
          gx += gk * ((1 - b) * (v10 - v00) + b * (v11 - v01));
          gy += gk * ((1 - a) * (v01 - v00) + a * (v11 - v10));
        }
        if (gImage) {
          if (c.i00 >= 0) gImage[c.i00 * C + ch] += gk * (1 - a) * (1 - b);
          if (c.i10 >= 0) gImage[c.i10 * C + ch] += gk * a * (1 - b);
          if (c.i01 >= 0) gImage[c.i01 * C + ch] += gk * (1 - a) * b;
          if (c.i11 >= 0) gImage[c.i11 * C + ch] += gk * a * b;
        }
      }
      if (gPixels) {
        gPixels[2 * k] = gx;
        gPixels[2 * k + 1] = gy;
      }
    }
    return [gImage, gPixels];
  },
});

/**
 * Bilinear samples of `image` [H, W] (-> [N]) or [H, W, C] (-> [N, C]) at pixel positions
 * `pixels` [N, 2] (x, y; projectPoints' output). Differentiable in the positions and, when it
 * requires grad, in the image.
 */
export function sampleImage(image: Tensor, pixels: Tensor, options: SampleImageOptions = {}): Tensor {
  if (!(image instanceof Tensor) || (image.ndim !== 2 && image.ndim !== 3) || image.shape[0] < 1 || image.shape[1] < 1) {
    throw new ShapeError(`sampleImage: image must be a tensor [H, W] or [H, W, C], got ${image instanceof Tensor ? `[${image.shape}]` : typeof image}.`);
  }
  if (!(pixels instanceof Tensor) || pixels.ndim !== 2 || pixels.shape[1] !== 2) {
    throw new ShapeError(`sampleImage: pixels must be a tensor [N, 2] of (x, y) positions (projectPoints' output), got ${pixels instanceof Tensor ? `[${pixels.shape}]` : typeof pixels}.`);
  }
  const padding = options.padding ?? 'border';
  if (padding !== 'border' && padding !== 'zeros') throw new ArgumentError(`sampleImage: options.padding must be 'border' or 'zeros', got ${JSON.stringify(padding)}.`);
  assertFinite(pixels.data, 'sampleImage: pixels', 'drop or fix the points whose projection is not finite');
  return sampleOp(image, pixels, padding === 'zeros');
}

// Image losses between a render I and a target I* of the same shape [H, W, C] (docs/dss.md §5):
//   smape (eq. 7): 1/(HW) sum_x sum_c |I - I*| / (|I| + |I*| + eps),  eps = 0.01
//   l1:            1/(HW) sum_x sum_c |I - I*|
//   l2:            1/(HW) sum_x sum_c (I - I*)^2
// One pass forward and one backward over flat arrays (the target gets no gradient).

import { customOp } from '../../lib/customOp.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { shapesEqual } from '../../lib/shape.js';
import { Tensor } from '../../lib/tensor.js';

export type ImageLossKind = 'smape' | 'l1' | 'l2';
export const IMAGE_LOSSES: readonly ImageLossKind[] = ['smape', 'l1', 'l2'];
export const SMAPE_EPS = 0.01;

const imageLossOp = customOp({
  name: 'imageLoss',
  forward(ctx, image: Tensor, target: Tensor, kind: ImageLossKind, pixels: number) {
    const I = image.data,
      T = target.data;
    let total = 0;
    for (let i = 0; i < I.length; i++) {
      const a = I[i] - T[i];
      if (kind === 'smape') total += Math.abs(a) / (Math.abs(I[i]) + Math.abs(T[i]) + SMAPE_EPS);
      else if (kind === 'l1') total += Math.abs(a);
      else total += a * a;
    }
    const out = ctx.output([]);
    out.data[0] = total / pixels;
    ctx.save(image, target, kind, pixels);
    return out;
  },
  backward(ctx, g) {
    const [image, target, kind, pixels] = ctx.saved as [Tensor, Tensor, ImageLossKind, number];
    const I = image.data,
      T = target.data;
    const gI = ctx.zeros(I.length);
    const s = g![0] / pixels;
    for (let i = 0; i < I.length; i++) {
      const a = I[i] - T[i];
      const sa = a > 0 ? 1 : a < 0 ? -1 : 0;
      if (kind === 'smape') {
        const d = Math.abs(I[i]) + Math.abs(T[i]) + SMAPE_EPS;
        const si = I[i] > 0 ? 1 : I[i] < 0 ? -1 : 0;
        gI[i] = s * (sa / d - (Math.abs(a) * si) / (d * d));
      } else if (kind === 'l1') gI[i] = s * sa;
      else gI[i] = s * 2 * a;
    }
    return [gI, null];
  },
});

/** The image loss of a render [H, W, C] against a target of the same shape. */
export function imageLoss(image: Tensor, target: Tensor, kind: ImageLossKind = 'smape'): Tensor {
  if (!(image instanceof Tensor) || !(target instanceof Tensor)) throw new ArgumentError('imageLoss: image and target must be tensors [H, W, C].');
  if (!shapesEqual(image.shape, target.shape)) {
    throw new ShapeError(`imageLoss: image [${image.shape}] and target [${target.shape}] differ in size; render at the target's size (camera width/height) or resize the target.`);
  }
  if (!IMAGE_LOSSES.includes(kind)) throw new ArgumentError(`imageLoss: kind must be one of ${IMAGE_LOSSES.join(', ')}, got ${JSON.stringify(kind)}.`);
  const pixels = image.ndim >= 2 ? image.shape[0] * image.shape[1] : image.size;
  const t = target.dtype === image.dtype ? target : target.to(image.dtype);
  return imageLossOp(image, t.requiresGrad ? t.detach() : t, kind, pixels);
}

// sum and mean over any set of axes. With R the reduced axes,
//   sum:  y[j] = sum_{i -> j} x[i]            dL/dx[i] = dL/dy[j(i)]
//   mean: y[j] = (1/n) sum_{i -> j} x[i]      dL/dx[i] = dL/dy[j(i)] / n,   n = prod_{r in R} shape[r]
// where i -> j means "x[i] lands in output j once the axes in R are dropped". That map is the
// broadcast index of the kept-dims output shape onto x's shape, so forward and backward are each
// one flat loop.

import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { broadcastIndex, normalizeAxis, sizeOf } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';

export type Axes = number | readonly number[];

export interface Reduction {
  /** The reduced axes, normalized and sorted. */
  axes: number[];
  /** Output shape with the reduced axes kept as 1 (broadcasts back onto the input). */
  keptShape: number[];
  /** Output shape as returned (keptShape, or with the reduced axes dropped). */
  outShape: number[];
  /** How many input elements fall into each output element. */
  count: number;
}

/**
 * Validates `axes` for the tensor `x` (undefined: all axes; negative axes count from the end;
 * an empty list reduces nothing, as in NumPy) and works out the output shapes.
 */
export function reduction(x: unknown, axes: Axes | undefined, keepdims: boolean, op: string): Reduction {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: x must be a Tensor, got ${typeof x}; make one with tensor(...).`);
  const shape = x.shape;
  const ndim = shape.length;
  let list: number[];
  if (axes === undefined) list = shape.map((_, i) => i);
  else if (typeof axes === 'number') list = [normalizeAxis(axes, ndim, `${op}: axis`)];
  else if (Array.isArray(axes)) list = axes.map((a) => normalizeAxis(a, ndim, `${op}: axis`));
  else throw new ArgumentError(`${op}: axes must be a number, an array of numbers or undefined (all axes), got ${typeof axes}.`);
  if (ndim === 0) list = []; // normalizeAxis accepts 0 and -0 for a 0-d tensor: there is nothing to reduce
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  if (sorted.length !== list.length) {
    throw new ShapeError(`${op}: axes [${axes}] name the same axis twice; list each axis once.`);
  }
  const keptShape = shape.slice();
  let count = 1;
  for (const a of sorted) {
    count *= shape[a];
    keptShape[a] = 1;
  }
  const outShape = keepdims ? keptShape : shape.filter((_, i) => !sorted.includes(i));
  return { axes: sorted, keptShape, outShape, count };
}

/** sum over the axes, accumulating in float64; `scale` multiplies the result (1/n for mean). */
function reduceSum(name: string) {
  return customOp({
    name,
    forward(ctx, x: Tensor, r: Reduction, scale: number) {
      const out = ctx.output(r.outShape);
      const X = x.data,
        Y = out.data;
      if (Y.length === 1) {
        // a full reduction (the usual loss) needs no index map
        let s = 0;
        for (let i = 0; i < X.length; i++) s += X[i];
        Y[0] = s * scale;
        ctx.save(null, scale, X.length);
        return out;
      }
      const map = broadcastIndex(r.keptShape, x.shape);
      const acc = new Float64Array(sizeOf(r.outShape));
      for (let i = 0; i < X.length; i++) acc[map[i]] += X[i];
      for (let j = 0; j < Y.length; j++) Y[j] = acc[j] * scale;
      ctx.save(map, scale, X.length);
      return out;
    },
    backward(ctx, gy) {
      const [map, scale, n] = ctx.saved as [Int32Array | null, number, number];
      const g = gy!;
      const gx = ctx.zeros(n);
      if (!map) gx.fill(g[0] * scale);
      else for (let i = 0; i < n; i++) gx[i] = g[map[i]] * scale;
      return [gx];
    },
  });
}

const sumOp = reduceSum('sum');
const meanOp = reduceSum('mean');

/** Sum over `axes` (all by default); `keepdims` keeps the reduced axes as length 1. */
export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return sumOp(x, reduction(x, axes, keepdims, 'sum'), 1);
}

/** Mean over `axes` (all by default); an empty reduction has no mean and throws. */
export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const r = reduction(x, axes, keepdims, 'mean');
  if (r.count === 0) {
    throw new ShapeError(`mean: the reduced axes of x (shape [${x.shape}]) hold no elements, so the mean is undefined; reduce over non-empty axes or use sum.`);
  }
  return meanOp(x, r, 1 / r.count);
}

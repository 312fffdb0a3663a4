// The clouds the point-set losses take: whatever geometry/points.ts accepts (a cloud or mesh with
// `positions`, flat xyz triples, a tensor [N, 3]). Only tensors receive gradients; the rest are
// constants, converted to the dtype the loss computes in.

import { type DType, allocate } from '../../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import { type PointsLike, pointsOf } from '../../geometry/points.js';

/** The dtype the losses compute in: the first tensor's, else float64 if any input is, else float32. */
export function commonDType(clouds: PointsLike[]): DType {
  const t = clouds.find((c) => c instanceof Tensor) as Tensor | undefined;
  if (t) return t.dtype;
  return clouds.some((c, i) => pointsOf(c, `cloud ${i}`) instanceof Float64Array) ? 'float64' : 'float32';
}

/** `p` as an N x 3 tensor of `dtype` (a tensor passes through; the rest become constants), checked. */
export function pointsTensor(p: PointsLike, dtype: DType, what: string): Tensor {
  const data = pointsOf(p, what);
  if (data.length % 3 !== 0) throw new ShapeError(`${what} has ${data.length} coordinates, not a multiple of 3; pass flat xyz triples.`);
  if (data.length === 0) throw new ArgumentError(`${what} is empty; pass at least one point.`);
  assertFinite(data, what, 'remove or fix the NaN/infinite coordinates');
  if (p instanceof Tensor) return p;
  const n = data.length / 3;
  if ((dtype === 'float64') === data instanceof Float64Array) return new Tensor(data, [n, 3]);
  const copy = allocate(dtype, data.length);
  copy.set(data);
  return new Tensor(copy, [n, 3]);
}

// What the point-set losses accept as a cloud: a tensor [N, 3] (the only kind that receives
// gradients), anything with `positions` (a PointCloud or Mesh from geometry/), or flat xyz triples.

import { type DType, type FloatArray, allocate } from '../../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';

export type PointsLike = Tensor | Float32Array | Float64Array | { positions: Float32Array | Float64Array };

function coordinates(p: PointsLike, what: string): FloatArray {
  if (p instanceof Tensor) {
    if (p.ndim !== 2 || p.shape[1] !== 3) throw new ShapeError(`${what} must be an N x 3 tensor, got shape [${p.shape}].`);
    return p.data;
  }
  const data = p instanceof Float32Array || p instanceof Float64Array ? p : typeof p === 'object' && p !== null ? (p as { positions?: unknown }).positions : undefined;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new ArgumentError(`${what} must be a tensor [N, 3], a cloud or mesh with positions, or a Float32Array/Float64Array of xyz triples.`);
  }
  if (data.length % 3 !== 0) throw new ShapeError(`${what} has ${data.length} coordinates, not a multiple of 3; pass flat xyz triples.`);
  return data;
}

/** The dtype the losses compute in: the first tensor's, else float64 if any array is, else float32. */
export function commonDType(clouds: PointsLike[]): DType {
  const t = clouds.find((c) => c instanceof Tensor) as Tensor | undefined;
  if (t) return t.dtype;
  return clouds.some((c) => coordinates(c, 'points') instanceof Float64Array) ? 'float64' : 'float32';
}

/** `p` as an N x 3 tensor of `dtype` (a tensor passes through; arrays become constants), checked. */
export function pointsTensor(p: PointsLike, dtype: DType, what: string): Tensor {
  const data = coordinates(p, what);
  if (data.length === 0) throw new ArgumentError(`${what} is empty; pass at least one point.`);
  assertFinite(data, what, 'remove or fix the NaN/infinite coordinates');
  if (p instanceof Tensor) return p;
  const n = data.length / 3;
  if ((dtype === 'float64') === data instanceof Float64Array) return new Tensor(data, [n, 3]);
  const copy = allocate(dtype, data.length);
  copy.set(data);
  return new Tensor(copy, [n, 3]);
}

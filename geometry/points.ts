// What counts as "some points" at the public boundary: whatever the library hands back. A cloud
// object from samplePoints or loadPointCloud, a Tensor [N, 3] (a render's positions), a flat
// Float32Array / Float64Array of xyz triples, or a plain number array of them.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';

export type PointsLike = Float64Array | Float32Array | readonly number[] | Tensor | { readonly positions: Float64Array | Float32Array | readonly number[] | Tensor };

/** The flat xyz coordinates of `points` (the same memory where it already is one), or a typed error naming `what`. */
export function pointsOf(points: PointsLike, what: string): Float64Array | Float32Array {
  if (points instanceof Float64Array || points instanceof Float32Array) return points;
  if (points instanceof Tensor) {
    if (points.ndim !== 2 || points.shape[1] !== 3) throw new ShapeError(`${what} is a tensor of shape [${points.shape}]; pass an N x 3 tensor of points.`);
    return points.data;
  }
  if (Array.isArray(points)) {
    if (points.some((v) => typeof v !== 'number'))
      throw new ArgumentError(`${what} is an array that is not flat numbers; pass xyz triples as one flat array, a Float64Array, or a cloud { positions }.`);
    return Float64Array.from(points as readonly number[]);
  }
  if (points !== null && typeof points === 'object' && 'positions' in points) return pointsOf(points.positions, `${what}.positions`);
  throw new ArgumentError(
    `${what} must be points: a cloud { positions } (what samplePoints returns), an N x 3 Tensor, or a Float64Array/Float32Array of xyz triples; got ${points === null ? 'null' : typeof points}.`,
  );
}

// Strided views as index maps. Storage is always contiguous, so a view (a permutation of the
// axes, a slice) is materialised by reading through a map: out[i] = x[map[i]]. The same map
// scatters the gradient back: gx[map[i]] = g[i].

import { customOp } from '../lib/customOp.js';
import type { Shape } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';

export { stridedIndex } from '../lib/shape.js';

/**
 * An op out[i] = x[map[i]] with the adjoint gx[map[i]] += g[i]: the one kernel behind permute,
 * slice and gather (+= so repeated indices, as gather allows, add up). `name` labels the tape node.
 */
export const readThroughOp = (name: string) =>
  customOp({
    name,
    forward(ctx, x: Tensor, map: Int32Array, shape: Shape) {
      const out = ctx.output(shape);
      const X = x.data,
        Y = out.data;
      for (let i = 0; i < Y.length; i++) Y[i] = X[map[i]];
      ctx.save(map, x.size);
      return out;
    },
    backward(ctx, g) {
      const [map, n] = ctx.saved as [Int32Array, number];
      const gx = ctx.zeros(n);
      for (let i = 0; i < map.length; i++) gx[map[i]] += g![i];
      return [gx];
    },
  });

/** Sizes around `axis`: `outer` blocks of `len` rows of `inner` contiguous values. */
export function axisLayout(shape: Shape, axis: number): { outer: number; len: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, len: shape[axis], inner };
}

// Indexing along one axis: indexSelect (whole slices picked by a list of indices), gather and
// scatterAdd (one index per element, in the torch sense). Indices are integers and never carry a
// gradient; the values do. Each op resolves its indices to flat offsets once, so the forward and
// the backward are single loops over typed arrays:
//   gather:      y[k] = x[offX[k]]                     gx[offX[k]] += g[k]
//   scatterAdd:  y = target; y[offT[k]] += src[offS[k]]  gtarget = g, gsrc[offS[k]] = g[offT[k]]

import { tensor, type NestedNumbers } from '../lib/create.js';
import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { normalizeAxis, sizeOf, unravelIndex } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';
import { axisLayout, readThroughOp, stridedIndex } from './strided.js';

/** Integer indices with a shape. */
export interface IndexArray {
  readonly data: Int32Array | readonly number[];
  readonly shape: readonly number[];
}

/** What the index arguments accept: nested arrays, a flat Int32Array (1-d), {data, shape}, or a Tensor of integers. */
export type IndexLike = NestedNumbers | Int32Array | IndexArray | Tensor;

interface Index {
  data: Int32Array;
  shape: number[];
}

function toIndex(value: IndexLike, argName: string): Index {
  let values: ArrayLike<number>;
  let shape: number[];
  if (value instanceof Tensor) {
    values = value.data;
    shape = value.shape.slice();
  } else if (value instanceof Int32Array) {
    values = value;
    shape = [value.length];
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'data' in value && 'shape' in value) {
    values = value.data;
    shape = value.shape.slice();
    if (sizeOf(shape) !== values.length) throw new ShapeError(`${argName}.shape [${shape}] needs ${sizeOf(shape)} values but ${argName}.data has ${values.length}.`);
  } else {
    const t = tensor(value as NestedNumbers, { dtype: 'float64' }, argName);
    values = t.data;
    shape = t.shape.slice();
  }
  const data = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw new ArgumentError(`${argName}[${unravelIndex(i, shape).join(', ')}] = ${v} is not an integer index.`);
    data[i] = v;
  }
  return { data, shape };
}

function outOfRange(argName: string, position: number[], value: number, what: string, size: number): ArgumentError {
  return new ArgumentError(`${argName}[${position.join(', ')}] = ${value} is out of range for ${what} of size ${size}; indices must be in 0..${size - 1}.`);
}

const indexSelectOp = customOp({
  name: 'indexSelect',
  forward(ctx, x: Tensor, axis: number, indices: Int32Array) {
    const shape = x.shape.slice();
    shape[axis] = indices.length;
    const out = ctx.output(shape);
    const { outer, len, inner } = axisLayout(x.shape, axis);
    const m = indices.length;
    const X = x.data,
      Y = out.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const src = (o * len + indices[j]) * inner,
          dst = (o * m + j) * inner;
        for (let i = 0; i < inner; i++) Y[dst + i] = X[src + i];
      }
    }
    ctx.save(x.size, outer, len, inner, indices);
    return out;
  },
  backward(ctx, g) {
    const [n, outer, len, inner, indices] = ctx.saved as [number, number, number, number, Int32Array];
    const G = g!;
    const gx = ctx.zeros(n);
    const m = indices.length;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const dst = (o * len + indices[j]) * inner,
          src = (o * m + j) * inner;
        for (let i = 0; i < inner; i++) gx[dst + i] += G[src + i]; // += : an index may repeat
      }
    }
    return [gx];
  },
});

/** The slices x[..., indices[j], ...] along `axis`, in order (repeats allowed). Differentiable in x. */
export function indexSelect(x: Tensor, axis: number, indices: Int32Array | readonly number[]): Tensor {
  if (x.ndim === 0) throw new ShapeError('indexSelect: x is 0-d; it needs at least one axis to select along.');
  const a = normalizeAxis(axis, x.ndim);
  if (!(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new ArgumentError(`indexSelect: indices must be an Int32Array or an array of integers, got ${typeof indices}.`);
  }
  const idx = toIndex(indices instanceof Int32Array ? indices : { data: indices, shape: [indices.length] }, 'indices');
  const size = x.shape[a];
  for (let j = 0; j < idx.data.length; j++) {
    if (idx.data[j] < 0 || idx.data[j] >= size) throw outOfRange('indices', [j], idx.data[j], `axis ${a} of x`, size);
  }
  return indexSelectOp(x, a, idx.data);
}

/**
 * Flat offsets into an array of `shape`/`strides` for every element k of `index`:
 * the element's own coordinates on every axis but `axis`, index[k] on `axis`.
 */
function offsetsAlong(index: Index, axis: number, shape: readonly number[], strides: readonly number[], argName: string, what: string): Int32Array {
  const offsets = stridedIndex(
    index.shape,
    strides.map((s, d) => (d === axis ? 0 : s)),
  );
  const size = shape[axis];
  const step = strides[axis];
  for (let k = 0; k < offsets.length; k++) {
    const v = index.data[k];
    if (v < 0 || v >= size) throw outOfRange(argName, unravelIndex(k, index.shape), v, what, size);
    offsets[k] += v * step;
  }
  return offsets;
}

/** Index must have the rank of `x` and fit inside it on every axis but `axis` (and on `axis` too when `all`). */
function checkIndexShape(index: Index, x: Tensor, axis: number, op: string, xName: string, all: boolean): void {
  if (index.shape.length !== x.ndim) {
    throw new ShapeError(`${op}: index has shape [${index.shape}] but ${xName} has shape [${x.shape}]; index must have the same number of dimensions.`);
  }
  index.shape.forEach((d, k) => {
    if ((all || k !== axis) && d > x.shape[k]) {
      throw new ShapeError(`${op}: index dimension ${k} is ${d} but ${xName}'s is ${x.shape[k]}; index may not be larger than ${xName} on ${all ? 'any axis' : `axes other than ${axis}`}.`);
    }
  });
}

const gatherOp = readThroughOp('gather');

/** y[i][j][k] = x[index[i][j][k]][j][k] for axis 0 (and likewise for other axes); y has index's shape. */
export function gather(x: Tensor, axis: number, index: IndexLike): Tensor {
  if (x.ndim === 0) throw new ShapeError('gather: x is 0-d; it needs at least one axis to gather along.');
  const a = normalizeAxis(axis, x.ndim);
  const idx = toIndex(index, 'index');
  checkIndexShape(idx, x, a, 'gather', 'x', false);
  return gatherOp(x, offsetsAlong(idx, a, x.shape, x.strides, 'index', `axis ${a} of x`), idx.shape);
}

const scatterAddOp = customOp({
  name: 'scatterAdd',
  forward(ctx, target: Tensor, src: Tensor, targetOffsets: Int32Array, srcOffsets: Int32Array) {
    const out = ctx.output(target.shape);
    const Y = out.data,
      S = src.data;
    Y.set(target.data);
    for (let k = 0; k < targetOffsets.length; k++) Y[targetOffsets[k]] += S[srcOffsets[k]];
    ctx.save(targetOffsets, srcOffsets, src.size);
    return out;
  },
  backward(ctx, g) {
    const [targetOffsets, srcOffsets, n] = ctx.saved as [Int32Array, Int32Array, number];
    const G = g!;
    let gs = null;
    if (ctx.needsInputGrad[1]) {
      gs = ctx.zeros(n);
      for (let k = 0; k < srcOffsets.length; k++) gs[srcOffsets[k]] = G[targetOffsets[k]];
    }
    return [ctx.needsInputGrad[0] ? G : null, gs];
  },
});

/**
 * A copy of target with src added at the indexed places: for axis 0,
 * y[index[i][j]][j] += src[i][j] (repeated indices accumulate). Differentiable in target and src.
 * index must have the rank of target and fit inside src on every axis and inside target on the others.
 */
export function scatterAdd(target: Tensor, axis: number, index: IndexLike, src: Tensor): Tensor {
  if (target.ndim === 0) throw new ShapeError('scatterAdd: target is 0-d; it needs at least one axis to scatter along.');
  const a = normalizeAxis(axis, target.ndim);
  const idx = toIndex(index, 'index');
  checkIndexShape(idx, target, a, 'scatterAdd', 'target', false);
  checkIndexShape(idx, src, a, 'scatterAdd', 'src', true);
  const targetOffsets = offsetsAlong(idx, a, target.shape, target.strides, 'index', `axis ${a} of target`);
  const srcOffsets = stridedIndex(idx.shape, src.strides);
  return scatterAddOp(target, src, targetOffsets, srcOffsets);
}

// Vector ops over one axis, for N x 3 point clouds and normals on hot paths: direct kernels over
// flat arrays, no per-element objects.
//   dot(a, b)     = sum_j a_j b_j                  d/da = g b,  d/db = g a
//   cross(a, b)   = a x b                          d/da = b x g, d/db = g x a   (g . (a x b) = a . (b x g))
//   norm(x)       = |x| = sqrt(sum_j x_j^2)         d/dx = g x / |x|           (undefined at x = 0)
//   normalize(x)  = x / |x|                        d/dx = (g - y (y . g)) / |x|
// dot and cross take vectors on the last axis and broadcast the leading (batch) axes;
// norm and normalize take any axis.

import { customOp } from '../lib/customOp.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../lib/errors.js';
import { broadcastIndex, broadcastShapes, normalizeAxis, unravelIndex } from '../lib/shape.js';
import type { Tensor } from '../lib/tensor.js';
import { axisLayout } from './strided.js';

/** Batch shape of a and b (all but the last axis), broadcast, and where each batch entry reads its vectors. */
function vectorBatches(op: string, a: Tensor, b: Tensor, len?: number): { batch: number[]; ia: Int32Array; ib: Int32Array; k: number } {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`${op}: a [${a.shape}] and b [${b.shape}] must hold vectors along their last axis; got a 0-d tensor.`);
  const k = a.shape[a.ndim - 1];
  if (len !== undefined && (k !== len || b.shape[b.ndim - 1] !== len)) {
    throw new ShapeError(`${op}: the last axis of a [${a.shape}] and of b [${b.shape}] must have length ${len}.`);
  }
  if (b.shape[b.ndim - 1] !== k) {
    throw new ShapeError(`${op}: a [${a.shape}] holds vectors of length ${k} but b [${b.shape}] of length ${b.shape[b.ndim - 1]}; the last axes must match.`);
  }
  const batchA = a.shape.slice(0, -1),
    batchB = b.shape.slice(0, -1);
  const batch = broadcastShapes(batchA, batchB, ['a (leading dimensions)', 'b (leading dimensions)']);
  return { batch, ia: broadcastIndex(batchA, batch), ib: broadcastIndex(batchB, batch), k };
}

const dotOp = customOp({
  name: 'dot',
  forward(ctx, a: Tensor, b: Tensor) {
    const { batch, ia, ib, k } = vectorBatches('dot', a, b);
    const out = ctx.output(batch);
    const A = a.data,
      B = b.data,
      Y = out.data;
    for (let t = 0; t < Y.length; t++) {
      const ao = ia[t] * k,
        bo = ib[t] * k;
      let s = 0;
      for (let j = 0; j < k; j++) s += A[ao + j] * B[bo + j];
      Y[t] = s;
    }
    ctx.save(a, b, ia, ib, k);
    return out;
  },
  backward(ctx, g) {
    const [a, b, ia, ib, k] = ctx.saved as [Tensor, Tensor, Int32Array, Int32Array, number];
    const A = a.data,
      B = b.data,
      G = g!;
    const ga = ctx.needsInputGrad[0] ? ctx.zeros(a.size) : null;
    const gb = ctx.needsInputGrad[1] ? ctx.zeros(b.size) : null;
    for (let t = 0; t < G.length; t++) {
      const ao = ia[t] * k,
        bo = ib[t] * k,
        gt = G[t];
      // += sums over batch entries that shared a broadcast vector
      if (ga) for (let j = 0; j < k; j++) ga[ao + j] += gt * B[bo + j];
      if (gb) for (let j = 0; j < k; j++) gb[bo + j] += gt * A[ao + j];
    }
    return [ga, gb];
  },
});

/** Dot products of the vectors on the last axis; leading axes broadcast. [N, 3] . [3] -> [N]. */
export function dot(a: Tensor, b: Tensor): Tensor {
  return dotOp(a, b);
}

const crossOp = customOp({
  name: 'cross',
  forward(ctx, a: Tensor, b: Tensor) {
    const { batch, ia, ib } = vectorBatches('cross', a, b, 3);
    const out = ctx.output([...batch, 3]);
    const A = a.data,
      B = b.data,
      Y = out.data;
    const n = ia.length;
    for (let t = 0; t < n; t++) {
      const ao = ia[t] * 3,
        bo = ib[t] * 3,
        yo = t * 3;
      const a0 = A[ao],
        a1 = A[ao + 1],
        a2 = A[ao + 2];
      const b0 = B[bo],
        b1 = B[bo + 1],
        b2 = B[bo + 2];
      Y[yo] = a1 * b2 - a2 * b1;
      Y[yo + 1] = a2 * b0 - a0 * b2;
      Y[yo + 2] = a0 * b1 - a1 * b0;
    }
    ctx.save(a, b, ia, ib);
    return out;
  },
  backward(ctx, g) {
    const [a, b, ia, ib] = ctx.saved as [Tensor, Tensor, Int32Array, Int32Array];
    const A = a.data,
      B = b.data,
      G = g!;
    const ga = ctx.needsInputGrad[0] ? ctx.zeros(a.size) : null;
    const gb = ctx.needsInputGrad[1] ? ctx.zeros(b.size) : null;
    for (let t = 0; t < ia.length; t++) {
      const ao = ia[t] * 3,
        bo = ib[t] * 3,
        go = t * 3;
      const g0 = G[go],
        g1 = G[go + 1],
        g2 = G[go + 2];
      if (ga) {
        // b x g
        const b0 = B[bo],
          b1 = B[bo + 1],
          b2 = B[bo + 2];
        ga[ao] += b1 * g2 - b2 * g1;
        ga[ao + 1] += b2 * g0 - b0 * g2;
        ga[ao + 2] += b0 * g1 - b1 * g0;
      }
      if (gb) {
        // g x a
        const a0 = A[ao],
          a1 = A[ao + 1],
          a2 = A[ao + 2];
        gb[bo] += g1 * a2 - g2 * a1;
        gb[bo + 1] += g2 * a0 - g0 * a2;
        gb[bo + 2] += g0 * a1 - g1 * a0;
      }
    }
    return [ga, gb];
  },
});

/** Cross products of 3-vectors on the last axis; leading axes broadcast. [N, 3] x [3] -> [N, 3]. */
export function cross(a: Tensor, b: Tensor): Tensor {
  return crossOp(a, b);
}

/** "x[2, :, 1]": the vector with batch number v (over outer x inner) along `axis`, for messages. */
function vectorName(argName: string, shape: readonly number[], axis: number, v: number, inner: number): string {
  const outerIdx = unravelIndex(Math.floor(v / inner), shape.slice(0, axis));
  const innerIdx = unravelIndex(v % inner, shape.slice(axis + 1));
  return `${argName}[${[...outerIdx, ':', ...innerIdx].join(', ')}]`;
}

/** Shape of a reduction over `axis`. */
function reducedShape(shape: readonly number[], axis: number, keepdims: boolean): number[] {
  const out = shape.slice();
  if (keepdims) out[axis] = 1;
  else out.splice(axis, 1);
  return out;
}

const normOp = customOp({
  name: 'norm',
  forward(ctx, x: Tensor, axis: number, keepdims: boolean) {
    const { outer, len, inner } = axisLayout(x.shape, axis);
    const out = ctx.output(reducedShape(x.shape, axis, keepdims));
    const X = x.data,
      Y = out.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let s = 0;
        for (let j = 0; j < len; j++) {
          const v = X[base + j * inner];
          s += v * v;
        }
        Y[o * inner + i] = Math.sqrt(s);
      }
    }
    ctx.save(x, out, axis);
    return out;
  },
  backward(ctx, g) {
    const [x, out, axis] = ctx.saved as [Tensor, Tensor, number];
    const { len, inner } = axisLayout(x.shape, axis);
    const X = x.data,
      N = out.data,
      G = g!;
    const gx = ctx.zeros(x.size);
    for (let v = 0; v < N.length; v++) {
      if (G[v] === 0) continue; // nothing flows here, even through a zero vector
      const n = N[v];
      if (n === 0) {
        throw new NonFiniteError(
          `norm: the gradient of |x| is undefined at the zero vector ${vectorName('x', x.shape, axis, v, inner)}; ` +
            `keep vectors away from 0, or use normalize(x, axis, eps) / a squared norm (dot(x, x)) there.`,
        );
      }
      const o = Math.floor(v / inner),
        i = v % inner;
      const base = o * len * inner + i,
        scale = G[v] / n;
      for (let j = 0; j < len; j++) gx[base + j * inner] = scale * X[base + j * inner];
    }
    return [gx];
  },
});

/**
 * Euclidean length along `axis` (default the last). Its gradient x/|x| does not exist at x = 0:
 * backward through a zero vector that receives a non-zero gradient throws NonFiniteError.
 */
export function norm(x: Tensor, axis = -1, keepdims = false): Tensor {
  if (x.ndim === 0) throw new ShapeError('norm: x is 0-d; it needs an axis holding vectors (reshape it to [1] for an absolute value).');
  return normOp(x, normalizeAxis(axis, x.ndim), keepdims);
}

const normalizeOp = customOp({
  name: 'normalize',
  forward(ctx, x: Tensor, axis: number, eps: number | undefined) {
    const { outer, len, inner } = axisLayout(x.shape, axis);
    const out = ctx.output(x.shape);
    const X = x.data,
      Y = out.data;
    // per vector: the divisor |x| (or eps where |x| < eps), saved for the backward
    const divisor = ctx.dtype === 'float64' ? new Float64Array(outer * inner) : new Float32Array(outer * inner);
    const clamped = new Uint8Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i,
          v = o * inner + i;
        let s = 0;
        for (let j = 0; j < len; j++) {
          const c = X[base + j * inner];
          s += c * c;
        }
        let d = Math.sqrt(s);
        if (eps === undefined) {
          if (d === 0) {
            throw new NonFiniteError(
              `normalize: x has a zero vector at ${vectorName('x', x.shape, axis, v, inner)}, which has no direction; remove it or pass eps (e.g. 1e-12) to divide by max(|x|, eps).`,
            );
          }
        } else if (d < eps) {
          d = eps;
          clamped[v] = 1;
        }
        divisor[v] = d;
        const r = 1 / d;
        for (let j = 0; j < len; j++) Y[base + j * inner] = X[base + j * inner] * r;
      }
    }
    ctx.save(out, divisor, clamped, axis);
    return out;
  },
  backward(ctx, g) {
    const [y, divisor, clamped, axis] = ctx.saved as [Tensor, Float64Array, Uint8Array, number];
    const { outer, len, inner } = axisLayout(y.shape, axis);
    const Y = y.data,
      G = g!;
    const gx = ctx.zeros(y.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i,
          v = o * inner + i;
        const r = 1 / divisor[v];
        if (clamped[v]) {
          // y = x / eps is linear in x
          for (let j = 0; j < len; j++) gx[base + j * inner] = G[base + j * inner] * r;
          continue;
        }
        let yg = 0;
        for (let j = 0; j < len; j++) yg += Y[base + j * inner] * G[base + j * inner];
        for (let j = 0; j < len; j++) {
          const k = base + j * inner;
          gx[k] = (G[k] - Y[k] * yg) * r;
        }
      }
    }
    return [gx];
  },
});

/**
 * x / |x| along `axis` (default the last). A zero vector throws NonFiniteError unless `eps` is
 * given, in which case the divisor is max(|x|, eps) (as torch.nn.functional.normalize).
 */
export function normalize(x: Tensor, axis = -1, eps?: number): Tensor {
  if (x.ndim === 0) throw new ShapeError('normalize: x is 0-d; it needs an axis holding vectors.');
  if (eps !== undefined && !(Number.isFinite(eps) && eps > 0)) {
    throw new ArgumentError(`normalize: eps must be a positive finite number (e.g. 1e-12), got ${eps}.`);
  }
  return normalizeOp(x, normalizeAxis(axis, x.ndim), eps);
}

// The plain forward of a DeepSDF-style network (docs/dist.md §8) over a batch of points, and its
// gradient in the points, as matrix products over float32 arrays: what the tracer marches with.
//   x0 = [z, p]            (the latent code z concatenated to the point p)
//   h_l = act(W_l in_l + b_l),  in_l = h_{l-1}, or [h_{l-1}, x0] at a skip layer   (eq. 27)
//   f = scale * tanh(W_last in_last + b_last)
// The layers are the fused linear op's loops (ops/linear/gemm.ts, activation.ts): each output
// row depends only on its own point, summed in a fixed order, so a point's distance is the same
// bits whatever batch it is evaluated in (and on whatever thread), and the tape's up to tanh.

import type { FloatArray } from '../../../lib/dtype.js';
import { NONE, RELU, SOFTPLUS, biasActivate, softplusValue } from '../../linear/activation.js';
import { gemmNN, gemmNT } from '../../linear/gemm.js';
import type { PlainLayer, PlainMlp } from './sdf.js';
import type { SdfWorkspace } from './evaluate.js';

/** A buffer of the network's own precision (float32 weights compute in float32 storage). */
function buffer(net: PlainMlp, ws: SdfWorkspace, depth: number, slot: number, length: number): FloatArray {
  return net.latent instanceof Float64Array ? ws.get(depth, 100 + slot, length) : ws.float32(depth, slot, length);
}

/**
 * Z[n, out] = act(X[n, in] W^T + b): the fused linear op's own loops (ops/linear: a blocked
 * product summed in float64, then bias and activation), so a layer gives the tape's numbers.
 */
export function linearRows(X: FloatArray, n: number, layer: PlainLayer, Z: FloatArray, code: number): void {
  gemmNT(X, layer.weight, Z, layer.outputs, layer.inputs, 0, n);
  biasActivate(Z, layer.bias, layer.outputs, 0, n, code);
}

/** x0 = [latent, p] per point, n x (L + 3). */
function inputRows(net: PlainMlp, points: Float64Array, n: number, X0: FloatArray): void {
  const L = net.latent.length,
    d = L + 3;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let q = 0; q < L; q++) X0[o + q] = net.latent[q];
    X0[o + L] = points[3 * i];
    X0[o + L + 1] = points[3 * i + 1];
    X0[o + L + 2] = points[3 * i + 2];
  }
}

/** [H, X0] per point into In (n x (h + d)). */
function concatRows(H: FloatArray, h: number, X0: FloatArray, d: number, n: number, In: FloatArray): void {
  const w = h + d;
  for (let i = 0; i < n; i++) {
    In.set(H.subarray(i * h, i * h + h), i * w);
    In.set(X0.subarray(i * d, i * d + d), i * w + h);
  }
}

/** softplus(x) = log(1 + e^x), written not to overflow; its derivative is sigmoid(x) = 1 - e^-softplus(x). */
export function softplus(x: number): number {
  return softplusValue(x);
}

/**
 * The forward over a batch; every layer's output is kept in `kept` when given (the gradient
 * needs them: relu' = [y > 0], softplus' = 1 - e^-y). Returns the last layer's pre-activation.
 */
function forward(net: PlainMlp, points: Float64Array, n: number, ws: SdfWorkspace, depth: number, kept: FloatArray[] | null): FloatArray {
  const d = net.latent.length + 3;
  const X0 = buffer(net, ws, depth, 0, n * d);
  inputRows(net, points, n, X0);
  const hidden = net.activation === 'relu' ? RELU : SOFTPLUS;
  let H = X0,
    h = d;
  net.layers.forEach((layer, l) => {
    let In = H;
    if (layer.skip && l > 0) {
      In = buffer(net, ws, depth, 1, n * (h + d));
      concatRows(H, h, X0, d, n, In);
    }
    const last = l === net.layers.length - 1;
    const Z = kept ? (kept[l] = buffer(net, ws, depth, 4 + l, n * layer.outputs)) : buffer(net, ws, depth, 2 + (l % 2), n * layer.outputs);
    linearRows(In, n, layer, Z, last ? NONE : hidden);
    H = Z;
    h = layer.outputs;
  });
  return H;
}

/** eq. 27: distances of n points. */
export function mlpValues(net: PlainMlp, points: Float64Array, n: number, out: Float64Array, ws: SdfWorkspace, depth: number): void {
  const Z = forward(net, points, n, ws, depth, null);
  const s = net.outputScale;
  for (let i = 0; i < n; i++) out[i] = s * Math.tanh(Z[i]);
}

/** eq. 27 and its gradient in the point, by a backward pass over the batch (about twice a forward). */
export function mlpValuesAndGradients(net: PlainMlp, points: Float64Array, n: number, out: Float64Array, grad: Float64Array, ws: SdfWorkspace, depth: number): void {
  const kept: FloatArray[] = [];
  const Z = forward(net, points, n, ws, depth, kept);
  const L = net.latent.length,
    d = L + 3,
    s = net.outputScale;
  const layers = net.layers;
  grad.fill(0, 0, 3 * n);
  // gradient w.r.t. the last pre-activation
  let G = buffer(net, ws, depth + 1, 0, n);
  for (let i = 0; i < n; i++) {
    const y = Math.tanh(Z[i]);
    out[i] = s * y;
    G[i] = s * (1 - y * y);
  }
  const relu = net.activation === 'relu';
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const k = layer.inputs;
    const GIn = buffer(net, ws, depth + 1, 1 + (l % 2), n * k);
    gemmNN(G, layer.weight, GIn, k, layer.outputs, 0, n);
    // the xyz columns of this layer's input: all of x0 for the first layer, its tail at a skip
    const hPrev = l === 0 ? 0 : layer.skip ? k - d : k;
    if (l === 0 || layer.skip) {
      for (let i = 0; i < n; i++) {
        const o = i * k + hPrev + L;
        grad[3 * i] += GIn[o];
        grad[3 * i + 1] += GIn[o + 1];
        grad[3 * i + 2] += GIn[o + 2];
      }
    }
    if (l === 0) break;
    // through the previous layer's activation, from its output y
    const Y = kept[l - 1];
    const Gh = buffer(net, ws, depth + 1, 3 + (l % 2), n * hPrev);
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < hPrev; q++) {
        const y = Y[i * hPrev + q];
        Gh[i * hPrev + q] = GIn[i * k + q] * (relu ? (y > 0 ? 1 : 0) : 1 - Math.exp(-y));
      }
    }
    G = Gh;
  }
}

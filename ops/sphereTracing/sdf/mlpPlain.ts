// The plain forward of a DeepSDF-style network (docs/dist.md §8) over a batch of points, and its
// gradient in the points, as matrix products over float32 arrays: what the tracer marches with.
//   x0 = [z, p]            (the latent code z concatenated to the point p)
//   h_l = act(W_l in_l + b_l),  in_l = h_{l-1}, or [h_{l-1}, x0] at a skip layer   (eq. 27)
//   f = scale * tanh(W_last in_last + b_last)
// Each output row depends only on its own point, with a fixed summation order, so a point's
// distance is the same bits whatever batch it is evaluated in (and on whatever thread).

import type { PlainLayer, PlainMlp } from './sdf.js';
import type { SdfWorkspace } from './evaluate.js';

/** Z[n, out] = X[n, in] W^T + b, four rows at a time (one load of W serves four dot products). */
export function linearRows(X: Float32Array, n: number, layer: PlainLayer, Z: Float32Array): void {
  const { inputs: k, outputs: m, weight: W, bias: b } = layer;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = i * k,
      x1 = x0 + k,
      x2 = x1 + k,
      x3 = x2 + k;
    for (let j = 0; j < m; j++) {
      const w0 = j * k;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let q = 0; q < k; q++) {
        const w = W[w0 + q];
        s0 += w * X[x0 + q];
        s1 += w * X[x1 + q];
        s2 += w * X[x2 + q];
        s3 += w * X[x3 + q];
      }
      const bj = b[j];
      Z[i * m + j] = s0 + bj;
      Z[(i + 1) * m + j] = s1 + bj;
      Z[(i + 2) * m + j] = s2 + bj;
      Z[(i + 3) * m + j] = s3 + bj;
    }
  }
  for (; i < n; i++) {
    const x0 = i * k;
    for (let j = 0; j < m; j++) {
      const w0 = j * k;
      let s = 0;
      for (let q = 0; q < k; q++) s += W[w0 + q] * X[x0 + q];
      Z[i * m + j] = s + b[j];
    }
  }
}

/** x0 = [latent, p] per point, n x (L + 3). */
function inputRows(net: PlainMlp, points: Float64Array, n: number, X0: Float32Array): void {
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
function concatRows(H: Float32Array, h: number, X0: Float32Array, d: number, n: number, In: Float32Array): void {
  const w = h + d;
  for (let i = 0; i < n; i++) {
    In.set(H.subarray(i * h, i * h + h), i * w);
    In.set(X0.subarray(i * d, i * d + d), i * w + h);
  }
}

function activate(net: PlainMlp, Z: Float32Array, len: number, H: Float32Array): void {
  if (net.activation === 'relu') for (let q = 0; q < len; q++) H[q] = Z[q] > 0 ? Z[q] : 0;
  else for (let q = 0; q < len; q++) H[q] = softplus(Z[q]);
}

/** softplus(x) = log(1 + e^x), written not to overflow; its derivative is sigmoid(x). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The forward over a batch, keeping every layer's pre-activation in `pre` when given (the
 * gradient needs them). Returns the buffer of the last layer's pre-activation (n x 1).
 */
function forward(net: PlainMlp, points: Float64Array, n: number, ws: SdfWorkspace, depth: number, pre: Float32Array[] | null): Float32Array {
  const d = net.latent.length + 3;
  const X0 = ws.float32(depth, 0, n * d);
  inputRows(net, points, n, X0);
  let H = X0,
    h = d;
  net.layers.forEach((layer, l) => {
    let In = H;
    if (layer.skip && l > 0) {
      In = ws.float32(depth, 1, n * (h + d));
      concatRows(H, h, X0, d, n, In);
    }
    const Z = pre ? (pre[l] = ws.float32(depth, 4 + l, n * layer.outputs)) : ws.float32(depth, 2 + (l % 2), n * layer.outputs);
    linearRows(In, n, layer, Z);
    if (l < net.layers.length - 1) {
      // the activation goes into a buffer of its own when the pre-activations are kept
      const A = pre ? ws.float32(depth, 4 + net.layers.length + l, n * layer.outputs) : Z;
      activate(net, Z, n * layer.outputs, A);
      H = A;
      h = layer.outputs;
    } else H = Z;
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
  const pre: Float32Array[] = [];
  const Z = forward(net, points, n, ws, depth, pre);
  const L = net.latent.length,
    d = L + 3,
    s = net.outputScale;
  const layers = net.layers;
  grad.fill(0, 0, 3 * n);
  // gradient w.r.t. the last pre-activation
  let G = ws.float32(depth + 1, 0, n);
  for (let i = 0; i < n; i++) {
    const y = Math.tanh(Z[i]);
    out[i] = s * y;
    G[i] = s * (1 - y * y);
  }
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    const k = layer.inputs,
      m = layer.outputs;
    const GIn = ws.float32(depth + 1, 1 + (l % 2), n * k);
    GIn.fill(0);
    const W = layer.weight;
    for (let i = 0; i < n; i++) {
      const gi = i * k;
      for (let j = 0; j < m; j++) {
        const g = G[i * m + j];
        if (g === 0) continue; // a ReLU that was off
        const w0 = j * k;
        for (let q = 0; q < k; q++) GIn[gi + q] += g * W[w0 + q];
      }
    }
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
    // through the previous layer's activation
    const P = pre[l - 1];
    const Gh = ws.float32(depth + 1, 3 + (l % 2), n * hPrev);
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < hPrev; q++) {
        const z = P[i * hPrev + q];
        const dz = net.activation === 'relu' ? (z > 0 ? 1 : 0) : 1 / (1 + Math.exp(-z));
        Gh[i * hPrev + q] = GIn[i * k + q] * dz;
      }
    }
    G = Gh;
  }
}

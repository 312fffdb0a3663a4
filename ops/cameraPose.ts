// A differentiable camera pose (docs/fm.md §7): a rotation from a rotation vector (Rodrigues'
// formula, a custom op with its own backward) and the pose that rotates and moves an object about
// a centre point, composed on the tape. Any renderer that takes a pose as tensors (R, t with
// c = R x + t) can be driven by it.
//
//   R(w) = I + A K + B K^2,   K = [w]x,   theta = |w|,   A = sin(theta) / theta,   B = (1 - cos(theta)) / theta^2
//   dR/dw_i = A' w_i/theta K + A K_i + B' w_i/theta K^2 + B (K_i K + K K_i),   K_i = [e_i]x
// Near theta = 0 the coefficients come from their Taylor series, so the op is smooth there too.

import { tensor } from '../lib/create.js';
import { customOp } from '../lib/customOp.js';
import { ArgumentError, ShapeError } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { sub } from './arithmetic.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';

/** A, B and their derivatives over theta (A'/theta, B'/theta), by series below this angle. */
const SERIES_BELOW = 1e-3;

function coefficients(theta: number): [number, number, number, number] {
  const t2 = theta * theta;
  if (theta < SERIES_BELOW) {
    return [1 - t2 / 6 + (t2 * t2) / 120, 0.5 - t2 / 24 + (t2 * t2) / 720, -1 / 3 + t2 / 30 - (t2 * t2) / 840, -1 / 12 + t2 / 180 - (t2 * t2) / 6720];
  }
  const s = Math.sin(theta),
    c = Math.cos(theta);
  const A = s / theta,
    B = (1 - c) / t2;
  return [A, B, (theta * c - s) / (t2 * theta), (theta * s - 2 * (1 - c)) / (t2 * t2)];
}

/** [w]x row-major into out. */
function skew(w0: number, w1: number, w2: number, out: Float64Array): Float64Array {
  out[0] = 0;
  out[1] = -w2;
  out[2] = w1;
  out[3] = w2;
  out[4] = 0;
  out[5] = -w0;
  out[6] = -w1;
  out[7] = w0;
  out[8] = 0;
  return out;
}

function mul3(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  return out;
}

/** R(w) as a row-major 3x3 (plain numbers). */
export function rotationMatrix(w: ArrayLike<number>, out = new Float64Array(9)): Float64Array {
  const theta = Math.hypot(w[0], w[1], w[2]);
  const [A, B] = coefficients(theta);
  const K = skew(w[0], w[1], w[2], new Float64Array(9));
  const K2 = mul3(K, K, new Float64Array(9));
  for (let i = 0; i < 9; i++) out[i] = (i % 4 === 0 ? 1 : 0) + A * K[i] + B * K2[i];
  return out;
}

const rodriguesOp = customOp({
  name: 'rotationFromVector',
  forward(ctx, w: Tensor) {
    const out = ctx.output([3, 3]);
    out.data.set(rotationMatrix(w.data));
    ctx.save(Float64Array.from(w.data));
    return out;
  },
  backward(ctx, g) {
    const [w] = ctx.saved as [Float64Array];
    const G = g!;
    const theta = Math.hypot(w[0], w[1], w[2]);
    const [A, B, a1, b1] = coefficients(theta);
    const K = skew(w[0], w[1], w[2], new Float64Array(9));
    const K2 = mul3(K, K, new Float64Array(9));
    const dot = (m: Float64Array) => {
      let s = 0;
      for (let i = 0; i < 9; i++) s += G[i] * m[i];
      return s;
    };
    const gK = dot(K),
      gK2 = dot(K2);
    const out = ctx.zeros(3);
    const Ki = new Float64Array(9),
      P = new Float64Array(9),
      Q = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      skew(i === 0 ? 1 : 0, i === 1 ? 1 : 0, i === 2 ? 1 : 0, Ki);
      mul3(Ki, K, P);
      mul3(K, Ki, Q);
      for (let e = 0; e < 9; e++) P[e] += Q[e];
      out[i] = a1 * w[i] * gK + A * dot(Ki) + b1 * w[i] * gK2 + B * dot(P);
    }
    return [out];
  },
});

/** The rotation matrix [3, 3] of a rotation vector w [3] (axis times angle in radians), differentiable in w. */
export function rotationFromVector(w: Tensor): Tensor {
  if (!(w instanceof Tensor)) throw new ArgumentError('rotationFromVector: w must be a Tensor of shape [3] (axis x angle, radians).');
  if (w.size !== 3) throw new ShapeError(`rotationFromVector: w has shape [${w.shape}] but must hold 3 numbers.`);
  return rodriguesOp(reshape(w, [3]));
}

/**
 * The world-to-camera pose of an object rotated by R(w) and moved by tau about `centre`, seen by
 * a camera whose pose is (R0, t0): camera coordinates c = R(w) R0 (x - centre) + R0 centre + t0 + tau,
 * i.e. R = R(w) R0 and t = R0 centre + t0 + tau - R centre. tau is in camera coordinates (where the
 * object's centre goes); w = 0, tau = 0 gives (R0, t0). Differentiable in w and tau.
 */
export function poseAboutCentre(w: Tensor, tau: Tensor, R0: ArrayLike<number>, t0: ArrayLike<number>, centre: ArrayLike<number>): { R: Tensor; t: Tensor } {
  if (!(tau instanceof Tensor) || tau.size !== 3) throw new ShapeError('poseAboutCentre: tau must be a Tensor of 3 numbers (camera coordinates).');
  const dtype = w.dtype;
  const base = tensor(Float64Array.from(R0), { dtype, shape: [3, 3] });
  const R = matmul(rotationFromVector(w), base);
  const c = [0, 1, 2].map((i) => R0[3 * i] * centre[0] + R0[3 * i + 1] * centre[1] + R0[3 * i + 2] * centre[2] + t0[i]);
  const rotatedCentre = reshape(matmul(R, tensor(Float64Array.from(centre), { dtype, shape: [3, 1] })), [3]);
  const t = sub(
    sub(tau, rotatedCentre),
    tensor(
      c.map((v) => -v),
      { dtype },
    ),
  );
  return { R, t };
}

/** The angle in degrees of the rotation Ra Rb^T (row-major 3x3s): how far apart two orientations are. */
export function rotationErrorDegrees(Ra: ArrayLike<number>, Rb: ArrayLike<number>): number {
  let trace = 0;
  for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) trace += Ra[3 * i + k] * Rb[3 * i + k];
  return (Math.acos(Math.min(1, Math.max(-1, (trace - 1) / 2))) * 180) / Math.PI;
}

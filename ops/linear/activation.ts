// The activations a linear layer can fuse (docs/toolbox.md §1), each with its derivative written in
// terms of the output y, so the backward needs only what the forward wrote:
//   relu     y = max(z, 0)          dy/dz = [y > 0]
//   tanh     y = tanh z             dy/dz = 1 - y^2
//   sigmoid  y = 1 / (1 + e^-z)     dy/dz = y (1 - y)
//   softplus y = log(1 + e^z)       dy/dz = sigmoid z = 1 - e^-y
//   none     y = z                  dy/dz = 1

import { ArgumentError } from '../../lib/errors.js';
import type { FloatArray } from '../../lib/dtype.js';
import { unaryOp } from '../unary.js';

export const ACTIVATIONS = ['none', 'relu', 'tanh', 'sigmoid', 'softplus'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Small integer codes the kernels switch on (strings cost a comparison per element). */
export const NONE = 0,
  RELU = 1,
  TANH = 2,
  SIGMOID = 3,
  SOFTPLUS = 4;

export function activationCode(activation: unknown, what: string): number {
  const i = (ACTIVATIONS as readonly unknown[]).indexOf(activation ?? 'none');
  if (i < 0) throw new ArgumentError(`${what} must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(activation)}.`);
  return i;
}

/** log(1 + e^z) without overflow. */
export function softplusValue(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

let noBias = new Float64Array(0);

/** Rows i0..i1-1 of Y [rows, n]: Y = act(Y + bias) in place (bias [n] or null), one pass. */
export function biasActivate(Y: FloatArray, bias: FloatArray | null, n: number, i0: number, i1: number, code: number): void {
  if (!bias && noBias.length < n) noBias = new Float64Array(n);
  const B = bias ?? noBias;
  for (let i = i0, o = i0 * n; i < i1; i++) {
    switch (code) {
      case RELU:
        for (let j = 0; j < n; j++, o++) {
          const z = Y[o] + B[j];
          Y[o] = Math.max(z, 0);
        }
        break;
      case TANH:
        for (let j = 0; j < n; j++, o++) Y[o] = Math.tanh(Y[o] + B[j]);
        break;
      case SIGMOID:
        for (let j = 0; j < n; j++, o++) Y[o] = 1 / (1 + Math.exp(-(Y[o] + B[j])));
        break;
      case SOFTPLUS:
        for (let j = 0; j < n; j++, o++) Y[o] = softplusValue(Y[o] + B[j]);
        break;
      default:
        for (let j = 0; j < n; j++, o++) Y[o] += B[j];
    }
  }
}

/** dZ[s..e-1] = dY * act'(z), act' from the output Y. */
export function activationGrad(dZ: FloatArray, dY: FloatArray, Y: FloatArray, s: number, e: number, code: number): void {
  switch (code) {
    case RELU:
      for (let o = s; o < e; o++) dZ[o] = Y[o] > 0 ? dY[o] : 0;
      return;
    case TANH:
      for (let o = s; o < e; o++) dZ[o] = dY[o] * (1 - Y[o] * Y[o]);
      return;
    case SIGMOID:
      for (let o = s; o < e; o++) dZ[o] = dY[o] * Y[o] * (1 - Y[o]);
      return;
    case SOFTPLUS:
      for (let o = s; o < e; o++) dZ[o] = dY[o] * -Math.expm1(-Y[o]);
      return;
    default:
      for (let o = s; o < e; o++) dZ[o] = dY[o];
  }
}

/** softplus as a tape op (the twin's and Sequential's version of the fused one). */
export const softplus = unaryOp('softplus', softplusValue, (_z, y) => -Math.expm1(-y));

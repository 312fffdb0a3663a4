// Seeded weight initializations (docs/toolbox.md §1), the same formulas as torch.nn.init:
//   xavier (Glorot) uniform: U(-a, a), a = gain sqrt(6 / (fan_in + fan_out))   keeps the variance of
//                             activations and gradients alike for tanh / sigmoid / linear layers
//   kaiming (He) uniform:     U(-a, a), a = sqrt(2) sqrt(3 / fan_in)           keeps it for ReLU layers
// For a weight [out, in], fan_in = in and fan_out = out. Values come from lib/random.ts, so a seed
// gives the same weights in Node and in a browser.

import { ArgumentError } from '../lib/errors.js';
import type { FloatArray } from '../lib/dtype.js';
import { Random } from '../lib/random.js';

export const INITS = ['xavier', 'kaiming'] as const;
export type Init = (typeof INITS)[number];

/** The half-width a of U(-a, a) for a weight [fanOut, fanIn]. */
export function initBound(init: Init, fanIn: number, fanOut: number): number {
  switch (init) {
    case 'xavier':
      return Math.sqrt(6 / (fanIn + fanOut));
    case 'kaiming':
      return Math.sqrt(6 / fanIn);
    default:
      throw new ArgumentError(`init must be one of ${INITS.map((i) => `'${i}'`).join(', ')}, got ${JSON.stringify(init)}.`);
  }
}

/** Fills `data` (a weight [fanOut, fanIn], row-major) with U(-a, a) draws from a seeded generator. */
export function initUniform(data: FloatArray, init: Init, fanIn: number, fanOut: number, seed: number): void {
  const a = initBound(init, fanIn, fanOut);
  const rng = new Random(seed);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-a, a);
}

// pow(a, b) = a^b with broadcasting:
//   d(a^b)/da = b a^(b-1)        (fine for a negative base with an integer exponent)
//   d(a^b)/db = a^b log(a)       (computed only when b needs a gradient; needs a > 0)
// Results that leave the finite numbers (0 to a negative power, a negative base to a
// fractional power, overflow) throw a NonFiniteError naming the elements.

import { NonFiniteError, firstNonFinite } from '../lib/errors.js';
import { broadcastIndex, unravelIndex } from '../lib/shape.js';
import { isGradEnabled } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import { binaryOp } from './binary.js';
import { type Operand, lift, operandDType } from './broadcast.js';

const powRaw = binaryOp(
  'pow',
  Math.pow,
  // b = 0 gives a constant 1 whose derivative is 0, also at a = 0 where b a^(b-1) would be 0 * Inf.
  (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
  (a, _b, y) => y * Math.log(a),
  true,
);

function at(flat: number, shape: readonly number[]): string {
  return shape.length ? `[${unravelIndex(flat, shape).join(', ')}]` : '';
}

/** a^b, elementwise with broadcasting; a and b are tensors or numbers. */
export function pow(a: Operand, b: Operand): Tensor {
  const dtype = operandDType(a, b);
  const base = lift(a, dtype, 'a');
  const exponent = lift(b, dtype, 'b');
  if (exponent.requiresGrad && isGradEnabled()) {
    const A = base.data;
    for (let i = 0; i < A.length; i++) {
      if (!(A[i] > 0)) {
        throw new NonFiniteError(
          `pow(a, b): b requires grad and d(a^b)/db = a^b log(a) needs a > 0, but a${at(i, base.shape)} = ${A[i]}; ` +
            'keep the base positive (e.g. clamp it to a small minimum) or detach the exponent.',
        );
      }
    }
  }
  const y = powRaw(base, exponent);
  const bad = firstNonFinite(y.data);
  if (bad >= 0) {
    const av = base.data[broadcastIndex(base.shape, y.shape)[bad]];
    const bv = exponent.data[broadcastIndex(exponent.shape, y.shape)[bad]];
    throw new NonFiniteError(
      `pow(a, b)${y.ndim ? ` at output element ${at(bad, y.shape)}` : ''}: ${av}^${bv} = ${y.data[bad]}; ` +
        'a negative base needs an integer exponent, a zero base a non-negative one, and the result must not overflow.',
    );
  }
  return y;
}

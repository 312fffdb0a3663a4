// add, sub, mul, div with broadcasting. d(a+b) = da + db; d(ab) = b da + a db; d(a/b) = da/b - a db/b^2.

import { assertFinite } from '../lib/errors.js';
import type { Tensor } from '../lib/tensor.js';
import { binaryOp } from './binary.js';
import type { Operand } from './broadcast.js';

export const add = binaryOp('add', (a, b) => a + b, 1, 1);
export const sub = binaryOp('sub', (a, b) => a - b, 1, -1);
export const mul = binaryOp(
  'mul',
  (a, b) => a * b,
  (_a, b) => b,
  (a) => a,
);

const divRaw = binaryOp(
  'div',
  (a, b) => a / b,
  (_a, b) => 1 / b,
  (_a, b, y) => -y / b,
  true,
);

/** a / b; a zero divisor throws rather than returning Infinity or NaN. */
export function div(a: Operand, b: Operand): Tensor {
  const y = divRaw(a, b);
  assertFinite(y.data, 'div(a, b)', 'the divisor b has a zero where a is finite (or a is already non-finite); add a small epsilon to b');
  return y;
}

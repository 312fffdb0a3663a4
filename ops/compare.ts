// Elementwise comparisons with NumPy broadcasting: 1 where the relation holds, else 0, in the
// operands' dtype. Masks, not values to differentiate: the result is a constant off the tape
// (its gradient is zero almost everywhere), and `where` takes it as its condition directly:
//   where(gt(x, 0), x, 0) is relu(x).

import { type FloatArray, allocate } from '../lib/dtype.js';
import { NonFiniteError } from '../lib/errors.js';
import { broadcastIndex, broadcastShapes, shapesEqual } from '../lib/shape.js';
import { Tensor } from '../lib/tensor.js';
import { type Operand, lift, operandDType } from './broadcast.js';

type Relation = (a: number, b: number) => boolean;

function compareOp(name: string, holds: Relation): (a: Operand, b: Operand) => Tensor {
  return (a: Operand, b: Operand): Tensor => {
    const dtype = operandDType(a, b);
    const A = lift(a, dtype, 'a'),
      B = lift(b, dtype, 'b');
    const shape = broadcastShapes(A.shape, B.shape, ['a', 'b']);
    const out = new Tensor(
      allocate(
        dtype,
        shape.reduce((s, d) => s * d, 1),
      ),
      shape,
    );
    const ia = shapesEqual(A.shape, shape) ? null : broadcastIndex(A.shape, shape);
    const ib = shapesEqual(B.shape, shape) ? null : broadcastIndex(B.shape, shape);
    const X = A.data,
      Y = B.data,
      M: FloatArray = out.data;
    for (let i = 0; i < M.length; i++) {
      const x = X[ia ? ia[i] : i],
        y = Y[ib ? ib[i] : i];
      // a NaN compares false with everything: say so rather than hand back a silent 0
      if (Number.isNaN(x) || Number.isNaN(y))
        throw new NonFiniteError(`${name}: ${Number.isNaN(x) ? 'a' : 'b'} holds NaN at flat index ${ia ? ia[i] : i} of its broadcast; a comparison with NaN has no answer.`);
      M[i] = holds(x, y) ? 1 : 0;
    }
    return out;
  };
}

/** 1 where a > b. */
export const gt = compareOp('gt', (a, b) => a > b);
/** 1 where a >= b. */
export const ge = compareOp('ge', (a, b) => a >= b);
/** 1 where a < b. */
export const lt = compareOp('lt', (a, b) => a < b);
/** 1 where a <= b. */
export const le = compareOp('le', (a, b) => a <= b);
/** 1 where a === b. */
export const eq = compareOp('eq', (a, b) => a === b);

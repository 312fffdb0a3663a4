// Test problems with known minimizers, built on the tape: a convex quadratic (a custom op,
// gradient A x - b) and the 2-D Rosenbrock function composed from add/sub/mul/sum.

import { tensor } from '../../lib/create.js';
import { customOp } from '../../lib/customOp.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, mul, sub } from '../../ops/arithmetic.js';
import { sum } from '../../ops/reduce.js';

/** A = [[3, 1], [1, 2]] (symmetric positive definite), b = [1, 1]: minimizer A^-1 b = [0.2, 0.4]. */
export const QUADRATIC_A = [
  [3, 1],
  [1, 2],
];
export const QUADRATIC_B = [1, 1];
export const QUADRATIC_MINIMIZER = [0.2, 0.4];

/** f(x) = 0.5 x^T A x - b^T x for a 2-vector x; df/dx = A x - b. */
export const quadratic = customOp({
  name: 'quadratic',
  forward(ctx, x: Tensor) {
    const [x0, x1] = x.data;
    const [[a00, a01], [a10, a11]] = QUADRATIC_A;
    const [b0, b1] = QUADRATIC_B;
    const y = ctx.output([]);
    y.data[0] = 0.5 * (x0 * (a00 * x0 + a01 * x1) + x1 * (a10 * x0 + a11 * x1)) - b0 * x0 - b1 * x1;
    ctx.save(x0, x1);
    return y;
  },
  backward(ctx, g) {
    const [x0, x1] = ctx.saved as number[];
    const [[a00, a01], [a10, a11]] = QUADRATIC_A;
    const gx = ctx.zeros(2);
    gx[0] = g![0] * (a00 * x0 + a01 * x1 - QUADRATIC_B[0]);
    gx[1] = g![0] * (a10 * x0 + a11 * x1 - QUADRATIC_B[1]);
    return [gx];
  },
});

/** Rosenbrock's banana (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
export function rosenbrock(x: Tensor, y: Tensor): Tensor {
  const a = sub(1, x);
  const b = sub(y, mul(x, x));
  return sum(add(mul(a, a), mul(100, mul(b, b))));
}

/** The classic start (-1.2, 1) as two float64 scalar parameters. */
export function rosenbrockStart(): [Tensor, Tensor] {
  return [tensor([-1.2], { dtype: 'float64', requiresGrad: true, name: 'x' }), tensor([1], { dtype: 'float64', requiresGrad: true, name: 'y' })];
}

/** Runs `steps` iterations of zeroGrad / loss / backward / step; returns the last loss. */
export function minimize(optimizer: { zeroGrad(): void; step(): void }, loss: () => Tensor, steps: number): number {
  let last = NaN;
  for (let k = 0; k < steps; k++) {
    optimizer.zeroGrad();
    const f = loss();
    last = f.item();
    f.backward();
    optimizer.step();
  }
  return last;
}

// TEMPORARY minimal sum (full reduction) — replaced by the reductions file.
import { customOp } from '../lib/customOp.js';
import type { Tensor } from '../lib/tensor.js';
export const sum = customOp({
  name: 'sum',
  forward(ctx, x: Tensor) {
    const y = ctx.output([]);
    let s = 0;
    for (let i = 0; i < x.size; i++) s += x.data[i];
    y.data[0] = s;
    ctx.save(x.size);
    return y;
  },
  backward(ctx, g) {
    const n = ctx.saved[0] as number;
    const gx = ctx.zeros(n);
    gx.fill(g![0]);
    return [gx];
  },
});

// Constructive solid geometry on distances (docs/dist.md §1, eq. 7-9). With smoothness k > 0 the
// polynomial smooth minimum blends the two surfaces over a band of width k; k = 0 is the hard
// min / max. Written with h, the weight of the first operand:
//   union         h = clamp(1/2 + (b - a) / 2k, 0, 1),  f = h a + (1 - h) b - k h (1 - h)   (eq. 7)
//   intersection  h = clamp(1/2 + (a - b) / 2k, 0, 1),  f = h a + (1 - h) b + k h (1 - h)   (eq. 8)
//   difference    intersection(a, -b)                                                    (eq. 9)
// and their derivatives reduce to df/da = h, df/db = 1 - h, df/dk = -/+ h (1 - h) (the terms in
// dh cancel because a - b = k (1 - 2h) inside the band).

import { customOp } from '../../../lib/customOp.js';
import type { FloatArray } from '../../../lib/dtype.js';
import { ArgumentError } from '../../../lib/errors.js';
import type { DType } from '../../../lib/dtype.js';
import type { Tensor } from '../../../lib/tensor.js';
import { type CombineKind, type ParamLike, type PlainSdf, Sdf, commonDType, paramTensor } from './sdf.js';

/** +1 for the union (a min), -1 for the intersection and difference (a max). */
const SIGN: Record<CombineKind, number> = { union: 1, intersection: -1, difference: -1 };

/** h of eq. 7-9 (b already negated for the difference); `s` is SIGN. */
export function combineWeight(s: number, k: number, a: number, b: number): number {
  if (k > 0) {
    const h = 0.5 + (s * (b - a)) / (2 * k);
    return h < 0 ? 0 : h > 1 ? 1 : h;
  }
  return s * a <= s * b ? 1 : 0;
}

/** f of eq. 7-9 at one pair of values: f = h a + (1 - h) b - s k h (1 - h). */
export function combineValue(s: number, k: number, a: number, b: number): number {
  const h = combineWeight(s, k, a, b);
  return h * a + (1 - h) * b - s * k * h * (1 - h);
}

/** combineValue over arrays (out may be A); writes h into hOut[i] when given. */
export function combineValues(s: number, k: number, A: ArrayLike<number>, B: ArrayLike<number>, n: number, out: FloatArray, hOut?: Float64Array): void {
  if (!hOut) {
    for (let i = 0; i < n; i++) out[i] = combineValue(s, k, A[i], B[i]);
    return;
  }
  for (let i = 0; i < n; i++) {
    const a = A[i],
      b = B[i];
    const h = combineWeight(s, k, a, b);
    out[i] = h * a + (1 - h) * b - s * k * h * (1 - h);
    hOut[i] = h;
  }
}

const combineOp = customOp({
  name: 'sdf.combine',
  forward(ctx, a: Tensor, b: Tensor, k: Tensor, op: CombineKind) {
    const n = a.size;
    const out = ctx.output([n]);
    const h = new Float64Array(n);
    const negB = op === 'difference';
    let B = b.data;
    if (negB) {
      B = new Float64Array(n);
      for (let i = 0; i < n; i++) B[i] = -b.data[i];
    }
    const kv = k.data[0];
    if (!(kv >= 0)) throw new ArgumentError(`${op}: the smoothness k is ${kv}; it must be >= 0 (0 for the hard ${op}).`);
    combineValues(SIGN[op], kv, a.data, B, n, out.data, h);
    ctx.save(h, SIGN[op], negB ? -1 : 1);
    return out;
  },
  backward(ctx, gOut) {
    const [h, s, bSign] = ctx.saved as [Float64Array, number, number];
    const G = gOut!;
    const n = G.length;
    const ga = ctx.needsInputGrad[0] ? ctx.zeros(n) : null;
    const gb = ctx.needsInputGrad[1] ? ctx.zeros(n) : null;
    let gk = 0;
    for (let i = 0; i < n; i++) {
      const hi = h[i];
      if (ga) ga[i] = G[i] * hi;
      if (gb) gb[i] = bSign * G[i] * (1 - hi);
      gk -= s * G[i] * hi * (1 - hi);
    }
    let gkArr = null;
    if (ctx.needsInputGrad[2]) {
      gkArr = ctx.zeros(1);
      gkArr[0] = gk;
    }
    return [ga, gb, gkArr];
  },
});

export class CombinedSdf extends Sdf {
  readonly dtype: DType;
  readonly op: CombineKind;
  readonly a: Sdf;
  readonly b: Sdf;
  /** The smoothness, a 0-d tensor (0 for the hard operation). */
  readonly k: Tensor;

  constructor(op: CombineKind, a: Sdf, b: Sdf, k: ParamLike = 0) {
    super();
    if (!(a instanceof Sdf) || !(b instanceof Sdf)) throw new ArgumentError(`${op}(a, b): both operands must be Sdf values (sphere(...), box(...), union(...)).`);
    this.dtype = commonDType([a, b], `${op}(a, b)`);
    this.op = op;
    this.a = a;
    this.b = b;
    this.k = paramTensor(k, 0, this.dtype, `${op}(a, b, k): k`);
    if (!(this.k.data[0] >= 0)) throw new ArgumentError(`${op}(a, b, k): k is ${this.k.data[0]}; the smoothness must be >= 0 (0 for the hard ${op}).`);
  }

  distance(points: Tensor): Tensor {
    return combineOp(this.a.distance(points), this.b.distance(points), this.k, this.op);
  }

  parameters(): Tensor[] {
    return [...this.a.parameters(), ...this.b.parameters(), this.k];
  }

  plain(shared = false): PlainSdf {
    return { kind: 'combine', op: this.op, k: this.k.data[0], a: this.a.plain(shared), b: this.b.plain(shared) };
  }

  override get transferable(): boolean {
    return this.a.transferable && this.b.transferable;
  }

  override get distanceBound(): boolean {
    return this.a.distanceBound && this.b.distanceBound;
  }
}

function fold(op: CombineKind, shapes: readonly Sdf[], k: ParamLike | undefined): Sdf {
  if (!Array.isArray(shapes) || shapes.length === 0) throw new ArgumentError(`${op}: give at least one Sdf.`);
  let acc = shapes[0];
  for (let i = 1; i < shapes.length; i++) acc = new CombinedSdf(op, acc, shapes[i], k ?? 0);
  return acc;
}

/** eq. 7: the union of the shapes, blended over a band of width `k` (0, the default: the hard union). */
export function union(shapes: readonly Sdf[], options: { k?: ParamLike } = {}): Sdf {
  return fold('union', shapes, options.k);
}

/** eq. 8: the intersection of the shapes, blended over `k`. */
export function intersection(shapes: readonly Sdf[], options: { k?: ParamLike } = {}): Sdf {
  return fold('intersection', shapes, options.k);
}

/** eq. 9: `a` with `b` carved out, blended over `k`. */
export function difference(a: Sdf, b: Sdf, options: { k?: ParamLike } = {}): Sdf {
  return new CombinedSdf('difference', a, b, options.k ?? 0);
}

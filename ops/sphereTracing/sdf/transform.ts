// A shape placed in the world (docs/dist.md §1, eq. 10): world point p = s R q + t for the
// child's point q, so
//   f(p) = s f_child(q),   q = R^T (p - t) / s                                        (eq. 10)
// with R from a rotation vector (ops/cameraPose.ts, Rodrigues on the tape), t a translation and s
// a uniform scale; a uniform scale keeps a distance a distance. All three are differentiable.
// As rows (the layout of a points tensor), q = (p - t) R / s.

import { customOp } from '../../../lib/customOp.js';
import type { FloatArray } from '../../../lib/dtype.js';
import type { DType } from '../../../lib/dtype.js';
import { ArgumentError } from '../../../lib/errors.js';
import type { Tensor } from '../../../lib/tensor.js';
import { rotationFromVector, rotationMatrix } from '../../cameraPose.js';
import { float64 } from '../../../lib/sharedMemory.js';
import { type ParamLike, type PlainSdf, Sdf, checkPoints, paramDType, paramTensor } from './sdf.js';

/** Points [N, 3] into the child's frame: q = (p - t) R / s, and its backward. */
const toLocalOp = customOp({
  name: 'sdf.toLocal',
  forward(ctx, points: Tensor, R: Tensor, t: Tensor, s: Tensor) {
    const n = points.shape[0];
    const out = ctx.output([n, 3]);
    const P = points.data,
      M = R.data,
      T = t.data,
      Q = out.data;
    const is = 1 / s.data[0];
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const x = P[o] - T[0],
        y = P[o + 1] - T[1],
        z = P[o + 2] - T[2];
      Q[o] = (x * M[0] + y * M[3] + z * M[6]) * is;
      Q[o + 1] = (x * M[1] + y * M[4] + z * M[7]) * is;
      Q[o + 2] = (x * M[2] + y * M[5] + z * M[8]) * is;
    }
    ctx.save(P, Q, M, T, is);
    return out;
  },
  backward(ctx, gOut) {
    const [P, Q, M, T, is] = ctx.saved as [FloatArray, FloatArray, FloatArray, FloatArray, number];
    const G = gOut!;
    const n = G.length / 3;
    const gp = ctx.needsInputGrad[0] ? ctx.zeros(3 * n) : null;
    const gR = new Float64Array(9);
    const gt = new Float64Array(3);
    let gs = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const g0 = G[o],
        g1 = G[o + 1],
        g2 = G[o + 2];
      // dL/dp = G R^T / s
      const px = (g0 * M[0] + g1 * M[1] + g2 * M[2]) * is,
        py = (g0 * M[3] + g1 * M[4] + g2 * M[5]) * is,
        pz = (g0 * M[6] + g1 * M[7] + g2 * M[8]) * is;
      if (gp) {
        gp[o] = px;
        gp[o + 1] = py;
        gp[o + 2] = pz;
      }
      gt[0] -= px;
      gt[1] -= py;
      gt[2] -= pz;
      const x = (P[o] - T[0]) * is,
        y = (P[o + 1] - T[1]) * is,
        z = (P[o + 2] - T[2]) * is;
      // dL/dR_jk = sum_i (p - t)_j G_k / s
      gR[0] += x * g0;
      gR[1] += x * g1;
      gR[2] += x * g2;
      gR[3] += y * g0;
      gR[4] += y * g1;
      gR[5] += y * g2;
      gR[6] += z * g0;
      gR[7] += z * g1;
      gR[8] += z * g2;
      // dq/ds = -q / s
      gs -= (g0 * Q[o] + g1 * Q[o + 1] + g2 * Q[o + 2]) * is;
    }
    const copy = (src: Float64Array, need: boolean) => {
      if (!need) return null;
      const a = ctx.zeros(src.length);
      a.set(src);
      return a;
    };
    return [gp, copy(gR, ctx.needsInputGrad[1]), copy(gt, ctx.needsInputGrad[2]), copy(new Float64Array([gs]), ctx.needsInputGrad[3])];
  },
});

/** s f_child (eq. 10's outer scale): d/df = s, d/ds = sum g f. */
const scaleOp = customOp({
  name: 'sdf.scale',
  forward(ctx, f: Tensor, s: Tensor) {
    const out = ctx.output(f.shape as number[]);
    const F = f.data,
      Y = out.data,
      k = s.data[0];
    for (let i = 0; i < F.length; i++) Y[i] = F[i] * k;
    ctx.save(F, k);
    return out;
  },
  backward(ctx, gOut) {
    const [F, k] = ctx.saved as [FloatArray, number];
    const G = gOut!;
    let gf = null,
      gs = null;
    if (ctx.needsInputGrad[0]) {
      gf = ctx.zeros(G.length);
      for (let i = 0; i < G.length; i++) gf[i] = G[i] * k;
    }
    if (ctx.needsInputGrad[1]) {
      let acc = 0;
      for (let i = 0; i < G.length; i++) acc += G[i] * F[i];
      gs = ctx.zeros(1);
      gs[0] = acc;
    }
    return [gf, gs];
  },
});

export interface TransformOptions {
  /** Rotation vector (axis times angle, radians), default none. */
  rotation?: ParamLike;
  /** Translation, default none. */
  translation?: ParamLike;
  /** Uniform scale (> 0), default 1. */
  scale?: ParamLike;
}

export class TransformedSdf extends Sdf {
  readonly dtype: DType;
  readonly child: Sdf;
  readonly rotation: Tensor;
  readonly translation: Tensor;
  readonly scale: Tensor;

  constructor(child: Sdf, options: TransformOptions) {
    super();
    if (!(child instanceof Sdf)) throw new ArgumentError('transform(child, options): child must be an Sdf (sphere(...), box(...), union(...)).');
    const what = 'transform()';
    this.dtype = paramDType([options.rotation, options.translation, options.scale], child.dtype, what);
    this.child = child;
    this.rotation = paramTensor(options.rotation ?? [0, 0, 0], 3, this.dtype, `${what} options.rotation`);
    this.translation = paramTensor(options.translation ?? [0, 0, 0], 3, this.dtype, `${what} options.translation`);
    this.scale = paramTensor(options.scale ?? 1, 0, this.dtype, `${what} options.scale`);
    if (!(this.scale.data[0] > 0)) throw new ArgumentError(`${what}: options.scale is ${this.scale.data[0]}; a scale must be > 0.`);
  }

  distance(points: Tensor): Tensor {
    checkPoints(points, this.dtype, 'transform.distance');
    const local = toLocalOp(points, rotationFromVector(this.rotation), this.translation, this.scale);
    return scaleOp(this.child.distance(local), this.scale);
  }

  parameters(): Tensor[] {
    return [...this.child.parameters(), this.rotation, this.translation, this.scale];
  }

  plain(shared = false): PlainSdf {
    const w = this.rotation.data;
    const R = float64(9, shared);
    R.set(rotationMatrix([w[0], w[1], w[2]]));
    const t = float64(3, shared);
    for (let k = 0; k < 3; k++) t[k] = this.translation.data[k];
    return { kind: 'transform', R, t, s: this.scale.data[0], child: this.child.plain(shared) };
  }

  override get transferable(): boolean {
    return this.child.transferable;
  }

  override get distanceBound(): boolean {
    return this.child.distanceBound;
  }
}

/** eq. 10: `child` rotated by `rotation`, scaled by `scale` and moved by `translation` (in that order). */
export function transform(child: Sdf, options: TransformOptions): TransformedSdf {
  return new TransformedSdf(child, options);
}

// Analytic signed distance primitives (docs/dist.md §1, eq. 1-6), each as two kernels over flat
// arrays: `values` (a batch of points, the tracer's hot loop) and `full` (one point: the value,
// its gradient in the point and in every parameter, for the tape's backward and the tracer's
// implicit depth weight). A primitive's parameters P are its parameter tensors' values in order.
// Distances are exact outside each shape (and inside, except for the box family's and the
// cylinder's interiors, which are exact along the axes as usual for these formulas).
// Where a formula has a kink or a singular point (the centre of a sphere, the axis of a torus)
// the gradient there is taken as 0 in the offending terms, never NaN.

import type { Tensor } from '../../../lib/tensor.js';
import { customOp } from '../../../lib/customOp.js';
import type { FloatArray } from '../../../lib/dtype.js';
import type { DType } from '../../../lib/dtype.js';
import { ArgumentError } from '../../../lib/errors.js';
import { type ParamLike, type PlainSdf, Sdf, checkPoints, paramDType, paramTensor, paramValues } from './sdf.js';

export type PrimitiveKind = 'sphere' | 'box' | 'roundedBox' | 'torus' | 'capsule' | 'cylinder';

export interface PrimitiveKernel {
  /** Parameter names and sizes (0: a scalar), in the order of P. */
  params: readonly (readonly [string, number])[];
  /** f at one point (what `values` runs per point). */
  value(P: Float64Array, x: number, y: number, z: number): number;
  values(P: Float64Array, pts: ArrayLike<number>, n: number, out: FloatArray): void;
  /**
   * At (x, y, z), into g (length 4 + P.length): g[0..2] = df/dpoint, g[3 + j] = df/dP[j], and f
   * itself last (written, not returned: a call left uninlined would box a returned double).
   */
  full(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void;
  /**
   * Over a batch: f into out[i] and df/dpoint into grad[3i..] (where given), and G[i] df/dP
   * added into gParams (where G is given). One loop per primitive, so its `full` is inlined.
   */
  gradients(P: Float64Array, pts: ArrayLike<number>, n: number, out: FloatArray | null, grad: FloatArray | null, G: ArrayLike<number> | null, gParams: Float64Array | null): void;
}

const inv = (x: number): number => (x > 0 ? 1 / x : 0);

const fullBuffers: Float64Array[] = [];
/** The scratch g of a `full` call (length 4 + params). */
function fullBuffer(params: number): Float64Array {
  return (fullBuffers[params] ??= new Float64Array(4 + params));
}

/** A point's `full` result into the batch outputs (no doubles cross a call: they would be boxed). */
function collect(g: Float64Array, i: number, o: number, out: FloatArray | null, grad: FloatArray | null, G: ArrayLike<number> | null, gParams: Float64Array | null): void {
  const np = g.length - 4;
  if (out) out[i] = g[np + 3];
  if (grad) {
    grad[o] = g[0];
    grad[o + 1] = g[1];
    grad[o + 2] = g[2];
  }
  if (G && gParams) {
    const gi = G[i];
    for (let j = 0; j < np; j++) gParams[j] += gi * g[3 + j];
  }
}

// One point's distance per primitive: the batch loops and the compiled evaluator (compileSdf.ts)
// both call these, so the two give the same bits.

export function sphereValue(P: Float64Array, x: number, y: number, z: number): number {
  const qx = x - P[0],
    qy = y - P[1],
    qz = z - P[2];
  return Math.sqrt(qx * qx + qy * qy + qz * qz) - P[3];
}

export function boxValue(P: Float64Array, x: number, y: number, z: number): number {
  return boxAt(x, y, z, P[0], P[1], P[2]);
}

export function roundedBoxValue(P: Float64Array, x: number, y: number, z: number): number {
  const r = P[3];
  return boxAt(x, y, z, P[0] - r, P[1] - r, P[2] - r) - r;
}

export function torusValue(P: Float64Array, x: number, y: number, z: number): number {
  const qx = Math.sqrt(x * x + z * z) - P[0];
  return Math.sqrt(qx * qx + y * y) - P[1];
}

export function capsuleValue(P: Float64Array, x: number, y: number, z: number): number {
  const ax = P[0],
    ay = P[1],
    az = P[2];
  const bax = P[3] - ax,
    bay = P[4] - ay,
    baz = P[5] - az;
  const px = x - ax,
    py = y - ay,
    pz = z - az;
  let h = (px * bax + py * bay + pz * baz) * inv(bax * bax + bay * bay + baz * baz);
  h = h < 0 ? 0 : h > 1 ? 1 : h;
  const qx = px - h * bax,
    qy = py - h * bay,
    qz = pz - h * baz;
  return Math.sqrt(qx * qx + qy * qy + qz * qz) - P[6];
}

export function cylinderValue(P: Float64Array, x: number, y: number, z: number): number {
  const d0 = Math.sqrt(x * x + z * z) - P[0],
    d1 = Math.abs(y) - P[1];
  const m0 = d0 > 0 ? d0 : 0,
    m1 = d1 > 0 ? d1 : 0;
  const m = d0 > d1 ? d0 : d1;
  return Math.sqrt(m0 * m0 + m1 * m1) + (m < 0 ? m : 0);
}

// eq. 1: |p - c| - r
function sphereFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const qx = x - P[0],
    qy = y - P[1],
    qz = z - P[2];
  const L = Math.sqrt(qx * qx + qy * qy + qz * qz);
  const s = inv(L);
  g[0] = qx * s;
  g[1] = qy * s;
  g[2] = qz * s;
  g[3] = -g[0];
  g[4] = -g[1];
  g[5] = -g[2];
  g[6] = -1;
  g[g.length - 1] = L - P[3];
}

const sphereKernel: PrimitiveKernel = {
  params: [
    ['center', 3],
    ['radius', 0],
  ],
  value: sphereValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = sphereValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: sphereFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      sphereFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

/**
 * eq. 2, the box of half sides b at the origin: q = |p| - b, f = |max(q, 0)| + min(max_i q_i, 0).
 * Writes df/dq into dq and returns f (shared by the rounded box).
 */
function boxPoint(x: number, y: number, z: number, bx: number, by: number, bz: number, dq: Float64Array): number {
  const qx = Math.abs(x) - bx,
    qy = Math.abs(y) - by,
    qz = Math.abs(z) - bz;
  const mx = qx > 0 ? qx : 0,
    my = qy > 0 ? qy : 0,
    mz = qz > 0 ? qz : 0;
  const outside = Math.sqrt(mx * mx + my * my + mz * mz);
  if (outside > 0) {
    dq[0] = mx / outside;
    dq[1] = my / outside;
    dq[2] = mz / outside;
    return outside;
  }
  // inside (or on the surface): the nearest face is the largest q
  dq[0] = dq[1] = dq[2] = 0;
  if (qx >= qy && qx >= qz) {
    dq[0] = 1;
    return qx;
  }
  if (qy >= qz) {
    dq[1] = 1;
    return qy;
  }
  dq[2] = 1;
  return qz;
}

function boxAt(x: number, y: number, z: number, bx: number, by: number, bz: number): number {
  const qx = Math.abs(x) - bx,
    qy = Math.abs(y) - by,
    qz = Math.abs(z) - bz;
  const mx = qx > 0 ? qx : 0,
    my = qy > 0 ? qy : 0,
    mz = qz > 0 ? qz : 0;
  const m = qx > qy ? (qx > qz ? qx : qz) : qy > qz ? qy : qz;
  return Math.sqrt(mx * mx + my * my + mz * mz) + (m < 0 ? m : 0);
}

const dq = new Float64Array(3);

function boxFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const f = boxPoint(x, y, z, P[0], P[1], P[2], dq);
  g[0] = dq[0] * (x < 0 ? -1 : 1);
  g[1] = dq[1] * (y < 0 ? -1 : 1);
  g[2] = dq[2] * (z < 0 ? -1 : 1);
  g[3] = -dq[0];
  g[4] = -dq[1];
  g[5] = -dq[2];
  g[g.length - 1] = f;
}

const boxKernel: PrimitiveKernel = {
  params: [['halfSize', 3]],
  value: boxValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = boxValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: boxFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      boxFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

// eq. 3: the box of half sides b - r, grown by r (edges and corners rounded with radius r)
function roundedBoxFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const r = P[3];
  const f = boxPoint(x, y, z, P[0] - r, P[1] - r, P[2] - r, dq);
  g[0] = dq[0] * (x < 0 ? -1 : 1);
  g[1] = dq[1] * (y < 0 ? -1 : 1);
  g[2] = dq[2] * (z < 0 ? -1 : 1);
  g[3] = -dq[0];
  g[4] = -dq[1];
  g[5] = -dq[2];
  g[6] = dq[0] + dq[1] + dq[2] - 1;
  g[g.length - 1] = f - r;
}

const roundedBoxKernel: PrimitiveKernel = {
  params: [
    ['halfSize', 3],
    ['radius', 0],
  ],
  value: roundedBoxValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = roundedBoxValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: roundedBoxFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      roundedBoxFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

// eq. 4: the torus around the y axis: q = (|p_xz| - R, p_y), f = |q| - r
function torusFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const rho = Math.sqrt(x * x + z * z);
  const qx = rho - P[0];
  const L = Math.sqrt(qx * qx + y * y);
  const a = qx * inv(L),
    irho = inv(rho);
  g[0] = a * x * irho;
  g[1] = y * inv(L);
  g[2] = a * z * irho;
  g[3] = -a;
  g[4] = -1;
  g[g.length - 1] = L - P[1];
}

const torusKernel: PrimitiveKernel = {
  params: [
    ['majorRadius', 0],
    ['minorRadius', 0],
  ],
  value: torusValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = torusValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: torusFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      torusFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

// eq. 5: the capsule around the segment a-b: h = clamp((p - a).(b - a) / |b - a|^2, 0, 1),
// f = |p - a - h (b - a)| - r. The h terms drop out of the gradient (q is orthogonal to b - a
// wherever h is not clamped).
function capsuleFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const px = x - P[0],
    py = y - P[1],
    pz = z - P[2];
  const bax = P[3] - P[0],
    bay = P[4] - P[1],
    baz = P[5] - P[2];
  let h = (px * bax + py * bay + pz * baz) * inv(bax * bax + bay * bay + baz * baz);
  h = h < 0 ? 0 : h > 1 ? 1 : h;
  const qx = px - h * bax,
    qy = py - h * bay,
    qz = pz - h * baz;
  const L = Math.sqrt(qx * qx + qy * qy + qz * qz);
  const s = inv(L);
  g[0] = qx * s;
  g[1] = qy * s;
  g[2] = qz * s;
  for (let k = 0; k < 3; k++) {
    g[3 + k] = -(1 - h) * g[k];
    g[6 + k] = -h * g[k];
  }
  g[9] = -1;
  g[g.length - 1] = L - P[6];
}

const capsuleKernel: PrimitiveKernel = {
  params: [
    ['a', 3],
    ['b', 3],
    ['radius', 0],
  ],
  value: capsuleValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = capsuleValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: capsuleFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      capsuleFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

// eq. 6: the capped cylinder around the y axis, radius r, half height h:
// d = (|p_xz| - r, |p_y| - h), f = min(max(d_0, d_1), 0) + |max(d, 0)|
function cylinderFull(P: Float64Array, x: number, y: number, z: number, g: Float64Array): void {
  const rho = Math.sqrt(x * x + z * z);
  const d0 = rho - P[0],
    d1 = Math.abs(y) - P[1];
  const m0 = d0 > 0 ? d0 : 0,
    m1 = d1 > 0 ? d1 : 0;
  const outside = Math.sqrt(m0 * m0 + m1 * m1);
  let g0: number, g1: number, f: number;
  if (outside > 0) {
    g0 = m0 / outside;
    g1 = m1 / outside;
    f = outside;
  } else if (d0 >= d1) {
    g0 = 1;
    g1 = 0;
    f = d0;
  } else {
    g0 = 0;
    g1 = 1;
    f = d1;
  }
  const irho = inv(rho);
  g[0] = g0 * x * irho;
  g[1] = g1 * (y < 0 ? -1 : 1);
  g[2] = g0 * z * irho;
  g[3] = -g0;
  g[4] = -g1;
  g[g.length - 1] = f;
}

const cylinderKernel: PrimitiveKernel = {
  params: [
    ['radius', 0],
    ['halfHeight', 0],
  ],
  value: cylinderValue,
  values(P, pts, n, out) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[i] = cylinderValue(P, pts[o], pts[o + 1], pts[o + 2]);
  },
  full: cylinderFull,
  gradients(P, pts, n, out, grad, G, gParams) {
    const g = fullBuffer(P.length);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      if (G && G[i] === 0 && !out) continue;
      cylinderFull(P, pts[o], pts[o + 1], pts[o + 2], g);
      collect(g, i, o, out, grad, G, gParams);
    }
  },
};

export const PRIMITIVES: Record<PrimitiveKind, PrimitiveKernel> = {
  sphere: sphereKernel,
  box: boxKernel,
  roundedBox: roundedBoxKernel,
  torus: torusKernel,
  capsule: capsuleKernel,
  cylinder: cylinderKernel,
};

/** The tape op of one primitive: points [N, 3] and its parameter tensors -> distances [N]. */
function primitiveOp(kind: PrimitiveKind) {
  const kernel = PRIMITIVES[kind];
  return customOp({
    name: `sdf.${kind}`,
    forward(ctx, points: Tensor, params: Tensor[]) {
      const n = points.shape[0];
      const out = ctx.output([n]);
      const P = paramValues(params);
      kernel.values(P, points.data, n, out.data);
      ctx.save(
        points.data,
        P,
        params.map((p) => p.size),
      );
      return out;
    },
    backward(ctx, gOut) {
      const [pts, P, sizes] = ctx.saved as [FloatArray, Float64Array, number[]];
      const G = gOut!;
      const n = G.length;
      const gp = ctx.needsInputGrad[0] ? ctx.zeros(3 * n) : null;
      const gParams = new Float64Array(P.length);
      kernel.gradients(P, pts, n, null, gp, G, gParams);
      if (gp)
        for (let i = 0, o = 0; i < n; i++, o += 3) {
          const gi = G[i];
          gp[o] *= gi;
          gp[o + 1] *= gi;
          gp[o + 2] *= gi;
        }
      const grads: (FloatArray | null)[] = [gp];
      let off = 0;
      sizes.forEach((size, k) => {
        if (ctx.needsInputGrad[1 + k]) {
          const gk = ctx.zeros(size);
          for (let j = 0; j < size; j++) gk[j] = gParams[off + j];
          grads.push(gk);
        } else grads.push(null);
        off += size;
      });
      return grads;
    },
  });
}

const OPS = Object.fromEntries(Object.keys(PRIMITIVES).map((k) => [k, primitiveOp(k as PrimitiveKind)])) as Record<PrimitiveKind, ReturnType<typeof primitiveOp>>;

/** An analytic primitive with its parameters as tensors (pass Tensors with requiresGrad to optimize them). */
export class PrimitiveSdf extends Sdf {
  readonly dtype: DType;
  readonly kind: PrimitiveKind;
  /** The parameter tensors, in the kernel's order. */
  readonly params: readonly Tensor[];

  constructor(kind: PrimitiveKind, values: Record<string, ParamLike | undefined>, dtype?: DType) {
    super();
    const kernel = PRIMITIVES[kind];
    const what = `${kind}()`;
    const given = kernel.params.map(([name]) => values[name]);
    this.dtype = paramDType(given, dtype, what);
    this.kind = kind;
    this.params = kernel.params.map(([name, size], i) => {
      const v = given[i];
      if (v === undefined) throw new ArgumentError(`${what}: options.${name} is missing; give ${size ? `${size} numbers` : 'a number'} or a Tensor.`);
      return paramTensor(v, size, this.dtype, `${what} options.${name}`);
    });
  }

  distance(points: Tensor): Tensor {
    return OPS[this.kind](checkPoints(points, this.dtype, `${this.kind}.distance`), this.params as Tensor[]);
  }

  parameters(): Tensor[] {
    return [...this.params];
  }

  plain(shared = false): PlainSdf {
    return { kind: 'primitive', primitive: this.kind, params: paramValues(this.params, shared) };
  }
}

interface DTypeOption {
  /** dtype of parameters given as numbers (default: the given tensors', else float32). */
  dtype?: DType;
}

/** eq. 1: a sphere of `radius` around `center` (default the origin). */
export function sphere(options: { center?: ParamLike; radius: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('sphere', { center: options.center ?? [0, 0, 0], radius: options.radius }, options.dtype);
}

/** eq. 2: an axis-aligned box of half sides `halfSize` centred at the origin (place it with transform()). */
export function box(options: { halfSize: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('box', { halfSize: options.halfSize }, options.dtype);
}

/** eq. 3: a box of half sides `halfSize` with edges rounded by `radius` (radius < every half side). */
export function roundedBox(options: { halfSize: ParamLike; radius: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('roundedBox', { halfSize: options.halfSize, radius: options.radius }, options.dtype);
}

/** eq. 4: a torus around the y axis: `majorRadius` to the tube's centre line, `minorRadius` the tube's. */
export function torus(options: { majorRadius: ParamLike; minorRadius: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('torus', { majorRadius: options.majorRadius, minorRadius: options.minorRadius }, options.dtype);
}

/** eq. 5: a capsule: the points within `radius` of the segment from `a` to `b`. */
export function capsule(options: { a: ParamLike; b: ParamLike; radius: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('capsule', { a: options.a, b: options.b, radius: options.radius }, options.dtype);
}

/** eq. 6: a capped cylinder around the y axis, `radius` wide and 2 `halfHeight` tall. */
export function cylinder(options: { radius: ParamLike; halfHeight: ParamLike } & DTypeOption): PrimitiveSdf {
  return new PrimitiveSdf('cylinder', { radius: options.radius, halfHeight: options.halfHeight }, options.dtype);
}

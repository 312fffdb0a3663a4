// A signed distance function (docs/dist.md §1) in two forms that always agree:
// - on the tape: `distance(points)` maps points [N, 3] to distances [N], differentiable in the
//   points and in the SDF's own parameters (a radius, a transform, a shape code, network weights);
// - plain: `plain()` takes a snapshot of the current parameter values as plain data that
//   `evaluate.ts` interprets over flat arrays without the tape. The tracer marches with it, on any
//   thread (the snapshot is structured-clone friendly, its arrays shared when asked).

import { tensor } from '../../../lib/create.js';
import { type DType, DEFAULT_DTYPE, type FloatArray } from '../../../lib/dtype.js';
import { ArgumentError, DTypeError, ShapeError } from '../../../lib/errors.js';
import { Tensor } from '../../../lib/tensor.js';
import type { PrimitiveKind } from './primitives.js';

/** What `evaluate.ts` runs: a tree of plain nodes holding parameter values, no tensors. */
export type PlainSdf =
  | { kind: 'primitive'; primitive: PrimitiveKind; params: Float64Array }
  | { kind: 'combine'; op: CombineKind; k: number; a: PlainSdf; b: PlainSdf }
  | { kind: 'transform'; R: Float64Array; t: Float64Array; s: number; child: PlainSdf }
  | PlainMlp
  | { kind: 'function'; evaluate: (points: Float64Array, n: number, out: Float64Array) => void };

export type CombineKind = 'union' | 'intersection' | 'difference';

/** A DeepSDF-style network (mlpSdf.ts) as plain arrays (float32 or float64): the latent code concatenated to xyz. */
export interface PlainMlp {
  kind: 'mlp';
  /** Layer by layer: weight row-major [outputs, inputs]; a skip layer's input is [previous output, latent, xyz]. */
  layers: PlainLayer[];
  latent: FloatArray;
  /** Hidden activation (the last layer has scale * tanh). */
  activation: 'relu' | 'softplus';
  /** Output = scale * tanh(last layer): the clamp range of the training distances. */
  outputScale: number;
}

export interface PlainLayer {
  inputs: number;
  outputs: number;
  weight: FloatArray;
  bias: FloatArray;
  skip: boolean;
}

export abstract class Sdf {
  abstract readonly dtype: DType;
  /** Distances at points [N, 3] on the tape (differentiable in the points and the parameters). */
  abstract distance(points: Tensor): Tensor;
  /** Every parameter tensor the distance reads, children's included (optimizers take these). */
  abstract parameters(): Tensor[];
  /** The current parameter values as plain data; `shared` puts its arrays on SharedArrayBuffers (for the pool). */
  abstract plain(shared?: boolean): PlainSdf;
  /**
   * True when f never exceeds the distance to the surface (an exact distance or a bound of one:
   * analytic primitives and their combinations), so the tracer may step by f itself far from the
   * surface (docs/dist.md eq. 14b). False for networks and function SDFs.
   */
  get distanceBound(): boolean {
    return true;
  }

  /** False when the plain form cannot go to a worker (a JavaScript function): the tracer then runs on one thread. */
  get transferable(): boolean {
    return true;
  }
}

/** Throws unless `points` is a [N, 3] tensor of the SDF's dtype. */
export function checkPoints(points: unknown, dtype: DType, what: string): Tensor {
  if (!(points instanceof Tensor)) throw new ArgumentError(`${what}: points must be a Tensor of shape [N, 3], got ${typeof points}.`);
  if (points.ndim !== 2 || points.shape[1] !== 3) throw new ShapeError(`${what}: points have shape [${points.shape}]; pass one xyz row per point, shape [N, 3].`);
  if (points.dtype !== dtype)
    throw new DTypeError(`${what}: points are ${points.dtype} but the SDF is ${dtype}; convert them with .to('${dtype}') or build the SDF with { dtype: '${points.dtype}' }.`);
  return points;
}

/** A number, a list of numbers or a tensor, as a parameter tensor of `size` values (0-d when size is 0). */
export type ParamLike = number | readonly number[] | Float64Array | Float32Array | Tensor;

/** The dtype of the tensors among `values` (they must agree), else `fallback`, else float32. */
export function paramDType(values: readonly unknown[], fallback: DType | undefined, what: string): DType {
  let found: DType | undefined;
  for (const v of values) {
    if (!(v instanceof Tensor)) continue;
    if (found && v.dtype !== found) throw new DTypeError(`${what}: its parameter tensors mix ${found} and ${v.dtype}; make them all one dtype.`);
    found = v.dtype;
  }
  if (found && fallback && found !== fallback) throw new DTypeError(`${what}: options.dtype is ${fallback} but its parameter tensors are ${found}; drop the option or convert the tensors.`);
  return found ?? fallback ?? DEFAULT_DTYPE;
}

/** `value` as a tensor of shape [size] (or [] for size 0), validated; tensors pass through (shape checked). */
export function paramTensor(value: ParamLike, size: number, dtype: DType, what: string): Tensor {
  const shape = size === 0 ? [] : [size];
  if (value instanceof Tensor) {
    if (value.size !== Math.max(size, 1) || value.ndim !== shape.length) {
      throw new ShapeError(`${what} has shape [${value.shape}]; it must have shape [${shape}].`);
    }
    return value;
  }
  if (size === 0) {
    if (typeof value !== 'number') throw new ArgumentError(`${what} must be a number or a 0-d Tensor, got ${JSON.stringify(value)}.`);
    return tensor(value, { dtype }, what);
  }
  if (typeof value === 'number' || value.length !== size) throw new ArgumentError(`${what} must be ${size} numbers or a Tensor of shape [${size}], got ${JSON.stringify(value)}.`);
  return tensor(Array.from(value), { dtype }, what);
}

/** The values of several parameter tensors, concatenated, as float64. */
export function paramValues(params: readonly Tensor[], shared = false): Float64Array {
  const n = params.reduce((s, p) => s + p.size, 0);
  const out = shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
  let o = 0;
  for (const p of params) for (let i = 0; i < p.size; i++) out[o++] = p.data[i];
  return out;
}

/** Children of a combination must share a dtype. */
export function commonDType(children: readonly Sdf[], what: string): DType {
  const d = children[0].dtype;
  for (const c of children) {
    if (!(c instanceof Sdf)) throw new ArgumentError(`${what}: every operand must be an Sdf (sphere(...), box(...), union(...)), got ${typeof c}.`);
    if (c.dtype !== d) throw new DTypeError(`${what}: its operands are ${d} and ${c.dtype}; build them with the same { dtype }.`);
  }
  return d;
}

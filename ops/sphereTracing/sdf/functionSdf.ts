// An SDF written as any tape function of the points (docs/dist.md §1): the most general form,
// and the slowest (every marching step builds tensors). Its plain form calls the same function
// without the tape, so it cannot go to a worker; the tracer then marches on the calling thread.

import { fromArray } from '../../../lib/create.js';
import type { DType } from '../../../lib/dtype.js';
import { ArgumentError, ShapeError } from '../../../lib/errors.js';
import { noGrad } from '../../../lib/tape.js';
import { Tensor } from '../../../lib/tensor.js';
import { type PlainSdf, Sdf, checkPoints } from './sdf.js';

export interface FunctionSdfOptions {
  dtype?: DType;
  /** The tensors the function reads (for optimizers). */
  parameters?: Tensor[];
  /** The function never exceeds the distance to its surface (Sdf.distanceBound; default false). */
  distanceBound?: boolean;
}

export class FunctionSdf extends Sdf {
  readonly dtype: DType;
  private readonly fn: (points: Tensor) => Tensor;
  private readonly params: Tensor[];

  private readonly bound: boolean;

  constructor(fn: (points: Tensor) => Tensor, options: FunctionSdfOptions = {}) {
    super();
    this.bound = options.distanceBound ?? false;
    if (typeof fn !== 'function') throw new ArgumentError('functionSdf(fn): fn must be a function from points [N, 3] to distances [N].');
    this.fn = fn;
    this.params = options.parameters ?? [];
    this.dtype = options.dtype ?? this.params[0]?.dtype ?? 'float32';
  }

  distance(points: Tensor): Tensor {
    checkPoints(points, this.dtype, 'functionSdf.distance');
    const out = this.fn(points);
    if (!(out instanceof Tensor) || out.size !== points.shape[0]) {
      throw new ShapeError(
        `functionSdf: the function returned ${out instanceof Tensor ? `shape [${out.shape}]` : typeof out} for ${points.shape[0]} points; return one distance per point, shape [N].`,
      );
    }
    return out.ndim === 1 ? out : out.reshape([points.shape[0]]);
  }

  parameters(): Tensor[] {
    return [...this.params];
  }

  plain(): PlainSdf {
    const dtype = this.dtype;
    return {
      kind: 'function',
      evaluate: (points, n, out) => {
        const data = dtype === 'float64' ? Float64Array.from(points.subarray(0, 3 * n)) : Float32Array.from(points.subarray(0, 3 * n));
        const d = noGrad(() => this.distance(fromArray(data, [n, 3])));
        for (let i = 0; i < n; i++) out[i] = d.data[i];
      },
    };
  }

  override get transferable(): boolean {
    return false;
  }

  override get distanceBound(): boolean {
    return this.bound;
  }
}

/** An SDF from a tape function of points [N, 3] -> distances [N]; `parameters` lists the tensors it reads. */
export function functionSdf(fn: (points: Tensor) => Tensor, options: FunctionSdfOptions = {}): FunctionSdf {
  return new FunctionSdf(fn, options);
}

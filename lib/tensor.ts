// Tensor: a flat typed array (optionally on a SharedArrayBuffer) with a shape, a dtype and,
// for differentiable values, the tape node that produced it. Storage is always contiguous,
// row-major, so every op can loop over `data` directly.

import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import { type DType, type FloatArray, allocate, dtypeOf } from './dtype.js';
import { ArgumentError, ShapeError } from './errors.js';
import { type Shape, sizeOf, stridesOf, unravelIndex } from './shape.js';
import { type TapeNode, backward as runBackward, backwardAsync as runBackwardAsync } from './tape.js';

export interface BackwardOptions {
  /** Keep the graph (saved values, backward closures) so backward can run through it again. */
  retainGraph?: boolean;
}

export class Tensor {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dtype: DType;
  /** Leaves with requiresGrad receive `.grad` from backward; op outputs inherit it from their inputs. */
  requiresGrad: boolean;
  /** Accumulated gradient (same shape and dtype), or null before the first backward. */
  grad: Tensor | null = null;
  /** Optional label used in error messages and gradcheck reports. */
  name: string | undefined;
  /** The tape node that produced this tensor; null for leaves and detached values. */
  node: TapeNode | null = null;
  /** Which output of `node` this tensor is. */
  outputIndex = 0;
  /** When true a non-leaf keeps its gradient in `.grad` too (like torch's retain_grad). */
  retainsGrad = false;

  constructor(data: FloatArray, shape: Shape, requiresGrad = false, name?: string) {
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError(`data has ${data.length} elements but shape [${shape}] needs ${sizeOf(shape)}.`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(stridesOf(shape));
    this.dtype = dtypeOf(data);
    this.requiresGrad = requiresGrad;
    this.name = name;
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors no op produced: parameters and constants. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** True when the storage is a SharedArrayBuffer that workers can read without copying. */
  get isShared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.data.buffer instanceof SharedArrayBuffer;
  }

  /** A scijs ndarray view over the same memory (writes through). */
  ndarray(): NdArray<FloatArray> {
    return ndarray(this.data, this.shape.slice(), this.strides.slice(), 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item() needs a tensor with one element, this one has shape [${this.shape}]; index or sum it first.`);
    return this.data[0];
  }

  /** Element at a multi-index. */
  get(...index: number[]): number {
    if (index.length !== this.ndim) throw new ShapeError(`get() needs ${this.ndim} indices for shape [${this.shape}], got ${index.length}.`);
    let off = 0;
    for (let i = 0; i < index.length; i++) {
      const k = index[i];
      if (!Number.isInteger(k) || k < 0 || k >= this.shape[i]) {
        throw new ArgumentError(`index ${k} at position ${i} is out of range for shape [${this.shape}].`);
      }
      off += k * this.strides[i];
    }
    return this.data[off];
  }

  /** Nested JS arrays (a number for a 0-d tensor). */
  toArray(): number | unknown[] {
    if (this.ndim === 0) return this.data[0];
    const build = (dim: number, off: number): unknown[] => {
      const out: unknown[] = [];
      for (let i = 0; i < this.shape[dim]; i++) {
        const o = off + i * this.strides[dim];
        out.push(dim === this.ndim - 1 ? this.data[o] : build(dim + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A new leaf sharing this storage, cut off from the tape. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false, this.name);
  }

  /** A copy of the values (a new leaf; same dtype unless given; shared storage on request). */
  clone(options: { dtype?: DType; requiresGrad?: boolean; shared?: boolean } = {}): Tensor {
    const d = allocate(options.dtype ?? this.dtype, this.size, options.shared ?? false);
    d.set(this.data);
    return new Tensor(d, this.shape, options.requiresGrad ?? false, this.name);
  }

  /** Same values in another dtype (a copy; not on the tape). */
  to(dtype: DType): Tensor {
    return this.clone({ dtype, requiresGrad: this.requiresGrad && this.isLeaf });
  }

  /** Run reverse mode from this tensor. Non-scalars need an explicit seed `gradient`. */
  backward(gradient?: Tensor | FloatArray, options: BackwardOptions = {}): void {
    runBackward([this], gradient === undefined ? undefined : [gradient instanceof Tensor ? gradient.data : gradient], options);
  }

  /** `backward` through a graph that holds asynchronous (GPU) ops: resolves once every gradient is in (engine.md §9). */
  backwardAsync(gradient?: Tensor | FloatArray, options: BackwardOptions = {}): Promise<void> {
    return runBackwardAsync([this], gradient === undefined ? undefined : [gradient instanceof Tensor ? gradient.data : gradient], options);
  }

  /** Keep this non-leaf's gradient in `.grad` after backward. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  zeroGrad(): void {
    if (this.grad) this.grad.data.fill(0);
  }

  /** @internal Adds `g` into `.grad`, creating it on first use. */
  accumulateGrad(g: FloatArray): void {
    if (!this.grad) {
      const d = allocate(this.dtype, this.size);
      d.set(g);
      this.grad = new Tensor(d, this.shape);
      return;
    }
    const a = this.grad.data;
    for (let i = 0; i < a.length; i++) a[i] += g[i];
  }

  toString(): string {
    const head = this.size <= 12 ? Array.from(this.data, (v) => +v.toPrecision(5)).join(', ') : `${this.size} values`;
    return `Tensor(${this.name ? `${this.name}, ` : ''}[${this.shape}] ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}: ${head})`;
  }

  /** Multi-index of a flat element (for reports). */
  unravel(flat: number): number[] {
    return unravelIndex(flat, this.shape);
  }
}

// customOp: the one way ops join the tape, built-ins and hand-written kernels alike
// (the pattern of torch.autograd.Function). An op declares
//   forward(ctx, ...args)        -> Tensor | Tensor[]   computed over flat typed arrays
//   backward(ctx, ...gradOutputs) -> one gradient (or null) per tensor argument
// Tensor arguments (and tensors inside top-level arrays, as for concat) are the differentiable
// inputs, in argument order; anything else (numbers, index arrays, cameras, options) passes through.

import { type DType, type FloatArray, allocate } from './dtype.js';
import { DTypeError, NonFiniteError, firstNonFinite } from './errors.js';
import { type Shape, sizeOf } from './shape.js';
import { isGradEnabled, record } from './tape.js';
import { Tensor } from './tensor.js';

export interface ForwardContext {
  /** dtype shared by the tensor arguments (float32 when there are none). */
  readonly dtype: DType;
  /** Per tensor argument: will its gradient be needed? Skip saving what backward won't use. */
  readonly needsInputGrad: readonly boolean[];
  /** True when a backward may follow (grad mode on and some input requires grad). */
  readonly recording: boolean;
  /** Keep values for backward (typed arrays, tensors, numbers...). Ignored when not recording. */
  save(...values: unknown[]): void;
  /** Outputs that carry no gradient (indices, counts, caches). */
  markNonDifferentiable(...outputs: Tensor[]): void;
  /** A new zero-filled output tensor of the op's dtype. */
  output(shape: Shape): Tensor;
}

export interface BackwardContext {
  readonly dtype: DType;
  readonly needsInputGrad: readonly boolean[];
  /** What forward saved, in order. */
  readonly saved: readonly unknown[];
  /** The tensor arguments of the forward call, in order. */
  readonly inputs: readonly Tensor[];
  /** A zero-filled gradient buffer of the op's dtype. */
  zeros(n: number): FloatArray;
}

export type GradOutput = FloatArray | null;
export type GradInputs = (FloatArray | null | undefined)[];

export interface OpSpec<Args extends unknown[], Out extends Tensor | Tensor[]> {
  name: string;
  forward(ctx: ForwardContext, ...args: Args): Out;
  /** One entry per tensor argument; null/undefined where no gradient flows. `gradOutputs[j]` is null
   *  when output j received no gradient. */
  backward(ctx: BackwardContext, ...gradOutputs: GradOutput[]): GradInputs;
  /** Outputs may hold NaN/Infinity on purpose (default false: a non-finite output throws). */
  allowNonFinite?: boolean;
}

/** Nothing returns NaN silently: a non-finite output throws, naming the input it came from if any. */
function checkOutputs(name: string, inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
  outputs.forEach((o, j) => {
    const bad = firstNonFinite(o.data);
    if (bad < 0) return;
    const source = inputs.findIndex((t) => firstNonFinite(t.data) >= 0);
    const cause =
      source >= 0
        ? `tensor argument ${source}${inputs[source].name ? ` (${inputs[source].name})` : ''} already holds a non-finite value at flat index ${firstNonFinite(inputs[source].data)}; find where it was made (tensor() rejects NaN, fromArray and in-place writes do not)`
        : 'the inputs are finite, so the op left its domain (overflow, division by zero); rescale or clamp the inputs';
    throw new NonFiniteError(`${name}: output ${j} has a non-finite value (${o.data[bad]}) at flat index ${bad}: ${cause}.`);
  });
}

/** Tensors among the arguments, in order (top-level tensors and tensors inside top-level arrays). */
export function tensorArgs(args: readonly unknown[]): Tensor[] {
  const out: Tensor[] = [];
  for (const a of args) {
    if (a instanceof Tensor) out.push(a);
    else if (Array.isArray(a)) for (const b of a) if (b instanceof Tensor) out.push(b);
  }
  return out;
}

/** The part of a call shared by customOp and customOpAsync: dtype check, grad mode, the contexts. */
function beginCall(name: string, args: readonly unknown[]) {
  const inputs = tensorArgs(args);
  const dtype = inputs.length ? inputs[0].dtype : 'float32';
  inputs.forEach((t, i) => {
    if (t.dtype !== dtype) {
      throw new DTypeError(`${name}: tensor argument ${i}${t.name ? ` (${t.name})` : ''} is ${t.dtype} but the first is ${dtype}; convert one with .to('${dtype}').`);
    }
  });
  const needsInputGrad = inputs.map((t) => t.requiresGrad);
  const recording = isGradEnabled() && needsInputGrad.some(Boolean);
  const saved: unknown[] = [];
  const nonDiff = new Set<Tensor>();
  const ctx: ForwardContext = {
    dtype,
    needsInputGrad,
    recording,
    save: (...values) => {
      if (recording) saved.push(...values);
    },
    markNonDifferentiable: (...outs) => outs.forEach((o) => nonDiff.add(o)),
    output: (shape) => new Tensor(allocate(dtype, sizeOf(shape)), shape),
  };
  const bctx: BackwardContext = {
    dtype,
    needsInputGrad,
    saved,
    inputs,
    zeros: (n) => allocate(dtype, n),
  };
  /** Checks the outputs; returns them with the differentiable flags when a node is to be recorded, else null. */
  const finish = (result: Tensor | Tensor[], allowNonFinite: boolean): { outputs: Tensor[]; differentiable: boolean[] } | null => {
    const outputs: Tensor[] = Array.isArray(result) ? result : [result];
    if (!allowNonFinite) checkOutputs(name, inputs, outputs);
    if (!recording) return null;
    for (const o of outputs) {
      if (inputs.includes(o)) throw new TypeError(`${name}: forward must return new tensors, not its inputs (wrap shared storage in new Tensor(...)).`);
    }
    return { outputs, differentiable: outputs.map((o) => !nonDiff.has(o)) };
  };
  return { inputs, ctx, bctx, finish };
}

export function customOp<Args extends unknown[], Out extends Tensor | Tensor[]>(spec: OpSpec<Args, Out>): (...args: Args) => Out {
  const op = (...args: Args): Out => {
    const { inputs, ctx, bctx, finish } = beginCall(spec.name, args);
    const result = spec.forward(ctx, ...args);
    const node = finish(result, spec.allowNonFinite ?? false);
    if (node) record(spec.name, inputs, node.outputs, (gOut) => spec.backward(bctx, ...gOut), node.differentiable);
    return result;
  };
  Object.defineProperty(op, 'name', { value: spec.name });
  return op;
}

/** An op whose forward and backward resolve later (they run on a GPU): see customOpAsync. */
export interface AsyncOpSpec<Args extends unknown[], Out extends Tensor | Tensor[]> {
  name: string;
  forward(ctx: ForwardContext, ...args: Args): Promise<Out>;
  backward(ctx: BackwardContext, ...gradOutputs: GradOutput[]): Promise<GradInputs>;
  allowNonFinite?: boolean;
}

/**
 * customOp for asynchronous work (engine.md §9): the op resolves to its outputs, and its tape
 * node is asynchronous, so a loss that depends on it is differentiated with
 * `await loss.backwardAsync()`. Grad mode and `needsInputGrad` are read when the op is called;
 * the node is recorded when the forward resolves.
 */
export function customOpAsync<Args extends unknown[], Out extends Tensor | Tensor[]>(spec: AsyncOpSpec<Args, Out>): (...args: Args) => Promise<Out> {
  const op = async (...args: Args): Promise<Out> => {
    const { inputs, ctx, bctx, finish } = beginCall(spec.name, args);
    const result = await spec.forward(ctx, ...args);
    const node = finish(result, spec.allowNonFinite ?? false);
    if (node) record(spec.name, inputs, node.outputs, (gOut) => spec.backward(bctx, ...gOut), node.differentiable, true);
    return result;
  };
  Object.defineProperty(op, 'name', { value: spec.name });
  return op;
}

// The reverse-mode tape. Every differentiable op records a node: its tensor inputs, its outputs
// and a closure that maps output gradients to input gradients. `backward` walks the nodes in
// reverse topological order and accumulates gradients where a tensor fans out to several ops.
// A node may be asynchronous (its backward runs on a GPU and resolves later): `backwardAsync`
// walks the same loop and awaits such nodes; `backward` refuses a graph that holds one.

import type { FloatArray } from './dtype.js';
import { allocate } from './dtype.js';
import { NonFiniteError, ShapeError, TapeError, firstNonFinite } from './errors.js';
import type { BackwardOptions, Tensor } from './tensor.js';

export type GradInputList = (FloatArray | null | undefined)[];
export type BackwardFn = (gradOutputs: (FloatArray | null)[]) => GradInputList;
/** The backward of an asynchronous node: it resolves to the input gradients. */
export type AsyncBackwardFn = (gradOutputs: (FloatArray | null)[]) => Promise<GradInputList>;

export interface TapeNode {
  /** Op name, used in error messages. */
  readonly name: string;
  /** Tensor inputs in argument order (the ones gradients flow back to). */
  readonly inputs: readonly Tensor[];
  /** Tensors this op produced, by output index. */
  readonly outputs: readonly Tensor[];
  /** Output gradients -> input gradients (a promise of them when `async`); null once the graph is freed. */
  backward: BackwardFn | AsyncBackwardFn | null;
  /** True when `backward` returns a promise (only `backwardAsync` can walk through it). */
  readonly async?: boolean;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` without recording anything on the tape (like torch.no_grad). */
export const noGrad = <T>(fn: () => T): T => withGradMode(false, fn);

/** Re-enables recording inside a noGrad region. */
export const enableGrad = <T>(fn: () => T): T => withGradMode(true, fn);

/** Records a node and marks its differentiable outputs. Used by customOp; rarely called directly. */
export function record(name: string, inputs: Tensor[], outputs: Tensor[], backwardFn: BackwardFn, differentiable: boolean[]): TapeNode;
export function record(name: string, inputs: Tensor[], outputs: Tensor[], backwardFn: AsyncBackwardFn, differentiable: boolean[], async: true): TapeNode;
export function record(name: string, inputs: Tensor[], outputs: Tensor[], backwardFn: BackwardFn | AsyncBackwardFn, differentiable: boolean[], async = false): TapeNode {
  const node: TapeNode = async ? { name, inputs, outputs, backward: backwardFn, async: true } : { name, inputs, outputs, backward: backwardFn };
  outputs.forEach((t, i) => {
    if (!differentiable[i]) return;
    t.node = node;
    t.outputIndex = i;
    t.requiresGrad = true;
  });
  return node;
}

/** Nodes reachable from `roots`, inputs before users (iterative DFS: long graphs do not overflow the stack). */
function topologicalOrder(roots: Tensor[]): TapeNode[] {
  const order: TapeNode[] = [];
  const seen = new Set<TapeNode>();
  const stack: [TapeNode, number][] = [];
  for (const r of roots) {
    if (!r.node || seen.has(r.node)) continue;
    seen.add(r.node);
    stack.push([r.node, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1]++;
        const child = node.inputs[i].node;
        if (child && !seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order;
}

function addInto(map: Map<Tensor, FloatArray>, t: Tensor, g: FloatArray): void {
  const prev = map.get(t);
  if (!prev) {
    const copy = allocate(t.dtype, t.size);
    copy.set(g);
    map.set(t, copy);
  } else {
    for (let i = 0; i < prev.length; i++) prev[i] += g[i];
  }
}

/**
 * Reverse mode from several roots at once, each seeded with its gradient (scalars default to 1).
 * Leaf tensors with requiresGrad get their `.grad` accumulated; the graph is freed afterwards
 * unless `retainGraph` is set. A graph holding an asynchronous node (a GPU op) throws a TapeError
 * before anything runs: walk it with `backwardAsync`.
 */
export function backward(roots: Tensor[], seeds?: (FloatArray | null | undefined)[], options: BackwardOptions = {}): void {
  const walk = walkBackward(roots, seeds, options, false);
  const step = walk.next();
  if (!step.done) throw new Error('backward: an asynchronous node got past the check'); // walkBackward refuses them first
}

/**
 * `backward` for graphs with asynchronous nodes (engine.md §9): the same walk, in the same order,
 * awaiting each asynchronous node's backward before going on. Synchronous nodes run as in
 * `backward`; the gradients are the same.
 */
export async function backwardAsync(roots: Tensor[], seeds?: (FloatArray | null | undefined)[], options: BackwardOptions = {}): Promise<void> {
  const walk = walkBackward(roots, seeds, options, true);
  let step = walk.next();
  while (!step.done) step = walk.next(await step.value);
}

/** The walk of backward and backwardAsync: yields an asynchronous node's pending gradients and resumes with them. */
function* walkBackward(roots: Tensor[], seeds: (FloatArray | null | undefined)[] | undefined, options: BackwardOptions, allowAsync: boolean): Generator<Promise<GradInputList>, void, GradInputList> {
  const grads = new Map<Tensor, FloatArray>();
  const rootSeeds = roots.map((r, i) => {
    if (!r.requiresGrad) {
      throw new TapeError(`backward() called on a tensor that does not require grad${r.name ? ` (${r.name})` : ''}; give some input requiresGrad: true.`);
    }
    let seed = seeds?.[i] ?? null;
    if (!seed) {
      if (r.size !== 1) {
        throw new TapeError(`backward() on a tensor of shape [${r.shape}] needs a gradient of the same shape; reduce it to a scalar (sum/mean) or pass one.`);
      }
      seed = allocate(r.dtype, 1);
      seed[0] = 1;
    } else if (seed.length !== r.size) {
      throw new ShapeError(`backward() seed has ${seed.length} elements but the tensor has ${r.size} (shape [${r.shape}]).`);
    }
    return seed;
  });

  const order = topologicalOrder(roots);
  if (!allowAsync) {
    const pending = order.find((node) => node.async && node.backward);
    if (pending) throw new TapeError(`the graph holds '${pending.name}', whose backward runs asynchronously (on the GPU): call await loss.backwardAsync() instead of backward().`);
  }
  roots.forEach((r, i) => {
    if (r.node) addInto(grads, r, rootSeeds[i]);
    else r.accumulateGrad(rootSeeds[i]);
  });
  for (let n = order.length - 1; n >= 0; n--) {
    const node = order[n];
    const gOut = node.outputs.map((t) => (t.node === node ? (grads.get(t) ?? null) : null));
    if (gOut.every((g) => g === null)) continue;
    if (!node.backward) {
      throw new TapeError(`the graph through '${node.name}' was already freed by an earlier backward(); pass { retainGraph: true } to the first call.`);
    }
    node.outputs.forEach((t) => {
      const g = grads.get(t);
      if (g && t.retainsGrad) t.accumulateGrad(g);
      grads.delete(t); // consumed: intermediate gradients do not outlive their node
    });
    const gIn = node.async ? yield (node.backward as AsyncBackwardFn)(gOut) : (node.backward as BackwardFn)(gOut);
    node.inputs.forEach((input, i) => {
      const g = gIn[i];
      if (!g || !input.requiresGrad) return;
      if (g.length !== input.size) {
        throw new ShapeError(`backward of '${node.name}' returned ${g.length} gradient values for input ${i} of shape [${input.shape}].`);
      }
      const bad = firstNonFinite(g);
      if (bad >= 0) {
        throw new NonFiniteError(
          `backward of '${node.name}' produced a non-finite gradient (${g[bad]}) for input ${i}${input.name ? ` (${input.name})` : ''} at flat index ${bad}; ` +
            `the forward value there is probably at a singularity (sqrt or norm of 0, log of 0, division by 0).`,
        );
      }
      if (input.node) addInto(grads, input, g);
      else input.accumulateGrad(g);
    });
    if (!options.retainGraph) node.backward = null;
  }
}

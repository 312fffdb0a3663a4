// An analytic SDF tree on the tape as one op (docs/dist.md §5, "one op for the tree"): the
// forward is the compiled evaluator (compileSdf.ts), the backward the compiled reverse pass
// (compileGradient.ts). The tracer records it instead of one op per node when it re-evaluates f at
// its rays' points; `sdf.distance(points)`, the per-node ops, is the twin it is tested against.

import { customOp } from '../../../lib/customOp.js';
import type { FloatArray } from '../../../lib/dtype.js';
import type { Tensor } from '../../../lib/tensor.js';
import { rotationFromVector } from '../../cameraPose.js';
import { CombinedSdf } from './combine.js';
import { type GradientLayout, compiledGradient, gradientLayout } from './compileGradient.js';
import { compiledValues } from './compileSdf.js';
import { PrimitiveSdf } from './primitives.js';
import { type PlainSdf, type Sdf, checkPoints } from './sdf.js';
import { TransformedSdf } from './transform.js';

/** Where a parameter tensor's values sit in the compiled layout: part of an array, or a scalar. */
type Slot = { array: number; offset: number; size: number } | { scalar: number };

interface Program {
  plain: PlainSdf;
  values: (points: Float64Array, n: number, out: Float64Array) => void;
  gradient: (points: Float64Array, n: number, G: Float64Array, gPoints: Float64Array | null, l: GradientLayout) => void;
  slots: Slot[];
}

/** The tree's parameter tensors in the order compileSdf.ts collect reads their values, or null for a node it does not know. */
function tensorsInOrder(sdf: Sdf, tensors: Tensor[], slots: Slot[], next: { arrays: number; scalars: number }): boolean {
  if (sdf instanceof PrimitiveSdf) {
    const array = next.arrays++;
    let offset = 0;
    for (const p of sdf.params) {
      tensors.push(p);
      slots.push({ array, offset, size: p.size });
      offset += p.size;
    }
    return true;
  }
  if (sdf instanceof CombinedSdf) {
    tensors.push(sdf.k);
    slots.push({ scalar: next.scalars++ });
    return tensorsInOrder(sdf.a, tensors, slots, next) && tensorsInOrder(sdf.b, tensors, slots, next);
  }
  if (sdf instanceof TransformedSdf) {
    tensors.push(rotationFromVector(sdf.rotation), sdf.translation, sdf.scale);
    slots.push({ array: next.arrays, offset: 0, size: 9 }, { array: next.arrays + 1, offset: 0, size: 3 }, { scalar: next.scalars });
    next.arrays += 2;
    next.scalars++;
    return tensorsInOrder(sdf.child, tensors, slots, next);
  }
  return false;
}

const asFloat64 = (a: FloatArray): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a));

const compiledDistanceOp = customOp({
  name: 'sdf.compiled',
  forward(ctx, points: Tensor, _params: Tensor[], program: Program) {
    const n = points.shape[0];
    const out = ctx.output([n]);
    const P = asFloat64(points.data);
    const v = out.data instanceof Float64Array ? out.data : new Float64Array(n);
    program.values(P, n, v);
    if (v !== out.data) out.data.set(v);
    ctx.save(P, program);
    return out;
  },
  backward(ctx, gOut) {
    const [P, program] = ctx.saved as [Float64Array, Program];
    const G = asFloat64(gOut!);
    const n = G.length;
    const layout = gradientLayout(program.plain);
    const gPoints = ctx.needsInputGrad[0] ? new Float64Array(3 * n) : null;
    program.gradient(P, n, G, gPoints, layout);
    const grads: (FloatArray | null)[] = [null];
    if (gPoints) {
      grads[0] = ctx.zeros(3 * n);
      grads[0].set(gPoints);
    }
    program.slots.forEach((slot, j) => {
      if (!ctx.needsInputGrad[1 + j]) return void grads.push(null);
      if ('scalar' in slot) {
        const g = ctx.zeros(1);
        g[0] = layout.gScalars[slot.scalar];
        return void grads.push(g);
      }
      const g = ctx.zeros(slot.size);
      g.set(layout.gArrays[slot.array].subarray(slot.offset, slot.offset + slot.size));
      grads.push(g);
    });
    return grads;
  },
});

/**
 * f at points [N, 3] on the tape as one compiled op, or null when the tree cannot be compiled (it
 * holds a network or a function SDF, or this page forbids code generation): then use
 * `sdf.distance(points)`. The same values and gradients as the per-node ops, to rounding.
 */
export function compiledDistance(sdf: Sdf, points: Tensor): Tensor | null {
  const plain = sdf.plain();
  const values = compiledValues(plain),
    gradient = compiledGradient(plain);
  if (!values || !gradient) return null;
  const tensors: Tensor[] = [],
    slots: Slot[] = [];
  if (!tensorsInOrder(sdf, tensors, slots, { arrays: 0, scalars: 0 })) return null;
  checkPoints(points, sdf.dtype, 'compiledDistance');
  return compiledDistanceOp(points, tensors, { plain, values, gradient, slots });
}

/** f on the tape: the compiled op where the tree allows it, else the per-node ops. */
export function tapeDistance(sdf: Sdf, points: Tensor): Tensor {
  return compiledDistance(sdf, points) ?? sdf.distance(points);
}

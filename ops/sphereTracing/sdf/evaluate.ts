// The plain interpreter of an SDF snapshot (sdf.ts PlainSdf): distances, and distances with
// their gradient in the point, for a batch of points at once, without the tape. Every node works
// on the whole batch before its parent does, so a network node runs as matrix products over the
// batch (docs/dist.md §3, "batching"). The tracer calls these on any thread.

import { ArgumentError } from '../../../lib/errors.js';
import { combineValues } from './combine.js';
import { compiledValues } from './compileSdf.js';
import { mlpValues, mlpValuesAndGradients } from './mlpPlain.js';
import { PRIMITIVES } from './primitives.js';
import type { PlainSdf } from './sdf.js';

/** Reused temporaries of one thread, by recursion depth and slot (no allocation per step). */
export class SdfWorkspace {
  private readonly buffers: Float64Array[][] = [];
  private readonly floats: Float32Array[][] = [];

  get(depth: number, slot: number, length: number): Float64Array {
    const level = (this.buffers[depth] ??= []);
    let b = level[slot];
    if (!b || b.length < length) b = level[slot] = new Float64Array(Math.max(length, 2 * (b?.length ?? 0)));
    return b.length === length ? b : b.subarray(0, length);
  }

  float32(depth: number, slot: number, length: number): Float32Array {
    const level = (this.floats[depth] ??= []);
    let b = level[slot];
    if (!b || b.length < length) b = level[slot] = new Float32Array(Math.max(length, 2 * (b?.length ?? 0)));
    return b.length === length ? b : b.subarray(0, length);
  }
}

/** Distances of a batch of points: out[i] = f(points[3i..3i+2]) for i < n. */
export type BatchValues = (points: Float64Array, n: number, out: Float64Array) => void;

/** The fastest evaluator of a tree: compiled (compileSdf.ts) where it can be, else interpreted. */
export function batchValues(node: PlainSdf, ws: SdfWorkspace): BatchValues {
  return compiledValues(node) ?? ((points, n, out) => sdfValues(node, points, n, out, ws));
}

/** Step of the central differences of a function SDF's gradient (it has no other). */
const FUNCTION_GRADIENT_STEP = 1e-5;

/** out[i] = f(points[3i..3i+2]) for i < n. */
export function sdfValues(node: PlainSdf, points: Float64Array, n: number, out: Float64Array, ws: SdfWorkspace, depth = 0): void {
  switch (node.kind) {
    case 'primitive':
      PRIMITIVES[node.primitive].values(node.params, points, n, out);
      return;
    case 'combine': {
      sdfValues(node.a, points, n, out, ws, depth + 1);
      const B = ws.get(depth, 0, n);
      sdfValues(node.b, points, n, B, ws, depth + 1);
      if (node.op === 'difference') negate(B, n);
      combineValues(node.op === 'union' ? 1 : -1, node.k, out, B, n, out);
      return;
    }
    case 'transform': {
      const Q = ws.get(depth, 0, 3 * n);
      toLocal(node.R, node.t, node.s, points, n, Q);
      sdfValues(node.child, Q, n, out, ws, depth + 1);
      scale(out, n, node.s);
      return;
    }
    case 'mlp':
      mlpValues(node, points, n, out, ws, depth);
      return;
    case 'function':
      node.evaluate(points, n, out);
      return;
    default:
      throw new ArgumentError(`sdfValues: unknown SDF node kind '${(node as { kind: string }).kind}'.`);
  }
}

/** out[i] = f and grad[3i..3i+2] = df/dpoint at each of the n points. */
export function sdfValuesAndGradients(node: PlainSdf, points: Float64Array, n: number, out: Float64Array, grad: Float64Array, ws: SdfWorkspace, depth = 0): void {
  switch (node.kind) {
    case 'primitive':
      PRIMITIVES[node.primitive].gradients(node.params, points, n, out, grad, null, null);
      return;
    case 'combine': {
      sdfValuesAndGradients(node.a, points, n, out, grad, ws, depth + 1);
      const B = ws.get(depth, 0, n),
        GB = ws.get(depth, 1, 3 * n);
      sdfValuesAndGradients(node.b, points, n, B, GB, ws, depth + 1);
      const bSign = node.op === 'difference' ? -1 : 1;
      if (bSign < 0) for (let i = 0; i < n; i++) B[i] = -B[i];
      const h = ws.get(depth, 2, n);
      combineValues(node.op === 'union' ? 1 : -1, node.k, out, B, n, out, h);
      for (let i = 0, o = 0; i < n; i++, o += 3) {
        const ha = h[i],
          hb = bSign * (1 - ha);
        grad[o] = ha * grad[o] + hb * GB[o];
        grad[o + 1] = ha * grad[o + 1] + hb * GB[o + 1];
        grad[o + 2] = ha * grad[o + 2] + hb * GB[o + 2];
      }
      return;
    }
    case 'transform': {
      const Q = ws.get(depth, 0, 3 * n);
      toLocal(node.R, node.t, node.s, points, n, Q);
      sdfValuesAndGradients(node.child, Q, n, out, grad, ws, depth + 1);
      const M = node.R;
      for (let i = 0, o = 0; i < n; i++, o += 3) {
        out[i] *= node.s;
        // world gradient = R (child gradient): the scale cancels (s f(q / s))
        const a = grad[o],
          b = grad[o + 1],
          c = grad[o + 2];
        grad[o] = M[0] * a + M[1] * b + M[2] * c;
        grad[o + 1] = M[3] * a + M[4] * b + M[5] * c;
        grad[o + 2] = M[6] * a + M[7] * b + M[8] * c;
      }
      return;
    }
    case 'mlp':
      mlpValuesAndGradients(node, points, n, out, grad, ws, depth);
      return;
    case 'function': {
      node.evaluate(points, n, out);
      const probe = ws.get(depth, 0, 3 * n),
        fp = ws.get(depth, 1, n),
        fm = ws.get(depth, 2, n);
      for (let k = 0; k < 3; k++) {
        probe.set(points.subarray(0, 3 * n));
        for (let i = 0; i < n; i++) probe[3 * i + k] += FUNCTION_GRADIENT_STEP;
        node.evaluate(probe, n, fp);
        for (let i = 0; i < n; i++) probe[3 * i + k] -= 2 * FUNCTION_GRADIENT_STEP;
        node.evaluate(probe, n, fm);
        for (let i = 0; i < n; i++) grad[3 * i + k] = (fp[i] - fm[i]) / (2 * FUNCTION_GRADIENT_STEP);
      }
      return;
    }
    default:
      throw new ArgumentError(`sdfValuesAndGradients: unknown SDF node kind '${(node as { kind: string }).kind}'.`);
  }
}

function negate(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = -a[i];
}

function scale(a: Float64Array, n: number, s: number): void {
  if (s !== 1) for (let i = 0; i < n; i++) a[i] *= s;
}

/** eq. 10 as rows: q = (p - t) R / s. */
function toLocal(R: Float64Array, t: Float64Array, s: number, P: Float64Array, n: number, Q: Float64Array): void {
  const is = 1 / s;
  const r0 = R[0],
    r1 = R[1],
    r2 = R[2],
    r3 = R[3],
    r4 = R[4],
    r5 = R[5],
    r6 = R[6],
    r7 = R[7],
    r8 = R[8],
    t0 = t[0],
    t1 = t[1],
    t2 = t[2];
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    const x = P[o] - t0,
      y = P[o + 1] - t1,
      z = P[o + 2] - t2;
    Q[o] = (x * r0 + y * r3 + z * r6) * is;
    Q[o + 1] = (x * r1 + y * r4 + z * r7) * is;
    Q[o + 2] = (x * r2 + y * r5 + z * r8) * is;
  }
}

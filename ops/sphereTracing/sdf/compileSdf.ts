// The fast evaluator of an analytic SDF (docs/dist.md §3, "batching"): the tree of primitives,
// transforms and combinations becomes one JavaScript loop that computes a point's distance in
// local variables, instead of one pass over the batch per node with arrays in between (what
// evaluate.ts, the readable interpreter, does). About 2-3x fewer nanoseconds per point for a
// CSG shape of a few nodes.
// - Only the tree's structure is compiled: parameter values are read from arrays at each call,
//   so an optimizer changing them needs no recompilation; functions are cached by structure.
// - Primitives and combinations call the same one-point functions as the interpreter
//   (primitives.ts value, combine.ts combineValue), and a transform does the same arithmetic in
//   the same order, so both evaluators give the same bits.
// - Networks and function SDFs are not compiled (a network is matrix products over the batch):
//   trees holding one use the interpreter. So does a page whose content security policy forbids
//   `new Function`.

import { PRIMITIVES, type PrimitiveKind } from './primitives.js';
import type { PlainSdf } from './sdf.js';

/** A compiled tree: values of n points, given its parameter arrays and scalars in traversal order. */
type Compiled = (points: Float64Array, n: number, out: Float64Array, arrays: Float64Array[], scalars: number[]) => void;

const cache = new Map<string, Compiled | null>();

/** The structure of a tree as a string (its cache key), or null when it cannot be compiled. */
export function structureKey(node: PlainSdf): string | null {
  switch (node.kind) {
    case 'primitive':
      return node.primitive;
    case 'combine': {
      const a = structureKey(node.a),
        b = structureKey(node.b);
      return a === null || b === null ? null : `${node.op}(${a},${b})`;
    }
    case 'transform': {
      const c = structureKey(node.child);
      return c === null ? null : `T(${c})`;
    }
    default:
      return null;
  }
}

/** Parameter arrays and scalars of a tree in the order the compiled code reads them. */
export function collect(node: PlainSdf, arrays: Float64Array[], scalars: number[]): void {
  switch (node.kind) {
    case 'primitive':
      arrays.push(node.params);
      return;
    case 'combine':
      scalars.push(node.k);
      collect(node.a, arrays, scalars);
      collect(node.b, arrays, scalars);
      return;
    case 'transform':
      arrays.push(node.R, node.t);
      scalars.push(node.s);
      collect(node.child, arrays, scalars);
      return;
    default:
      throw new Error(`compileSdf: cannot collect a '${node.kind}' node.`);
  }
}

/** The one-point distance function of each primitive, by the name the emitted source calls it. */
export const FUNCTION_NAME: Record<PrimitiveKind, string> = {
  sphere: 'sphereValue',
  box: 'boxValue',
  roundedBox: 'roundedBoxValue',
  torus: 'torusValue',
  capsule: 'capsuleValue',
  cylinder: 'cylinderValue',
};

/**
 * The tree's distance at one point (x, y, z) as source: `setup` reads the parameters (once per
 * call), `body` computes the distance into the variable named `result`. Names, in pre-order:
 * node number i is `v<i>` (a combination's weight `v<i>h`, a transform's p - t `v<i>dx..dz` and
 * local point `v<i>x..z`), parameter array j `A<j>` (a primitive's) or, for a transform holding
 * arrays j and j + 1, `R<j>_0..8` and `t<j>_0..2`; scalar j `k<j>` or `s<j>` with `is<j>` = 1 / s.
 * compileGradient.ts emits its reverse over these names.
 */
export function emitPoint(node: PlainSdf): { setup: string[]; body: string[]; result: string } {
  const setup: string[] = [];
  const body: string[] = [];
  let arrays = 0,
    scalars = 0,
    vars = 0;
  const visit = (n: PlainSdf, x: string, y: string, z: string): string => {
    const v = `v${vars++}`;
    switch (n.kind) {
      case 'primitive': {
        const a = `A${arrays++}`;
        setup.push(`const ${a} = arrays[${arrays - 1}];`);
        body.push(`const ${v} = ${FUNCTION_NAME[n.primitive]}(${a}, ${x}, ${y}, ${z});`);
        return v;
      }
      case 'combine': {
        const k = `k${scalars++}`;
        setup.push(`const ${k} = scalars[${scalars - 1}];`);
        const a = visit(n.a, x, y, z);
        const b = visit(n.b, x, y, z);
        // combine.ts combineValue written out (a call per node would overrun V8's inlining budget
        // in a tree of a few nodes, and a call it does not inline returns its double boxed)
        const sign = n.op === 'union' ? 1 : -1;
        const bv = n.op === 'difference' ? `(-${b})` : b;
        body.push(`let ${v}h;`);
        body.push(`if (${k} > 0) { ${v}h = 0.5 + (${sign} * (${bv} - ${a})) / (2 * ${k}); ${v}h = ${v}h < 0 ? 0 : ${v}h > 1 ? 1 : ${v}h; } else ${v}h = ${sign} * ${a} <= ${sign} * ${bv} ? 1 : 0;`);
        body.push(`const ${v} = ${v}h * ${a} + (1 - ${v}h) * ${bv} - ${sign} * ${k} * ${v}h * (1 - ${v}h);`);
        return v;
      }
      case 'transform': {
        const R = `R${arrays}`,
          t = `t${arrays}`,
          s = `s${scalars}`;
        arrays += 2;
        scalars++;
        setup.push(`const ${R} = arrays[${arrays - 2}], ${t} = arrays[${arrays - 1}], ${s} = scalars[${scalars - 1}], i${s} = 1 / ${s};`);
        for (let j = 0; j < 9; j++) setup.push(`const ${R}_${j} = ${R}[${j}];`);
        for (let j = 0; j < 3; j++) setup.push(`const ${t}_${j} = ${t}[${j}];`);
        const dx = `${v}dx`,
          dy = `${v}dy`,
          dz = `${v}dz`;
        body.push(`const ${dx} = ${x} - ${t}_0, ${dy} = ${y} - ${t}_1, ${dz} = ${z} - ${t}_2;`);
        // eq. 10 as rows, the arithmetic of evaluate.ts toLocal
        body.push(`const ${v}x = (${dx} * ${R}_0 + ${dy} * ${R}_3 + ${dz} * ${R}_6) * i${s};`);
        body.push(`const ${v}y = (${dx} * ${R}_1 + ${dy} * ${R}_4 + ${dz} * ${R}_7) * i${s};`);
        body.push(`const ${v}z = (${dx} * ${R}_2 + ${dy} * ${R}_5 + ${dz} * ${R}_8) * i${s};`);
        const c = visit(n.child, `${v}x`, `${v}y`, `${v}z`);
        body.push(`const ${v} = ${c} * ${s};`);
        return v;
      }
      default:
        throw new Error(`compileSdf: cannot compile a '${n.kind}' node.`);
    }
  };
  const result = visit(node, 'x', 'y', 'z');
  return { setup, body, result };
}

function compile(node: PlainSdf): Compiled | null {
  try {
    const { setup, body, result } = emitPoint(node);
    const source = [...setup, 'for (let i = 0, o = 0; i < n; i++, o += 3) {', 'const x = points[o], y = points[o + 1], z = points[o + 2];', ...body, `out[i] = ${result};`, '}'].join('\n');
    const names = Object.values(FUNCTION_NAME);
    const values = (Object.keys(FUNCTION_NAME) as PrimitiveKind[]).map((k) => PRIMITIVES[k].value);
    const factory = new Function(...names, `return function compiledSdf(points, n, out, arrays, scalars) {\n${source}\n};`);
    return factory(...values) as Compiled;
  } catch {
    return null; // no `new Function` here (a strict content security policy): interpret
  }
}

/**
 * A function computing the tree's distances for a batch, or null when the tree cannot be
 * compiled (it holds a network or a function SDF, or code generation is not allowed here).
 */
export function compiledValues(node: PlainSdf): ((points: Float64Array, n: number, out: Float64Array) => void) | null {
  const key = structureKey(node);
  if (key === null) return null;
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = compile(node);
    cache.set(key, fn);
  }
  if (fn === null) return null;
  const arrays: Float64Array[] = [],
    scalars: number[] = [];
  collect(node, arrays, scalars);
  const f = fn;
  return (points, n, out) => f(points, n, out, arrays, scalars);
}

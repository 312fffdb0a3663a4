// The backward of an analytic SDF tree as one compiled loop (docs/dist.md §5, "one op for the
// tree"): per point, the forward in local variables (compileSdf.ts emitPoint's), then the
// adjoints back through the tree in reverse, each parameter's gradient summed in a local. A
// primitive's `full` kernel (its derivatives in the point and its parameters) runs only where its
// adjoint is not 0: outside a blend band a combination gives one operand all the weight. It does
// what the per-node tape ops (primitives.ts, combine.ts, transform.ts) do one pass each, with no
// arrays in between; those ops stay the readable twin, and a spec holds the two together.
// The derivatives are the nodes' own:
//   combination  df/da = h, df/db = +-(1 - h), df/dk = -s h (1 - h)          (eq. 7-9)
//   transform    f = s c(q), q = (p - t) R / s: dL/dp = (dL/dq) R^T / s,
//                dL/dR_jk = (p - t)_j (dL/dq)_k / s, dL/dt = -dL/dp,
//                dL/ds = c dL/df - (dL/dq . q) / s                              (eq. 10)
// Points are float64 and gradients are summed in point order, so the result is deterministic.

import { PRIMITIVES, type PrimitiveKind } from './primitives.js';
import { FUNCTION_NAME, collect, emitPoint, structureKey } from './compileSdf.js';
import type { PlainSdf } from './sdf.js';

/**
 * Per point i < n: adds G[i] times the gradient of f into gArrays / gScalars (laid out as the
 * tree's parameter arrays and scalars, compileSdf.ts collect) and writes G[i] df/dpoint into
 * gPoints (when given). `g` holds one scratch array per primitive.
 */
type CompiledGradient = (
  points: Float64Array,
  n: number,
  G: Float64Array,
  gPoints: Float64Array | null,
  arrays: Float64Array[],
  scalars: number[],
  gArrays: Float64Array[],
  gScalars: Float64Array,
  g: Float64Array[],
) => void;

const FULL_NAME: Record<PrimitiveKind, string> = {
  sphere: 'sphereFull',
  box: 'boxFull',
  roundedBox: 'roundedBoxFull',
  torus: 'torusFull',
  capsule: 'capsuleFull',
  cylinder: 'cylinderFull',
};

/** Parameter count of a primitive (the length of its P). */
function primitiveSize(kind: PrimitiveKind): number {
  return PRIMITIVES[kind].params.reduce((s, [, size]) => s + Math.max(size, 1), 0);
}

/** Emits the reverse of a node, given the names of its adjoint and of its point's adjoints. */
type Back = (adjoint: string, ax: string, ay: string, az: string) => void;

/**
 * The loop: compileSdf.ts emitPoint's forward, then the reverse over its names (a walk in the
 * same pre-order, so node i is `v<i>` here as there).
 */
function emit(root: PlainSdf): { source: string; primitives: number[] } {
  const point = emitPoint(root);
  const setup: string[] = [],
    reverse: string[] = [],
    flush: string[] = [];
  const primitives: number[] = [];
  let arrays = 0,
    scalars = 0,
    vars = 0;
  const visit = (node: PlainSdf, x: string, y: string, z: string): { v: string; back: Back } => {
    const v = `v${vars++}`;
    switch (node.kind) {
      case 'primitive': {
        const slot = arrays++,
          np = primitiveSize(node.primitive),
          g = `g${primitives.length}`;
        setup.push(`const ${g} = g[${primitives.length}];`);
        primitives.push(np);
        for (let j = 0; j < np; j++) {
          setup.push(`let ${v}p${j} = 0;`);
          flush.push(`gArrays[${slot}][${j}] += ${v}p${j};`);
        }
        return {
          v,
          // the derivatives only where they are needed: outside a blend band one operand's weight is 0
          back: (a, ax, ay, az) => {
            reverse.push(`if (${a} !== 0) {`, `${FULL_NAME[node.primitive]}(A${slot}, ${x}, ${y}, ${z}, ${g});`);
            reverse.push(`${ax} += ${a} * ${g}[0]; ${ay} += ${a} * ${g}[1]; ${az} += ${a} * ${g}[2];`);
            for (let j = 0; j < np; j++) reverse.push(`${v}p${j} += ${a} * ${g}[${3 + j}];`);
            reverse.push('}');
          },
        };
      }
      case 'combine': {
        const slot = scalars++;
        setup.push(`let ${v}gk = 0;`);
        flush.push(`gScalars[${slot}] += ${v}gk;`);
        const A = visit(node.a, x, y, z);
        const B = visit(node.b, x, y, z);
        const sign = node.op === 'union' ? 1 : -1;
        const bSign = node.op === 'difference' ? -1 : 1;
        return {
          v,
          back: (a, ax, ay, az) => {
            reverse.push(`const ${v}aa = ${a} * ${v}h, ${v}ab = ${bSign} * ${a} * (1 - ${v}h);`, `${v}gk -= ${sign} * ${a} * ${v}h * (1 - ${v}h);`);
            B.back(`${v}ab`, ax, ay, az);
            A.back(`${v}aa`, ax, ay, az);
          },
        };
      }
      case 'transform': {
        const R = `R${arrays}`,
          s = `s${scalars}`;
        const rSlot = arrays,
          tSlot = arrays + 1,
          sSlot = scalars;
        arrays += 2;
        scalars++;
        setup.push(`let ${v}gs = 0;`);
        for (let j = 0; j < 9; j++) setup.push(`let ${v}gR${j} = 0;`);
        for (let j = 0; j < 3; j++) setup.push(`let ${v}gt${j} = 0;`);
        for (let j = 0; j < 9; j++) flush.push(`gArrays[${rSlot}][${j}] += ${v}gR${j};`);
        for (let j = 0; j < 3; j++) flush.push(`gArrays[${tSlot}][${j}] += ${v}gt${j};`);
        flush.push(`gScalars[${sSlot}] += ${v}gs;`);
        const C = visit(node.child, `${v}x`, `${v}y`, `${v}z`);
        return {
          v,
          back: (a, ax, ay, az) => {
            reverse.push(`const ${v}ac = ${a} * ${s};`, `${v}gs += ${a} * ${C.v};`, `let ${v}qx = 0, ${v}qy = 0, ${v}qz = 0;`);
            C.back(`${v}ac`, `${v}qx`, `${v}qy`, `${v}qz`);
            reverse.push(
              `const ${v}px = (${v}qx * ${R}_0 + ${v}qy * ${R}_1 + ${v}qz * ${R}_2) * i${s},`,
              `  ${v}py = (${v}qx * ${R}_3 + ${v}qy * ${R}_4 + ${v}qz * ${R}_5) * i${s},`,
              `  ${v}pz = (${v}qx * ${R}_6 + ${v}qy * ${R}_7 + ${v}qz * ${R}_8) * i${s};`,
              `${ax} += ${v}px; ${ay} += ${v}py; ${az} += ${v}pz;`,
              `${v}gt0 -= ${v}px; ${v}gt1 -= ${v}py; ${v}gt2 -= ${v}pz;`,
            );
            ['dx', 'dy', 'dz'].forEach((d, j) => {
              reverse.push(`${v}gR${3 * j} += ${v}${d} * i${s} * ${v}qx; ${v}gR${3 * j + 1} += ${v}${d} * i${s} * ${v}qy; ${v}gR${3 * j + 2} += ${v}${d} * i${s} * ${v}qz;`);
            });
            reverse.push(`${v}gs -= (${v}qx * ${v}x + ${v}qy * ${v}y + ${v}qz * ${v}z) * i${s};`);
          },
        };
      }
      default:
        throw new Error(`compileGradient: cannot compile a '${node.kind}' node.`);
    }
  };
  visit(root, 'x', 'y', 'z').back('gi', 'ax', 'ay', 'az');
  const source = [
    ...point.setup,
    ...setup,
    'for (let i = 0, o = 0; i < n; i++, o += 3) {',
    'const gi = G[i];',
    'if (gi === 0) continue;',
    'const x = points[o], y = points[o + 1], z = points[o + 2];',
    ...point.body,
    'let ax = 0, ay = 0, az = 0;',
    ...reverse,
    'if (gPoints !== null) { gPoints[o] = ax; gPoints[o + 1] = ay; gPoints[o + 2] = az; }',
    '}',
    ...flush,
  ].join('\n');
  return { source, primitives };
}

interface Program {
  fn: CompiledGradient;
  primitives: number[];
}

const cache = new Map<string, Program | null>();

function compile(node: PlainSdf): Program | null {
  try {
    const { source, primitives } = emit(node);
    const kinds = Object.keys(FULL_NAME) as PrimitiveKind[];
    const names = [...kinds.map((k) => FUNCTION_NAME[k]), ...kinds.map((k) => FULL_NAME[k])];
    const kernels = [...kinds.map((k) => PRIMITIVES[k].value), ...kinds.map((k) => PRIMITIVES[k].full)];
    const factory = new Function(...names, `return function compiledSdfGradient(points, n, G, gPoints, arrays, scalars, gArrays, gScalars, g) {\n${source}\n};`);
    return { fn: factory(...kernels) as CompiledGradient, primitives };
  } catch {
    return null; // no `new Function` here: the per-node tape ops do it
  }
}

/** The tree's parameters as the compiled code reads them, and zeroed gradients of the same layout. */
export interface GradientLayout {
  arrays: Float64Array[];
  scalars: number[];
  gArrays: Float64Array[];
  gScalars: Float64Array;
}

/**
 * The compiled backward of a tree, or null when it cannot be compiled (a network or a function
 * SDF in it, or no code generation here). Call it with the layout of `layout(node)`.
 */
export function compiledGradient(node: PlainSdf): ((points: Float64Array, n: number, G: Float64Array, gPoints: Float64Array | null, l: GradientLayout) => void) | null {
  const key = structureKey(node);
  if (key === null) return null;
  let program = cache.get(key);
  if (program === undefined) {
    program = compile(node);
    cache.set(key, program);
  }
  if (program === null) return null;
  const { fn, primitives } = program;
  const g = primitives.map((np) => new Float64Array(4 + np));
  return (points, n, G, gPoints, l) => fn(points, n, G, gPoints, l.arrays, l.scalars, l.gArrays, l.gScalars, g);
}

/** The parameter values of a tree in compiled order, with zeroed gradient buffers. */
export function gradientLayout(node: PlainSdf): GradientLayout {
  const arrays: Float64Array[] = [],
    scalars: number[] = [];
  collect(node, arrays, scalars);
  return { arrays, scalars, gArrays: arrays.map((a) => new Float64Array(a.length)), gScalars: new Float64Array(scalars.length) };
}

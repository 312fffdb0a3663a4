// The marching-cubes case table, built from the rules rather than typed in (docs/toolbox.md §5).
// A cube's corners are inside (value below the level) or not: 256 cases. On each of the cube's six
// faces the surface crosses the edges whose ends differ, and the crossings pair up into segments:
//   one corner unlike the other three   the segment cuts that corner off
//   two adjacent corners alike          the segment joins the two crossed edges
//   diagonal corners alike (ambiguous)  two segments; the face's asymptotic decider chooses
//                                       whether the inside corners are cut off, each alone, or
//                                       joined through the face's middle (the outside ones cut off)
// Each segment is oriented so that, seen from outside the cube, the inside corners are on one fixed
// side; the segments then chain head to tail into closed loops on the cube's surface, and each
// loop is fanned into triangles. Because a face's segments depend only on that face's four values,
// the two cubes sharing a face make the same segments there, in opposite directions: the surface
// is closed and consistently oriented, with normals pointing out of the inside region.
//
// Corners c = x + 2y + 4z (x, y, z in {0, 1}); edges 0-3 run along x, 4-7 along y, 8-11 along z.

/** The two corners of each edge, lower corner first. */
export const EDGE_CORNERS: readonly (readonly [number, number])[] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

const corner = (c: number): [number, number, number] => [c & 1, (c >> 1) & 1, (c >> 2) & 1];

const EDGE_OF = new Int8Array(64).fill(-1); // corners (c0, c1) -> their edge
EDGE_CORNERS.forEach(([a, b], e) => {
  EDGE_OF[a * 8 + b] = e;
  EDGE_OF[b * 8 + a] = e;
});
const edgeBetween = (c0: number, c1: number): number => EDGE_OF[c0 * 8 + c1];

/** Face f = 2 axis + side: its outward normal and its corners in cyclic order. */
export const FACES: readonly { normal: [number, number, number]; corners: [number, number, number, number] }[] = [0, 1, 2].flatMap((axis) =>
  [0, 1].map((side) => {
    const [u, v] = [0, 1, 2].filter((a) => a !== axis);
    const at = (bu: number, bv: number) => (side << axis) | (bu << u) | (bv << v);
    const normal: [number, number, number] = [0, 0, 0];
    normal[axis] = side ? 1 : -1;
    return { normal, corners: [at(0, 0), at(1, 0), at(1, 1), at(0, 1)] as [number, number, number, number] };
  }),
);

/** Bit f set when face f of the case has its like corners on a diagonal (the decider is needed). */
export function ambiguousFaces(caseIndex: number): number {
  let mask = 0;
  FACES.forEach((face, f) => {
    const s = face.corners.map((c) => (caseIndex >> c) & 1);
    if (s[0] === s[2] && s[1] === s[3] && s[0] !== s[1]) mask |= 1 << f;
  });
  return mask;
}

type Vec = [number, number, number];
const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const midpoint = (e: number): Vec => {
  const [a, b] = EDGE_CORNERS[e].map(corner);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
};

/**
 * The triangles (edge triples, outward winding) of a case. joinInside bit f: on ambiguous face f
 * the inside corners connect through the face (the outside corners are cut off instead).
 */
export function caseTriangles(caseIndex: number, joinInside: number): number[] {
  const inside = (c: number) => ((caseIndex >> c) & 1) === 1;
  const segments: [number, number][] = [];
  FACES.forEach((face, f) => {
    const cs = face.corners;
    const edge = (k: number) => edgeBetween(cs[k], cs[(k + 1) % 4]); // edge from corner k to k + 1
    const count = cs.filter(inside).length;
    if (count === 0 || count === 4) return;
    // [segment's two edges, a point on its inside side]
    const found: [number, number, Vec][] = [];
    const cutCorner = (k: number) => {
      const p = corner(cs[k]),
        far = corner(cs[(k + 2) % 4]);
      found.push([edge((k + 3) % 4), edge(k), inside(cs[k]) ? p : far]);
    };
    if (count === 1 || count === 3) {
      const odd = cs.findIndex((c) => inside(c) !== (count === 3));
      cutCorner(odd);
    } else if (inside(cs[0]) === inside(cs[2])) {
      const join = ((joinInside >> f) & 1) === 1;
      for (let k = 0; k < 4; k++) if (inside(cs[k]) !== join) cutCorner(k);
    } else {
      // two adjacent inside corners: the segment crosses the two edges that leave them
      const crossed = [0, 1, 2, 3].filter((k) => inside(cs[k]) !== inside(cs[(k + 1) % 4]));
      const ins = cs.filter(inside).map(corner);
      found.push([edge(crossed[0]), edge(crossed[1]), [(ins[0][0] + ins[1][0]) / 2, (ins[0][1] + ins[1][1]) / 2, (ins[0][2] + ins[1][2]) / 2]]);
    }
    for (const [p, q, toward] of found) {
      // orient p -> q so that (q - p) x n points to the inside side
      const P = midpoint(p),
        Q = midpoint(q);
      const side = dot(cross(sub(Q, P), face.normal), sub(toward, [(P[0] + Q[0]) / 2, (P[1] + Q[1]) / 2, (P[2] + Q[2]) / 2]));
      segments.push(side > 0 ? [p, q] : [q, p]);
    }
  });
  // chain the segments into loops (each crossed edge is the tail of exactly one segment)
  const next = new Map<number, number>();
  for (const [p, q] of segments) {
    if (next.has(p)) throw new Error(`case ${caseIndex}: edge ${p} starts two segments`);
    next.set(p, q);
  }
  const triangles: number[] = [];
  const used = new Set<number>();
  for (const [start] of segments) {
    if (used.has(start)) continue;
    const loop: number[] = [];
    for (let e = start; !used.has(e); e = next.get(e)!) {
      used.add(e);
      loop.push(e);
    }
    for (let k = 1; k + 1 < loop.length; k++) triangles.push(loop[0], loop[k], loop[k + 1]);
  }
  return triangles;
}

export interface CaseTable {
  /** Per case, the mask of its ambiguous faces. */
  ambiguous: Uint8Array;
  /** Triangles of key = case * 64 + joinInside bits: edges starts[key] .. starts[key] + counts[key] - 1. */
  starts: Int32Array;
  counts: Uint8Array;
  edges: Int8Array;
}

let table: CaseTable | null = null;

/** The table for every case and every choice on its ambiguous faces (built once, on first use). */
export function caseTable(): CaseTable {
  if (table) return table;
  const ambiguous = new Uint8Array(256);
  const starts = new Int32Array(256 * 64),
    counts = new Uint8Array(256 * 64);
  const edges: number[] = [];
  for (let c = 0; c < 256; c++) {
    ambiguous[c] = ambiguousFaces(c);
    for (let bits = 0; bits < 64; bits++) {
      const key = c * 64 + bits,
        used = c * 64 + (bits & ambiguous[c]); // bits of unambiguous faces change nothing
      if (used < key) {
        starts[key] = starts[used];
        counts[key] = counts[used];
        continue;
      }
      const t = caseTriangles(c, bits);
      starts[key] = edges.length;
      counts[key] = t.length;
      edges.push(...t);
    }
  }
  table = { ambiguous, starts, counts, edges: Int8Array.from(edges) };
  return table;
}

import { expect } from 'chai';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { marchingCubes } from '../../geometry/marchingCubes.js';
import { ambiguousFaces, caseTable, caseTriangles } from '../../geometry/marchingCubesTable.js';
import type { Mesh } from '../../geometry/mesh.js';
import { MLP } from '../../nn/mlp.js';

const sphere =
  (r: number, c = [0, 0, 0]) =>
  (p: Float64Array) => {
    const out = new Float64Array(p.length / 3);
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt((p[3 * i] - c[0]) ** 2 + (p[3 * i + 1] - c[1]) ** 2 + (p[3 * i + 2] - c[2]) ** 2) - r;
    return out;
  };

/** Torus around z: ring radius R, tube radius r. */
const torusField = (R: number, r: number) => (p: Float64Array) => {
  const out = new Float64Array(p.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.hypot(Math.hypot(p[3 * i], p[3 * i + 1]) - R, p[3 * i + 2]) - r;
  return out;
};

function areaAndVolume(m: Mesh): { area: number; volume: number } {
  let area = 0,
    volume = 0;
  const P = m.positions;
  for (let f = 0; f < m.faces.length; f += 3) {
    const [a, b, c] = [3 * m.faces[f], 3 * m.faces[f + 1], 3 * m.faces[f + 2]];
    const u = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]],
      v = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    area += Math.hypot(n[0], n[1], n[2]) / 2;
    volume += (P[a] * n[0] + P[a + 1] * n[1] + P[a + 2] * n[2]) / 6; // divergence theorem, signed
  }
  return { area, volume };
}

/**
 * Topology of a triangle mesh: every undirected edge in exactly two faces, every directed edge in
 * exactly one (consistent orientation), every vertex's faces one fan; returns V, E, F and the genus.
 */
function topology(m: Mesh) {
  const V = m.positions.length / 3,
    F = m.faces.length / 3;
  const directed = new Float64Array(3 * F),
    undirected = new Float64Array(3 * F);
  // per vertex, its corners' (next, previous) vertices, in CSR
  const start = new Int32Array(V + 1);
  for (const v of m.faces) start[v + 1]++;
  for (let v = 0; v < V; v++) start[v + 1] += start[v];
  const fill = start.slice(0, V);
  const nextOf = new Int32Array(3 * F),
    prevOf = new Int32Array(3 * F);
  for (let f = 0; f < F; f++) {
    for (let k = 0; k < 3; k++) {
      const a = m.faces[3 * f + k],
        b = m.faces[3 * f + ((k + 1) % 3)],
        c = m.faces[3 * f + ((k + 2) % 3)];
      directed[3 * f + k] = a * V + b;
      undirected[3 * f + k] = Math.min(a, b) * V + Math.max(a, b);
      nextOf[fill[a]] = b;
      prevOf[fill[a]++] = c;
    }
  }
  directed.sort();
  undirected.sort();
  let badDirected = 0,
    badEdges = 0,
    E = 0;
  for (let i = 0; i < directed.length; i++) if (i > 0 && directed[i] === directed[i - 1]) badDirected++;
  for (let i = 0; i < undirected.length; ) {
    let j = i;
    while (j < undirected.length && undirected[j] === undirected[i]) j++;
    if (j - i !== 2) badEdges++;
    E++;
    i = j;
  }
  // a vertex is manifold when walking next -> from corner to corner visits all its faces in one cycle
  let badVertices = 0;
  for (let v = 0; v < V; v++) {
    const s = start[v],
      count = start[v + 1] - s;
    if (count === 0) {
      badVertices++;
      continue;
    }
    let at = s,
      steps = 0;
    do {
      const want = nextOf[at]; // the corner whose previous vertex is this corner's next
      let found = -1;
      for (let t = s; t < s + count; t++) if (prevOf[t] === want) found = t;
      if (found < 0) break;
      at = found;
      steps++;
    } while (at !== s && steps <= count);
    if (at !== s || steps !== count) badVertices++;
  }
  return { V, E, F, badEdges, badDirected, badVertices, genus: (2 - (V - E + F)) / 2 };
}

/** Connected components of the face graph. */
function components(m: Mesh): number {
  const parent = Array.from({ length: m.positions.length / 3 }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (let f = 0; f < m.faces.length; f += 3) {
    parent[find(m.faces[f])] = find(m.faces[f + 1]);
    parent[find(m.faces[f + 1])] = find(m.faces[f + 2]);
  }
  return new Set(parent.map((_, i) => find(i))).size;
}

describe('marching cubes case table', () => {
  it('covers every case with closed, consistently oriented loops on the cube', () => {
    const t = caseTable();
    expect(t.counts[0]).to.equal(0); // case 0: nothing
    expect(t.counts[255 * 64]).to.equal(0); // case 255: nothing
    expect(t.counts[1 * 64]).to.equal(3); // one corner in: one triangle
    for (let c = 1; c < 255; c++) {
      const amb = ambiguousFaces(c);
      // every choice on the ambiguous faces (the subsets of amb)
      for (let join = amb; ; join = (join - 1) & amb) {
        const tris = caseTriangles(c, join);
        expect(tris.length % 3, `case ${c}`).to.equal(0);
        // inside the cube each triangle edge between two crossed cube edges is shared by two
        // triangles, except the loop's boundary, which lies on the cube's faces: used once, and
        // never twice in the same direction
        const used = new Map<number, number>();
        for (let t = 0; t < tris.length; t += 3) for (let k = 0; k < 3; k++) used.set(tris[t + k] * 12 + tris[t + ((k + 1) % 3)], (used.get(tris[t + k] * 12 + tris[t + ((k + 1) % 3)]) ?? 0) + 1);
        for (const [key, n] of used) expect(n, `case ${c}: directed edge ${key} twice`).to.equal(1);
        const corners = [0, 1, 2, 3, 4, 5, 6, 7].filter((k) => (c >> k) & 1).length;
        expect(tris.length, `case ${c}`).to.be.greaterThan(0);
        if (corners === 1 || corners === 7) expect(tris.length).to.equal(3);
        if (join === 0) break;
      }
    }
    // the checkerboard case has all six faces ambiguous
    expect(ambiguousFaces(0b10010110)).to.equal(63);
  });
});

describe('marchingCubes', () => {
  it('meshes a sphere at 128^3 with its area and volume within 0.5%, closed and outward', () => {
    const r = 0.7;
    const m = marchingCubes(sphere(r), { resolution: 128 });
    const { area, volume } = areaAndVolume(m);
    expect(area / (4 * Math.PI * r * r) - 1, `area ${area}`).to.be.within(-0.005, 0.005);
    expect(volume / ((4 / 3) * Math.PI * r ** 3) - 1, `volume ${volume}: positive means outward winding`).to.be.within(-0.005, 0.005);
    const topo = topology(m);
    expect(topo.badEdges, 'edges not shared by exactly two faces').to.equal(0);
    expect(topo.badDirected, 'edges traversed twice the same way').to.equal(0);
    expect(topo.badVertices).to.equal(0);
    expect(topo.genus).to.equal(0);
    // normals: unit, outward, and along the radius
    let worst = 1;
    for (let v = 0; v < m.positions.length; v += 3) {
      const len = Math.hypot(m.positions[v], m.positions[v + 1], m.positions[v + 2]);
      const cos = (m.normals![v] * m.positions[v] + m.normals![v + 1] * m.positions[v + 1] + m.normals![v + 2] * m.positions[v + 2]) / len;
      worst = Math.min(worst, cos);
      expect(Math.abs(len - r)).to.be.lessThan(1e-3);
    }
    expect(worst, 'normals point out along the radius').to.be.greaterThan(0.999);
  });

  it("meshes a torus with genus 1 by Euler's formula, and flips inside with inside: 'above'", () => {
    const m = marchingCubes(torusField(0.5, 0.2), { resolution: 48 });
    const topo = topology(m);
    expect(topo.badEdges + topo.badDirected + topo.badVertices).to.equal(0);
    expect(topo.V - topo.E + topo.F).to.equal(0);
    expect(topo.genus).to.equal(1);
    expect(areaAndVolume(m).volume / (2 * Math.PI ** 2 * 0.5 * 0.2 ** 2) - 1).to.be.within(-0.02, 0.02);
    const f = torusField(0.5, 0.2);
    const flipped = marchingCubes((p) => Array.from(f(p), (v) => -v), { resolution: 48, inside: 'above' });
    expect(areaAndVolume(flipped).volume).to.be.closeTo(areaAndVolume(m).volume, 1e-9);
  });

  it('stays watertight on random fields (the ambiguous faces resolved alike by both cells)', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 6; trial++) {
      const n = 14;
      const values = new Float64Array(n * n * n);
      for (let k = 0; k < n; k++)
        for (let j = 0; j < n; j++)
          for (let i = 0; i < n; i++) {
            const border = i === 0 || j === 0 || k === 0 || i === n - 1 || j === n - 1 || k === n - 1;
            values[(k * n + j) * n + i] = border ? 1 : rng.uniform(-1, 1);
          }
      // the field at the grid points of [0, n - 1]^3
      const field = (p: Float64Array) => Array.from({ length: p.length / 3 }, (_, q) => values[(Math.round(p[3 * q + 2]) * n + Math.round(p[3 * q + 1])) * n + Math.round(p[3 * q])]);
      const m = marchingCubes(field, { bounds: { min: [0, 0, 0], max: [n - 1, n - 1, n - 1] }, resolution: n });
      const topo = topology(m);
      expect(topo.F, 'the random field makes plenty of surface').to.be.greaterThan(1000);
      expect(topo.badEdges, `trial ${trial}: edges not shared by two faces`).to.equal(0);
      expect(topo.badDirected, `trial ${trial}: inconsistent orientation`).to.equal(0);
      expect(topo.badVertices, `trial ${trial}: non-manifold vertices`).to.equal(0);
      expect(areaAndVolume(m).volume, 'outward winding encloses a positive volume').to.be.greaterThan(0);
    }
  });

  it('keeps the pieces apart or joined by the field, not by the table (two spheres touching)', () => {
    const two = (gap: number) => (p: Float64Array) => {
      const a = sphere(0.4, [-0.4 - gap / 2, 0, 0])(p),
        b = sphere(0.4, [0.4 + gap / 2, 0, 0])(p);
      return a.map((v, i) => Math.min(v, b[i]));
    };
    expect(components(marchingCubes(two(0.1), { resolution: 40 }))).to.equal(2);
    const m = marchingCubes(two(-0.1), { resolution: 40 });
    expect(components(m)).to.equal(1);
    expect(topology(m).genus).to.equal(0);
  });

  it('evaluates a module (an MLP) without the tape, and anisotropic grids and bounds', () => {
    const mlp = new MLP([3, 16, 1], { seed: 2, activation: 'tanh', threads: 1 });
    let calls = 0;
    const counting = {
      forward: (x: Parameters<typeof mlp.forward>[0]) => {
        calls++;
        expect(x.requiresGrad).to.equal(false);
        return mlp.forward(x);
      },
    };
    const m = marchingCubes(counting, { resolution: [20, 24, 28], batchSize: 4000, level: 0.05 });
    expect(calls, 'whole layers, several per call').to.equal(Math.ceil(28 / Math.floor(4000 / (20 * 24))));
    expect(m.faces.length).to.be.greaterThan(0);
    expect(mlp.layers[0].weight.grad).to.equal(null);
    const box = marchingCubes(sphere(0.3, [2, 3, 4]), { bounds: { min: [1.5, 2.5, 3.5], max: [2.5, 3.5, 4.5] }, resolution: 24 });
    for (let v = 0; v < box.positions.length; v += 3) expect(Math.hypot(box.positions[v] - 2, box.positions[v + 1] - 3, box.positions[v + 2] - 4)).to.be.closeTo(0.3, 0.01);
  });

  it('returns an empty mesh when the level is not crossed, and rejects bad input', () => {
    const empty = marchingCubes(sphere(5), { resolution: 8 });
    expect(empty.positions.length + empty.faces.length).to.equal(0);
    expect(() => marchingCubes(sphere(0.5), { resolution: 1 })).to.throw(ArgumentError, /resolution/);
    expect(() => marchingCubes(sphere(0.5), { bounds: { min: [0, 0, 0], max: [1, -1, 1] } })).to.throw(ArgumentError, /bounds/);
    expect(() => marchingCubes(() => new Float64Array(3), { resolution: 4 })).to.throw(ShapeError, /one value per/);
    expect(() => marchingCubes((p) => new Float64Array(p.length / 3).fill(Number.NaN), { resolution: 4 })).to.throw(NonFiniteError, /NaN at \[-1,-1,-1\]/);
    expect(() => marchingCubes(42 as never)).to.throw(ArgumentError, /field/);
    expect(() => marchingCubes(sphere(0.5), { inside: 'in' as never })).to.throw(ArgumentError, /inside/);
  });
});

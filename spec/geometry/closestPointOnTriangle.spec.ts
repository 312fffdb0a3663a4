import { expect } from 'chai';
import { Random } from '../../lib/random.js';
import { closestPointOnTriangle } from '../../geometry/closestPointOnTriangle.js';

const A = [0, 0, 0],
  B = [1, 0, 0],
  C = [0, 1, 0];

/** Nearest of a dense barycentric sampling of the triangle: an upper bound on the true distance. */
function sampledDistance(p: number[], a: number[], b: number[], c: number[], steps = 200): number {
  let best = Infinity;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; i + j <= steps; j++) {
      const s = i / steps,
        t = j / steps;
      const q = [0, 1, 2].map((k) => a[k] + s * (b[k] - a[k]) + t * (c[k] - a[k]));
      best = Math.min(best, Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
    }
  }
  return best;
}

describe('closestPointOnTriangle', () => {
  const cases: [string, number[], number[]][] = [
    ['face', [0.2, 0.3, 0.5], [0.2, 0.3, 0]],
    ['face, below', [0.25, 0.25, -2], [0.25, 0.25, 0]],
    ['edge ab', [0.5, -1, 0.3], [0.5, 0, 0]],
    ['edge ac', [-1, 0.5, 0], [0, 0.5, 0]],
    ['edge bc', [1, 1, 0.2], [0.5, 0.5, 0]],
    ['vertex a', [-1, -1, 1], [0, 0, 0]],
    ['vertex b', [2, -0.5, 0], [1, 0, 0]],
    ['vertex c', [-0.5, 2, 0.1], [0, 1, 0]],
  ];
  for (const [region, p, want] of cases) {
    it(`Voronoi region: ${region}`, () => {
      const out = new Float64Array(3);
      const d = closestPointOnTriangle(p, A, B, C, out);
      Array.from(out).forEach((v, i) => expect(v, `closest[${i}]`).to.be.closeTo(want[i], 1e-12));
      expect(d).to.be.closeTo(Math.hypot(p[0] - want[0], p[1] - want[1], p[2] - want[2]), 1e-12);
    });
  }

  it('vertex order does not matter', () => {
    const p = [0.9, 0.7, -0.4];
    const d = closestPointOnTriangle(p, A, B, C);
    expect(closestPointOnTriangle(p, C, A, B)).to.be.closeTo(d, 1e-12);
    expect(closestPointOnTriangle(p, B, A, C)).to.be.closeTo(d, 1e-12);
  });

  it('matches a dense sampling of the triangle for random points and triangles', () => {
    const rng = new Random(5);
    const r = () => [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    for (let trial = 0; trial < 25; trial++) {
      const a = r(),
        b = r(),
        c = r(),
        p = r().map((v) => 1.5 * v);
      const d = closestPointOnTriangle(p, a, b, c);
      const sampled = sampledDistance(p, a, b, c, 120);
      expect(d, `trial ${trial}`).to.be.at.most(sampled + 1e-12);
      expect(d, `trial ${trial}`).to.be.at.least(sampled - 0.03);
    }
  });

  it('degenerate triangles behave as their edges (two equal vertices, or collinear)', () => {
    const out = new Float64Array(3);
    // a == b: the triangle is the segment a-c; the middle of it is nearest to (0.3, 0.5, 0)
    expect(closestPointOnTriangle([0.3, 0.5, 0], A, A, C, out)).to.be.closeTo(0.3, 1e-12);
    expect(Array.from(out)).to.deep.equal([0, 0.5, 0]);
    // collinear: segment from 0 to 2 on x
    expect(closestPointOnTriangle([1.5, 1, 0], [0, 0, 0], [1, 0, 0], [2, 0, 0], out)).to.be.closeTo(1, 1e-12);
    expect(closestPointOnTriangle([3, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], out)).to.be.closeTo(2, 1e-12);
  });
});

import { expect } from 'chai';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import type { Mesh } from '../../geometry/mesh.js';
import { closestPointOnTriangle } from '../../geometry/closestPointOnTriangle.js';
import { pointToMeshDistance } from '../../geometry/pointToMesh.js';

/** The unit cube [0, 1]^3 as 12 outward-facing triangles. */
function unitCube(): Mesh {
  const positions = new Float64Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]);
  const faces = new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3]);
  return { positions, faces };
}

function randomSoup(triangles: number, seed: number): Mesh {
  const rng = new Random(seed);
  const positions = new Float64Array(9 * triangles);
  for (let t = 0; t < triangles; t++) {
    const centre = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    for (let k = 0; k < 9; k++) positions[9 * t + k] = centre[k % 3] + rng.uniform(-0.1, 0.1);
  }
  return { positions, faces: Uint32Array.from({ length: 3 * triangles }, (_, i) => i) };
}

describe('pointToMeshDistance', () => {
  it('a cube: inside, face, edge and corner configurations', () => {
    const points = new Float64Array([0.5, 0.5, 0.5, 2, 0.5, 0.5, 0.5, 0.5, 1, 2, 2, 0.5, 2, 2, 2, 0.1, 0.5, 0.5]);
    const r = pointToMeshDistance(points, unitCube());
    const want = [0.5, 1, 0, Math.SQRT2, Math.sqrt(3), 0.1];
    Array.from(r.distances).forEach((d, i) => expect(d, `point ${i}`).to.be.closeTo(want[i], 1e-12));
    expect(Array.from(r.closestPoints.subarray(9, 12))).to.deep.equal([1, 1, 0.5]);
    expect(r.max).to.be.closeTo(Math.sqrt(3), 1e-12);
    expect(r.mean).to.be.closeTo(want.reduce((s, v) => s + v) / 6, 1e-12);
    expect(r.diagonal).to.be.closeTo(Math.sqrt(3), 1e-12);
    expect(r.maxNormalized).to.be.closeTo(1, 1e-12);
  });

  it('agrees with a scan over every triangle (BVH pruning loses nothing)', () => {
    const mesh = randomSoup(300, 3);
    const rng = new Random(4);
    const points = Float64Array.from({ length: 600 }, () => rng.uniform(-1.5, 1.5));
    const r = pointToMeshDistance(points, mesh);
    const out = new Float64Array(3);
    for (let i = 0; i < 200; i++) {
      const p = points.subarray(3 * i, 3 * i + 3);
      let best = Infinity;
      for (let t = 0; t < 300; t++) {
        const v = (k: number) => mesh.positions.subarray(9 * t + 3 * k, 9 * t + 3 * k + 3);
        best = Math.min(best, closestPointOnTriangle(p, v(0), v(1), v(2), out));
      }
      expect(r.distances[i], `point ${i}`).to.equal(best);
      const f = r.faces[i];
      expect(closestPointOnTriangle(p, mesh.positions.subarray(9 * f, 9 * f + 3), mesh.positions.subarray(9 * f + 3, 9 * f + 6), mesh.positions.subarray(9 * f + 6, 9 * f + 9))).to.equal(best);
    }
  });

  it('rejects empty or non-finite points and meshes without faces', () => {
    expect(() => pointToMeshDistance(new Float64Array(0), unitCube())).to.throw(ArgumentError, /points is empty/);
    expect(() => pointToMeshDistance(new Float64Array([0, NaN, 0]), unitCube())).to.throw(NonFiniteError, /points/);
    expect(() => pointToMeshDistance(new Float64Array(3), { positions: new Float64Array(9), faces: new Uint32Array(0) })).to.throw(ArgumentError, /no faces/);
    expect(() => pointToMeshDistance(new Float64Array(3), { positions: new Float64Array(9), faces: new Uint32Array([0, 1, 2]) })).to.throw(ArgumentError, /zero extent/);
  });
});

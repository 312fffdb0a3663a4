import { expect } from 'chai';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { type NeighborMethod, buildNeighborIndex, knn, radiusNeighbors } from '../../geometry/neighbors.js';

function randomCloud(n: number, seed: number, flatZ = false): Float64Array {
  const rng = new Random(seed);
  const p = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; i++) p[i] = flatZ && i % 3 === 2 ? 0 : rng.uniform(-1, 1);
  return p;
}

const FAST: NeighborMethod[] = ['kdtree', 'grid'];

describe('neighbors', () => {
  const points = randomCloud(400, 1);
  const queries = randomCloud(60, 2).map((v) => v * 1.8); // some outside the points' bounds
  const reference = buildNeighborIndex(points, { method: 'bruteForce' });

  it('brute force: rows sorted, self excluded, distances are Euclidean', () => {
    const { indices, distances } = reference.knn(5);
    for (let q = 0; q < 400; q++) {
      for (let m = 0; m < 5; m++) {
        const j = indices[q * 5 + m];
        expect(j).to.not.equal(q);
        const d = Math.hypot(points[3 * j] - points[3 * q], points[3 * j + 1] - points[3 * q + 1], points[3 * j + 2] - points[3 * q + 2]);
        expect(distances[q * 5 + m]).to.be.closeTo(d, 1e-12);
        if (m > 0) expect(distances[q * 5 + m]).to.be.at.least(distances[q * 5 + m - 1]);
      }
    }
  });

  for (const method of FAST) {
    describe(method, () => {
      const index = buildNeighborIndex(points, { method });

      for (const k of [1, 5, 16]) {
        it(`knn agrees with brute force, k = ${k}, self-query and external queries`, () => {
          for (const options of [{}, { queries }, { includeSelf: true }]) {
            const got = index.knn(k, options),
              want = reference.knn(k, options);
            expect(Array.from(got.indices)).to.deep.equal(Array.from(want.indices));
            expect(Array.from(got.distances)).to.deep.equal(Array.from(want.distances));
          }
        });
      }

      it('includeSelf keeps each point as its own nearest neighbour at distance 0', () => {
        const { indices, distances } = index.knn(2, { includeSelf: true });
        for (let q = 0; q < 400; q++) {
          expect(indices[2 * q]).to.equal(q);
          expect(distances[2 * q]).to.equal(0);
        }
      });

      it('radius agrees with brute force (CSR rows sorted by distance)', () => {
        for (const r of [0, 0.15, 0.4]) {
          for (const options of [{}, { queries }]) {
            const got = index.radius(r, options),
              want = reference.radius(r, options);
            expect(Array.from(got.offsets)).to.deep.equal(Array.from(want.offsets));
            expect(Array.from(got.indices)).to.deep.equal(Array.from(want.indices));
            expect(Array.from(got.distances)).to.deep.equal(Array.from(want.distances));
          }
        }
        expect(index.radius(0.4).indices.length, 'the radius test found neighbours').to.be.greaterThan(400);
      });

      it('radius is inclusive and duplicates of the query point are kept', () => {
        const p = new Float64Array([0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 0, 0]);
        const r = radiusNeighbors(p, 1, { method });
        expect(Array.from(r.offsets)).to.deep.equal([0, 2, 4, 6, 6]);
        expect(Array.from(r.indices.subarray(0, 2))).to.deep.equal([1, 2]);
        expect(Array.from(r.distances.subarray(0, 2))).to.deep.equal([0, 1]);
        const n = knn(p, 1, { method });
        expect(Array.from(n.indices)).to.deep.equal([1, 0, 0, 2]);
      });

      it('works on a flat (planar) cloud and on a single repeated point', () => {
        const flat = randomCloud(300, 3, true);
        const got = knn(flat, 6, { method }),
          want = knn(flat, 6, { method: 'bruteForce' });
        expect(Array.from(got.indices)).to.deep.equal(Array.from(want.indices));
        const same = new Float64Array(30).fill(0.5);
        expect(Array.from(knn(same, 9, { method }).distances)).to.deep.equal(new Array(90).fill(0));
      });
    });
  }

  it('grid with a small explicit cell size still agrees with brute force', () => {
    const got = knn(points, 8, { method: 'grid', cellSize: 0.07, queries });
    const want = reference.knn(8, { queries });
    expect(Array.from(got.indices)).to.deep.equal(Array.from(want.indices));
  });

  it('rejects empty or non-finite clouds, a bad k or radius, naming the argument', () => {
    for (const method of ['kdtree', 'grid', 'bruteForce'] as const) {
      expect(() => buildNeighborIndex(new Float64Array(0), { method })).to.throw(ArgumentError, /points is empty/);
      expect(() => buildNeighborIndex(new Float64Array(4), { method })).to.throw(ShapeError, /multiple of 3/);
      expect(() => buildNeighborIndex(new Float64Array([0, NaN, 0]), { method })).to.throw(NonFiniteError, /points/);
      const index = buildNeighborIndex(points.subarray(0, 12), { method });
      expect(() => index.knn(4)).to.throw(ArgumentError, /k = 4 but only 3 neighbours/);
      expect(() => index.knn(0)).to.throw(ArgumentError, /k must be/);
      expect(() => index.knn(1, { queries: new Float64Array([0, 0, Infinity]) })).to.throw(NonFiniteError, /options.queries/);
      expect(() => index.radius(-1)).to.throw(ArgumentError, /radius/);
    }
    expect(() => buildNeighborIndex(points, { method: 'octree' as NeighborMethod })).to.throw(ArgumentError, /options.method/);
    expect(() => buildNeighborIndex(points, { method: 'grid', cellSize: 0 })).to.throw(ArgumentError, /cellSize/);
  });
});

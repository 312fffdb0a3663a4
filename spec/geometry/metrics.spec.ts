import { expect } from 'chai';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { chamferDistance, hausdorffDistance, normalConsistency } from '../../geometry/metrics.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { knn } from '../../geometry/neighbors.js';
import { samplePoints } from '../../geometry/sampling.js';
import { tensor } from '../../lib/create.js';

function sphereSample(n: number, seed: number, radius = 1): Float64Array {
  const rng = new Random(seed);
  const p = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const x = rng.normal(),
      y = rng.normal(),
      z = rng.normal();
    const l = Math.hypot(x, y, z) / radius;
    p[3 * i] = x / l;
    p[3 * i + 1] = y / l;
    p[3 * i + 2] = z / l;
  }
  return p;
}

/** A 5 x 5 x 5 lattice with unit spacing. */
function lattice(): Float64Array {
  const p: number[] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 5; k++) p.push(i, j, k);
  return new Float64Array(p);
}

describe('metrics', () => {
  describe('chamferDistance', () => {
    it('is 0 between a set and itself', () => {
      const a = sphereSample(500, 1);
      const r = chamferDistance(a, a);
      expect(r.chamfer).to.equal(0);
      expect(r.chamferRaw).to.equal(0);
    });

    it('equals the shift for a translated copy (shift smaller than half the spacing)', () => {
      const a = lattice();
      const shift = [0.01, -0.02, 0.03];
      const b = a.map((v, i) => v + shift[i % 3]);
      const r = chamferDistance(a, b);
      const s = Math.hypot(...shift);
      expect(r.chamferRaw).to.be.closeTo(s, 1e-12);
      expect(r.meanAToB).to.be.closeTo(s, 1e-12);
      expect(r.meanBToA).to.be.closeTo(s, 1e-12);
      expect(r.diagonal).to.be.closeTo(4 * Math.sqrt(3), 1e-12);
      expect(r.chamfer).to.be.closeTo(s / r.diagonal, 1e-12);
    });

    it('is small between two samplings of the unit sphere, and larger against a bigger sphere', () => {
      const a = sphereSample(2000, 1),
        b = sphereSample(2000, 2);
      const same = chamferDistance(a, b);
      expect(same.chamfer).to.be.greaterThan(0);
      expect(same.chamfer).to.be.lessThan(0.015);
      const bigger = chamferDistance(a, sphereSample(2000, 3, 1.2));
      expect(bigger.chamferRaw).to.be.closeTo(0.2, 0.02);
    });

    it('grid and kd-tree methods give the same numbers', () => {
      const a = sphereSample(300, 4),
        b = sphereSample(400, 5);
      expect(chamferDistance(a, b, { method: 'grid' })).to.deep.equal(chamferDistance(a, b, { method: 'kdtree' }));
    });

    it('is normalized by b (the reference) or by options.diagonal', () => {
      const a = sphereSample(100, 6),
        b = sphereSample(100, 7, 2);
      const r = chamferDistance(a, b);
      expect(r.chamfer * r.diagonal).to.be.closeTo(r.chamferRaw, 1e-12);
      expect(r.diagonal).to.be.greaterThan(5); // b's, not a's (about 2 sqrt(3) * 2)
      expect(chamferDistance(a, b, { diagonal: 2 }).chamfer).to.be.closeTo(r.chamferRaw / 2, 1e-12);
    });

    it('rejects empty, non-finite and zero-extent references, naming the argument', () => {
      const a = sphereSample(10, 1);
      expect(() => chamferDistance(new Float64Array(0), a)).to.throw(ArgumentError, /\ba is empty/);
      expect(() => chamferDistance(a, new Float64Array(0))).to.throw(ArgumentError, /\bb is empty/);
      expect(() => chamferDistance(a, new Float64Array([0, 0, NaN]))).to.throw(NonFiniteError, /\bb\b/);
      expect(() => chamferDistance(a, new Float64Array([1, 1, 1, 1, 1, 1]))).to.throw(ArgumentError, /zero extent.*options.diagonal/);
      expect(chamferDistance(a, new Float64Array([1, 1, 1]), { diagonal: 1 }).chamferRaw).to.be.greaterThan(0);
    });
  });

  describe('hausdorffDistance', () => {
    it('is the largest nearest-neighbour distance in either direction', () => {
      const a = new Float64Array([0, 0, 0, 1, 0, 0]);
      const b = new Float64Array([0, 0, 0, 1, 0, 0, 1, 3, 0]);
      const r = hausdorffDistance(a, b);
      expect(r.maxAToB).to.equal(0);
      expect(r.maxBToA).to.equal(3);
      expect(r.hausdorffRaw).to.equal(3);
      expect(r.hausdorff).to.be.closeTo(3 / Math.hypot(1, 3), 1e-12);
      expect(hausdorffDistance(a, a).hausdorffRaw).to.equal(0);
    });
  });

  describe('normalConsistency', () => {
    const positions = sphereSample(800, 8);
    it('is 1 for matching normals, orientation flips included, and low for random normals', () => {
      const other = sphereSample(800, 9);
      const r = normalConsistency({ positions, normals: positions }, { positions: other, normals: other.map((v) => -3 * v) });
      expect(r.consistency).to.be.greaterThan(0.98);
      expect(r.consistency).to.be.at.most(1 + 1e-12);
      const random = normalConsistency({ positions, normals: positions }, { positions: other, normals: sphereSample(800, 10) });
      expect(random.consistency).to.be.lessThan(0.7);
    });

    it('rejects missing, mis-sized or zero-length normals', () => {
      const good = { positions, normals: positions };
      expect(() => normalConsistency({ positions }, good)).to.throw(ArgumentError, /a.normals is missing/);
      expect(() => normalConsistency(good, { positions, normals: positions.subarray(3) })).to.throw(ShapeError, /b.normals/);
      const zero = positions.slice();
      zero.fill(0, 30, 33);
      expect(() => normalConsistency(good, { positions, normals: zero })).to.throw(ArgumentError, /b.normals\[10\] has zero length/);
    });
  });
});

describe('metrics take what the library returns', () => {
  const m = loadMesh('teapot');
  const a = samplePoints(m, 2000, { seed: 1 });
  const b = samplePoints(m, 2000, { seed: 2 });

  it('clouds from samplePoints, N x 3 tensors and flat arrays give the same distances', () => {
    const fromClouds = chamferDistance(a, b);
    expect(fromClouds.chamfer).to.be.greaterThan(0).and.lessThan(0.02);
    expect(chamferDistance(a.positions, b.positions)).to.deep.equal(fromClouds);
    expect(chamferDistance(tensor(a.positions, { shape: [2000, 3], dtype: 'float64' }), Array.from(b.positions))).to.deep.equal(fromClouds);
    expect(hausdorffDistance(a, b).hausdorff).to.equal(hausdorffDistance(a.positions, b.positions).hausdorff);
    expect(knn(a, 1).indices).to.deep.equal(knn(a.positions, 1).indices);
  });

  it('names the argument when it is not points', () => {
    expect(() => chamferDistance(a, { normals: b.normals } as never)).to.throw(ArgumentError, /b must be points: a cloud \{ positions \}/);
    expect(() => chamferDistance(tensor([[1, 2]]), b)).to.throw(ShapeError, /a is a tensor of shape \[1,2\]; pass an N x 3 tensor/);
    expect(() => chamferDistance([[1, 2, 3]] as never, b)).to.throw(ArgumentError, /a is an array that is not flat numbers/);
  });
});

import { expect } from 'chai';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import type { Mesh } from '../../geometry/mesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { cube } from '../../geometry/shapes/cube.js';
import { grid } from '../../geometry/shapes/grid.js';
import { icosphere } from '../../geometry/shapes/icosphere.js';

/** Smallest distance between two points of the cloud (brute force; small clouds only). */
function minimumSpacing(p: Float64Array): number {
  let best = Infinity;
  for (let i = 0; i < p.length; i += 3) {
    for (let j = i + 3; j < p.length; j += 3) {
      const d = (p[i] - p[j]) ** 2 + (p[i + 1] - p[j + 1]) ** 2 + (p[i + 2] - p[j + 2]) ** 2;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}

describe('samplePoints', () => {
  const sphere = icosphere(4);
  // the flat triangles (edges under 0.045 rad of arc) sag less than 1e-3 below the vertex radius 0.5
  const inner = 0.499;

  it('is deterministic for a seed and differs between seeds', () => {
    const a = samplePoints(sphere, 500, { seed: 7 }),
      b = samplePoints(sphere, 500, { seed: 7 }),
      c = samplePoints(sphere, 500, { seed: 8 });
    expect(Array.from(a.positions)).to.deep.equal(Array.from(b.positions));
    expect(Array.from(a.normals!)).to.deep.equal(Array.from(b.normals!));
    expect(Array.from(a.positions)).to.not.deep.equal(Array.from(c.positions));
    const even1 = samplePoints(sphere, 300, { seed: 7, even: true }),
      even2 = samplePoints(sphere, 300, { seed: 7, even: true });
    expect(Array.from(even1.positions)).to.deep.equal(Array.from(even2.positions));
  });

  for (const even of [false, true]) {
    it(`${even ? 'even' : 'plain'}: n points on the sphere's surface with unit outward normals`, () => {
      const cloud = samplePoints(sphere, 2000, { seed: 1, even });
      const p = cloud.positions,
        n = cloud.normals!;
      expect(p.length).to.equal(6000);
      expect(cloud.colors).to.equal(undefined);
      for (let i = 0; i < p.length; i += 3) {
        const r = Math.hypot(p[i], p[i + 1], p[i + 2]);
        expect(r).to.be.within(inner, 0.5 + 1e-12);
        expect(Math.hypot(n[i], n[i + 1], n[i + 2])).to.be.closeTo(1, 1e-12);
        expect((n[i] * p[i] + n[i + 1] * p[i + 1] + n[i + 2] * p[i + 2]) / r).to.be.greaterThan(0.999);
      }
    });
  }

  it('picks triangles in proportion to their area', () => {
    // two triangles in the plane z = 0: areas 1/2 (x < 1) and 3/2 (x > 1)
    const mesh: Mesh = { positions: new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 4, 0, 0, 1, 1, 0]), faces: new Uint32Array([0, 1, 2, 3, 4, 5]) };
    const p = samplePoints(mesh, 4000, { seed: 3 }).positions;
    let small = 0;
    for (let i = 0; i < p.length; i += 3) if (p[i] + p[i + 1] < 1) small++;
    expect(small / 4000).to.be.closeTo(0.25, 0.03);
  });

  it('interpolates vertex colours, and uses face normals where the mesh has no vertex normals', () => {
    const g = grid(4);
    // colour = a linear function of position, which barycentric interpolation reproduces exactly
    const colors = new Float32Array(g.positions.length);
    for (let i = 0; i < g.positions.length; i += 3) {
      colors[i] = g.positions[i] + 0.5;
      colors[i + 1] = g.positions[i + 1] + 0.5;
      colors[i + 2] = 0.25;
    }
    const cloud = samplePoints({ positions: g.positions, faces: g.faces, colors }, 300, { seed: 2 });
    for (let i = 0; i < 900; i += 3) {
      expect(cloud.colors![i]).to.be.closeTo(cloud.positions[i] + 0.5, 1e-6);
      expect(cloud.colors![i + 1]).to.be.closeTo(cloud.positions[i + 1] + 0.5, 1e-6);
      expect(Array.from(cloud.normals!.subarray(i, i + 3))).to.deep.equal([0, 0, 1]);
    }
  });

  it('keeps the sharp edges of a mesh that splits its vertices there (the cube)', () => {
    const cloud = samplePoints(cube(), 600, { seed: 4 });
    for (let i = 0; i < cloud.positions.length; i += 3) {
      const n = cloud.normals!.subarray(i, i + 3);
      const axis = [0, 1, 2].find((a) => Math.abs(n[a]) === 1)!;
      expect(axis, `normal ${Array.from(n)} is not a side normal`).to.not.equal(undefined);
      expect(cloud.positions[i + axis] * n[axis]).to.be.closeTo(0.5, 1e-12);
    }
  });

  it('even: spreads points apart: a much larger minimum spacing than plain sampling', () => {
    const plain = minimumSpacing(samplePoints(sphere, 1500, { seed: 5 }).positions);
    const even = minimumSpacing(samplePoints(sphere, 1500, { seed: 5, even: true }).positions);
    // hexagonal packing of 1500 points on area pi would have spacing about 0.049
    expect(even).to.be.greaterThan(0.02);
    expect(even).to.be.greaterThan(5 * plain);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => samplePoints(sphere, 0)).to.throw(ArgumentError, /n must be an integer from 1/);
    expect(() => samplePoints(sphere, 2.5)).to.throw(ArgumentError, /got 2\.5/);
    expect(() => samplePoints(sphere, 10, { seed: 0.5 })).to.throw(ArgumentError, /options\.seed/);
    expect(() => samplePoints(sphere, 10, { even: true, oversample: 1 })).to.throw(ArgumentError, /options\.oversample/);
    expect(() => samplePoints({ positions: new Float64Array(9), faces: new Uint32Array(0) }, 10)).to.throw(ArgumentError, /mesh has no faces/);
    expect(() => samplePoints({ positions: new Float64Array(9), faces: new Uint32Array([0, 1, 2]) }, 10)).to.throw(ArgumentError, /zero area/);
    const normals = sphere.normals!.slice();
    normals[5] = NaN;
    expect(() => samplePoints({ ...sphere, normals }, 10)).to.throw(NonFiniteError, /mesh\.normals/);
  });
});

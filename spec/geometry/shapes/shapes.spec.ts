import { expect } from 'chai';
import { ArgumentError } from '../../../lib/errors.js';
import { boundingBox, validateMesh, type Mesh } from '../../../geometry/mesh.js';
import { bunny, bunnyPath } from '../../../geometry/shapes/bunny.js';
import { cube } from '../../../geometry/shapes/cube.js';
import { grid } from '../../../geometry/shapes/grid.js';
import { icosphere } from '../../../geometry/shapes/icosphere.js';
import { teapot } from '../../../geometry/shapes/teapot.js';
import { torus } from '../../../geometry/shapes/torus.js';
import { computeVertexNormals } from '../../../geometry/shapes/vertexNormals.js';
import { weldVertices } from '../../../geometry/shapes/weldVertices.js';
import { closedEulerCharacteristic, meanOutwardness, signedVolume, surfaceArea, triangleArea } from './meshChecks.js';

const builtIns: [string, () => Mesh][] = [
  ['icosphere', () => icosphere()],
  ['cube', () => cube()],
  ['torus', () => torus()],
  ['grid', () => grid()],
  ['teapot', () => teapot()],
  ['bunny', () => bunny()],
];

describe('built-in shapes', () => {
  for (const [name, make] of builtIns) {
    describe(name, () => {
      const mesh = make();

      it('is a valid mesh with unit vertex normals', () => {
        validateMesh(mesh, name);
        expect(mesh.faces.length).to.be.greaterThan(0);
        for (let i = 0; i < mesh.normals!.length; i += 3) {
          expect(Math.hypot(mesh.normals![i], mesh.normals![i + 1], mesh.normals![i + 2])).to.be.closeTo(1, 1e-12);
        }
      });

      it('fits the unit cube: centred at the origin, largest side 1', () => {
        const { min, max } = boundingBox(mesh.positions);
        const sides = [0, 1, 2].map((a) => max[a] - min[a]);
        expect(Math.max(...sides)).to.be.closeTo(1, 1e-12);
        for (let a = 0; a < 3; a++) expect(min[a] + max[a]).to.be.closeTo(0, 1e-12);
      });

      it('has no degenerate triangles', () => {
        for (let f = 0; f < mesh.faces.length; f += 3) expect(triangleArea(mesh, f)).to.be.greaterThan(0);
      });

      if (name !== 'grid') {
        it('has outward normals', () => {
          expect(meanOutwardness(mesh)).to.be.greaterThan(0.05);
        });
      }
    });
  }

  it('icosphere: a closed sphere of diameter 1 (genus 0), normals along the radius, area near pi', () => {
    const sphere = icosphere(3);
    expect(sphere.faces.length / 3).to.equal(20 * 4 ** 3);
    expect(sphere.positions.length / 3).to.equal(10 * 4 ** 3 + 2);
    expect(closedEulerCharacteristic(sphere)).to.equal(2);
    const p = sphere.positions,
      n = sphere.normals!;
    for (let i = 0; i < p.length; i += 3) {
      const r = Math.hypot(p[i], p[i + 1], p[i + 2]);
      expect(r).to.be.closeTo(0.5, 2e-3);
      expect((n[i] * p[i] + n[i + 1] * p[i + 1] + n[i + 2] * p[i + 2]) / r).to.be.greaterThan(0.999);
    }
    expect(surfaceArea(sphere)).to.be.closeTo(Math.PI, 0.02 * Math.PI);
  });

  it('cube: closed, six unit sides with flat side normals', () => {
    const c = cube();
    expect(closedEulerCharacteristic(c)).to.equal(2);
    expect(surfaceArea(c)).to.be.closeTo(6, 1e-12);
    expect(signedVolume(c)).to.be.closeTo(1, 1e-12);
    const p = c.positions,
      n = c.normals!;
    for (let i = 0; i < p.length; i += 3) {
      // each corner's normal is the axis along which it sits on its side
      const axis = [0, 1, 2].find((a) => Math.abs(n[i + a]) === 1)!;
      expect(axis).to.not.equal(undefined);
      expect(n[i + axis] * p[i + axis]).to.equal(0.5);
    }
  });

  it('torus: closed, genus 1, area and volume of the ring torus', () => {
    const t = torus(1, 0.4, 64, 32);
    expect(closedEulerCharacteristic(t)).to.equal(0);
    const s = 1 / (2 * 1.4); // fitted to an outer diameter of 1
    expect(surfaceArea(t)).to.be.closeTo(4 * Math.PI ** 2 * 1 * 0.4 * s * s, 0.01 * 4 * Math.PI ** 2 * 0.4 * s * s);
    expect(signedVolume(t)).to.be.closeTo(2 * Math.PI ** 2 * 1 * 0.4 ** 2 * s ** 3, 0.01 * 2 * Math.PI ** 2 * 0.16 * s ** 3);
    const { min, max } = boundingBox(t.positions);
    expect(max[1] - min[1]).to.be.closeTo(0.4 / 1.4, 1e-3); // y is the axis
  });

  it('grid: a flat unit square at z = 0 facing +z', () => {
    const g = grid(8);
    expect(g.positions.length / 3).to.equal(81);
    expect(surfaceArea(g)).to.be.closeTo(1, 1e-12);
    for (let i = 0; i < g.positions.length; i += 3) {
      expect(g.positions[i + 2]).to.equal(0);
      expect(Array.from(g.normals!.subarray(i, i + 3))).to.deep.equal([0, 0, 1]);
    }
    // the stored normals are the ones the winding gives
    expect(Array.from(computeVertexNormals(g.positions, g.faces))).to.deep.equal(Array.from(g.normals!));
  });

  it('teapot: welded seams, y up, spout toward +x, positive enclosed volume, normals at the poles', () => {
    const coarse = teapot(4),
      fine = teapot(12);
    expect(surfaceArea(fine)).to.be.closeTo(surfaceArea(coarse), 0.05 * surfaceArea(fine));
    // welded, the only open edges are the curves where no patch continues (the spout's tip and
    // base, the handle's ends, the lid's edge and the rim's inner edge): 16 patch sides, against
    // 4 per patch unwelded; no edge has more than two triangles
    const uses = new Map<string, number>();
    for (let f = 0; f < fine.faces.length; f += 3) {
      for (let k = 0; k < 3; k++) {
        const a = fine.faces[f + k],
          b = fine.faces[f + ((k + 1) % 3)];
        const key = `${Math.min(a, b)},${Math.max(a, b)}`;
        uses.set(key, (uses.get(key) ?? 0) + 1);
      }
    }
    const counts = [...uses.values()];
    expect(counts.filter((c) => c === 1).length).to.equal(16 * 12);
    expect(counts.every((c) => c <= 2)).to.equal(true);
    expect(signedVolume(fine)).to.be.greaterThan(0);
    const { min, max } = boundingBox(fine.positions);
    expect(max[0] - min[0]).to.be.closeTo(1, 1e-12); // spout tip to handle is the long side
    expect(max[1] - min[1]).to.be.lessThan(0.6); // height
    // the top of the lid knob is a pole: one vertex, normal straight up
    let top = 0;
    for (let i = 1; i < fine.positions.length / 3; i++) if (fine.positions[3 * i + 1] > fine.positions[3 * top + 1]) top = i;
    expect(fine.normals![3 * top + 1]).to.be.greaterThan(0.999);
    // the spout's tip lies on the +x side
    let far = 0;
    for (let i = 1; i < fine.positions.length / 3; i++) if (fine.positions[3 * i] > fine.positions[3 * far]) far = i;
    expect(fine.positions[3 * far + 1]).to.be.greaterThan(0); // the spout tip is above the middle
  });

  it('bunny: the vendored file is found and is a closed surface', () => {
    expect(bunnyPath()).to.match(/fixtures[\\/]bunny\.ply$/);
    const b = bunny();
    expect(b.positions.length / 3).to.equal(1839);
    expect(b.faces.length / 3).to.equal(3674);
    expect(closedEulerCharacteristic(b)).to.equal(2);
    expect(signedVolume(b)).to.be.greaterThan(0);
  });

  it('rejects resolutions and radii it cannot build, naming the argument', () => {
    expect(() => icosphere(1.5)).to.throw(ArgumentError, /icosphere: subdivisions must be an integer from 0 to 8, got 1.5/);
    expect(() => icosphere(9)).to.throw(ArgumentError, /subdivisions/);
    expect(() => torus(1, 1.2)).to.throw(ArgumentError, /0 < minorRadius < majorRadius/);
    expect(() => torus(1, 0.3, 2)).to.throw(ArgumentError, /torus: segments must be an integer from 3/);
    expect(() => grid(0)).to.throw(ArgumentError, /grid: segments/);
    expect(() => teapot(0)).to.throw(ArgumentError, /teapot: segments/);
  });
});

describe('shape helpers', () => {
  it('weldVertices merges points within the tolerance, keeps the others, and drops collapsed faces', () => {
    const positions = new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1 + 1e-9, 0, 0, 0, 0, 1e-3, 0, 1, 1e-10]);
    const faces = new Uint32Array([0, 1, 2, 3, 4, 5, 1, 3, 2]);
    const w = weldVertices(positions, faces, 1e-6);
    expect(Array.from(w.remap)).to.deep.equal([0, 1, 2, 1, 3, 2]);
    expect(w.positions.length).to.equal(12);
    expect(Array.from(w.faces)).to.deep.equal([0, 1, 2, 1, 3, 2]); // (1, 1, 2) collapsed
    expect(() => weldVertices(positions, faces, 0)).to.throw(ArgumentError, /tolerance/);
  });

  it('computeVertexNormals weighs faces by area and follows the winding', () => {
    // a big triangle facing +z and a small one facing +x share vertex 0
    const positions = new Float64Array([0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0.1, 0, 0, 0, 0.1]);
    const n = computeVertexNormals(positions, new Uint32Array([0, 1, 2, 0, 3, 4]));
    expect(n[2]).to.be.greaterThan(0.99); // vertex 0 leans to the big face
    expect(n[0]).to.be.greaterThan(0);
    expect(Array.from(n.subarray(9, 12))).to.deep.equal([1, 0, 0]);
    const flipped = computeVertexNormals(positions, new Uint32Array([0, 2, 1]));
    expect(Array.from(flipped.subarray(0, 3))).to.deep.equal([0, 0, -1]);
  });
});

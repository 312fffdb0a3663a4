import { expect } from 'chai';
import { boundingBox, type Mesh, validateMesh } from '../../../geometry/mesh.js';
import { arrow, coil, cup, dumbbell, frame, plate, rings, table, trefoil } from '../../../geometry/shapes/suiteShapes.js';
import { closedEulerCharacteristic, meanOutwardness, signedVolume, triangleArea } from './meshChecks.js';

// [name, make, Euler characteristic V - E + F: 2 - 2 genus per closed part]
const shapes: [string, () => Mesh, number][] = [
  ['trefoil', trefoil, 0],
  ['coil', coil, 2],
  ['rings', rings, 0], // two tori
  ['cup', cup, 2],
  ['arrow', arrow, 2],
  ['dumbbell', dumbbell, 2],
  ['frame', frame, -8], // the edges of a cube: genus 5
  ['table', table, 2],
  ['plate2', () => plate(2), -2],
  ['plate3', () => plate(3), -4],
];

describe('suite shapes', () => {
  for (const [name, make, euler] of shapes) {
    it(`${name}: closed, outward, no degenerate faces, the unit cube's frame, Euler characteristic ${euler}`, () => {
      const mesh = make();
      validateMesh(mesh, name);
      for (let f = 0; f < mesh.faces.length; f += 3) expect(triangleArea(mesh, f), `face ${f / 3}`).to.be.greaterThan(1e-12);
      expect(closedEulerCharacteristic(mesh)).to.equal(euler);
      expect(signedVolume(mesh), 'faces wind counter-clockwise seen from outside').to.be.greaterThan(0);
      expect(meanOutwardness(mesh)).to.be.greaterThan(0);
      const { min, max } = boundingBox(mesh.positions);
      expect(Math.max(...[0, 1, 2].map((a) => max[a] - min[a]))).to.be.closeTo(1, 1e-12);
    });
  }
});

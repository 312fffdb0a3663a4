import { expect } from 'chai';
import { resolveFitConfig } from '../../../cli/fit/fitConfig.js';
import { startFit } from '../../../cli/fit/runFit.js';
import { boundingBox } from '../../../geometry/mesh.js';
import { loadMesh } from '../../../geometry/loadMesh.js';

describe('fit --method dss', () => {
  it('a genus-2 toy fit from a sphere (plate2) ends with no points in the holes and no fewer points', () => {
    // plate2's generator (geometry/shapes/suiteShapes.ts): x planes 0, .16, .62, .78, 1.24, 1.40, holes
    // in the cells x in [.16, .62] and [.78, 1.24], z in [.16, .46] of 0.62, through the 0.14-thick plate;
    // the mesh is scaled into the unit box, so the holes are found in its own box
    const box = boundingBox(loadMesh('plate2').positions);
    const at = (axis: number, f: number) => box.min[axis] + f * (box.max[axis] - box.min[axis]);
    const holes = [
      [0.16, 0.62],
      [0.78, 1.24],
    ].map(([a, b]) => ({ x: [at(0, a / 1.4), at(0, b / 1.4)], z: [at(2, 0.16 / 0.62), at(2, 0.46 / 0.62)] }));
    // inside a hole, more than a fifth of its side from its walls (the hull and the splats round
    // the holes' corners by a few voxels or pixels; a web across a hole is in its middle)
    const inHole = (x: number, z: number) =>
      holes.some((h) => {
        const mx = 0.2 * (h.x[1] - h.x[0]),
          mz = 0.2 * (h.z[1] - h.z[0]);
        return x > h.x[0] + mx && x < h.x[1] - mx && z > h.z[0] + mz && z < h.z[1] - mz;
      });
    expect(inHole(0.5 * (holes[0].x[0] + holes[0].x[1]), 0.5 * (holes[0].z[0] + holes[0].z[1])), 'the hole test finds a hole').to.equal(true);

    // a sphere covers the holes (~150 of its 600 points start in them): the fit must open them
    const config = resolveFitConfig({ target: 'plate2', init: 'sphere', points: 600, size: 40, views: 12, iterations: 300, meshResolution: 0 });
    const { session } = startFit(config);
    const inHoles = (p: ArrayLike<number>) => {
      let n = 0;
      for (let k = 0; k < p.length / 3; k++) if (inHole(p[3 * k], p[3 * k + 2])) n++;
      return n;
    };
    expect(inHoles(session.cloud().positions), 'points in the holes at the start').to.be.greaterThan(100);
    for (let step = 0; step < 300; step++) session.step(step);
    const p = session.cloud().positions;
    expect(p.length / 3, 'strays are moved, never dropped; refinement grows the cloud').to.be.at.least(600);
    expect(inHoles(p), 'points in the holes at the end').to.equal(0);
  });
});

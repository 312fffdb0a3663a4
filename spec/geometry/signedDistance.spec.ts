// Signed distance to a closed mesh: the unsigned distance to its triangles, negative inside by the
// winding number.

import { expect } from 'chai';
import { loadMesh } from '../../geometry/loadMesh.js';
import { signedDistanceToMesh, windingNumbers } from '../../geometry/signedDistance.js';

describe('signedDistanceToMesh', () => {
  it('matches a sphere mesh: negative inside, the distance to its surface', () => {
    const sphere = loadMesh('sphere');
    const points = [0, 0, 0, 0.3, 0, 0, 0.6, 0.1, 0, 0, 0, 0.8];
    const d = signedDistanceToMesh(points, sphere);
    expect(d[0]).to.be.closeTo(-0.5, 0.01);
    expect(d[1]).to.be.closeTo(-0.2, 0.01);
    expect(d[2]).to.be.closeTo(Math.hypot(0.6, 0.1) - 0.5, 0.01);
    expect(d[3]).to.be.closeTo(0.3, 0.01);
    const w = windingNumbers([0, 0, 0, 2, 0, 0], sphere);
    expect(w[0]).to.be.closeTo(1, 1e-9);
    expect(w[1]).to.be.closeTo(0, 1e-9);
  });
});

// The box of the region inside every silhouette: it holds the object, comes close to its box when
// the views go around it, and gives no answer when the masks cannot bound it.

import { expect } from 'chai';
import { Camera } from '../../geometry/camera.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { silhouetteBounds } from '../../geometry/silhouetteBounds.js';
import { fibonacciViews } from '../../geometry/views.js';

const masked = (shape: string, cameras: Camera[]) => cameras.map((camera) => ({ camera, mask: rasterizeMesh(loadMesh(shape), camera).alpha.data }));

describe('silhouetteBounds', () => {
  it('holds the object and comes close to its box when the views go around it', () => {
    const truth = boundingBox(loadMesh('teapot').positions);
    const b = silhouetteBounds(masked('teapot', fibonacciViews(16, { radius: 0.8, target: truth.center, width: 64, height: 64 })), truth.center, 1.5)!;
    for (let a = 0; a < 3; a++) {
      expect(b.min[a], `min ${a}`).to.be.at.most(truth.min[a] + 0.02);
      expect(b.max[a], `max ${a}`).to.be.at.least(truth.max[a] - 0.02);
      expect(b.max[a] - b.min[a], `side ${a}`).to.be.lessThan(1.25 * (truth.max[a] - truth.min[a]) + 0.05);
    }
  });

  it('gives no answer without masks, with masks its cameras cannot see, or when the object runs out of the views', () => {
    const cameras = fibonacciViews(6, { radius: 0.9, width: 32, height: 32 });
    expect(
      silhouetteBounds(
        cameras.map((camera) => ({ camera })),
        [0, 0, 0],
        2,
      ),
    ).to.equal(null);
    // the masks with cameras that face away from the object (a convention mistake): nothing is in front of all of them
    const away = masked('bunny', cameras).map(({ camera, mask }) => {
      const e = camera.center;
      return { camera: Camera.lookAt({ eye: e, target: [2 * e[0], 2 * e[1], 2 * e[2]], up: [0, 1, 0.01], width: 32, height: 32 }), mask };
    });
    expect(silhouetteBounds(away, [0, 0, 0], 2)).to.equal(null);
    // cameras so close that every silhouette runs off the image: the views bound nothing
    expect(silhouetteBounds(masked('cube', fibonacciViews(4, { distance: 1.1, width: 32, height: 32 })), [0, 0, 0], 2)).to.equal(null);
  });
});

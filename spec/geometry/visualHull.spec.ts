import { expect } from 'chai';
import { loadMesh } from '../../geometry/loadMesh.js';
import { chamferDistance } from '../../geometry/metrics.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { samplePoints } from '../../geometry/sampling.js';
import { fibonacciViews } from '../../geometry/views.js';
import { signedMaskDistance, visualHull } from '../../geometry/visualHull.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';

/** Every undirected edge of a triangle list and how many faces use it. */
function edgeUses(faces: Uint32Array): Map<string, number> {
  const uses = new Map<string, number>();
  for (let f = 0; f < faces.length; f += 3) {
    for (let e = 0; e < 3; e++) {
      const a = faces[f + e],
        b = faces[f + ((e + 1) % 3)];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  return uses;
}

/** Volume enclosed by a closed mesh (divergence theorem): positive when faces wind outward. */
function volume(positions: Float64Array, faces: Uint32Array): number {
  let v = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const [a, b, c] = [faces[f], faces[f + 1], faces[f + 2]].map((i) => [positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]]);
    v += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
  }
  return v;
}

describe('visual hull (voxel carving)', () => {
  const sphere = loadMesh('sphere'); // radius 0.5
  const cameras = fibonacciViews(12, { radius: 0.6, width: 48, height: 48 });
  const views = cameras.map((camera) => ({ camera, mask: rasterizeMesh(sphere, camera).alpha.data }));
  const bounds = { min: [-0.8, -0.8, -0.8], max: [0.8, 0.8, 0.8] };
  const truth = samplePoints(sphere, 4000, { seed: 1 }).positions;

  it('the signed distance of a mask is positive inside, negative outside, 0 on the pixel edges between', () => {
    const mask = new Float32Array(5 * 3);
    mask[5 + 1] = mask[5 + 2] = 1;
    const s = signedMaskDistance(mask, 5, 3);
    expect(s[5 + 1]).to.equal(0.5);
    expect(s[5 + 3]).to.equal(-0.5);
    expect(s[5 + 4]).to.equal(-1.5);
  });

  it('holds the object, close around it, as a closed outward surface', () => {
    const hull = visualHull(views, { resolution: 40, bounds });
    expect(hull.dims).to.deep.equal([41, 41, 41]);
    expect(hull.inside).to.be.greaterThan(0);
    // the true surface, a pixel or two in, is inside the hull (at its nearest grid point)
    const value = (x: number, y: number, z: number) => {
      const [i, j, k] = [x, y, z].map((c, a) => Math.round((c - hull.origin[a]) / hull.step));
      return hull.field[(k * hull.dims[1] + j) * hull.dims[0] + i];
    };
    let outside = 0;
    for (let p = 0; p < truth.length; p += 3) if (value(truth[p] * 0.85, truth[p + 1] * 0.85, truth[p + 2] * 0.85) <= 0) outside++;
    expect(outside, 'true surface points carved away').to.equal(0);
    expect(value(0.75, 0.75, 0.75)).to.be.lessThan(0);
    const c = chamferDistance(samplePoints(hull.mesh, 4000, { seed: 2 }).positions, truth);
    expect(c.chamfer).to.be.lessThan(0.012);
    for (const count of edgeUses(hull.mesh.faces).values()) expect(count).to.equal(2);
    const object = volume(sphere.positions, sphere.faces);
    expect(volume(hull.mesh.positions, hull.mesh.faces) / object, 'hull volume / object volume').to.be.within(0.95, 1.25); // the linear interpolation of a min over views sits a little inside
  });

  it('carves away what one under-segmented mask misses (why it fails on noisy masks)', () => {
    const cut = views.map((v) => ({ camera: v.camera, mask: Float32Array.from(v.mask) }));
    const { width } = cut[0].camera;
    for (let y = 0; y < 24; y++) for (let x = 0; x < width; x++) cut[0].mask[y * width + x] = 0; // the top half of view 0 lost
    const clean = visualHull(views, { resolution: 32, bounds });
    const noisy = visualHull(cut, { resolution: 32, bounds });
    expect(noisy.inside).to.be.lessThan(0.75 * clean.inside);
  });

  it('closes its surface where the hull reaches the box (a mask that covers every image)', () => {
    const everything = views.map((v) => ({ camera: v.camera, mask: new Float32Array(v.mask.length).fill(1) }));
    const hull = visualHull(everything, { resolution: 8, bounds: { min: [-0.1, -0.1, -0.1], max: [0.1, 0.1, 0.1] } });
    expect(hull.inside).to.equal(hull.field.length);
    for (const count of edgeUses(hull.mesh.faces).values()) expect(count).to.equal(2);
    expect(volume(hull.mesh.positions, hull.mesh.faces)).to.be.greaterThan(0);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => visualHull([], { bounds })).to.throw(ArgumentError, /non-empty/);
    expect(() => visualHull(views, { resolution: 1, bounds })).to.throw(ArgumentError, /resolution/);
    expect(() => visualHull(views, { bounds: { min: [0, 0, 0], max: [-1, 1, 1] } })).to.throw(ArgumentError, /max >= min/);
    expect(() => visualHull([{ camera: cameras[0], mask: new Float32Array(3) }], { bounds })).to.throw(ShapeError, /48 x 48/);
  });
});

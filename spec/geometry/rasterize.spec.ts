import { expect } from 'chai';
import { ArgumentError } from '../../lib/errors.js';
import { Camera } from '../../geometry/camera.js';
import { directionalLight, ambientLight, defaultLights, shadeLambert } from '../../geometry/lights.js';
import type { Mesh } from '../../geometry/mesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';

function triangles(positions: number[], colors?: number[]): Mesh {
  return {
    positions: new Float64Array(positions),
    faces: Uint32Array.from({ length: positions.length / 3 }, (_, i) => i),
    colors: colors ? new Float32Array(colors) : undefined,
  };
}

/** Axis-aligned cube [-0.5, 0.5]^3, outward (counter-clockwise seen from outside) triangles. */
function cube(): Mesh {
  const positions = new Float64Array([-1, -1, -1, 1, -1, -1, 1, 1, -1, -1, 1, -1, -1, -1, 1, 1, -1, 1, 1, 1, 1, -1, 1, 1].map((v) => v / 2));
  const faces = new Uint32Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3]);
  return { positions, faces };
}

function count(a: Float32Array): number {
  let n = 0;
  for (const v of a) n += v;
  return n;
}

describe('rasterizeMesh', () => {
  const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 96, height: 80, fovY: 50 });

  it('a single triangle covers about its projected area', () => {
    const mesh = triangles([-0.8, -0.5, 0.2, 0.7, -0.6, -0.3, 0.1, 0.75, 0]);
    const { alpha, depth } = rasterizeMesh(mesh, camera);
    const { pixels } = camera.project(mesh.positions);
    const [ax, ay, bx, by, cx, cy] = pixels;
    const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    expect(area).to.be.greaterThan(500);
    expect(Math.abs(count(alpha.data) - area)).to.be.lessThan(0.02 * area);
    for (let p = 0; p < alpha.data.length; p++) expect(depth.data[p] > 0).to.equal(alpha.data[p] === 1);
  });

  it('two triangles sharing an edge cover each pixel once: no gaps, no double coverage', () => {
    // a square split along its diagonal, corners chosen so pixel centres fall on the diagonal
    const a = [-0.5, -0.5, 0, 0.5, -0.5, 0, 0.5, 0.5, 0];
    const b = [-0.5, -0.5, 0, 0.5, 0.5, 0, -0.5, 0.5, 0];
    const square = Camera.lookAt({ eye: [0, 0, 2], target: [0, 0, 0], width: 64, height: 64, focal: 64 });
    const both = count(rasterizeMesh(triangles([...a, ...b]), square).alpha.data);
    const alone = count(rasterizeMesh(triangles(a), square).alpha.data) + count(rasterizeMesh(triangles(b), square).alpha.data);
    expect(both).to.equal(32 * 32);
    expect(alone).to.equal(both);
  });

  it('a cube seen face-on gives a filled square mask, at the front face depth, normal toward the camera', () => {
    const view = Camera.lookAt({ eye: [0, 0, 5], target: [0, 0, 0], width: 64, height: 64, focal: 90 });
    const { alpha, depth, normal } = rasterizeMesh(cube(), view);
    let x0 = 64,
      x1 = -1,
      y0 = 64,
      y1 = -1;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        if (!alpha.data[y * 64 + x]) continue;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    const side = 90 / 4.5; // 20 px
    expect(x1 - x0 + 1).to.equal(side);
    expect(y1 - y0 + 1).to.equal(side);
    expect(count(alpha.data)).to.equal(side * side); // filled: a square, not just its bounding box
    const centre = 32 * 64 + 32;
    expect(depth.data[centre]).to.be.closeTo(4.5, 1e-6);
    expect(Array.from(normal.data.subarray(3 * centre, 3 * centre + 3))).to.deep.equal([0, 0, 1]);
  });

  it('the z-buffer keeps the nearer of two overlapping triangles, whatever the order', () => {
    const near = [-1, -1, 0.5, 1, -1, 0.5, 0, 1, 0.5];
    const far = [-1, 1, -0.5, 0, -1, -0.5, 1, 1, -0.5];
    const centre = 40 * 96 + 48;
    for (const [order, nearIndex] of [
      [[...near, ...far], 0],
      [[...far, ...near], 1],
    ] as const) {
      const { faceIndex, depth } = rasterizeMesh(triangles([...order]), camera);
      expect(faceIndex[centre]).to.equal(nearIndex);
      expect(depth.data[centre]).to.be.closeTo(2.5, 1e-6);
    }
  });

  it('depth is perspective-correct on a tilted plane (matches the ray-plane intersection)', () => {
    const tilted = triangles([-1, -1, -1, 1, -1, 1, 0, 1.2, 0]); // the plane z = x
    const { depth, alpha } = rasterizeMesh(tilted, camera);
    let checked = 0;
    for (const [px, py] of [
      [30, 40],
      [48, 30],
      [60, 45],
      [40, 55],
    ]) {
      const p = py * 96 + px;
      if (!alpha.data[p]) continue;
      // ray from the eye (0, 0, 3) through the pixel centre; camera depth is 3 - z_world here
      const { direction: d } = camera.rayThroughPixel(px + 0.5, py + 0.5);
      const s = -3 / (d[2] - d[0]); // 3 + s d_z = s d_x
      expect(depth.data[p], `pixel ${px},${py}`).to.be.closeTo(3 - (3 + s * d[2]), 1e-4);
      checked++;
    }
    expect(checked).to.be.at.least(3);
  });

  it('shading at a pixel equals shadeLambert at that surface point (face normal, interpolated colour)', () => {
    const lights = [ambientLight([0.2, 0.2, 0.2]), directionalLight([1, 1, 1], [0.7, 0.6, 0.5])];
    const mesh = triangles([-1, -1, 0, 1, -1, -0.5, 0, 1, 0.3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const { color } = rasterizeMesh(mesh, camera, { lights });
    const pixel = 40 * 96 + 48;
    // face normal (b - a) x (c - a) with b - a = (2, 0, -0.5), c - a = (1, 2, 0.3); it faces the camera (+z)
    const n = [0 * 0.3 - -0.5 * 2, -0.5 * 1 - 2 * 0.3, 2 * 2 - 0 * 1];
    // the surface point seen through the pixel centre and its barycentric colour
    const { origin: o, direction: d } = camera.rayThroughPixel(48.5, 40.5);
    const s = (n[0] * (-1 - o[0]) + n[1] * (-1 - o[1]) + n[2] * (0 - o[2])) / (n[0] * d[0] + n[1] * d[1] + n[2] * d[2]);
    const q = [o[0] + s * d[0], o[1] + s * d[1], o[2] + s * d[2]];
    // solve q = a + u (b - a) + v (c - a) in x and y
    const det = 2 * 2 - 0 * 1;
    const u = ((q[0] + 1) * 2 - (q[1] + 1) * 1) / det,
      v = (2 * (q[1] + 1) - 0 * (q[0] + 1)) / det;
    const want = shadeLambert([1 - u - v, u, v], n, q, lights);
    for (let k = 0; k < 3; k++) expect(color.data[3 * pixel + k], `channel ${k}`).to.be.closeTo(want[k], 1e-5);
    expect(want[0] + want[1] + want[2]).to.be.greaterThan(0.3); // a lit pixel, not just ambient
  });

  it('smooth shading uses the interpolated vertex normals', () => {
    const mesh = triangles([-1, -1, 0, 1, -1, 0, 0, 1, 0]);
    const tilt = [0.3, -0.2, 0.9];
    const normals = new Float64Array([...tilt, ...tilt, ...tilt]);
    const lights = defaultLights(camera, { seed: 3 });
    const { color, normal } = rasterizeMesh({ ...mesh, normals }, camera, { lights, albedo: [0.8, 0.6, 1] });
    const p = 40 * 96 + 48;
    const want = shadeLambert([0.8, 0.6, 1], tilt, null, lights);
    for (let k = 0; k < 3; k++) expect(color.data[3 * p + k]).to.be.closeTo(want[k], 1e-6);
    expect(normal.data[3 * p]).to.be.closeTo(0.3 / Math.hypot(...tilt), 1e-6);
  });

  it('backfaces: drawn two-sided by default (normal flipped toward the camera), or culled', () => {
    const away = triangles([-1, -1, 0, 0, 1, 0, 1, -1, 0]); // clockwise seen from +z: normal -z
    const drawn = rasterizeMesh(away, camera);
    const centre = 40 * 96 + 48;
    expect(drawn.alpha.data[centre]).to.equal(1);
    expect(drawn.normal.data[3 * centre + 2]).to.equal(1);
    expect(count(rasterizeMesh(away, camera, { cullBackfaces: true }).alpha.data)).to.equal(0);
    // vertex normals toward the camera make it a front face, whatever its winding
    const normals = new Float64Array([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    for (const shading of ['smooth', 'flat'] as const) {
      const r = rasterizeMesh({ ...away, normals }, camera, { cullBackfaces: true, shading });
      expect(r.alpha.data[centre], shading).to.equal(1);
      expect(r.normal.data[3 * centre + 2], shading).to.equal(1);
    }
  });

  it('clips triangles crossing the near plane: a ground plane reaching behind the camera', () => {
    const eyeLevel = Camera.lookAt({ eye: [0, 1, 0], target: [0, 1, 1], width: 64, height: 64, fovY: 90 });
    const ground = triangles([-50, 0, -50, 0, 0, 100, 50, 0, -50]);
    const { alpha, depth } = rasterizeMesh(ground, eyeLevel, { lights: defaultLights(eyeLevel) });
    for (let y = 0; y < 32; y++) for (let x = 0; x < 64; x++) expect(alpha.data[y * 64 + x], `above the horizon ${x},${y}`).to.equal(0);
    for (let y = 40; y < 64; y++) for (let x = 0; x < 64; x++) expect(alpha.data[y * 64 + x], `ground ${x},${y}`).to.equal(1);
    // bottom row centre: the ray at 45 degrees down meets the ground at depth about 1
    expect(depth.data[63 * 64 + 32]).to.be.closeTo(1, 0.05);
  });

  it('rejects bad options and non-finite mesh data', () => {
    const mesh = triangles([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(() => rasterizeMesh(mesh, camera, { shading: 'smooth' })).to.throw(ArgumentError, /no normals/);
    expect(() => rasterizeMesh(mesh, camera, { albedo: [1, 1] })).to.throw(ArgumentError, /options.albedo/);
    expect(() => rasterizeMesh({ ...mesh, normals: new Float64Array(9).fill(NaN) }, camera)).to.throw(/mesh.normals/);
  });
});

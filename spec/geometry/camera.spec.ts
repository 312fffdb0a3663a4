import { expect } from 'chai';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { Camera, focalFromFov } from '../../geometry/camera.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void => {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i], `element ${i}`).to.be.closeTo(b[i], tol);
};

describe('Camera', () => {
  // identity rotation, camera at z = -5 looking down +z
  const simple = Camera.fromMatrix({ R: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 5], width: 100, height: 80, fx: 200, fy: 150, cx: 50, cy: 40 });

  it('projects points to hand-computed pixels: (fx x/z + cx, fy y/z + cy)', () => {
    // p = (1, 2, 5) -> c = (1, 2, 10) -> (200*0.1 + 50, 150*0.2 + 40) = (70, 70)
    // p = (-1, 0, -1) -> c = (-1, 0, 4) -> (-50 + 50, 0 + 40) = (0, 40)
    const { pixels, depth } = simple.project(new Float64Array([1, 2, 5, -1, 0, -1]));
    close(pixels, [70, 70, 0, 40]);
    close(depth, [10, 4]);
  });

  it('rejects points at or behind the camera, naming the point index', () => {
    expect(() => simple.project([0, 0, 1, 0, 0, -5])).to.throw(ArgumentError, /point 1 .*behind the camera/);
    expect(() => simple.project([0, 0, -6])).to.throw(ArgumentError, /point 0/);
  });

  it('rejects NaN coordinates and ragged point arrays', () => {
    expect(() => simple.project([0, NaN, 1])).to.throw(NonFiniteError, /points/);
    expect(() => simple.toCamera([0, 1])).to.throw(ShapeError, /multiple of 3/);
  });

  it('lookAt puts the target at the image centre, in front, with up toward the top of the image', () => {
    const cam = Camera.lookAt({ eye: [3, 2, -4], target: [0.5, -0.25, 1], up: [0, 1, 0], width: 64, height: 48, fovY: 50 });
    const { pixels, depth } = cam.project([0.5, -0.25, 1, 0.5, 0.75, 1]);
    close(pixels.subarray(0, 2), [32, 24]);
    expect(depth[0]).to.be.closeTo(Math.hypot(2.5, 2.25, 5), 1e-12);
    // a point above the target (world +y) is higher in the image: smaller v
    expect(pixels[3]).to.be.lessThan(24);
    close(cam.center, [3, 2, -4], 1e-12);
  });

  it('has an orthonormal right-handed rotation (right x down = forward)', () => {
    const cam = Camera.lookAt({ eye: [1, 2, 3], target: [0, 0, 0], width: 10, height: 10 });
    const [r, d, f] = [cam.right, cam.down, cam.forward];
    close([r[1] * d[2] - r[2] * d[1], r[2] * d[0] - r[0] * d[2], r[0] * d[1] - r[1] * d[0]], f, 1e-12);
  });

  it('derives the focal length from the field of view and reports it back', () => {
    const cam = Camera.lookAt({ eye: [0, 0, -3], target: [0, 0, 0], width: 200, height: 100, fovY: 90 });
    expect(cam.fy).to.be.closeTo(50, 1e-12); // (h/2) / tan(45 deg)
    expect(cam.fx).to.equal(cam.fy);
    expect(cam.fovY).to.be.closeTo(90, 1e-12);
    expect(focalFromFov(60, 100)).to.be.closeTo(50 / Math.tan(Math.PI / 6), 1e-12);
    expect(() => Camera.lookAt({ eye: [0, 0, -3], target: [0, 0, 0], width: 10, height: 10, fovY: 180 })).to.throw(ArgumentError, /fovY/);
    expect(() => Camera.lookAt({ eye: [0, 0, -3], target: [0, 0, 0], width: 10, height: 10, fovY: 60, focal: 5 })).to.throw(ArgumentError, /only one/);
  });

  it('rejects degenerate look-at set-ups with the argument named', () => {
    expect(() => Camera.lookAt({ eye: [1, 1, 1], target: [1, 1, 1], width: 10, height: 10 })).to.throw(ArgumentError, /eye and target coincide/);
    expect(() => Camera.lookAt({ eye: [0, 5, 0], target: [0, 0, 0], width: 10, height: 10 })).to.throw(ArgumentError, /up .*parallel/);
    expect(() => Camera.lookAt({ eye: [0, 0, 1], target: [0, 0, 0], up: [0, 0, 0], width: 10, height: 10 })).to.throw(ArgumentError, /up has zero length/);
    expect(() => Camera.lookAt({ eye: [0, NaN, 1], target: [0, 0, 0], width: 10, height: 10 })).to.throw(NonFiniteError, /eye\[1\]/);
    expect(() => Camera.lookAt({ eye: [0, 0, 1], target: [0, 0, 0], width: 0, height: 10 })).to.throw(ArgumentError, /width/);
  });

  it('rejects world-to-camera matrices that are not rigid', () => {
    expect(() => Camera.fromMatrix({ R: [2, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0], width: 1, height: 1, focal: 1 })).to.throw(ArgumentError, /not a rotation/);
    expect(() => Camera.fromMatrix({ R: [-1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0], width: 1, height: 1, focal: 1 })).to.throw(ArgumentError, /reflection/);
    const bottom = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 1, 1],
    ];
    expect(() => Camera.fromMatrix({ worldToCamera: bottom, width: 1, height: 1, focal: 1 })).to.throw(ArgumentError, /last row/);
  });

  it('matches its perspective Jacobian against central differences', () => {
    const c = [0.3, -0.7, 2.5];
    const J = simple.perspectiveJacobian(c);
    const h = 1e-6;
    const pix = (x: number[]) => [(simple.fx * x[0]) / x[2] + simple.cx, (simple.fy * x[1]) / x[2] + simple.cy];
    for (let j = 0; j < 3; j++) {
      const plus = c.slice(),
        minus = c.slice();
      plus[j] += h;
      minus[j] -= h;
      const [up, vp] = pix(plus),
        [um, vm] = pix(minus);
      expect(J[j], `du/dc${j}`).to.be.closeTo((up - um) / (2 * h), 1e-5);
      expect(J[3 + j], `dv/dc${j}`).to.be.closeTo((vp - vm) / (2 * h), 1e-5);
    }
    expect(J[2]).to.not.equal(0); // the depth column is exercised
    expect(() => simple.perspectiveJacobian([0, 0, 0])).to.throw(ArgumentError, /in front/);
  });

  it('casts the ray through a pixel that projects back to that pixel', () => {
    const cam = Camera.lookAt({ eye: [2, 1, -3], target: [0, 0, 0], width: 64, height: 48, focal: 70, cx: 30, cy: 20 });
    const { origin, direction } = cam.rayThroughPixel(10.5, 40.25);
    expect(Math.hypot(...direction)).to.be.closeTo(1, 1e-12);
    close(origin, cam.center);
    const p = [origin[0] + 4 * direction[0], origin[1] + 4 * direction[1], origin[2] + 4 * direction[2]];
    close(cam.project(p).pixels, [10.5, 40.25], 1e-9);
    close(cam.rayThroughPixel(30, 20).direction, cam.forward, 1e-12);
  });

  it('round-trips through toJSON and fromMatrix, and its two matrices are inverses', () => {
    const cam = Camera.lookAt({ eye: [0.2, 3, 1], target: [0, 0, 0.1], width: 33, height: 17, fovY: 40, near: 0.01 });
    const back = Camera.fromMatrix(cam.toJSON());
    expect(back.toJSON()).to.deep.equal(cam.toJSON());
    expect(back.near).to.equal(0.01);
    const A = cam.worldToCameraMatrix(),
      B = cam.cameraToWorldMatrix();
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += A[i * 4 + k] * B[k * 4 + j];
        expect(s).to.be.closeTo(i === j ? 1 : 0, 1e-12);
      }
    }
  });
});

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../lib/errors.js';
import { Camera } from '../../geometry/camera.js';
import { formatCameraFile, formatTransformsJson, parseCameraFile, parseTransformsJson, readCameraFile, writeCameraFile } from '../../geometry/cameraFile.js';

const point = [0.3, -0.2, 0.4];

function expectSamePixels(a: Camera, b: Camera, p = point): void {
  const pa = a.project(p).pixels,
    pb = b.project(p).pixels;
  expect(pb[0]).to.be.closeTo(pa[0], 1e-9);
  expect(pb[1]).to.be.closeTo(pa[1], 1e-9);
}

describe('camera files', () => {
  const cams = [
    Camera.lookAt({ eye: [0, 1, -3], target: [0, 0, 0], width: 64, height: 48, fovY: 45 }),
    Camera.lookAt({ eye: [2, 0.5, 2], target: [0.1, 0, 0], width: 20, height: 30, focal: 25, cx: 9, cy: 16 }),
  ];

  it('round-trips our JSON format exactly, with image names', () => {
    const text = formatCameraFile([{ camera: cams[0], image: 'views/000.png' }, cams[1]]);
    const back = parseCameraFile(text, 'cams.json');
    expect(back).to.have.length(2);
    expect(back[0].image).to.equal('views/000.png');
    expect(back[1].image).to.equal(undefined);
    back.forEach((v, i) => expect(v.camera.toJSON()).to.deep.equal(cams[i].toJSON()));
    expect(JSON.parse(text)).to.include({ format: 'splatgrad-cameras', version: 1 });
  });

  it('writes and reads a file on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-cam-'));
    try {
      const path = join(dir, 'cams.json');
      writeCameraFile(path, cams);
      expect(readCameraFile(path).map((v) => v.camera.toJSON())).to.deep.equal(cams.map((c) => c.toJSON()));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('rejects malformed camera files, naming the file and the field', () => {
    const good = JSON.parse(formatCameraFile([cams[0]]));
    // biome-ignore lint/suspicious/noExplicitAny: a camera file edited freely, to break it on purpose
    const variant = (edit: (j: any) => void): string => {
      const j = structuredClone(good);
      edit(j);
      return JSON.stringify(j);
    };
    expect(() => parseCameraFile('{"version": 1, "cameras": [', 'bad.json')).to.throw(ArgumentError, /bad\.json: not valid JSON/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.version = 7)),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: version/);
    expect(() =>
      parseCameraFile(
        variant((j) => delete j.cameras[0].fx),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: cameras\[0\]\.fx is missing/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.cameras[0].cy = 'middle')),
        'a.json',
      ),
    ).to.throw(ArgumentError, /cameras\[0\]\.cy must be a finite number/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.cameras[0].worldToCamera[1] = [0, 1, 0])),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: cameras\[0\]: worldToCamera\[1\] must be a row of 4/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.cameras[0].worldToCamera[0][0] = 3)),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: cameras\[0\]: .*not a rotation/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.cameras[0].width = -4)),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: cameras\[0\]: width/);
    expect(() =>
      parseCameraFile(
        variant((j) => (j.cameras = {})),
        'a.json',
      ),
    ).to.throw(ArgumentError, /a\.json: "cameras" must be an array/);
    expect(() => readCameraFile('/nonexistent/cams.json')).to.throw(/ENOENT/);
  });

  // A hand-written transforms.json frame: camera at (0, 0, 4) looking down -z (OpenGL identity
  // rotation), 100 x 100 pixels, 90 degree horizontal field of view -> fx = 50.
  const example = JSON.stringify({
    camera_angle_x: Math.PI / 2,
    w: 100,
    h: 100,
    frames: [
      {
        file_path: './train/r_0',
        transform_matrix: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 4],
          [0, 0, 0, 1],
        ],
      },
    ],
  });

  it('reads transforms.json: OpenGL camera-to-world becomes our world-to-camera', () => {
    const [view] = parseTransformsJson(example, 'transforms.json');
    expect(view.image).to.equal('./train/r_0');
    const cam = view.camera;
    expect(cam.fx).to.be.closeTo(50, 1e-12);
    expect(cam.fy).to.be.closeTo(50, 1e-12);
    [0, 0, 4].forEach((v, i) => expect(cam.center[i]).to.be.closeTo(v, 1e-12));
    // world (1, 1, 0) is right of and above the axis at depth 4: u = 50 + 50/4, v = 50 - 50/4 (y down)
    const { pixels, depth } = cam.project([1, 1, 0]);
    expect(pixels[0]).to.be.closeTo(62.5, 1e-12);
    expect(pixels[1]).to.be.closeTo(37.5, 1e-12);
    expect(depth[0]).to.be.closeTo(4, 1e-12);
  });

  it('transforms.json round-trips our cameras to the same pixels', () => {
    const back = parseTransformsJson(formatTransformsJson([{ camera: cams[0], image: 'a.png' }, cams[1]]), 'x.json');
    expect(back[0].image).to.equal('a.png');
    back.forEach((v, i) => expectSamePixels(cams[i], v.camera));
  });

  it('uses defaults for a missing size, per-frame intrinsics, and rejects bad transforms.json files by field', () => {
    const noSize = JSON.stringify({
      camera_angle_x: 0.5,
      frames: [
        {
          transform_matrix: [
            [1, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 1, 4],
            [0, 0, 0, 1],
          ],
        },
      ],
    });
    expect(() => parseTransformsJson(noSize, 't.json')).to.throw(ArgumentError, /t\.json: frames\[0\]: image width "w" is missing/);
    expect(parseTransformsJson(noSize, 't.json', { width: 800, height: 800 })[0].camera.width).to.equal(800);
    const perFrame = JSON.parse(example);
    perFrame.frames[0].fl_x = 70;
    expect(parseTransformsJson(JSON.stringify(perFrame), 't.json')[0].camera.fx).to.equal(70);
    const noFocal = JSON.parse(example);
    delete noFocal.camera_angle_x;
    expect(() => parseTransformsJson(JSON.stringify(noFocal), 't.json')).to.throw(ArgumentError, /t\.json: frames\[0\]: no focal length/);
    const scaled = JSON.parse(example);
    scaled.frames[0].transform_matrix[0][0] = 2;
    expect(() => parseTransformsJson(JSON.stringify(scaled), 't.json')).to.throw(ArgumentError, /t\.json: frames\[0\]\.transform_matrix: .*not a rotation/);
    const noMatrix = JSON.parse(example);
    delete noMatrix.frames[0].transform_matrix;
    expect(() => parseTransformsJson(JSON.stringify(noMatrix), 't.json')).to.throw(ArgumentError, /frames\[0\]\.transform_matrix is missing/);
    expect(() => parseTransformsJson('{"w": 4}', 't.json')).to.throw(ArgumentError, /t\.json: "frames" must be an array/);
  });
});

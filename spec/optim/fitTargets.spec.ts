// What `splatgrad fit` fits to: the views of a shape or mesh must frame the whole object, and a
// folder of photos must be read with its cameras, image sizes and masks the way a user has them.

import { expect } from 'chai';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { flatShaded } from '../../geometry/shapes/vertexNormals.js';
import { ArgumentError } from '../../lib/errors.js';
import { folderTargets, meshTargets } from '../../optim/fitTargets.js';
import { writePhotoFolder } from './photoFolder.js';

/** Whether a mask [H * W] has a covered pixel on the image border. */
function touchesBorder(mask: ArrayLike<number>, width: number, height: number): boolean {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x === 0 || y === 0 || x === width - 1 || y === height - 1) && mask[y * width + x] > 0) return true;
    }
  }
  return false;
}

const coverage = (mask: ArrayLike<number>) => Array.from(mask).filter((v) => v > 0).length / mask.length;

describe('fit targets: shapes and meshes', () => {
  for (const [target, views] of [
    ['cube', 4],
    ['cube', 12],
    ['teapot', 12],
    ['bunny', 12],
  ] as const) {
    it(`frames every view of the ${target} (${views} views): no mask touches the image border, and the object is not lost in the frame`, () => {
      const t = meshTargets(target, { size: 64, views });
      for (const [i, v] of t.views.entries()) {
        expect(touchesBorder(v.mask!, 64, 64), `view ${i} touches the border`).to.equal(false);
        expect(coverage(v.mask!), `view ${i} coverage`).to.be.greaterThan(0.08);
      }
    });
  }

  it('frames a box-shaped mesh file from every side', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-targets-'));
    try {
      // a 2 x 2 x 1.6 box: its corners are 1.6 largest half-sides from its centre, beyond a radius guess
      const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 0.8 : -0.8]);
      const quads = [
        [0, 2, 3, 1],
        [4, 5, 7, 6],
        [0, 1, 5, 4],
        [2, 6, 7, 3],
        [0, 4, 6, 2],
        [1, 3, 7, 5],
      ];
      const obj = [...corners.map((c) => `v ${c.join(' ')}`), ...quads.map((q) => `f ${q.map((i) => i + 1).join(' ')}`)].join('\n');
      writeFileSync(join(dir, 'bar.obj'), `${obj}\n`);
      const t = meshTargets(join(dir, 'bar.obj'), { size: 48, views: 12 });
      for (const [i, v] of t.views.entries()) expect(touchesBorder(v.mask!, 48, 48), `view ${i} touches the border`).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fit targets: a folder of photos', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-photos-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const folder = (d: string, cameras: string | null = null, masks: string | null = null) => folderTargets(d, { cameras, masks, truth: null });

  it('reads a NeRF-synthetic transforms.json without w/h: the size comes from the images', () => {
    writePhotoFolder(dir, { views: 4, size: 24 });
    const t = folder(dir, join(dir, 'transforms_train.json'));
    expect(t.views).to.have.length(4);
    expect(t.views[0].camera.width).to.equal(24);
    expect(t.views[0].camera.height).to.equal(24);
    expect(t.views[0].mask, 'the alpha channel is the mask').to.not.equal(undefined);
  });

  it('looks for the images in the TARGET folder when --cameras names a file elsewhere', () => {
    writePhotoFolder(join(dir, 'photos'), { views: 3, size: 16, file: 'transforms.json' });
    mkdirSync(join(dir, 'poses'));
    renameSync(join(dir, 'photos', 'transforms.json'), join(dir, 'poses', 'cams.json'));
    expect(folder(join(dir, 'photos'), join(dir, 'poses', 'cams.json')).views).to.have.length(3);
  });

  it("names a missing image with the '.png' it looked for", () => {
    writePhotoFolder(dir, { views: 3, size: 16 });
    rmSync(join(dir, 'train', 'r_1.png'));
    expect(() => folder(dir, join(dir, 'transforms_train.json'))).to.throw(ArgumentError, /frames\[1\]: the image '.\/train\/r_1' is not at '.*train\/r_1.png'/);
  });

  it('sizes the object from the masks: the region inside every silhouette bounds the true shape closely', () => {
    // cameras far off: the bunny fills a third of each frame, which no guess from the cameras knows
    writePhotoFolder(dir, { views: 8, size: 64, distance: 5, file: 'transforms.json', withSize: true });
    const t = folder(dir);
    const truth = boundingBox(loadMesh('bunny').positions);
    const extent = Math.max(...[0, 1, 2].map((k) => (truth.max[k] - truth.min[k]) / 2));
    expect(t.extent / extent, `extent ${t.extent} for a true ${extent}`).to.be.within(0.95, 1.3);
    const off = Math.hypot(...t.center.map((c, k) => c - truth.center[k]));
    expect(off / extent, `centre ${t.center} for a true ${truth.center}`).to.be.lessThan(0.15);
  });
});

describe('fit targets: --flat', () => {
  it("shades a shape flat, each triangle its own normal, as the rasterizer's flat shading does", () => {
    const smooth = meshTargets('sphere', { size: 40, views: 2 });
    const flat = meshTargets('sphere', { size: 40, views: 2, flat: true });
    for (const [i, v] of flat.views.entries()) {
      const faceted = rasterizeMesh(loadMesh('sphere'), v.camera, { lights: v.lights, shading: 'flat' }).color.data;
      const worst = (a: ArrayLike<number>) => Math.max(...Array.from(a, (x, p) => Math.abs(x - faceted[p])));
      expect(worst(v.target.data), `view ${i}, --flat`).to.be.lessThan(1e-5);
      expect(worst(smooth.views[i].target.data), `view ${i}, smooth`).to.be.greaterThan(0.01);
    }
  });

  it("gives every corner of a triangle the triangle's unit normal", () => {
    const mesh = flatShaded(loadMesh('teapot'));
    for (let f = 0; f < mesh.faces.length; f += 300) {
      const [a, b, c] = [0, 1, 2].map((i) => Array.from(mesh.positions.subarray(3 * mesh.faces[f + i], 3 * mesh.faces[f + i] + 3)));
      const e1 = b.map((v, i) => v - a[i]),
        e2 = c.map((v, i) => v - a[i]);
      const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
      const l = Math.hypot(...n);
      if (l === 0) continue;
      for (let i = 0; i < 3; i++) {
        const got = mesh.normals!.subarray(3 * mesh.faces[f + i], 3 * mesh.faces[f + i] + 3);
        for (let k = 0; k < 3; k++) expect(got[k]).to.be.closeTo(n[k] / l, 1e-12);
      }
    }
  });
});

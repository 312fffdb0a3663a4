// docs/cameras.md's worked example must write a transforms.json that splatgrad reads as the
// cameras it describes: each where the script put it, looking at the target, +y up.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camera } from '../../geometry/camera.js';
import { readTransformsJson } from '../../geometry/cameraFile.js';

const root = new URL('../../../', import.meta.url);

describe('docs/cameras.md', () => {
  it('its worked example writes cameras that look at the target from where it says, +y up', () => {
    const page = readFileSync(new URL('docs/cameras.md', root), 'utf8');
    const example = /```js\n(\/\/ make-transforms\.mjs[\s\S]*?)```/.exec(page);
    expect(example, 'docs/cameras.md has the make-transforms.mjs example').to.not.equal(null);
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-cameras-doc-'));
    try {
      writeFileSync(join(dir, 'make-transforms.mjs'), example![1]);
      execFileSync(process.execPath, ['make-transforms.mjs'], { cwd: dir });
      const views = readTransformsJson(join(dir, 'photos', 'transforms.json'), { width: 64, height: 48 });
      expect(views).to.have.length(8);
      for (const [i, { camera, image }] of views.entries()) {
        expect(image).to.equal(`images/00${i}.png`);
        expect(Math.hypot(...camera.center)).to.be.closeTo(2.5, 1e-12);
        const { pixels } = camera.project([0, 0, 0]);
        expect(pixels[0]).to.be.closeTo(32, 1e-9);
        expect(pixels[1]).to.be.closeTo(24, 1e-9);
        const same = Camera.lookAt({ eye: camera.center, target: [0, 0, 0], up: [0, 1, 0], width: 64, height: 48, fx: camera.fx, fy: camera.fy });
        for (let k = 0; k < 9; k++) expect(camera.R[k], `camera ${i} R[${k}]`).to.be.closeTo(same.R[k], 1e-12);
        expect(camera.fovX).to.be.closeTo(50, 1e-9);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The README's library example must run exactly as written, through the package's own exports.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTransformsJson } from '../geometry/cameraFile.js';

const root = new URL('../../', import.meta.url);

describe('README', () => {
  /** Runs the js block of a README section through the package's own exports; returns stdout. */
  function runExample(heading: string, check?: (dir: string) => void): string {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.slice(readme.indexOf(heading));
    const match = /```js\n([\s\S]*?)```/.exec(section);
    expect(match, `README has a js example under "${heading}"`).to.not.equal(null);
    // inside the package folder, so `import 'splatgrad'` resolves through package.json "exports"
    const dir = mkdtempSync(join(new URL('dist/', root).pathname, 'readme-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, match![1]);
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', cwd: dir });
      check?.(dir);
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('its library example runs as written and its gradcheck passes', () => {
    const out = runExample('## A first program');
    expect(out).to.match(/gradcheck passed/);
    // y = sum((x w + 1)^2) at x = [[1,2,3],[4,5,6]], w = [0.5,-1,2]: 2.25+1+49+9+16+169
    expect(out.split('\n')[0]).to.match(/^246\.25 /);
  });

  it('its photo-folder script writes a transforms.json whose cameras all face the object', () => {
    runExample('## Fitting your own data', (dir) => {
      const views = readTransformsJson(join(dir, 'photos', 'transforms.json'), { width: 800, height: 800 });
      expect(views).to.have.length(8);
      for (const { camera, image } of views) {
        expect(image).to.match(/00\d\.png$/);
        const { pixels, depth } = camera.project([0, 0, 0]);
        expect(depth[0]).to.be.closeTo(2.5, 1e-9);
        expect(pixels[0]).to.be.closeTo(400, 1e-6);
        expect(pixels[1]).to.be.closeTo(400, 1e-6);
      }
    });
  });

  it('its rendering example runs as written and yields a gradient', () => {
    const out = runExample('## Rendering and its gradient');
    const covered = Number(/covered pixels: (\d+)/.exec(out)?.[1]);
    expect(covered).to.be.greaterThan(1000);
    const grad = /dL\/dp of point 0: (.*)/.exec(out)?.[1].split(' ').map(Number);
    expect(grad).to.have.length(3);
    expect(grad!.every(Number.isFinite)).to.equal(true);
  });

  it('shows the two set-up commands', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).to.contain('npm ci && npm start');
    expect(readme).to.contain('npm test');
  });
});

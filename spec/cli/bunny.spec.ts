import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bunnyDemo } from '../../cli/demos/bunny.js';
import { loadPointCloud } from '../../geometry/loadMesh.js';

describe('demo bunny (sphere -> bunny from images), shortened', () => {
  it('moves a small sphere of points towards the bunny and writes its results', () => {
    const out = mkdtempSync(join(tmpdir(), 'bunny-'));
    try {
      const s = bunnyDemo({ out, points: 600, size: 48, views: 6, iterations: 200 });
      expect(s.iterations).to.equal(200);
      expect(s.chamfer, `chamfer ${s.chamferInitial} -> ${s.chamfer}`).to.be.lessThan(0.75 * s.chamferInitial);
      expect(s.lossFinal).to.be.lessThan(s.lossInitial);
      for (const f of ['result.ply', 'before.png', 'after.png']) expect(existsSync(join(out, f)), f).to.equal(true);
      expect(loadPointCloud(join(out, 'result.ply')).positions.length).to.equal(600 * 3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silhouetteIou, teapot2d } from '../../cli/demos/teapot2d.js';

describe('demo teapot-2d (the artificial gradient alone moves the points)', () => {
  it('grows the grid over much of the teapot silhouette in a shortened run and writes its images', () => {
    const out = mkdtempSync(join(tmpdir(), 'teapot2d-'));
    try {
      const s = teapot2d({ out, iterations: 200 });
      expect(s.iouInitial).to.be.lessThan(0.1);
      expect(s.iou, `iou ${s.iou} after 200 steps`).to.be.greaterThan(0.8);
      expect(s.lossFinal).to.be.lessThan(s.lossInitial / 4);
      for (const f of ['target.png', 'before.png', 'after.png', 'sheet.png']) expect(existsSync(join(out, f)), f).to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('measures silhouette IoU', () => {
    expect(silhouetteIou([1, 1, 0, 0], [1, 0, 1, 0])).to.be.closeTo(1 / 3, 1e-12);
    expect(silhouetteIou([0, 0], [0, 0])).to.equal(1);
  });
});

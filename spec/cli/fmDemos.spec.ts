// The Fuzzy Metaballs demos in miniature: their summaries keep the fields scripts read, the files
// are written, and the fit driver runs --method metaballs.

import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmPose } from '../../cli/demos/fmPose.js';
import { fmSfs } from '../../cli/demos/fmSfs.js';

describe('demo fm-pose (miniature)', () => {
  it('reports mean error and IQR per model and overall, clean and noisy, and writes its sheets', () => {
    const out = mkdtempSync(join(tmpdir(), 'fm-pose-'));
    try {
      const s = fmPose({ out, models: ['teapot'], trials: 2, size: 32, components: 16, samples: 2000 });
      for (const v of [s.overall.clean, s.overall.noisy!, s.models.teapot.clean]) {
        expect(v.meanError).to.be.a('number').and.to.be.greaterThan(0);
        expect(v.iqr).to.be.a('number').and.to.be.at.least(0);
      }
      expect(s.secondsPerTrial).to.be.greaterThan(0);
      // the fits improve on their starts
      expect(s.overall.clean.meanError).to.be.lessThan(s.overall.clean.initialError);
      expect(existsSync(join(out, 'pose-teapot.png'))).to.equal(true);
      expect(existsSync(join(out, 'loss-teapot.svg'))).to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('demo fm-sfs (miniature) and fit --method metaballs', () => {
  it('fits through the driver, writes the fit outputs and the Gaussians, and reports held-out cross-entropy and Chamfer', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fm-sfs-'));
    try {
      const s = await fmSfs({ out, models: ['sphere'], views: 4, size: 24, iterations: 12, threads: 1, points: 300 });
      expect(s.overall.clean.crossEntropy).to.be.a('number').and.to.be.lessThan(1);
      expect(s.overall.clean.chamfer).to.be.a('number');
      expect(s.overall.noisy!.crossEntropy).to.be.a('number');
      expect(s.secondsPerModel).to.be.greaterThan(0);
      for (const f of ['result.ply', 'metaballs.json', 'start.png', 'end.png', 'loss-curve.svg', 'summary.json']) expect(existsSync(join(out, 'sphere', 'clean', f)), f).to.equal(true);
      const saved = JSON.parse(readFileSync(join(out, 'sphere', 'clean', 'metaballs.json'), 'utf8'));
      expect(saved.means).to.have.length(120);
      expect(saved.precisions).to.have.length(240);
      const summary = JSON.parse(readFileSync(join(out, 'sphere', 'noisy', 'summary.json'), 'utf8'));
      expect(summary.method).to.equal('metaballs');
      expect(summary.metaballs.undersegmentedViews).to.equal(2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../lib/errors.js';
import { loadPointCloud } from '../../geometry/loadMesh.js';
import { denoise } from '../../cli/demos/denoise.js';
import { demos } from '../../cli/commands/demo.js';

describe('demo denoise (projection + repulsion, no images)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-denoise-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('halves the distance of a noisy 5,000-point bunny to its surface without clumping, and writes both clouds', () => {
    const s = denoise({ out: dir });
    expect(s.points).to.equal(5000);
    expect(s.surfaceDistanceBefore, 'the noise is 1% of the diagonal').to.be.within(0.003, 0.005);
    expect(s.surfaceDistanceAfter).to.be.at.most(s.surfaceDistanceBefore / 2);
    expect(s.spacingVariationAfter, 'no clumping: spacing more even than before').to.be.lessThan(0.6 * s.spacingVariationBefore);
    expect(s.minSpacingRatioAfter).to.be.greaterThan(0.2);
    expect(loadPointCloud(join(dir, 'noisy.ply')).positions.length).to.equal(15000);
    expect(loadPointCloud(join(dir, 'cleaned.ply')).positions.length).to.equal(15000);
  });

  it('a run without the repulsion loss clumps (the uniformity check can fail)', () => {
    const s = denoise({ out: null, points: 2000, iterations: 15, repulsionWeight: 0 });
    expect(s.minSpacingRatioAfter).to.be.lessThan(0.1);
  });

  it('is registered with the demo command, and rejects bad options', () => {
    expect(demos).to.have.property('denoise');
    expect(() => denoise({ points: 0 })).to.throw(ArgumentError, /points/);
    expect(() => denoise({ noise: -1 })).to.throw(ArgumentError, /noise/);
  });
});

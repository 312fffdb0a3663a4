import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableCompareMethods } from '../../cli/compare/compareMethods.js';
import { compareTable, underSegmentedTargets } from '../../cli/compare/runCompare.js';
import { Camera } from '../../geometry/camera.js';
import { CROSS_ENTROPY_CLIP, maskCrossEntropy } from '../../geometry/silhouetteMetrics.js';
import { ShapeError } from '../../lib/errors.js';
import { loadTargets } from '../../optim/fitTargets.js';
import { projectionSilhouette } from '../../optim/methods/silhouette.js';

const cli = new URL('../../cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('splatgrad compare', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-compare-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs two methods on one tiny shape, clean and noisy, and writes its table, picture and rows', () => {
    const r = run('compare', 'sphere', '--methods', 'carve,drwr', '--views', '8', '--size', '24', '--novel', '3', '--iterations', '15', '--out', dir, '--json');
    expect(r.status, r.stderr).to.equal(0);
    const { rows } = JSON.parse(r.stdout);
    expect(rows).to.have.length(4);
    for (const row of rows) {
      expect(Object.keys(row)).to.include.members(['method', 'shape', 'noisy', 'crossEntropy', 'chamfer', 'seconds']);
      expect(row.crossEntropy).to.be.within(0, -Math.log(CROSS_ENTROPY_CLIP));
      expect(row.chamfer).to.be.greaterThan(0);
    }
    expect(rows.map((x: { method: string; noisy: boolean }) => `${x.method}${x.noisy ? '+noise' : ''}`)).to.deep.equal(['carve', 'drwr', 'carve+noise', 'drwr+noise']);
    const carve = rows.filter((x: { method: string }) => x.method === 'carve');
    expect(carve[1].crossEntropy, 'under-segmented masks carve the hull away').to.be.greaterThan(carve[0].crossEntropy);
    for (const f of ['compare.json', 'compare.md', 'compare.png']) expect(existsSync(join(dir, f)), f).to.equal(true);
    const md = readFileSync(join(dir, 'compare.md'), 'utf8');
    expect(md).to.contain('| carve |').and.to.contain('| drwr |').and.to.contain('Noisy masks');
    expect(r.stderr).to.match(/sphere noisy: drwr: cross-entropy/);
  });

  it('names the suites and methods it knows when given others', () => {
    const bad = run('compare', '--suite', 'compair', '--out', dir);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/no suite 'compair'.*Did you mean 'compare'/);
    const m = run('compare', 'sphere', '--methods', 'drwrr', '--out', dir);
    expect(m.stderr).to.match(/no method 'drwrr'.*Did you mean 'drwr'/);
    expect(run('compare', '--suite', 'quick', 'cube', '--out', dir).stderr).to.match(/--suite or shapes, not both/);
  });

  it('lists every method the fit driver has, one entry each', () => {
    const names = availableCompareMethods().map((m) => m.name);
    expect(names).to.include.members(['carve', 'dss', 'drwr']);
  });

  it('tables rows per copy, a method per row, with the mean', () => {
    const row = (method: string, shape: string, noisy: boolean, ce: number) => ({ method, shape, noisy, crossEntropy: ce, chamfer: 0.01, seconds: 1, steps: 1 });
    const md = compareTable([row('a', 'sphere', false, 0.1), row('a', 'cube', false, 0.3), row('a', 'cube', true, 0.5)]);
    expect(md).to.contain('| a | 0.100 / 0.0100 / 1.0 | 0.300 / 0.0100 / 1.0 | 0.200 / 0.0100 / 1.0 |');
    expect(md).to.contain('| a | - | 0.500 / 0.0100 / 1.0 | 0.500 / 0.0100 / 1.0 |');
  });
});

describe('compare: the noisy copy, the metric, silhouettes', () => {
  it('the noisy copy under-segments the views asked for and keeps the rest', () => {
    const clean = loadTargets('cube', { size: 24, views: 6, cameras: null, masks: null, truth: null });
    const noisy = underSegmentedTargets(clean, 3, 8, 1);
    const changed = noisy.views.filter((v, i) => v !== clean.views[i]);
    expect(changed).to.have.length(3);
    expect(underSegmentedTargets(clean, 3, 8, 1).views.map((v) => Array.from(v.mask!))).to.deep.equal(noisy.views.map((v) => Array.from(v.mask!)));
    for (const v of changed) {
      const i = noisy.views.indexOf(v);
      expect(Array.from(v.mask!).reduce((s, x) => s + x, 0)).to.be.lessThan(Array.from(clean.views[i].mask!).reduce((s, x) => s + x, 0));
    }
  });

  it('scores a perfect silhouette 0 and a wrong binary pixel -log(1e-6)', () => {
    expect(maskCrossEntropy([1, 0, 1], [1, 0, 1])).to.be.closeTo(0, 1e-5);
    expect(maskCrossEntropy([0, 0], [1, 0])).to.be.closeTo(-Math.log(CROSS_ENTROPY_CLIP) / 2, 1e-6);
    expect(maskCrossEntropy([0.5], [1])).to.be.closeTo(Math.log(2), 1e-12);
    expect(() => maskCrossEntropy([1], [1, 0])).to.throw(ShapeError);
  });

  it("a cloud's projections, closed by a pixel, fill the gaps between them without growing", () => {
    const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 20, height: 20, focal: 20 });
    // points on every other pixel of a 6 x 6 block at the image centre (pixels 7..12; image y is world -y)
    const at = (i: number, j: number) => [((i + 0.5 - 10) * 3) / 20, (-(j + 0.5 - 10) * 3) / 20, 0];
    const pts: number[] = [];
    for (let j = 7; j <= 12; j += 2) for (let i = 7; i <= 12; i += 2) pts.push(...at(i, j));
    for (let k = 7; k <= 12; k++) pts.push(...at(12, k), ...at(k, 12)); // and its last row and column
    const open = projectionSilhouette(pts, camera, 0);
    const closed = projectionSilhouette(pts, camera, 1);
    expect(open.reduce((s, v) => s + v, 0)).to.equal(20);
    for (let y = 7; y <= 12; y++) for (let x = 7; x <= 12; x++) expect(closed[y * 20 + x], `(${x}, ${y})`).to.equal(1);
    expect(closed.reduce((s, v) => s + v, 0)).to.equal(36);
  });
});

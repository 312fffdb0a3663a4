import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMesh, savePointCloud } from '../../geometry/loadMesh.js';
import { samplePoints } from '../../geometry/sampling.js';

const cli = new URL('../../cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('splatgrad mesh', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-mesh-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a closed mesh through an oriented cloud, as .obj or .ply', () => {
    const cloud = samplePoints(loadMesh('torus'), 2000, { seed: 1 });
    savePointCloud(join(dir, 'torus.ply'), cloud);
    const r = run('mesh', join(dir, 'torus.ply'), '--out', join(dir, 'torus.obj'), '--resolution', '48', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.points).to.equal(2000);
    expect(summary.grid[0]).to.equal(48);
    const mesh = loadMesh(join(dir, 'torus.obj'));
    expect(mesh.faces.length / 3).to.equal(summary.faces);
    const V = mesh.positions.length / 3,
      E = (3 * summary.faces) / 2;
    expect(V - E + summary.faces, 'Euler characteristic of a torus').to.equal(0);
    const ply = run('mesh', join(dir, 'torus.ply'), '--out', join(dir, 'torus-mesh.ply'), '--resolution', '32');
    expect(ply.status, ply.stderr).to.equal(0);
    expect(loadMesh(join(dir, 'torus-mesh.ply')).faces.length).to.be.greaterThan(0);
  });

  it('explains what is missing', () => {
    savePointCloud(join(dir, 'bare.ply'), { positions: samplePoints(loadMesh('sphere'), 50, { seed: 2 }).positions });
    const bare = run('mesh', join(dir, 'bare.ply'), '--out', join(dir, 'x.obj'));
    expect(bare.status).to.equal(2);
    expect(bare.stderr).to.match(/no normals/);
    expect(run('mesh', join(dir, 'bare.ply')).stderr).to.match(/--out/);
    expect(run('mesh', '--out', join(dir, 'x.obj')).stderr).to.match(/one point-cloud file/);
    expect(run('mesh', join(dir, 'bare.ply'), '--out', join(dir, 'x.obj'), '--resolutin', '4').stderr).to.match(/did you mean --resolution/);
  });
});

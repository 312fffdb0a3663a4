import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPng } from '../../geometry/png.js';

const cli = new URL('../../cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('splatgrad eval', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-eval-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fits every shape of a suite and writes one table, one sheet and a folder per shape', () => {
    const out = join(dir, 'out');
    const r = run('eval', '--suite', 'quick', '--points', '200', '--size', '32', '--views', '3', '--iterations', '4', '--out', out, '--json');
    expect(r.status, r.stderr).to.equal(0);
    const { rows } = JSON.parse(r.stdout);
    expect(rows.map((row: { shape: string }) => row.shape)).to.deep.equal(['cube', 'torus']);
    for (const row of rows) {
      for (const k of ['chamfer', 'hausdorff', 'normalConsistency', 'seconds']) expect(row[k], `${row.shape} ${k}`).to.be.a('number');
      expect(row.steps).to.equal(4);
      expect(existsSync(join(out, row.shape, 'summary.json')), row.shape).to.equal(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')).rows).to.deep.equal(rows);
    expect(readFileSync(join(out, 'eval.md'), 'utf8')).to.match(/^\| shape \| chamfer .*\n\|---/);
    expect(readFileSync(join(out, 'eval.md'), 'utf8').trim().split('\n')).to.have.length(4);
    expect(readPng(join(out, 'sheet.png')).width).to.be.greaterThan(4 * 32);
  });

  it('names the closest suite, and checks every shape before the first fit', () => {
    const bad = run('eval', '--suite', 'quik', '--out', join(dir, 'o'));
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/--suite must be one of all, quick, compare, got 'quik'. Did you mean 'quick'\?/);
    const missing = run('eval', 'cube', join(dir, 'nope.obj'), '--iterations', '1', '--out', join(dir, 'o'));
    expect(missing.status).to.equal(2);
    expect(existsSync(join(dir, 'o', 'cube')), 'no fit ran').to.equal(false);
  });
});

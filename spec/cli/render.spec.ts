import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPng } from '../../geometry/png.js';

const cli = new URL('../../cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('splatgrad render', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-render-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes colour, depth, normal and alpha PNGs per view and a contact sheet, and a JSON summary', () => {
    const r = run('render', '--input', 'sphere', '--points', '3000', '--size', '64', '--views', '2', '--out', dir, '--json');
    expect(r.status, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).to.include({ views: 2, size: 64, points: 3000 });
    expect(summary.milliseconds).to.be.a('number');
    for (const v of ['00', '01']) for (const kind of ['color', 'depth', 'normal', 'alpha']) expect(existsSync(join(dir, `view-${v}-${kind}.png`)), `${v} ${kind}`).to.equal(true);
    const alpha = readPng(join(dir, 'view-00-alpha.png'));
    const covered = Array.from(alpha.data).filter((a) => a > 0.5).length;
    expect(covered, 'the sphere is visible').to.be.greaterThan(0.15 * 64 * 64);
    expect(readPng(join(dir, 'contact-sheet.png')).width).to.be.greaterThan(64);
  });

  it('honours --threads: the same PNG bytes on one thread and on two', () => {
    const bytes = [1, 2].map((threads) => {
      const out = join(dir, `t${threads}`);
      const r = run('render', '--input', 'bunny', '--points', '2000', '--size', '48', '--views', '2', '--threads', String(threads), '--out', out, '--json');
      expect(r.status, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).threads).to.equal(threads);
      const covered = Array.from(readPng(join(out, 'view-01-alpha.png')).data).filter((v) => v > 0.5).length;
      expect(covered, 'the bunny is in the picture').to.be.greaterThan(0.1 * 48 * 48);
      return readFileSync(join(out, 'view-01-color.png'));
    });
    expect(bytes[0].equals(bytes[1])).to.equal(true);
    const bad = run('render', '--input', 'sphere', '--out', dir, '--threads', '1.5');
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/--threads must be an integer/);
  });

  it('renders a point-cloud file with normals as it is', () => {
    const file = join(dir, 'cloud.obj');
    writeFileSync(file, 'v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nvn 0 0 1\nvn 0 0 1\nvn 0 0 1\n');
    const r = run('render', '--input', file, '--size', '32', '--views', '1', '--out', join(dir, 'out'), '--json');
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).points).to.equal(3);
  });

  it('explains bad input and exits with code 2', () => {
    expect(run('render', '--out', dir).stderr).to.match(/--input is required/);
    expect(run('render', '--input', 'sphere').stderr).to.match(/--out DIR is required/);
    const missing = run('render', '--input', join(dir, 'nope.ply'), '--out', dir);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/no file at/);
    expect(run('render', '--input', 'sphere', '--out', dir, '--size', 'big').stderr).to.match(/--size must be a number/);
    expect(run('render', '--input', 'sphere', '--out', dir, '--point', '5').stderr).to.match(/unknown option --point/);
    const bare = join(dir, 'bare.obj');
    writeFileSync(bare, 'v 0 0 0\nv 1 0 0\n');
    expect(run('render', '--input', bare, '--out', dir).stderr).to.match(/without normals/);
  });
});

describe('splatgrad', () => {
  it('prints usage, the version, and rejects unknown commands', () => {
    expect(run('--help').stdout).to.match(/usage: splatgrad <command>/);
    expect(run('version').stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    expect(run('render', '--help').stdout).to.match(/--input/);
    const bad = run('frobnicate');
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/unknown command 'frobnicate'/);
  });

  it('start is the bunny demo writing to out/', () => {
    const r = run('start', '--help');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/demo bunny --out out/);
  });
});

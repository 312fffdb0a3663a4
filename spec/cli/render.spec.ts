import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPng } from '../../geometry/png.js';
import { budgetOf, demos } from '../../cli/commands/demo.js';

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

  it('takes the input as a word, as fit takes its target', () => {
    const r = run('render', 'teapot', '--points', '500', '--size', '24', '--views', '1', '--out', dir, '--json');
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.include({ input: 'teapot', points: 500 });
    expect(run('render', 'teapot', '--input', 'cube', '--out', dir).stderr).to.match(/given twice/);
  });

  it('renders a point-cloud file with normals as it is', () => {
    const file = join(dir, 'cloud.obj');
    writeFileSync(file, 'v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nvn 0 0 1\nvn 0 0 1\nvn 0 0 1\n');
    const r = run('render', '--input', file, '--size', '32', '--views', '1', '--out', join(dir, 'out'), '--json');
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).points).to.equal(3);
  });

  it('explains bad input and exits with code 2', () => {
    expect(run('render', '--out', dir).stderr).to.match(/name what to render: splatgrad render INPUT --out DIR/);
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

  it("start is the bunny demo writing to out/, and its help states the demo's own budget", () => {
    const r = run('start', '--help');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/demo bunny --out out/);
    expect(r.stdout).to.include(budgetOf(demos.bunny.preset!));
    expect(r.stdout).to.match(/1,600 steps, at most 220 s/);
  });

  it('answers -h and --help after any command, and --version', () => {
    for (const args of [
      ['fit', '-h'],
      ['fit', 'cube', '--help'],
      ['render', '-h'],
      ['demo', 'bunny', '-h'],
      ['start', '-h'],
      ['help', 'fit'],
    ]) {
      const r = run(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).to.equal(0);
      expect(r.stdout, args.join(' ')).to.match(/^splatgrad (fit|render|demo|start) /);
    }
    expect(run('--version').stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    const dash = run('fit', '-x');
    expect(dash.status).to.equal(2);
    expect(dash.stderr).to.match(/'-x' is not an option: options have two dashes/);
  });

  it('names the closest command, demo and built-in shape for a slip', () => {
    expect(run('fitt').stderr).to.match(/unknown command 'fitt'\. Did you mean 'fit'\?/);
    const demo = run('demo', 'bunnny');
    expect(demo.stderr).to.match(/^splatgrad demo: unknown demo 'bunnny'; did you mean 'bunny'\?/);
    expect(run('render', '--input', 'tepot', '--out', 'x').stderr).to.match(/'tepot' is neither a built-in shape \(sphere, .*\) nor a .obj or .ply file; did you mean 'teapot'\?/);
    expect(run('fit', 'tepot').stderr).to.match(/did you mean 'teapot'\?/);
  });
});

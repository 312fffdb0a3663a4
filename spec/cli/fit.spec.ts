import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTransformsJson, writeCameraFile } from '../../geometry/cameraFile.js';
import { createImage } from '../../geometry/image.js';
import { defaultLights } from '../../geometry/lights.js';
import { loadMesh, loadPointCloud } from '../../geometry/loadMesh.js';
import { readPng, writePng } from '../../geometry/png.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { fibonacciViews } from '../../geometry/views.js';
import { ArgumentError } from '../../lib/errors.js';
import { fitConfigFromArgs } from '../../cli/commands/fit.js';
import { parseArgs } from '../../cli/args.js';
import { DRIVER_SETTINGS, parseOptionValue, readFitConfig, resolveFitConfig, validateFitConfig } from '../../cli/fit/fitConfig.js';
import { FitProgress, formatSeconds } from '../../cli/fit/fitProgress.js';
import { lossCurveSvg } from '../../cli/fit/fitOutputs.js';
import { runFit } from '../../cli/fit/runFit.js';
import { writePhotoFolder } from '../optim/photoFolder.js';

const cli = new URL('../../cli/main.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** A folder of rasterized cube images (default lights, seed = view index, as fit assumes), with cameras.json and masks/. */
function writeCubeFolder(dir: string, options: { size?: number; views?: number; alpha?: boolean } = {}): void {
  const size = options.size ?? 40;
  const cube = loadMesh('cube');
  mkdirSync(join(dir, 'masks'), { recursive: true });
  // the cube's bounding sphere (radius sqrt(3) / 2) fills 80% of each frame
  const cameras = fibonacciViews(options.views ?? 4, { radius: 0.87, width: size, height: size });
  cameras.forEach((camera, i) => {
    const r = rasterizeMesh(cube, camera, { lights: defaultLights(camera, { seed: i }) });
    const name = `view-${String(i).padStart(2, '0')}.png`;
    if (options.alpha) {
      const rgba = createImage(size, size, 4);
      for (let p = 0; p < size * size; p++) {
        for (let c = 0; c < 3; c++) rgba.data[4 * p + c] = r.color.data[3 * p + c];
        rgba.data[4 * p + 3] = r.alpha.data[p];
      }
      writePng(join(dir, name), rgba);
    } else writePng(join(dir, name), r.color);
    writePng(join(dir, 'masks', name), r.alpha);
  });
  writeCameraFile(join(dir, 'cameras.json'), cameras);
}

describe('splatgrad fit', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-fit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fits the same cloud, to the bit, on one thread and on two (--threads)', () => {
    const outs = [1, 2].map((threads) => {
      const out = join(dir, `t${threads}`);
      const r = run('fit', 'torus', '--points', '300', '--size', '40', '--views', '4', '--iterations', '30', '--threads', String(threads), '--out', out, '--json');
      expect(r.status, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).config.threads).to.equal(threads);
      return readFileSync(join(out, 'result.ply'));
    });
    expect(outs[0].equals(outs[1]), 'result.ply differs between 1 and 2 threads').to.equal(true);
    const bad = run('fit', 'torus', '--threads', '0', '--out', join(dir, 'bad'));
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/--threads/);
  });

  it('moves a small sphere of points onto the bunny and writes every output (short run)', async () => {
    const out = join(dir, 'out');
    const s = await runFit(resolveFitConfig({ target: 'bunny', init: 'sphere', points: 600, size: 48, views: 6, iterations: 200, checkpointEvery: 100 }), { out });
    expect(s.iterations).to.equal(200);
    expect(s.stopped).to.equal('budget');
    expect(s.chamfer!, `chamfer ${s.chamferInitial} -> ${s.chamfer}`).to.be.lessThan(0.75 * s.chamferInitial!);
    expect(s.lossFinal!).to.be.lessThan(s.lossInitial!);
    for (const f of ['result.ply', 'result.obj', 'checkpoint.ply', 'start.png', 'end.png', 'loss-curve.svg', 'summary.json']) expect(existsSync(join(out, f)), f).to.equal(true);
    // result.obj: a closed surface through the oriented points, measured like the cloud
    expect(loadMesh(join(out, 'result.obj')).faces.length).to.be.greaterThan(100);
    expect(s.meshChamfer!, `mesh chamfer ${s.meshChamfer} vs the cloud's ${s.chamfer}`).to.be.lessThan(2 * s.chamfer!);
    expect(s.files, 'every file written is listed (the CLI prints them)').to.have.members(['start.png', 'checkpoint.ply', 'result.ply', 'result.obj', 'end.png', 'loss-curve.svg', 'summary.json']);
    const cloud = loadPointCloud(join(out, 'result.ply'));
    // refinement doubles the starting 600 points
    expect(s.pointsInitial).to.equal(600);
    expect(s.points).to.equal(1200);
    expect(cloud.positions.length).to.equal(1200 * 3);
    expect(cloud.normals).to.have.length(1200 * 3);
    expect(cloud.colors).to.have.length(1200 * 3);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const k of ['chamfer', 'hausdorff', 'meshChamfer', 'iterations', 'seconds', 'lossInitial', 'lossFinal']) expect(summary[k], k).to.be.a('number');
    expect(summary.config.points).to.equal(600);
    expect(readPng(join(out, 'end.png')).width).to.be.greaterThan(4 * 48);
  });

  it('fits a folder of images with its camera file and masks, and reports Chamfer against --truth', async () => {
    writeCubeFolder(join(dir, 'cube'));
    const config = resolveFitConfig({
      target: join(dir, 'cube'),
      masks: join(dir, 'cube', 'masks'),
      truth: 'cube',
      init: 'sphere',
      points: 300,
      iterations: 60,
      initRadius: 0.9,
      lrPositions: 0.005,
      checkpointEvery: 0,
    });
    const s = await runFit(config, { out: join(dir, 'out') });
    expect(s.kind).to.equal('images');
    expect(s.views).to.equal(4);
    expect(s.width).to.equal(40);
    expect(s.lossFinal!, `loss ${s.lossInitial} -> ${s.lossFinal}`).to.be.lessThan(0.8 * s.lossInitial!);
    expect(s.chamfer!, `chamfer ${s.chamferInitial} -> ${s.chamfer}`).to.be.lessThan(0.9 * s.chamferInitial!);
    expect(existsSync(join(dir, 'out', 'checkpoint.ply'))).to.equal(false);
    // colours are learned for photographs: the cloud's colours are no longer all white
    const colors = loadPointCloud(join(dir, 'out', 'result.ply')).colors!;
    expect(Math.min(...colors)).to.be.lessThan(0.99);
    // without --truth there is no true surface
    const blind = await runFit(resolveFitConfig({ ...config, truth: null, iterations: 2 }), { out: null });
    expect(blind.chamfer).to.equal(null);
  });

  it('reads transforms.json with file paths and takes masks from PNG alpha', async () => {
    writeCubeFolder(join(dir, 'cube'), { alpha: true, views: 3 });
    const cameras = fibonacciViews(3, { radius: 0.87, width: 40, height: 40 });
    const text = JSON.parse(formatTransformsJson(cameras.map((camera, i) => ({ camera, image: `view-0${i}` }))));
    writeFileSync(join(dir, 'cube', 'transforms.json'), JSON.stringify(text));
    rmSync(join(dir, 'cube', 'cameras.json'));
    const s = await runFit(resolveFitConfig({ target: join(dir, 'cube'), loss: 'silhouette', points: 200, iterations: 5 }), { out: null });
    expect(s.views).to.equal(3);
    expect(s.iterations).to.equal(5);
  });

  it('takes a bare built-in name for the shape even where a folder of that name exists', () => {
    mkdirSync(join(dir, 'cube'));
    const r = spawnSync(process.execPath, [cli, 'fit', 'cube', '--points', '50', '--size', '16', '--views', '1', '--iterations', '1', '--out', join(dir, 'o'), '--json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).kind).to.equal('shape');
    const folder = spawnSync(process.execPath, [cli, 'fit', './cube', '--out', join(dir, 'o')], { cwd: dir, encoding: 'utf8' });
    expect(folder.stderr).to.match(/'.\/cube' is a folder of images but has no cameras.json/);
  });

  it('runs from the command line with --config, options on top, and --json', () => {
    const config = join(dir, 'fit.json');
    writeFileSync(config, JSON.stringify({ target: 'cube', points: 200, size: 32, views: 3, iterations: 50 }));
    const r = run('fit', '--config', config, '--iterations', '20', '--plateau-factor', '0.5', '--window-start', '8', '--window-end', '4', '--out', join(dir, 'out'), '--json');
    expect(r.status, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).to.include({ iterations: 20, pointsInitial: 200, views: 3, width: 32 });
    expect(summary.config).to.include({ iterations: 20, plateauFactor: 0.5, windowStart: 8, windowEnd: 4 });
    // not a terminal: plain progress lines, no carriage returns
    expect(r.stderr).to.match(/step 20\/20 {2}loss \d/);
    expect(r.stderr).to.not.include('\r');
  });

  it('stops cleanly on Ctrl-C and still writes what it has', async function () {
    this.timeout(60000);
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [cli, 'fit', 'sphere', '--points', '200', '--size', '32', '--views', '2', '--iterations', '1000000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // the start sheet is written just before the loop begins
    while (!existsSync(join(out, 'start.png'))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code, stderr).to.equal(130);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.stopped).to.equal('aborted');
    expect(summary.iterations).to.be.greaterThan(0).and.lessThan(1000000);
    expect(loadPointCloud(join(out, 'result.ply')).positions.length).to.equal(600);
    expect(stderr).to.match(/stopping after this step/);
  });

  describe('bad input: one clear line naming the file and the fix, before any work', () => {
    const failsWith = (pattern: RegExp, ...args: string[]) => {
      const r = run('fit', ...args);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.match(pattern);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
    };

    it('missing target, camera or config files', () => {
      failsWith(/neither a built-in shape .* nor an existing mesh file or image folder/, join(dir, 'nope.obj'), '--out', join(dir, 'o'));
      mkdirSync(join(dir, 'empty'));
      failsWith(/has no cameras.json or transforms.json; pass the camera file with --cameras/, join(dir, 'empty'), '--out', join(dir, 'o'));
      failsWith(/--config: no file at/, '--config', join(dir, 'none.json'));
      failsWith(/--cameras only applies to a folder of images/, 'cube', '--cameras', join(dir, 'c.json'));
      expect(existsSync(join(dir, 'o')), 'no output folder was made').to.equal(false);
    });

    it('images of differing sizes, or a camera count that does not match the image count', () => {
      writeCubeFolder(join(dir, 'a'), { views: 3 });
      writePng(join(dir, 'a', 'view-01.png'), createImage(20, 20, 3));
      failsWith(/view-01.png' is 20 x 20 but .*view-00.png' is 40 x 40; give all images the same size/, join(dir, 'a'), '--out', join(dir, 'o'));
      writeCubeFolder(join(dir, 'b'), { views: 3 });
      writePng(join(dir, 'b', 'view-03.png'), createImage(40, 40, 3));
      failsWith(/cameras.json has 3 cameras but .* holds 4 PNG images/, join(dir, 'b'), '--out', join(dir, 'o'));
      rmSync(join(dir, 'b', 'masks', 'view-02.png'));
      rmSync(join(dir, 'b', 'view-03.png'));
      failsWith(/--masks: no mask .*view-02.png' for image/, join(dir, 'b'), '--masks', join(dir, 'b', 'masks'), '--out', join(dir, 'o'));
      expect(existsSync(join(dir, 'o'))).to.equal(false);
    });

    it('NaN in the initial PLY, or a PLY without normals', () => {
      const nan = join(dir, 'nan.ply');
      writeFileSync(
        nan,
        'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nproperty float nx\nproperty float ny\nproperty float nz\nend_header\n0 0 0 0 0 1\n0 nan 0 0 0 1\n',
      );
      failsWith(/nan.ply: vertex 1 has a non-finite/, 'cube', '--init', nan, '--out', join(dir, 'o'));
      const bare = join(dir, 'bare.ply');
      writeFileSync(bare, 'ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n');
      failsWith(/bare.ply' has no normals/, 'cube', '--init', bare, '--out', join(dir, 'o'));
    });

    it('unknown options and out-of-range values', () => {
      failsWith(/unknown option --pionts; did you mean --points\?/, '--pionts', '10');
      failsWith(/unknown option --sze; did you mean --size\?/, '--sze', '3');
      failsWith(/unknown option --iteration; did you mean --iterations\?/, '--iteration', '3');
      failsWith(/^splatgrad fit: unknown option --zzzzzz; known options: .*--points/, '--zzzzzz', '1');
      failsWith(/--points must be a whole number in \[16, 2000000\], got "ten"/, '--points', 'ten');
      failsWith(/--loss must be one of smape, l1, l2, silhouette/, '--loss', 'l3');
    });
  });
});

describe('splatgrad fit: what a first run shows', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'splatgrad-first-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says in its first line what it fits, and that the target is the default when none was given', () => {
    const r = run('fit', '--points', '50', '--size', '16', '--views', '1', '--iterations', '1', '--out', join(dir, 'o'));
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).to.match(/^fitting the built-in bunny \(no TARGET given, so the default; splatgrad fit --help lists the others\): 1 view at 16 x 16, --method dss, 50 points, 1 step, into /);
    expect(lines.at(-1)).to.match(/^1 step in /);
    const named = run('fit', 'cube', '--points', '50', '--size', '16', '--views', '1', '--iterations', '1', '--out', join(dir, 'o'));
    expect(named.stderr.split('\n')[0]).to.match(/^fitting the built-in cube: /);
  });

  it('stops before the first step when no camera sees the starting cloud (cameras facing away)', () => {
    writePhotoFolder(join(dir, 'photos'), { views: 3, size: 16, flip: true });
    const r = run('fit', join(dir, 'photos'), '--cameras', join(dir, 'photos', 'transforms_train.json'), '--points', '100', '--out', join(dir, 'o'));
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/the starting cloud is visible in no view .*; check the camera convention \(OpenGL: -z forward, \+y up; docs\/cameras.md\)/);
    expect(existsSync(join(dir, 'o', 'start.png'))).to.equal(false);
  });

  it('fits a NeRF-synthetic folder (transforms.json without w/h, file paths without .png) and records only the settings that applied', async () => {
    writePhotoFolder(join(dir, 'lego'), { views: 6, size: 32 });
    const config = resolveFitConfig({ target: join(dir, 'lego'), cameras: join(dir, 'lego', 'transforms_train.json'), truth: 'bunny', points: 400, iterations: 60, checkpointEvery: 0 });
    const s = await runFit(config, { out: join(dir, 'out') });
    expect(s).to.include({ kind: 'images', views: 6, width: 32, height: 32 });
    expect(s.lossFinal!, `loss ${s.lossInitial} -> ${s.lossFinal}`).to.be.lessThan(0.9 * s.lossInitial!);
    expect(s.chamfer!, `chamfer ${s.chamferInitial} -> ${s.chamfer}`).to.be.lessThan(s.chamferInitial!);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.config).to.not.have.any.keys('size', 'views', 'flat');
    expect(summary.config).to.include({ points: 400 });
  });

  it('warns, with a memory and time estimate, when the points far outnumber the pixels, and announces each slow phase', async () => {
    const lines: string[] = [];
    await runFit(resolveFitConfig({ target: 'cube', size: 16, views: 2, points: 2000, iterations: 1 }), { out: join(dir, 'o'), progress: { write: (t) => lines.push(t) } });
    const text = lines.join('');
    expect(text).to.match(/warning: 2,000 points are far more than 16 x 16 images can show \(about 4 front-facing points per pixel\); expect about [\d.]+ GB of memory and [\d.]+ s a step/);
    for (const phase of ['measuring the start', 'start.png', 'measuring the result', 'result.ply', 'end.png']) expect(text, phase).to.include(phase);
    const quiet: string[] = [];
    await runFit(resolveFitConfig({ target: 'cube', size: 16, views: 2, points: 100, iterations: 1 }), { out: null, progress: { write: (t) => quiet.push(t) } });
    expect(quiet.join('')).to.not.include('warning');
  });
});

describe('fit config', () => {
  it('validates every field of a config file', () => {
    expect(validateFitConfig({ points: 300, loss: 'l1', seconds: null, learnColors: true })).to.deep.equal({ points: 300, loss: 'l1', seconds: null, learnColors: true });
    expect(() => validateFitConfig({ qqqqq: 3 }, 'f.json')).to.throw(ArgumentError, /f.json: unknown setting 'qqqqq'; known settings: 'target'/);
    expect(() => validateFitConfig({ points: 3.5 })).to.throw(ArgumentError, /points must be a whole number/);
    expect(() => validateFitConfig({ lrPositions: -1 })).to.throw(ArgumentError, /lrPositions must be a number in \[0, 10\]/);
    expect(() => validateFitConfig({ points: null })).to.throw(ArgumentError, /points must be/);
    expect(() => validateFitConfig({ plateauFactor: 1.5 })).to.throw(ArgumentError, /plateauFactor must be a number in \[0.01, 0.99\] or null/);
    expect(() => validateFitConfig([1])).to.throw(ArgumentError, /top level must be a JSON object/);
    expect(() => validateFitConfig({ ponts: 3 }, 'f.json')).to.throw(ArgumentError, /f.json: unknown setting 'ponts'; did you mean 'points'\?/);
  });

  it('takes a method by name, its defaults and budget, and refuses what belongs to no method given', () => {
    const c = resolveFitConfig({ target: 'cube' });
    expect(c).to.include({ method: 'dss', iterations: 1600, points: 5000, windowStart: null });
    expect(resolveFitConfig({ iterations: 7 }).iterations).to.equal(7);
    expect(() => resolveFitConfig({ method: 'dds' })).to.throw(ArgumentError, /--method must be one of dss.*Did you mean 'dss'\?/);
    expect(() => resolveFitConfig({ windowStrat: 3 } as never)).to.throw(ArgumentError, /unknown setting 'windowStrat'; did you mean 'windowStart'\?/);
  });

  it('reads files with clear errors, and layers defaults < file < command line', () => {
    const d = mkdtempSync(join(tmpdir(), 'splatgrad-config-'));
    try {
      writeFileSync(join(d, 'bad.json'), '{ "points": ');
      expect(() => readFitConfig(join(d, 'bad.json'))).to.throw(ArgumentError, /bad.json: not valid JSON/);
      writeFileSync(join(d, 'ok.json'), JSON.stringify({ points: 300, iterations: 40 }));
      const c = fitConfigFromArgs(parseArgs(['teapot', '--config', join(d, 'ok.json'), '--iterations', '7', '--lr-positions', '0.01']));
      expect(c).to.include({ target: 'teapot', points: 300, iterations: 7, lrPositions: 0.01, size: DRIVER_SETTINGS.size.default });
      expect(() => fitConfigFromArgs(parseArgs(['a', 'b']))).to.throw(ArgumentError, /one target at most/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('converts command-line text to each field type', () => {
    expect(parseOptionValue('seconds', 'null')).to.equal(null);
    expect(parseOptionValue('learnColors', true)).to.equal(true);
    expect(parseOptionValue('learnColors', 'false')).to.equal(false);
    expect(() => parseOptionValue('points', '')).to.throw(ArgumentError, /--points must be a whole number/);
    expect(() => parseOptionValue('points', true)).to.throw(ArgumentError, /--points needs a value/);
  });
});

describe('fit progress and loss curve', () => {
  it('redraws one bar on a terminal and prints a line per tenth elsewhere', () => {
    const tty: string[] = [];
    const bar = new FitProgress({ isTTY: true, columns: 100, write: (t) => tty.push(t) }, 10);
    for (let i = 1; i <= 10; i++) bar.update(i, 0.5);
    bar.finish('done');
    expect(tty[0]).to.match(/^\r\[#*-*\] +\d+% {2}step 1\/10 {2}loss 0.5000 {2}ETA/);
    expect(tty.at(-2)).to.equal('\n');
    const plain: string[] = [];
    const log = new FitProgress({ write: (t) => plain.push(t) }, 100);
    for (let i = 1; i <= 100; i++) log.update(i, 1);
    expect(plain).to.have.length(11);
    expect(plain.every((l) => l.endsWith('\n') && !l.includes('\r'))).to.equal(true);
    expect(formatSeconds(75)).to.equal('1m15s');
    expect(formatSeconds(179.6)).to.equal('3m00s');
    expect(formatSeconds(59.7)).to.equal('1m00s');
    expect(formatSeconds(NaN)).to.equal('?');
  });

  it('draws the loss history as an SVG polyline, log-scaled over a wide range', () => {
    const svg = lossCurveSvg([1, 0.5, 0.1, 0.01]);
    expect(svg).to.match(/^<svg /);
    expect(svg).to.include('(log scale)');
    expect(svg.match(/points="([^"]*)"/)![1].split(' ')).to.have.length(4);
    expect(lossCurveSvg([0.5, 0.4])).to.not.include('log scale');
    // a history longer than a spread's argument limit, with a NaN in it
    const long = Array.from({ length: 300_000 }, (_, i) => 1 / (i + 1));
    long[5] = NaN;
    expect(lossCurveSvg(long)).to.include('(log scale)');
  });
});

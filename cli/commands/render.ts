// `splatgrad render`: sample a surface (or take a point cloud), splat it from V views around it
// with the DSS default lights, and write colour, depth, normal and alpha PNGs plus a contact sheet.

import { MAX_THREADS, defaultThreads, resolveThreads } from '../../parallel/threads.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { noGrad } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { defaultLights } from '../../geometry/lights.js';
import { fibonacciViews } from '../../geometry/views.js';
import { depthToColor, normalsToColor } from '../../geometry/colormap.js';
import { contactSheet } from '../../geometry/contactSheet.js';
import { type FloatImage, imageFromData } from '../../geometry/image.js';
import { writePng } from '../../geometry/png.js';
import { shade } from '../../ops/shade.js';
import { ewaSplatViews } from '../../ops/splat/ewaSplat.js';
import { numberOption, rejectUnknown, stringOption } from '../args.js';
import type { Command } from './command.js';
import { loadCloud } from './loadCloud.js';
import { BUILT_IN_SHAPES } from '../../geometry/loadMesh.js';

/** A rendered [H, W, C] tensor as a float image. */
export function imageOf(t: Tensor): FloatImage {
  const [h, w, c] = t.ndim === 2 ? [t.shape[0], t.shape[1], 1] : t.shape;
  return imageFromData(Float32Array.from(t.data), w, h, c);
}

export const render: Command = {
  summary: 'splat a shape or point cloud from several views and write PNGs',
  help: [
    'splatgrad render [INPUT] --out DIR [--points N] [--size S] [--views V] [--flat] [--seed K] [--threads T] [--json]',
    '',
    'INPUT (or --input): a built-in name or a mesh or point-cloud file.',
    '',
    'Built-in names: sphere, cube, torus, grid, teapot, bunny. Meshes are sampled with N points',
    '(default 8000), with the normals of the file (OBJ vn, PLY nx ny nz) or smooth ones; --flat gives',
    'each triangle its own normal (hard edges). Point clouds (PLY/OBJ without faces) are used as',
    'they are and need normals.',
    'Writes per view view-NN-color.png, view-NN-depth.png, view-NN-normal.png, view-NN-alpha.png,',
    'and contact-sheet.png. --json prints a summary (views, size, points, milliseconds).',
    '--threads T: threads for the renders (default: every core).',
  ].join('\n'),
  async run(args) {
    rejectUnknown(args, ['input', 'points', 'size', 'views', 'out', 'seed', 'threads', 'json', 'flat']);
    if (args.positionals.length > 1) throw new ArgumentError(`one INPUT at most, got ${args.positionals.length} (${args.positionals.join(', ')}).`);
    if (args.positionals.length === 1 && args.options.has('input')) throw new ArgumentError('the input was given twice (a word and --input); keep one.');
    const input = args.positionals[0] ?? stringOption(args, 'input');
    if (!input) throw new ArgumentError(`name what to render: splatgrad render INPUT --out DIR, with INPUT a built-in name (${BUILT_IN_SHAPES.join(', ')}) or a mesh/point-cloud file.`);
    const out = stringOption(args, 'out');
    if (!out) throw new ArgumentError('--out DIR is required: the folder the PNGs are written to.');
    const points = numberOption(args, 'points', 8000, 1, 5_000_000);
    const size = numberOption(args, 'size', 256, 8, 4096);
    const views = numberOption(args, 'views', 4, 1, 256);
    const seed = numberOption(args, 'seed', 0, 0, 2 ** 31);
    const threads = args.options.has('threads') ? resolveThreads(numberOption(args, 'threads', 1, 1, MAX_THREADS), '--threads') : defaultThreads();
    const t0 = performance.now();
    const flat = args.options.get('flat');
    if (flat !== undefined && flat !== true) throw new ArgumentError(`--flat takes no value, got ${JSON.stringify(flat)}; write it after INPUT (splatgrad render mesh.obj --flat --out DIR).`);
    const cloud = loadCloud(input, Math.round(points), seed, flat === true);
    const n = cloud.positions.length / 3;
    const positions = tensor(cloud.positions, { shape: [n, 3], dtype: 'float32' });
    const normals = tensor(cloud.normals!, { shape: [n, 3], dtype: 'float32' });
    const albedo = cloud.colors ? tensor(cloud.colors, { shape: [n, 3], dtype: 'float32' }) : [0.8, 0.8, 0.8];
    const cameras = fibonacciViews(Math.round(views), { radius: cloud.radius, target: cloud.center, width: Math.round(size), height: Math.round(size) });
    const tRender = performance.now();
    const renders = noGrad(() => ewaSplatViews(positions, normals, (camera) => shade(normals, albedo, defaultLights(camera, { seed })), cameras, { threads }));
    const renderMs = performance.now() - tRender;
    mkdirSync(out, { recursive: true });
    const colours: FloatImage[] = [];
    renders.forEach((r, v) => {
      const name = (kind: string) => join(out, `view-${String(v).padStart(2, '0')}-${kind}.png`);
      const colour = imageOf(r.image);
      colours.push(colour);
      writePng(name('color'), colour);
      writePng(name('depth'), depthToColor(imageOf(r.depth)));
      writePng(name('normal'), normalsToColor(imageOf(r.normal)));
      writePng(name('alpha'), imageOf(r.alpha));
    });
    writePng(join(out, 'contact-sheet.png'), contactSheet(colours, { labels: colours.map((_, v) => `view ${v}`) }));
    const summary = {
      input,
      views: renders.length,
      size: Math.round(size),
      points: n,
      sigma: renders[0].options.sigma,
      threads,
      milliseconds: +(performance.now() - t0).toFixed(1),
      renderMilliseconds: +renderMs.toFixed(1),
      out,
    };
    if (args.options.has('json')) console.log(JSON.stringify(summary, null, 2));
    else console.log(`rendered ${n} points from ${renders.length} views at ${summary.size} x ${summary.size} in ${summary.renderMilliseconds} ms; wrote ${out}/`);
    return 0;
  },
};

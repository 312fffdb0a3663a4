// `splatgrad compare`: every method on the same silhouettes of every shape, scored the same way
// (docs/renderers.md §2). Per shape: the fit driver's targets (32 views at 64 x 64 by default) and
// a noisy copy (16 of them under-segmented by 1/8, optim/fitMetaballs.ts underSegment); per method and copy:
// one fit by the fit driver (cli/fit/runFit.ts, on those targets, writing nothing), timed to the
// loop's end; then its silhouettes at 32 novel viewpoints against the true masks (cross-entropy),
// and the Chamfer of its surface (its mesh where it has one, else its points) to the true surface.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactSheet } from '../../geometry/contactSheet.js';
import { type FloatImage, createImage } from '../../geometry/image.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { chamferDistance } from '../../geometry/metrics.js';
import { writePng } from '../../geometry/png.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { maskCrossEntropy } from '../../geometry/silhouetteMetrics.js';
import { samplePoints } from '../../geometry/sampling.js';
import { randomViews } from '../../geometry/views.js';
import { tensor } from '../../lib/create.js';
import { Random } from '../../lib/random.js';
import { underSegment } from '../../optim/fitMetaballs.js';
import { type FitTargets, loadTargets } from '../../optim/fitTargets.js';
import { sessionSilhouette } from '../../optim/methods/silhouette.js';
import { resolveFitConfig } from '../fit/fitConfig.js';
import { runFit } from '../fit/runFit.js';
import type { CompareMethod } from './compareMethods.js';

export interface CompareOptions {
  /** Built-in shape names or mesh paths. */
  shapes: readonly string[];
  methods: readonly CompareMethod[];
  /** Training views per shape and their side in pixels (default 32 at 64). */
  views?: number;
  size?: number;
  /** Novel viewpoints the silhouettes are scored at (default 32). */
  novel?: number;
  /** Also fit the under-segmented copy (default true). */
  noisy?: boolean;
  /** Under-segmented views of the noisy copy (default half of them) and the share each loses (default 1/8: 8 clusters). */
  noisyViews?: number;
  clusters?: number;
  /** A cap on every method's steps, and a wall budget per fit in seconds (null: none). */
  iterations?: number | null;
  seconds?: number | null;
  seed?: number;
  threads?: number | null;
  /** Folder for compare.json, compare.md and compare.png (null: none). */
  out: string | null;
  /** A line per fit goes here (process.stderr in the CLI). */
  progress?: { write(text: string): unknown } | null;
}

export interface CompareRow {
  method: string;
  shape: string;
  noisy: boolean;
  /** Mean per-pixel silhouette cross-entropy at the novel viewpoints. */
  crossEntropy: number;
  /** Chamfer distance of the method's points to the true surface, in units of its bbox diagonal. */
  chamfer: number;
  /** Wall seconds of the fit: start (targets in hand) to its last step. */
  seconds: number;
  steps: number;
}

export interface CompareResult {
  rows: CompareRow[];
  files: string[];
}

/** Points sampled on a method's own surface (a mesh) for its Chamfer, as many as on the truth. */
const SURFACE_POINTS = 20000;

/** Silhouettes of the novel views that go into the picture, per cell. */
const PICTURE_VIEWS = 4;

/** A copy of `targets` with `count` of its views (chosen by `seed`) under-segmented: their masks lose one of `clusters` k-means clusters, their images go black there. */
export function underSegmentedTargets(targets: FitTargets, count: number, clusters: number, seed: number): FitTargets {
  const rng = new Random(seed);
  const chosen = new Set(rng.shuffle(targets.views.map((_, i) => i)).slice(0, count));
  const views = targets.views.map((v, i) => {
    if (!chosen.has(i) || !v.mask) return v;
    const { width, height } = v.camera;
    const mask = underSegment(v.mask, width, rng, 1 / clusters);
    const rgb = Float32Array.from(v.target.data);
    for (let p = 0; p < mask.length; p++) if (!mask[p]) rgb.fill(0, 3 * p, 3 * p + 3);
    return { ...v, mask, target: tensor(rgb, { shape: [height, width, 3] }) };
  });
  return { ...targets, views };
}

/** Tiles images (all w x h, one channel) 2 by 2 into one gray image. */
function tile(images: readonly Float32Array[], w: number, h: number): FloatImage {
  const columns = Math.min(2, images.length),
    rows = Math.ceil(images.length / columns);
  const out = createImage(columns * w, rows * h, 1);
  images.forEach((im, k) => {
    const x0 = (k % columns) * w,
      y0 = Math.floor(k / columns) * h;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.data[(y0 + y) * out.width + x0 + x] = im[y * w + x];
  });
  return out;
}

export async function runCompare(options: CompareOptions): Promise<CompareResult> {
  const size = options.size ?? 64,
    viewCount = options.views ?? 32,
    novel = options.novel ?? 32,
    seed = options.seed ?? 0;
  const variants = options.noisy === false ? [false] : [false, true];
  const rows: CompareRow[] = [];
  const cells: FloatImage[] = [];
  const labels: string[] = [];
  for (const shape of options.shapes) {
    const clean = loadTargets(shape, { size, views: viewCount, cameras: null, masks: null, truth: null });
    const mesh = loadMesh(shape);
    // framed like the training views (optim/fitTargets.ts): every vertex within 80% of the frame
    const cameras = randomViews(novel, { points: mesh.positions, target: clean.center, width: size, height: size, seed: seed + 7919 });
    const truthMasks = cameras.map((c) => Float32Array.from(rasterizeMesh(mesh, c).alpha.data));
    for (const noisy of variants) {
      const targets = noisy ? underSegmentedTargets(clean, options.noisyViews ?? Math.floor(viewCount / 2), options.clusters ?? 8, seed + 104729) : clean;
      const name = `${shape.split('/').pop()}${noisy ? ' noisy' : ''}`;
      cells.push(tile(truthMasks.slice(0, PICTURE_VIEWS), size, size));
      labels.push(name);
      for (const method of options.methods) {
        const config = resolveFitConfig({
          ...method.config,
          target: shape,
          size,
          views: viewCount,
          seed,
          threads: options.threads ?? null,
          seconds: options.seconds ?? null,
          checkpointEvery: 0,
          meshResolution: 0,
        });
        if (options.iterations != null) config.iterations = Math.min(config.iterations!, options.iterations);
        let silhouettes: Float32Array[] = [];
        let seconds = 0;
        let surfaceChamfer: number | null = null;
        const t0 = performance.now();
        const summary = await runFit(config, {
          out: null,
          targets,
          onEnd: (session) => {
            seconds = (performance.now() - t0) / 1000; // the fit (and the driver's metrics), not the scoring below
            silhouettes = cameras.map((c) => sessionSilhouette(session, c));
            // a method with a surface of its own is measured on it; a point method on its points (the driver's Chamfer)
            const mesh = session.mesh?.() ?? null;
            if (mesh && mesh.faces.length > 0) surfaceChamfer = chamferDistance(samplePoints(mesh, SURFACE_POINTS, { seed: seed + 1 }).positions, targets.truth!).chamfer;
          },
        });
        const chamfer = surfaceChamfer ?? summary.chamfer!;
        const steps = summary.iterations;
        const crossEntropy = silhouettes.reduce((s, sil, i) => s + maskCrossEntropy(sil, truthMasks[i]), 0) / cameras.length;
        rows.push({ method: method.name, shape, noisy, crossEntropy, chamfer, seconds, steps });
        cells.push(tile(silhouettes.slice(0, PICTURE_VIEWS), size, size));
        labels.push(`${method.name} ${crossEntropy.toFixed(3)}`);
        options.progress?.write(`${name}: ${method.name}: cross-entropy ${crossEntropy.toFixed(4)}, chamfer ${chamfer.toFixed(4)}, ${steps} steps in ${seconds.toFixed(1)} s\n`);
      }
    }
  }
  const files: string[] = [];
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'compare.json'), `${JSON.stringify({ rows, settings: { size, views: viewCount, novel, seed, methods: options.methods } }, null, 2)}\n`);
    writeFileSync(join(options.out, 'compare.md'), compareTable(rows));
    writePng(join(options.out, 'compare.png'), contactSheet(cells, { columns: options.methods.length + 1, labels, background: [0.25, 0.25, 0.25] }));
    files.push('compare.json', 'compare.md', 'compare.png');
  }
  return { rows, files };
}

/** The rows as Markdown: one table per copy (clean, noisy), a method per row, a shape per column, and the mean. */
export function compareTable(rows: readonly CompareRow[]): string {
  const shapes = [...new Set(rows.map((r) => r.shape))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const out: string[] = [];
  for (const noisy of [false, true]) {
    const part = rows.filter((r) => r.noisy === noisy);
    if (part.length === 0) continue;
    out.push(`### ${noisy ? 'Noisy masks (16 of 32 under-segmented by 1/8)' : 'Clean masks'}`, '', 'cross-entropy / Chamfer / seconds', '');
    out.push(`| method | ${shapes.map((s) => s.split('/').pop()).join(' | ')} | mean |`, `|---|${shapes.map(() => '---|').join('')}---|`);
    for (const m of methods) {
      const mine = shapes.map((s) => part.find((r) => r.method === m && r.shape === s));
      const cell = (r: CompareRow | undefined) => (r ? `${r.crossEntropy.toFixed(3)} / ${r.chamfer.toFixed(4)} / ${r.seconds.toFixed(1)}` : '-');
      const got = mine.filter((r): r is CompareRow => r !== undefined);
      const mean = (f: (r: CompareRow) => number) => got.reduce((s, r) => s + f(r), 0) / Math.max(1, got.length);
      out.push(
        `| ${m} | ${mine.map(cell).join(' | ')} | ${got.length ? `${mean((r) => r.crossEntropy).toFixed(3)} / ${mean((r) => r.chamfer).toFixed(4)} / ${mean((r) => r.seconds).toFixed(1)}` : '-'} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

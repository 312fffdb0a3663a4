// `splatgrad demo fm-sfs`: shape from silhouette with Fuzzy Metaballs (docs/fm.md §8, paper §7.2).
// For each model (bunny, teapot, trefoil knot): `splatgrad fit MODEL --method metaballs` on 32
// views at 64 x 64 (contact sheets, loss curve, result.ply, result.obj, metaballs.json in
// DIR/MODEL/clean), then the paper's Table 3 metric: the silhouette cross-entropy on 32 novel
// random views; and the Chamfer of the extracted mesh to the true surface. Then the noisy variant (DIR/MODEL/noisy): 1/8 of the silhouette
// removed in 16 of the 32 training views (--undersegment 0.5).

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_SHAPES, saveMesh } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { randomViews } from '../../geometry/views.js';
import { metaballTensors } from '../../ops/metaballs/options.js';
import { type SilhouetteView, silhouetteError } from '../../optim/fitMetaballs.js';
import { resolveFitConfig } from '../fit/fitConfig.js';
import { runFit } from '../fit/runFit.js';
import type { ProgressSink } from '../fit/fitProgress.js';
import { FM_MODELS, meshOfModel } from './fmModels.js';

export interface FmSfsOptions {
  out: string;
  models?: readonly string[];
  /** Step budget per fit (default: the method's, 600; the plateau rule usually ends it sooner). */
  iterations?: number;
  views?: number;
  size?: number;
  /** Also run the noisy variant (default true). */
  noisy?: boolean;
  /** Points drawn from each fitted density for result.ply and Chamfer (default 5,000). */
  points?: number;
  seed?: number;
  threads?: number;
  progress?: ProgressSink | null;
  signal?: { aborted: boolean };
}

export interface SfsResult {
  /** Cross-entropy on the held-out views (eq. 11, mean per pixel). */
  crossEntropy: number;
  /** Chamfer of the extracted mesh (result.obj: the density's level set at alpha 1/2) to the true surface, in bbox diagonals. */
  chamfer: number | null;
  /** Chamfer of points drawn from the fitted density (result.ply) to the true surface. */
  cloudChamfer: number | null;
  trainCrossEntropy: number | null;
  steps: number;
  seconds: number;
}

export interface FmSfsSummary {
  demo: 'fm-sfs';
  overall: { clean: { crossEntropy: number; chamfer: number | null }; noisy: { crossEntropy: number; chamfer: number | null } | null };
  secondsPerModel: number;
  models: Record<string, { clean: SfsResult; noisy: SfsResult | null }>;
  settings: { views: number; size: number; novelViews: number };
  seconds: number;
  out: string;
}

/** Held-out views of the paper's metric. */
const NOVEL_VIEWS = 32;

export async function fmSfs(options: FmSfsOptions): Promise<FmSfsSummary> {
  const t0 = performance.now();
  const names = options.models ?? FM_MODELS;
  const views = options.views ?? 32,
    size = options.size ?? 64;
  const withNoise = options.noisy ?? true;
  const models: FmSfsSummary['models'] = {};
  let fitSeconds = 0,
    fits = 0;
  for (const name of names) {
    const dir = join(options.out, name);
    mkdirSync(dir, { recursive: true });
    const mesh = meshOfModel(name);
    // a model that is not a built-in shape goes to the fit as a mesh file
    let target = name;
    if (!(BUILT_IN_SHAPES as readonly string[]).includes(name)) {
      target = join(dir, `${name}.ply`);
      saveMesh(target, mesh);
    }
    const run = async (variant: 'clean' | 'noisy'): Promise<SfsResult> => {
      const out = join(dir, variant);
      const config = resolveFitConfig({
        target,
        method: 'metaballs',
        size,
        views,
        seed: options.seed ?? 0,
        threads: options.threads ?? null,
        checkpointEvery: 0,
        undersegment: variant === 'noisy' ? 0.5 : 0,
        ...(options.points ? { points: options.points } : {}),
        ...(options.iterations ? { iterations: options.iterations } : {}),
      });
      const summary = await runFit(config, { out, progress: options.progress ?? null, signal: options.signal });
      fitSeconds += summary.seconds;
      fits++;
      const saved = JSON.parse(readFileSync(join(out, 'metaballs.json'), 'utf8'));
      // the held-out views: random directions around the model, framed as the training views
      const b = boundingBox(mesh.positions);
      const extent = Math.max(...[0, 1, 2].map((k) => (b.max[k] - b.min[k]) / 2));
      const centre = b.center;
      const novel: SilhouetteView[] = randomViews(NOVEL_VIEWS, { seed: 1000 + (options.seed ?? 0), radius: 1.2 * extent, target: centre, width: size, height: size }).map((camera) => ({
        camera,
        mask: rasterizeMesh(mesh, camera).alpha.data,
      }));
      return {
        crossEntropy: silhouetteError(metaballTensors(saved), novel, saved.scale, options.threads),
        chamfer: summary.meshChamfer,
        cloudChamfer: summary.chamfer,
        trainCrossEntropy: summary.lossFinal,
        steps: summary.iterations,
        seconds: summary.seconds,
      };
    };
    const clean = await run('clean');
    const noisy = withNoise ? await run('noisy') : null;
    models[name] = { clean, noisy };
    options.progress?.write(`${name}: held-out cross-entropy ${clean.crossEntropy.toFixed(4)} clean${noisy ? `, ${noisy.crossEntropy.toFixed(4)} noisy` : ''}\n`);
  }
  const mean = (pick: (m: FmSfsSummary['models'][string]) => number | null | undefined): number | null => {
    const v = Object.values(models).map(pick);
    return v.some((x) => x === null || x === undefined) ? null : v.reduce((s: number, x) => s + (x as number), 0) / v.length;
  };
  return {
    demo: 'fm-sfs',
    overall: {
      clean: { crossEntropy: mean((m) => m.clean.crossEntropy)!, chamfer: mean((m) => m.clean.chamfer) },
      noisy: withNoise ? { crossEntropy: mean((m) => m.noisy?.crossEntropy)!, chamfer: mean((m) => m.noisy?.chamfer) } : null,
    },
    secondsPerModel: fitSeconds / Math.max(1, fits),
    models,
    settings: { views, size, novelViews: NOVEL_VIEWS },
    seconds: (performance.now() - t0) / 1000,
    out: options.out,
  };
}

// One fit from a resolved config to the files in --out: the engine of `splatgrad fit` and of the
// shape-fitting demos (bunny, teapot, topology), which are this with preset configs.
// Order: read and check every input (targets, initial cloud) -> start sheet -> the loop
// (optim/fitPointCloud.ts, with progress, checkpoints, a wall budget and Ctrl-C) -> metrics ->
// result.ply, end sheet, loss curve, summary.json.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMesh, loadPointCloud } from '../../geometry/loadMesh.js';
import { chamferDistance, hausdorffDistance } from '../../geometry/metrics.js';
import { samplePoints } from '../../geometry/sampling.js';
import { ArgumentError } from '../../lib/errors.js';
import { type FitInit, fitPointCloudAsync } from '../../optim/fitPointCloud.js';
import type { FitConfig } from './fitConfig.js';
import { writeCloudPly, writeFitSheet, writeLossCurve, writeSummary } from './fitOutputs.js';
import { FitProgress, type ProgressSink } from './fitProgress.js';
import { type FitTargets, loadTargets } from './fitTargets.js';

export interface FitSummary {
  target: string;
  kind: FitTargets['kind'];
  points: number;
  views: number;
  width: number;
  height: number;
  /** Against the true surface, in units of its bbox diagonal; null when no surface is known. */
  chamferInitial: number | null;
  chamfer: number | null;
  hausdorff: number | null;
  iterations: number;
  seconds: number;
  lossInitial: number | null;
  lossFinal: number | null;
  /** 'budget' (all iterations), 'threshold' (lossThreshold reached), 'time' (seconds budget), 'aborted' (Ctrl-C). */
  stopped: 'budget' | 'threshold' | 'time' | 'aborted';
  out: string | null;
  config: FitConfig;
}

export interface RunFitOptions {
  /** Folder for the outputs (created); null writes nothing. */
  out: string | null;
  /** Where progress goes (process.stderr in the CLI); null for none. */
  progress?: ProgressSink | null;
  /** Set `aborted` to stop after the current step and keep what there is. */
  signal?: { aborted: boolean };
}

/** The initial cloud: a sphere inside the target, or a PLY with normals (an earlier result or checkpoint). */
export function initialCloud(config: FitConfig, targets: FitTargets): FitInit & { positions: Float64Array; normals: Float64Array } {
  if (config.init === 'sphere') {
    const sphere = samplePoints(loadMesh('sphere'), config.points, { seed: config.seed + 1 });
    const r = 2 * config.initRadius * targets.extent; // the built-in sphere has radius 0.5
    return { positions: sphere.positions.map((v, i) => targets.center[i % 3] + r * v), normals: sphere.normals! };
  }
  if (!config.init.toLowerCase().endsWith('.ply')) throw new ArgumentError(`--init must be 'sphere' or a .ply point cloud with normals, got '${config.init}'.`);
  const cloud = loadPointCloud(config.init);
  if (!cloud.normals) throw new ArgumentError(`--init '${config.init}' has no normals; the splats need an orientation: add nx ny nz, or start from --init sphere.`);
  return cloud.colors ? { positions: cloud.positions, normals: cloud.normals, colors: cloud.colors } : { positions: cloud.positions, normals: cloud.normals };
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export async function runFit(config: FitConfig, options: RunFitOptions): Promise<FitSummary> {
  const t0 = performance.now();
  const { out } = options;
  const targets = loadTargets(config.target, config);
  const init = initialCloud(config, targets);
  const points = init.positions.length / 3;
  const learnColors = config.learnColors ?? targets.kind === 'images';
  const start = { ...init, colors: learnColors ? (init.colors ?? null) : null };
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFitSheet(join(out, 'start.png'), start, targets.views);
  }

  const progress = options.progress ? new FitProgress(options.progress, config.iterations, config.seconds) : null;
  const signal = { aborted: false };
  const deadline = config.seconds === null ? Infinity : performance.now() + 1000 * config.seconds;
  let timeUp = false;
  const fit = await fitPointCloudAsync(init, targets.views, {
    iterations: config.iterations,
    normalSteps: config.normalSteps,
    positionSteps: config.positionSteps,
    viewsPerStep: config.viewsPerStep,
    loss: config.loss,
    lrPositions: config.lrPositions,
    lrNormals: config.lrNormals,
    clip: config.clip,
    projectionWeight: config.projectionWeight,
    repulsionWeight: config.repulsionWeight,
    silhouetteWeight: config.silhouetteWeight,
    learnColors,
    window: [config.windowStart, config.windowEnd],
    plateau: config.plateauFactor === null ? undefined : { factor: config.plateauFactor, patience: config.plateauPatience },
    lossThreshold: config.lossThreshold ?? undefined,
    seed: config.seed,
    threads: config.threads ?? undefined,
    signal,
    checkpointEvery: out ? config.checkpointEvery : 0,
    onCheckpoint: (state) => writeCloudPly(join(out!, 'checkpoint.ply'), state),
    onStep: (s) => {
      progress?.update(s.step + 1, s.loss);
      if (performance.now() > deadline) timeUp = signal.aborted = true;
      if (options.signal?.aborted) signal.aborted = true;
    },
  });

  const chamferInitial = targets.truth ? chamferDistance(init.positions, targets.truth).chamfer : null;
  const chamfer = targets.truth ? chamferDistance(fit.positions, targets.truth).chamfer : null;
  const hausdorff = targets.truth ? hausdorffDistance(fit.positions, targets.truth).hausdorff : null;
  if (out) {
    writeCloudPly(join(out, 'result.ply'), fit);
    writeFitSheet(join(out, 'end.png'), fit, targets.views);
    writeLossCurve(out, fit.history);
  }
  const { width, height } = targets.views[0].camera;
  const summary: FitSummary = {
    target: config.target,
    kind: targets.kind,
    points,
    views: targets.views.length,
    width,
    height,
    chamferInitial,
    chamfer,
    hausdorff,
    iterations: fit.iterations,
    seconds: (performance.now() - t0) / 1000,
    lossInitial: finiteOrNull(fit.lossInitial),
    lossFinal: finiteOrNull(fit.lossFinal),
    stopped: fit.stopped === 'aborted' ? (timeUp && !options.signal?.aborted ? 'time' : 'aborted') : fit.stopped,
    out,
    config,
  };
  if (out) writeSummary(out, summary);
  const metric = chamfer === null ? 'no true surface: no Chamfer' : `chamfer ${chamferInitial!.toFixed(4)} -> ${chamfer.toFixed(4)}, hausdorff ${hausdorff!.toFixed(4)}`;
  progress?.finish(`${summary.iterations} steps in ${summary.seconds.toFixed(1)} s (${summary.stopped}); loss ${summary.lossInitial?.toFixed(4)} -> ${summary.lossFinal?.toFixed(4)}; ${metric}`);
  return summary;
}

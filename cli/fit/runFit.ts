// One fit from a resolved config to the files in --out: the engine of `splatgrad fit` and of the
// shape-fitting demos, for every method (optim/methods/). Order: read and check every input
// (targets, the method's settings and start; a start no camera sees is an error) -> a line saying
// what runs -> start sheet -> the step loop (progress, checkpoints, a wall budget, the method's own
// stop, Ctrl-C) -> metrics -> result.ply, result.obj (the method's mesh, or one through its
// oriented points), the method's files, end sheet, loss curve, summary.json. Every phase that can
// take more than a moment says what it is doing first.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveMesh } from '../../geometry/loadMesh.js';
import { chamferDistance, directedDistances, normalConsistency } from '../../geometry/metrics.js';
import { boundingBox } from '../../geometry/mesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import type { FitSession } from '../../optim/fitMethod.js';
import { FIT_METHODS } from '../../optim/methods/index.js';
import { ArgumentError } from '../../lib/errors.js';
import { defaultSplatGpu } from '../../ops/splat/ewaSplatAsync.js';
import type { SplatGpu } from '../../ops/splat/webgpu/gpuSplat.js';
import { resolveThreads } from '../../parallel/threads.js';
import { checkPointBudget, checkStartVisible } from './fitChecks.js';
import { type FitConfig, methodSettings } from './fitConfig.js';
import { fitMesh, writeCloudPly, writeFitSheet, writeLossCurve, writeSummary } from './fitOutputs.js';
import { FitProgress, type ProgressSink } from './fitProgress.js';
import { type FitTargets, TARGET_DEFAULTS, loadTargets } from '../../optim/fitTargets.js';

export interface FitSummary {
  target: string;
  method: string;
  kind: FitTargets['kind'];
  /** Points in result.ply (a method may grow its cloud), and at the start. */
  points: number;
  pointsInitial: number;
  views: number;
  width: number;
  height: number;
  /** Against the true surface, in units of its bbox diagonal; null when no surface is known. */
  chamferInitial: number | null;
  chamfer: number | null;
  hausdorff: number | null;
  /** Mean |cos| between each point's normal and its nearest true point's, both ways (1 is perfect); null without normals or a true surface. */
  normalConsistency: number | null;
  /** Chamfer of result.obj (as many points sampled on it as the cloud has) to the true surface, in the units of `chamfer`; null without a mesh or a true surface. */
  meshChamfer: number | null;
  iterations: number;
  seconds: number;
  lossInitial: number | null;
  lossFinal: number | null;
  /**
   * 'budget' (all iterations), 'threshold' (the loss threshold reached), 'converged' (the method
   * saw the loss stop falling), 'time' (seconds budget), 'aborted' (Ctrl-C).
   */
  stopped: 'budget' | 'threshold' | 'converged' | 'time' | 'aborted';
  out: string | null;
  /** Files written into `out`. */
  files: string[];
  config: FitConfig;
  [extra: string]: unknown;
}

export interface RunFitOptions {
  /** Folder for the outputs (created); null writes nothing. */
  out: string | null;
  /** Where progress goes (process.stderr in the CLI); null for none. */
  progress?: ProgressSink | null;
  /** Set `aborted` to stop after the current step and keep what there is. */
  signal?: { aborted: boolean };
  /** Called once the loop has ended, before the outputs are written (eval and compare render their own views here). */
  onEnd?: (session: FitSession, targets: FitTargets) => void;
  /** Added to the first line, e.g. that the target is the default one. */
  note?: string;
  /** Targets to fit instead of loading config.target (compare's shared views, and their noisy copy). */
  targets?: FitTargets;
}

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

/**
 * Chamfer and Hausdorff (geometry/metrics.ts) of a cloud against the true surface, in units of
 * its bbox diagonal, from one pass of nearest neighbours (they take a while for large clouds).
 */
function surfaceDistances(cloud: Float32Array | Float64Array, truth: Float64Array): { chamfer: number; hausdorff: number } {
  const { aToB, bToA } = directedDistances(cloud, truth);
  const diagonal = boundingBox(truth).diagonal;
  let sumA = 0,
    sumB = 0,
    max = 0;
  for (const d of aToB) {
    sumA += d;
    if (d > max) max = d;
  }
  for (const d of bToA) {
    sumB += d;
    if (d > max) max = d;
  }
  return { chamfer: (0.5 * (sumA / aToB.length + sumB / bToA.length)) / diagonal, hausdorff: max / diagonal };
}

/** Clouds above this many points announce their start and each checkpoint write (they take a moment). */
const LARGE_CLOUD = 200_000;

/** The config as it applied: a folder of photos has its own image size, views and shading, so --size, --views and --flat are left out. */
function settingsUsed(config: FitConfig, kind: FitTargets['kind']): FitConfig {
  if (kind !== 'images') return config;
  const { size: _size, views: _views, flat: _flat, ...rest } = config;
  return rest as FitConfig;
}

/** The first line of a run: what is fitted, how, and where the files go. */
function describe(config: FitConfig, targets: FitTargets, points: number, out: string | null, note?: string): string {
  const what = targets.kind === 'shape' ? `the built-in ${config.target}` : targets.kind === 'mesh' ? `the mesh ${config.target}` : `the photos in ${config.target}`;
  const { width, height } = targets.views[0].camera;
  const views = `${targets.views.length} view${targets.views.length === 1 ? '' : 's'} at ${width} x ${height}`;
  const budget = `${config.iterations!.toLocaleString('en-US')} step${config.iterations === 1 ? '' : 's'}${config.seconds === null ? '' : ` or ${config.seconds} s`}`;
  return `fitting ${what}${note ? ` (${note})` : ''}: ${views}, --method ${config.method}, ${points.toLocaleString('en-US')} points, ${budget}${out ? `, into ${out}` : ''}`;
}

/**
 * Starts the configured method on the targets (read and checked): everything before the first
 * step. Device 'webgpu' needs the GPU (requested by runFit) and a method that lists the device.
 * Throws when no view sees the starting cloud; `warn` gets what may waste the run, `status` what
 * a slow start is doing. `given` targets (compare's shared views, or their noisy copy) are used
 * instead of loading config.target.
 */
export function startFit(
  config: FitConfig,
  gpu?: SplatGpu,
  warn: (line: string) => void = () => {},
  status: (line: string) => void = () => {},
  given?: FitTargets,
): { targets: FitTargets; session: FitSession } {
  const method = FIT_METHODS[config.method];
  const device = config.device ?? 'cpu';
  if (!(method.devices ?? ['cpu']).includes(device)) throw new ArgumentError(`--device ${device}: the method '${method.name}' renders on ${(method.devices ?? ['cpu']).join(', ')} only.`);
  if (device === 'webgpu' && !gpu) throw new ArgumentError('--device webgpu: startFit needs the GPU (runFit requests it).');
  const targets = given ?? loadTargets(config.target, { ...config, views: config.views ?? TARGET_DEFAULTS.views });
  const threads = resolveThreads(config.threads ?? undefined, '--threads');
  // a large start takes seconds (sampling, neighbours); a small one is announced by the next line
  if (typeof config.points === 'number' && config.points > LARGE_CLOUD) status(`starting --method ${method.name} with ${config.points.toLocaleString('en-US')} points...`);
  const session = method.start(targets, methodSettings(config), { iterations: config.iterations!, seed: config.seed, threads, device, gpu });
  const start = session.cloud().positions;
  const visible = checkStartVisible(start, targets.views, targets.kind);
  if (visible) warn(visible);
  const { width, height } = targets.views[0].camera;
  const perStep = typeof config.viewsPerStep === 'number' ? Math.min(config.viewsPerStep, targets.views.length) : 1;
  const budget = checkPointBudget(start.length / 3, width, height, perStep, threads);
  if (budget) warn(budget);
  return { targets, session };
}

export async function runFit(config: FitConfig, options: RunFitOptions): Promise<FitSummary> {
  const t0 = performance.now();
  const { out } = options;
  // the GPU first: no adapter is a DeviceError before any target is read
  const gpu = config.device === 'webgpu' ? await defaultSplatGpu() : undefined;
  const iterations = config.iterations!;
  const progress = options.progress ? new FitProgress(options.progress, iterations, config.seconds) : null;
  const status = (line: string) => progress?.status(line);
  const warnings: string[] = [];
  const { targets, session } = startFit(config, gpu, (w) => warnings.push(w), status, options.targets);
  const start = session.cloud();
  const points = start.positions.length / 3;
  progress?.line(describe(config, targets, points, out, options.note));
  for (const w of warnings) progress?.line(w);
  const sheet = `${Math.min(targets.views.length, 12)} renders`;
  if (targets.truth) status(`measuring the start (Chamfer of ${points.toLocaleString('en-US')} points)...`);
  const chamferInitial = targets.truth ? surfaceDistances(start.positions, targets.truth).chamfer : null;
  // e.g. hullChamfer: how far the start the method carved from the masks already was
  const surfaceChamfers = Object.fromEntries(
    Object.entries(session.surfaces?.() ?? {}).map(([name, points]) => [`${name}Chamfer`, targets.truth ? surfaceDistances(points, targets.truth).chamfer : null]),
  );
  const files: string[] = [];
  const wrote = (name: string) => files.includes(name) || files.push(name);
  if (out) {
    status(`writing ${join(out, 'start.png')} (${sheet})...`);
    mkdirSync(out, { recursive: true });
    writeFitSheet(join(out, 'start.png'), targets.views, (v) => session.preview(v));
    wrote('start.png');
  }

  const deadline = config.seconds === null ? Infinity : performance.now() + 1000 * config.seconds;
  const history: number[] = [];
  let stopped: FitSummary['stopped'] = 'budget';
  for (let step = 0; step < iterations; step++) {
    if (options.signal?.aborted) {
      stopped = 'aborted';
      break;
    }
    const loss = session.stepAsync ? await session.stepAsync(step) : session.step(step);
    history.push(loss);
    progress?.update(step + 1, loss);
    if (out && config.checkpointEvery > 0 && (step + 1) % config.checkpointEvery === 0) {
      if (points > LARGE_CLOUD) status(`writing ${join(out, 'checkpoint.ply')}...`);
      writeCloudPly(join(out, 'checkpoint.ply'), session.cloud());
      wrote('checkpoint.ply');
    }
    const own = session.stopped?.() ?? null;
    if (own) {
      stopped = own;
      break;
    }
    if (performance.now() > deadline) {
      stopped = 'time';
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // a Ctrl-C handler gets its turn
  }

  progress?.endLoop();
  const end = session.cloud();
  const ended = (end.positions.length / 3).toLocaleString('en-US');
  if (targets.truth) status(`measuring the result (Chamfer of ${ended} points, Hausdorff${targets.truthNormals && end.normals ? ', normal consistency' : ''})...`);
  const measured = targets.truth ? surfaceDistances(end.positions, targets.truth) : null;
  const chamfer = measured?.chamfer ?? null;
  const hausdorff = measured?.hausdorff ?? null;
  const consistency =
    targets.truth && targets.truthNormals && end.normals
      ? normalConsistency({ positions: end.positions, normals: end.normals }, { positions: targets.truth, normals: targets.truthNormals }).consistency
      : null;
  options.onEnd?.(session, targets);
  if (config.meshResolution > 0 && (out || targets.truth)) status('meshing the result...');
  const mesh = config.meshResolution > 0 && (out || targets.truth) ? fitMesh(session, end, config.meshResolution) : null;
  const meshChamfer = mesh && targets.truth ? chamferDistance(samplePoints(mesh, end.positions.length / 3, { seed: config.seed + 1 }).positions, targets.truth).chamfer : null;
  if (out) {
    status(`writing ${join(out, 'result.ply')}${mesh ? ' and result.obj' : ''}...`);
    writeCloudPly(join(out, 'result.ply'), end);
    wrote('result.ply');
    if (mesh) {
      saveMesh(join(out, 'result.obj'), mesh);
      wrote('result.obj');
    }
    for (const f of session.writeFiles?.(out) ?? []) wrote(f);
    status(`writing ${join(out, 'end.png')} (${sheet})...`);
    writeFitSheet(join(out, 'end.png'), targets.views, (v) => session.preview(v));
    wrote('end.png');
    writeLossCurve(out, history);
    wrote('loss-curve.svg');
    wrote('summary.json');
  }
  const { width, height } = targets.views[0].camera;
  const summary: FitSummary = {
    target: config.target,
    method: config.method,
    kind: targets.kind,
    points: end.positions.length / 3,
    pointsInitial: start.positions.length / 3,
    views: targets.views.length,
    width,
    height,
    chamferInitial,
    chamfer,
    hausdorff,
    normalConsistency: consistency,
    meshChamfer,
    iterations: history.length,
    seconds: (performance.now() - t0) / 1000,
    lossInitial: finiteOrNull(history[0]),
    lossFinal: finiteOrNull(history[history.length - 1]),
    stopped,
    out,
    files,
    ...session.summary?.(),
    ...surfaceChamfers,
    config: settingsUsed(config, targets.kind),
  };
  if (out) writeSummary(out, summary);
  const metric =
    chamfer === null
      ? 'no true surface: no Chamfer'
      : `chamfer ${chamferInitial!.toFixed(4)} -> ${chamfer.toFixed(4)}, hausdorff ${hausdorff!.toFixed(4)}${meshChamfer === null ? '' : `, mesh chamfer ${meshChamfer.toFixed(4)}`}`;
  const steps = `${summary.iterations} step${summary.iterations === 1 ? '' : 's'}`;
  progress?.finish(`${steps} in ${summary.seconds.toFixed(1)} s (${summary.stopped}); loss ${summary.lossInitial?.toFixed(4)} -> ${summary.lossFinal?.toFixed(4)}; ${metric}`);
  return summary;
}

// Everything `splatgrad fit` can be told, with its default: from `--config file.json`, then the
// command-line options on top. Every field is checked here, before any work starts, so a typo or
// a bad value is one clear line naming the field and the fix.
//
// Why the defaults are what they are (measured on the 2-core machine with the bunny, 12 views at 128 px):
// - The silhouette term (ops/losses/silhouetteLoss.ts) is what makes it converge. Without it the cloud fits
//   for ~400 steps and then drifts outward for good (Chamfer 0.035 -> 0.068 by step 1,000, also with
//   L1 or L2 instead of SMAPE): a splat alone over background gets no net artificial gradient, so
//   strays are never pulled back. With the masks' distance transforms: 0.0094 at 1,000 steps.
// - Start small and grow: a sphere of half the target's extent, mostly inside the body, beats one of
//   0.8 extents (0.0094 vs 0.0104 at 1,000 steps). A region covered by several same-coloured splats
//   sends no gradient, so shrinking onto the target is slow; uncovered target pixels pull hard.
// - SGD + Nesterov at lr 0.002 with clipping at 0.05, as the reference; lr 0.004 or clip 0.5 fit
//   faster for 200 steps and then wander (without the silhouette term; not re-measured with it).
// - 128 px, 3 views per step, 5,000 points: 0.0088 at 1,500 steps against 0.0094 for 3,000 points
//   (which plateau there from step ~800 on; a plateau lr schedule did not help them).

import { MAX_THREADS } from '../../parallel/threads.js';
import { existsSync, readFileSync } from 'node:fs';
import { ArgumentError } from '../../lib/errors.js';
import { FIT_LOSSES, type FitLossKind } from '../../optim/fitPointCloud.js';

export interface FitConfig {
  /** A built-in shape, a mesh file (.obj/.ply), or a folder of images. */
  target: string;
  /** Camera file of a folder target (our JSON or transforms.json; default: the folder's cameras.json or transforms.json). */
  cameras: string | null;
  /** Folder of masks for a folder target (same file names as the images; default: none). */
  masks: string | null;
  /** Mesh of the true surface for a folder target, so Chamfer can be reported (default: none). */
  truth: string | null;
  /** 'sphere' or a .ply point cloud with normals (e.g. an earlier result.ply or checkpoint.ply). */
  init: string;
  /** Points in the initial sphere. */
  points: number;
  /** Radius of the initial sphere, as a fraction of the target's extent (largest half-side of its bbox). */
  initRadius: number;
  /** Image side in pixels and number of views for a shape or mesh target. */
  size: number;
  views: number;
  iterations: number;
  /** Wall-time budget of the loop in seconds (null: none). */
  seconds: number | null;
  loss: FitLossKind;
  viewsPerStep: number;
  normalSteps: number;
  positionSteps: number;
  lrPositions: number;
  lrNormals: number;
  clip: number;
  projectionWeight: number;
  repulsionWeight: number;
  silhouetteWeight: number;
  /** Optimize per-point colours (default: on for image folders, off for shapes rendered white). */
  learnColors: boolean | null;
  /** Artificial-gradient window in pixels, shrinking linearly from the first to the last step. */
  windowStart: number;
  windowEnd: number;
  /** Plateau schedule on the position lr: multiply by this factor (null: off) after `plateauPatience` cycles without improvement. */
  plateauFactor: number | null;
  plateauPatience: number;
  lossThreshold: number | null;
  /** Steps between checkpoint.ply writes (0: none). */
  checkpointEvery: number;
  seed: number;
  /** Threads for rendering and gradients (null: every core). */
  threads: number | null;
}

export const FIT_DEFAULTS: FitConfig = {
  target: 'bunny',
  cameras: null,
  masks: null,
  truth: null,
  init: 'sphere',
  points: 5000,
  initRadius: 0.5,
  size: 128,
  views: 12,
  iterations: 1600,
  seconds: null,
  loss: 'smape',
  viewsPerStep: 3,
  normalSteps: 10,
  positionSteps: 20,
  lrPositions: 0.002,
  lrNormals: 0.01,
  clip: 0.05,
  projectionWeight: 0.02,
  repulsionWeight: 0,
  silhouetteWeight: 0.001,
  learnColors: null,
  windowStart: 32,
  windowEnd: 16,
  plateauFactor: null,
  plateauPatience: 2,
  lossThreshold: null,
  checkpointEvery: 200,
  seed: 0,
  threads: null,
};

type Kind = 'string' | 'number' | 'integer' | 'boolean';
/** Field kinds and ranges; `nullable` fields also take null. */
const FIELDS: Record<keyof FitConfig, { kind: Kind; min?: number; max?: number; nullable?: boolean; choices?: readonly string[] }> = {
  target: { kind: 'string' },
  cameras: { kind: 'string', nullable: true },
  masks: { kind: 'string', nullable: true },
  truth: { kind: 'string', nullable: true },
  init: { kind: 'string' },
  points: { kind: 'integer', min: 16, max: 2_000_000 },
  initRadius: { kind: 'number', min: 0.01, max: 10 },
  size: { kind: 'integer', min: 16, max: 4096 },
  views: { kind: 'integer', min: 1, max: 512 },
  iterations: { kind: 'integer', min: 1, max: 10_000_000 },
  seconds: { kind: 'number', min: 0.1, nullable: true },
  loss: { kind: 'string', choices: FIT_LOSSES },
  viewsPerStep: { kind: 'integer', min: 1, max: 512 },
  normalSteps: { kind: 'integer', min: 0, max: 100_000 },
  positionSteps: { kind: 'integer', min: 1, max: 100_000 },
  lrPositions: { kind: 'number', min: 0, max: 10 },
  lrNormals: { kind: 'number', min: 0, max: 10 },
  clip: { kind: 'number', min: 0, max: 1e6 },
  projectionWeight: { kind: 'number', min: 0, max: 1e6 },
  repulsionWeight: { kind: 'number', min: 0, max: 1e6 },
  silhouetteWeight: { kind: 'number', min: 0, max: 1e6 },
  learnColors: { kind: 'boolean', nullable: true },
  windowStart: { kind: 'integer', min: 0, max: 1024 },
  windowEnd: { kind: 'integer', min: 0, max: 1024 },
  plateauFactor: { kind: 'number', min: 0.01, max: 0.99, nullable: true },
  plateauPatience: { kind: 'integer', min: 0, max: 10_000 },
  lossThreshold: { kind: 'number', min: 0, nullable: true },
  checkpointEvery: { kind: 'integer', min: 0 },
  seed: { kind: 'integer', min: 0, max: 2 ** 31 },
  threads: { kind: 'integer', min: 1, max: MAX_THREADS, nullable: true },
};

export const FIT_CONFIG_KEYS = Object.keys(FIELDS) as (keyof FitConfig)[];

/** Command-line spelling of a field: lrPositions -> --lr-positions. */
export function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Checks one value against its field; `subject` names it in the error ('f.json: points', '--points'),
 * `given` is what the user wrote (the command line's text rather than the number made of it).
 */
function checkField(key: keyof FitConfig, value: unknown, subject: string, given: unknown = value): unknown {
  const f = FIELDS[key];
  if (value === null && f.nullable) return null;
  const bad = (expected: string) => new ArgumentError(`${subject} must be ${expected}${f.nullable ? ' or null' : ''}, got ${JSON.stringify(given)}.`);
  if (f.kind === 'string') {
    if (typeof value !== 'string' || value.length === 0) throw bad('a non-empty string');
    if (f.choices && !f.choices.includes(value)) throw bad(`one of ${f.choices.join(', ')}`);
    return value;
  }
  if (f.kind === 'boolean') {
    if (typeof value !== 'boolean') throw bad('true or false');
    return value;
  }
  const range = `${f.kind === 'integer' ? 'a whole number' : 'a number'} in [${f.min ?? '-inf'}, ${f.max ?? 'inf'}]`;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(range);
  if (f.kind === 'integer' && !Number.isInteger(value)) throw bad(range);
  if ((f.min !== undefined && value < f.min) || (f.max !== undefined && value > f.max)) throw bad(range);
  return value;
}

/** A partial config from parsed JSON, every key known and every value checked. */
export function validateFitConfig(value: unknown, where = 'config'): Partial<FitConfig> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ArgumentError(`${where}: the top level must be a JSON object of fit settings.`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(key in FIELDS)) throw new ArgumentError(`${where}: unknown setting '${key}'; known settings: ${FIT_CONFIG_KEYS.join(', ')}.`);
    out[key] = checkField(key as keyof FitConfig, v, `${where}: ${key}`);
  }
  return out as Partial<FitConfig>;
}

export function readFitConfig(path: string): Partial<FitConfig> {
  if (!existsSync(path)) throw new ArgumentError(`--config: no file at '${path}'; check the path.`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ArgumentError(`${path}: not valid JSON (${(e as Error).message}); fix the syntax.`);
  }
  return validateFitConfig(value, path);
}

/**
 * A command-line value converted to its field's type: '--points 300' -> 300,
 * '--learn-colors' (a flag) -> true, '--seconds null' -> null.
 */
export function parseOptionValue(key: keyof FitConfig, raw: string | true): unknown {
  const f = FIELDS[key];
  const where = `--${optionName(key)}`;
  if (raw === true) {
    if (f.kind === 'boolean') return true;
    throw new ArgumentError(`${where} needs a value.`);
  }
  if (raw === 'null' && f.nullable) return null;
  let value: unknown = raw;
  if (f.kind === 'number' || f.kind === 'integer') value = raw.trim() === '' ? NaN : Number(raw);
  else if (f.kind === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
  return checkField(key, value, where, raw);
}

/** Defaults, then the config file, then the command line. */
export function resolveFitConfig(...layers: Partial<FitConfig>[]): FitConfig {
  return Object.assign({}, FIT_DEFAULTS, ...layers);
}

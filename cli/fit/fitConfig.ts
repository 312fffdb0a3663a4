// Everything `splatgrad fit` can be told: the driver's own settings (target, cameras, budget,
// threads...) and the chosen method's (optim/methods/), each with its default in one table. Values
// come from `--config file.json`, then the command line on top; every one is checked before any
// work starts, so a typo or a bad value is one clear line naming the setting and the fix.

import { existsSync, readFileSync } from 'node:fs';
import { ArgumentError } from '../../lib/errors.js';
import { closestName } from '../../lib/suggest.js';
import { TARGET_DEFAULTS } from '../../optim/fitTargets.js';
import { DEFAULT_METHOD, FIT_METHODS } from '../../optim/methods/index.js';
import { type Setting, type Settings, checkSetting, defaultsOf, optionName, parseSetting } from '../../optim/settings.js';
import { MAX_THREADS } from '../../parallel/threads.js';
import { SPLAT_DEVICES, type SplatDevice } from '../../ops/splat/ewaSplatAsync.js';

export interface DriverSettings {
  /** A built-in shape, a mesh file (.obj/.ply), or a folder of images. */
  target: string;
  /** The reconstruction method (optim/methods/). */
  method: string;
  cameras: string | null;
  masks: string | null;
  truth: string | null;
  size: number;
  views: number | null;
  flat: boolean;
  /** The step budget; null: the method's own. */
  iterations: number | null;
  seconds: number | null;
  checkpointEvery: number;
  /** Grid points along the longest side of result.obj's marching-cubes grid (0: no mesh). */
  meshResolution: number;
  seed: number;
  threads: number | null;
  /** Where the method renders: 'cpu', or 'webgpu' for methods that can (engine.md §9). */
  device: SplatDevice;
}

export const DRIVER_SETTINGS: Settings<DriverSettings> = {
  target: { kind: 'string', default: 'bunny', help: 'what to fit (also the first word): a built-in shape, a .obj/.ply mesh, or a folder of PNG images' },
  method: { kind: 'string', default: DEFAULT_METHOD, choices: Object.keys(FIT_METHODS), help: `the reconstruction method: ${Object.keys(FIT_METHODS).join(', ')}` },
  cameras: { kind: 'string', default: null, nullable: true, help: "a folder target's camera file (default: its cameras.json or transforms.json)" },
  masks: { kind: 'string', default: null, nullable: true, help: 'a folder of masks for a folder target (same file names; PNG alpha channels are masks too)' },
  truth: { kind: 'string', default: null, nullable: true, help: 'a mesh of the true surface for a folder target, so Chamfer can be reported' },
  size: { kind: 'integer', default: TARGET_DEFAULTS.size, min: 16, max: 4096, help: 'image side in px for shape and mesh targets' },
  views: { kind: 'integer', default: null, min: 1, max: 512, nullable: true, help: `views rendered of shape and mesh targets (null: the method's own; ${TARGET_DEFAULTS.views} unless it says)` },
  flat: { kind: 'boolean', default: false, help: 'shade a shape or mesh target flat, each triangle its own normal (a mesh without vn is otherwise smooth)' },
  iterations: { kind: 'integer', default: null, min: 1, max: 10_000_000, nullable: true, help: "step budget (null: the method's own)" },
  seconds: { kind: 'number', default: null, min: 0.1, nullable: true, help: 'wall budget of the loop in seconds (null: none)' },
  checkpointEvery: { kind: 'integer', default: 200, min: 0, help: 'steps between writes of DIR/checkpoint.ply (0: never)' },
  meshResolution: {
    kind: 'integer',
    default: 128,
    min: 0,
    max: 1024,
    help: "grid points along the longest side for DIR/result.obj, the method's mesh or one built from the oriented points (0: no mesh)",
  },
  seed: { kind: 'integer', default: 0, min: 0, max: 2 ** 31, help: 'seed of every random choice' },
  threads: { kind: 'integer', default: null, min: 1, max: MAX_THREADS, nullable: true, help: 'threads for rendering and gradients; the fit is the same for any count (null: every core)' },
  device: { kind: 'string', default: 'cpu', choices: SPLAT_DEVICES, help: "where the method renders; webgpu needs a WebGPU adapter (in Node the optional package 'webgpu')" },
};

/** The driver's settings and the method's, flat, as a config file and the command line spell them. */
export type FitConfig = DriverSettings & Record<string, unknown>;

/** Every setting key with the methods that have it ('driver' for the driver's own). */
function owners(): Map<string, string[]> {
  const map = new Map<string, string[]>(Object.keys(DRIVER_SETTINGS).map((k) => [k, ['driver']]));
  for (const [name, m] of Object.entries(FIT_METHODS)) for (const k of Object.keys(m.settings)) map.set(k, [...(map.get(k) ?? []), name]);
  return map;
}

/** The setting `key` as `method` (or, before the method is known, the first owner) has it. */
function settingOf(key: string, method?: string): Setting | undefined {
  if (key in DRIVER_SETTINGS) return (DRIVER_SETTINGS as Record<string, Setting>)[key];
  if (method) return FIT_METHODS[method]?.settings[key];
  const owner = owners().get(key)?.[0];
  return owner ? FIT_METHODS[owner].settings[key] : undefined;
}

/** Every setting key, as a config file spells it. */
export function fitConfigKeys(): string[] {
  return [...owners().keys()];
}

function unknownSetting(key: string, where: string, spell: (k: string) => string): ArgumentError {
  const best = closestName(key, fitConfigKeys());
  return new ArgumentError(`${where}unknown setting ${spell(key)}${best ? `; did you mean ${spell(best)}?` : `; known settings: ${fitConfigKeys().map(spell).join(', ')}.`}`);
}

/** A partial config from parsed JSON: every key known (to the driver or some method) and every value checked. */
export function validateFitConfig(value: unknown, where = 'config'): Partial<FitConfig> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ArgumentError(`${where}: the top level must be a JSON object of fit settings.`);
  const method = (value as { method?: unknown }).method;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const s = settingOf(key, typeof method === 'string' && method in FIT_METHODS ? method : undefined);
    if (!s) throw unknownSetting(key, `${where}: `, (k) => `'${k}'`);
    out[key] = checkSetting(s, v, `${where}: ${key}`);
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

/** The config key of a command-line option name (lr-positions -> lrPositions), or an error that suggests the closest. */
export function settingKey(option: string, command = 'fit'): string {
  const keys = fitConfigKeys();
  const key = keys.find((k) => optionName(k) === option);
  if (key) return key;
  const names = keys.map(optionName);
  const best = closestName(option, names);
  throw new ArgumentError(
    `unknown option --${option}${best ? `; did you mean --${best}?` : `; known options: ${names.map((k) => `--${k}`).join(', ')}.`} (splatgrad ${command} --help lists them all)`,
  );
}

/** A command-line value converted to its setting's type: '--points 300' -> 300, '--learn-colors' -> true, '--seconds null' -> null. */
export function parseOptionValue(key: string, raw: string | true, method?: string): unknown {
  const s = settingOf(key, method);
  if (!s) throw unknownSetting(key, '', (k) => `--${optionName(k)}`);
  return parseSetting(s, raw, `--${optionName(key)}`);
}

/**
 * Defaults (the driver's, then the method's), then the layers in order (a config file, the
 * command line). Every key must belong to the driver or to the chosen method.
 */
export function resolveFitConfig(...layers: Partial<FitConfig>[]): FitConfig {
  const given: Record<string, unknown> = Object.assign({}, ...layers);
  const name = (given.method as string | undefined) ?? DEFAULT_METHOD;
  const method = FIT_METHODS[name];
  if (!method) {
    const best = closestName(String(name), Object.keys(FIT_METHODS));
    throw new ArgumentError(`--method must be one of ${Object.keys(FIT_METHODS).join(', ')}, got ${JSON.stringify(name)}.${best ? ` Did you mean '${best}'?` : ''}`);
  }
  const who = owners();
  for (const [key, v] of Object.entries(given)) {
    if (key in DRIVER_SETTINGS) continue;
    const s = method.settings[key];
    if (s) {
      checkSetting(s, v, key);
      continue;
    }
    const others = who.get(key);
    if (others) throw new ArgumentError(`--${optionName(key)} is a setting of --method ${others.join(' or ')}, not of --method ${name}; drop it or change the method.`);
    throw unknownSetting(key, '', (k) => `'${k}'`);
  }
  const config = { ...defaultsOf(DRIVER_SETTINGS), ...defaultsOf(method.settings), ...given } as FitConfig;
  config.method = name;
  config.iterations ??= method.iterations;
  config.views ??= method.views ?? TARGET_DEFAULTS.views;
  return config;
}

/** The chosen method's part of a resolved config. */
export function methodSettings(config: FitConfig): Record<string, unknown> {
  const method = FIT_METHODS[config.method];
  return Object.fromEntries(Object.keys(method.settings).map((k) => [k, config[k]]));
}

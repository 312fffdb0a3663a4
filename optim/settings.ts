// Settings of a fit, declared once with their kind, range, default and a line of help: the one
// source of truth for every default. The CLI, config files and the library all check values here,
// so a typo or a bad value is one clear line naming the setting and the fix.

import { ArgumentError } from '../lib/errors.js';

export type SettingKind = 'string' | 'number' | 'integer' | 'boolean';

export interface Setting<T = unknown> {
  kind: SettingKind;
  default: T;
  /** One line for --help (without the default, which is added). */
  help: string;
  min?: number;
  max?: number;
  /** Also takes null (meaning: off, none, or decided at run time, as the help says). */
  nullable?: boolean;
  choices?: readonly string[];
}

/** A settings table: one entry per key of T. */
export type Settings<T> = { [K in keyof T]: Setting<T[K]> };

/** The defaults of a settings table, as an object. */
export function defaultsOf<T>(settings: Settings<T>): T {
  return Object.fromEntries(Object.entries(settings).map(([k, s]) => [k, (s as Setting).default])) as T;
}

/** Command-line spelling of a key: lrPositions -> lr-positions. */
export function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Checks one value against its setting; `subject` names it in the error ('f.json: points',
 * '--points'), `given` is what the user wrote (the command line's text rather than the number).
 */
export function checkSetting(s: Setting, value: unknown, subject: string, given: unknown = value): unknown {
  if (value === null && s.nullable) return null;
  const bad = (expected: string) => new ArgumentError(`${subject} must be ${expected}${s.nullable ? ' or null' : ''}, got ${JSON.stringify(given)}.`);
  if (s.kind === 'string') {
    if (typeof value !== 'string' || value.length === 0) throw bad('a non-empty string');
    if (s.choices && !s.choices.includes(value)) throw bad(`one of ${s.choices.join(', ')}`);
    return value;
  }
  if (s.kind === 'boolean') {
    if (typeof value !== 'boolean') throw bad('true or false');
    return value;
  }
  const range = `${s.kind === 'integer' ? 'a whole number' : 'a number'} in [${s.min ?? '-inf'}, ${s.max ?? 'inf'}]`;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(range);
  if (s.kind === 'integer' && !Number.isInteger(value)) throw bad(range);
  if ((s.min !== undefined && value < s.min) || (s.max !== undefined && value > s.max)) throw bad(range);
  return value;
}

/**
 * A command-line value converted to its setting's type: '--points 300' -> 300,
 * '--learn-colors' (a flag) -> true, '--seconds null' -> null.
 */
export function parseSetting(s: Setting, raw: string | true, where: string): unknown {
  if (raw === true) {
    if (s.kind === 'boolean') return true;
    throw new ArgumentError(`${where} needs a value.`);
  }
  if (raw === 'null' && s.nullable) return null;
  let value: unknown = raw;
  if (s.kind === 'number' || s.kind === 'integer') value = raw.trim() === '' ? NaN : Number(raw);
  else if (s.kind === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
  return checkSetting(s, value, where, raw);
}

/** Every key of `values` known to `settings` and checked; `where` names the source in errors. */
export function checkSettings<T>(settings: Settings<T>, values: Partial<T>, where: string): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(values)) {
    const s = (settings as Record<string, Setting>)[key];
    if (!s) throw new ArgumentError(`${where}: unknown setting '${key}'; known settings: ${Object.keys(settings).join(', ')}.`);
    out[key] = checkSetting(s, v, `${where}: ${key}`);
  }
  return out as Partial<T>;
}

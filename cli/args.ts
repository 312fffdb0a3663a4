// A small argument parser: `--key value`, `--flag`, `--key=value`, positionals. Unknown or
// malformed options become ArgumentErrors that say what was expected.

import { ArgumentError } from '../lib/errors.js';
import { closestName } from '../lib/suggest.js';

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], flags: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (/^-[A-Za-z]/.test(a)) throw new ArgumentError(`'${a}' is not an option: options have two dashes (--name value); -h and --help show the help.`);
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = a.slice(2, eq < 0 ? undefined : eq);
    if (!key) throw new ArgumentError(`'${a}' is not an option; options look like --name value.`);
    if (eq >= 0) options.set(key, a.slice(eq + 1));
    else if (flags.has(key) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) options.set(key, true);
    else options.set(key, argv[++i]);
  }
  return { positionals, options };
}

/** A numeric option, validated against [min, max]; `fallback` when absent. */
export function numberOption(args: ParsedArgs, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = args.options.get(key);
  if (v === undefined) return fallback;
  const x = v === true ? NaN : Number(v);
  if (!Number.isFinite(x) || x < min || x > max) {
    throw new ArgumentError(`--${key} must be a number in [${min}, ${max}], got ${v === true ? 'nothing' : JSON.stringify(v)}.`);
  }
  return x;
}

export function stringOption(args: ParsedArgs, key: string, fallback?: string): string | undefined {
  const v = args.options.get(key);
  if (v === true) throw new ArgumentError(`--${key} needs a value.`);
  return v ?? fallback;
}

/** Throws when an option outside `known` was given (catches typos like --point), naming the closest known one. */
export function rejectUnknown(args: ParsedArgs, known: readonly string[]): void {
  for (const k of args.options.keys()) {
    if (known.includes(k)) continue;
    const best = closestName(k, known);
    throw new ArgumentError(`unknown option --${k}${best ? `; did you mean --${best}?` : `; known options: ${known.map((x) => `--${x}`).join(', ')}.`}`);
  }
}

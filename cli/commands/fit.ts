// `splatgrad fit`: reconstruction from target images by one of the methods (optim/methods/; DSS
// by default, docs/dss.md §5-6). Settings: defaults < --config file.json < command-line options.

import { ArgumentError } from '../../lib/errors.js';
import { FIT_METHODS } from '../../optim/methods/index.js';
import { type Setting, type Settings, optionName } from '../../optim/settings.js';
import type { ParsedArgs } from '../args.js';
import { DRIVER_SETTINGS, type FitConfig, parseOptionValue, readFitConfig, resolveFitConfig, settingKey } from '../fit/fitConfig.js';
import { untilInterrupted } from '../fit/interrupt.js';
import { runFit } from '../fit/runFit.js';
import type { Command } from './command.js';

/**
 * The fit settings of a command line: the --config file's, and the options' on top of them;
 * `skip` names options the command handles itself. An unknown option is an error that names the
 * closest known one.
 */
export function fitLayersFromArgs(args: ParsedArgs, skip: readonly string[] = ['out', 'json']): { file: Partial<FitConfig>; options: Partial<FitConfig> } {
  const options: Record<string, unknown> = {};
  let file: Partial<FitConfig> = {};
  const method = args.options.get('method');
  for (const [name, raw] of args.options) {
    if (name === 'config') {
      if (raw === true) throw new ArgumentError('--config needs a value: the path of a JSON file of fit settings.');
      file = readFitConfig(raw);
    } else if (skip.includes(name)) continue;
    else {
      const key = settingKey(name);
      options[key] = parseOptionValue(key, raw, typeof method === 'string' && method in FIT_METHODS ? method : undefined);
    }
  }
  return { file, options: options as Partial<FitConfig> };
}

/** The config from --config, the options and the target word. */
export function fitConfigFromArgs(args: ParsedArgs): FitConfig {
  return fitArgs(args).config;
}

/** The config, and whether the target is the default one (no TARGET, no --target, none in --config). */
export function fitArgs(args: ParsedArgs): { config: FitConfig; defaultTarget: boolean } {
  const { file, options } = fitLayersFromArgs(args);
  if (args.positionals.length > 1) throw new ArgumentError(`fit: one target at most, got ${args.positionals.length} (${args.positionals.join(', ')}); pass it as --target or as the only word.`);
  if (args.positionals.length === 1) {
    if (options.target !== undefined) throw new ArgumentError('fit: the target was given twice (a word and --target); keep one.');
    options.target = args.positionals[0];
  }
  return { config: resolveFitConfig(file, options), defaultTarget: options.target === undefined && file.target === undefined };
}

/** `--lr-positions X   learning rate ... [0.002]`, one line per setting. */
function optionLines(settings: Settings<Record<string, unknown>>, skip: readonly string[] = []): string[] {
  const rows = Object.entries(settings as Record<string, Setting>)
    .filter(([k]) => !skip.includes(k))
    .map(([k, s]) => {
      const value = s.kind === 'boolean' ? '[true|false]' : s.choices ? s.choices.join('|') : s.kind === 'string' ? 'TEXT' : s.kind === 'integer' ? 'N' : 'X';
      return [`--${optionName(k)} ${value}`, `${s.help} [${s.default === null ? 'none' : s.default}]`];
    });
  const width = Math.max(...rows.map(([o]) => o.length)) + 2;
  return rows.map(([o, h]) => `  ${o.padEnd(width)}${h}`);
}

export const fit: Command = {
  summary: 'reconstruct a shape from images of a built-in shape, a mesh or a folder of photos (writes DIR/)',
  help: [
    'splatgrad fit [TARGET] [--method NAME] [--config FILE.json] [--out DIR] [--json] [options]',
    '',
    `With no TARGET it fits the built-in ${DRIVER_SETTINGS.target.default} with --method ${DRIVER_SETTINGS.method.default} (${FIT_METHODS[DRIVER_SETTINGS.method.default].iterations.toLocaleString('en-US')} steps), into out/fit.`,
    'TARGET (or --target): a built-in shape (sphere, cube, torus, grid, teapot, bunny) or a .obj/.ply',
    'mesh, rendered from --views cameras at --size px; or a folder of PNG images with its cameras',
    '(cameras.json or transforms.json inside it, or --cameras FILE) and optional --masks DIR',
    '(PNG alpha channels are masks too); --truth MESH gives Chamfer for a folder. A bare built-in',
    'name is always the built-in shape: write ./bunny for a folder called bunny.',
    '',
    'Every option can also be a key of the --config file, in camelCase. Defaults in brackets.',
    '',
    'The fit:',
    ...optionLines(DRIVER_SETTINGS as Settings<Record<string, unknown>>, ['target']),
    ...Object.values(FIT_METHODS).flatMap((m) => ['', `--method ${m.name}: ${m.summary} [${m.iterations} steps${m.views ? `, ${m.views} views` : ''}]`, ...optionLines(m.settings)]),
    '',
    'Writes DIR (default out/fit): result.ply, start.png and end.png (target | render per view),',
    'loss-curve.svg, summary.json (chamfer and hausdorff in bbox diagonals, or null), checkpoint.ply',
    'while it runs. A progress bar on a terminal, log lines otherwise; --json prints the summary.',
    'Ctrl-C stops after the current step and still writes everything (a second Ctrl-C quits at once).',
  ].join('\n'),
  async run(args) {
    const { config, defaultTarget } = fitArgs(args);
    const outRaw = args.options.get('out');
    if (outRaw === true) throw new ArgumentError('--out needs a value: the folder the results are written to.');
    const out = outRaw ?? 'out/fit';
    const note = defaultTarget ? 'no TARGET given, so the default; splatgrad fit --help lists the others' : undefined;
    const summary = await untilInterrupted(
      (signal) => runFit(config, { out, progress: process.stderr, signal, note }),
      () => process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)...\n'),
    );
    if (args.options.has('json')) console.log(JSON.stringify(summary, null, 2));
    else console.log(`wrote ${summary.files.map((f) => `${out}/${f}`).join(', ')}`);
    return summary.stopped === 'aborted' ? 130 : 0;
  },
};

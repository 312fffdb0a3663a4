// `splatgrad fit`: inverse rendering from target images to an oriented point cloud
// (patent Fig. 5; dss.md §5-6). Settings: defaults < --config file.json < command-line options.

import { ArgumentError } from '../../lib/errors.js';
import type { ParsedArgs } from '../args.js';
import { FIT_CONFIG_KEYS, FIT_DEFAULTS, type FitConfig, optionName, parseOptionValue, readFitConfig, resolveFitConfig } from '../fit/fitConfig.js';
import { untilInterrupted } from '../fit/interrupt.js';
import { runFit } from '../fit/runFit.js';
import type { Command } from './command.js';

const OPTION_KEYS = new Map(FIT_CONFIG_KEYS.map((k) => [optionName(k), k]));

/** The config from --config and the options; unknown options are rejected with the known ones listed. */
export function fitConfigFromArgs(args: ParsedArgs): FitConfig {
  const fromArgs: Partial<Record<keyof FitConfig, unknown>> = {};
  let file: Partial<FitConfig> = {};
  for (const [name, raw] of args.options) {
    if (name === 'config') {
      if (raw === true) throw new ArgumentError('--config needs a value: the path of a JSON file of fit settings.');
      file = readFitConfig(raw);
    } else if (name === 'out' || name === 'json') continue;
    else {
      const key = OPTION_KEYS.get(name);
      if (!key) throw new ArgumentError(`fit: unknown option --${name}; known options: --config, --out, --json, ${[...OPTION_KEYS.keys()].map((k) => `--${k}`).join(', ')}.`);
      fromArgs[key] = parseOptionValue(key, raw);
    }
  }
  if (args.positionals.length > 1) throw new ArgumentError(`fit: one target at most, got ${args.positionals.length} (${args.positionals.join(', ')}); pass it as --target or as the only word.`);
  if (args.positionals.length === 1) {
    if (fromArgs.target !== undefined) throw new ArgumentError('fit: the target was given twice (a word and --target); keep one.');
    fromArgs.target = args.positionals[0];
  }
  return resolveFitConfig(file, fromArgs as Partial<FitConfig>);
}

const d = FIT_DEFAULTS;
export const fit: Command = {
  summary: 'fit an oriented point cloud to images of a shape, a mesh or a folder of photos',
  help: [
    'splatgrad fit [TARGET] [--config FILE.json] [--out DIR] [--json] [options]',
    '',
    'TARGET (or --target): a built-in shape (sphere, cube, torus, grid, teapot, bunny) or a .obj/.ply',
    'mesh, rendered from --views cameras at --size px; or a folder of PNG images with its cameras',
    '(cameras.json or transforms.json inside it, or --cameras FILE) and optional --masks DIR',
    '(PNG alpha channels are masks too); --truth MESH gives Chamfer for a folder. A bare built-in',
    'name is always the built-in shape: write ./bunny for a folder called bunny.',
    '',
    'Options (defaults in brackets; every option can also be a key of the --config file, in camelCase):',
    `  --init sphere|FILE.ply   starting cloud; a result.ply or checkpoint.ply resumes a fit [${d.init}]`,
    `  --points N               points in the starting sphere [${d.points}]`,
    `  --init-radius R          its radius, in extents of the target (largest bbox half-side) [${d.initRadius}]`,
    `  --size S, --views V      image side and view count for shape/mesh targets [${d.size}, ${d.views}]`,
    `  --iterations N           step budget [${d.iterations}];  --seconds S  wall budget [none]`,
    `  --loss smape|l1|l2|silhouette   image loss (eq. 7 for smape) [${d.loss}]`,
    `  --views-per-step B       views per step [${d.viewsPerStep}]`,
    `  --normal-steps T_n, --position-steps T_p   steps per alternating cycle [${d.normalSteps}, ${d.positionSteps}]`,
    `  --lr-positions, --lr-normals   learning rates (SGD+Nesterov, Adam) [${d.lrPositions}, ${d.lrNormals}]`,
    `  --clip C                 position-gradient clip [${d.clip}]`,
    `  --projection-weight, --repulsion-weight   gamma_p, gamma_r of eq. 8 [${d.projectionWeight}, ${d.repulsionWeight}]`,
    `  --silhouette-weight W    weight of the mask term [${d.silhouetteWeight}]`,
    '  --learn-colors [true|false]   optimize per-point colours [on for image folders]',
    `  --window-start, --window-end   artificial-gradient window in px, shrinking over the run [${d.windowStart}, ${d.windowEnd}]`,
    `  --plateau-factor F, --plateau-patience P   lr x F after P cycles without improvement [off, ${d.plateauPatience}]`,
    `  --loss-threshold L       stop once the step loss is below L [none]`,
    `  --checkpoint-every K     write DIR/checkpoint.ply every K steps (0: never) [${d.checkpointEvery}]`,
    `  --seed K                 [${d.seed}]`,
    '  --threads T              threads for rendering and gradients; the fit is the same for any T [every core]',
    '',
    'Writes DIR (default out/fit): result.ply, start.png and end.png (target | render per view),',
    'loss-curve.svg, summary.json (chamfer and hausdorff in bbox diagonals, or null). A progress',
    'bar on a terminal, log lines otherwise; --json prints the summary. Ctrl-C stops after the',
    'current step and still writes everything (a second Ctrl-C quits at once).',
  ].join('\n'),
  async run(args) {
    const config = fitConfigFromArgs(args);
    const outRaw = args.options.get('out');
    if (outRaw === true) throw new ArgumentError('--out needs a value: the folder the results are written to.');
    const out = outRaw ?? 'out/fit';
    const summary = await untilInterrupted(
      (signal) => runFit(config, { out, progress: process.stderr, signal }),
      () => process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)...\n'),
    );
    if (args.options.has('json')) console.log(JSON.stringify(summary, null, 2));
    else console.log(`wrote ${out}/result.ply, start.png, end.png, loss-curve.svg, summary.json`);
    return summary.stopped === 'aborted' ? 130 : 0;
  },
};

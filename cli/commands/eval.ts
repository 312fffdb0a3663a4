// `splatgrad eval [--suite NAME | SHAPE...] --out DIR [--json] [fit options]`: the same fit on
// many shapes, one table (cli/fit/evalSuite.ts).

import { SUITES, type SuiteName } from '../../geometry/shapes/suites.js';
import { ArgumentError } from '../../lib/errors.js';
import { closestName } from '../../lib/suggest.js';
import { evalShapes } from '../fit/evalSuite.js';
import { untilInterrupted } from '../fit/interrupt.js';
import type { Command } from './command.js';
import { fitLayersFromArgs } from './fit.js';

export const evalCommand: Command = {
  summary: 'fit every shape of a suite (or the shapes named) with the same settings and tabulate the results',
  help: [
    'splatgrad eval [--suite NAME | SHAPE...] [--out DIR] [--json] [fit options]',
    '',
    `Suites: ${Object.entries(SUITES)
      .map(([name, shapes]) => `${name} (${shapes.join(', ')})`)
      .join('; ')}. Default: all.`,
    'SHAPE: a built-in shape or a mesh file. Every option of `splatgrad fit` applies to every shape',
    '(--method, --seconds, --iterations...); with none, each shape gets the default fit.',
    '',
    'Writes DIR (default out/eval): one folder per shape (what fit writes), eval.json ({ rows: [{ shape,',
    'chamfer, hausdorff, normalConsistency, steps, seconds, stopped, points }] }), eval.md (the same',
    'as a table) and sheet.png (the first view of every shape: target | result). --json prints eval.json.',
  ].join('\n'),
  async run(args) {
    const { file, options } = fitLayersFromArgs(args, ['out', 'json', 'suite']);
    if (options.target !== undefined) throw new ArgumentError('eval: name the shapes as words or pick a --suite; --target is for fit.');
    const suite = args.options.get('suite');
    if (suite === true) throw new ArgumentError(`--suite needs a name: ${Object.keys(SUITES).join(', ')}.`);
    if (suite !== undefined && args.positionals.length > 0) throw new ArgumentError('eval: give a --suite or shape names, not both.');
    if (suite !== undefined && !(suite in SUITES)) {
      const best = closestName(suite, Object.keys(SUITES));
      throw new ArgumentError(`--suite must be one of ${Object.keys(SUITES).join(', ')}, got '${suite}'.${best ? ` Did you mean '${best}'?` : ''}`);
    }
    const shapes = args.positionals.length > 0 ? args.positionals : SUITES[(suite ?? 'all') as SuiteName];
    const outRaw = args.options.get('out');
    if (outRaw === true) throw new ArgumentError('--out needs a value: the folder the results are written to.');
    const out = outRaw ?? 'out/eval';
    const { rows } = await untilInterrupted(
      (signal) => evalShapes(shapes, [file, options], { out, progress: process.stderr, signal, log: (line) => process.stderr.write(`${line}\n`) }),
      () => process.stderr.write('\nstopping after this step; the shapes left are skipped (Ctrl-C again to quit at once)...\n'),
    );
    if (args.options.has('json')) console.log(JSON.stringify({ rows }, null, 2));
    else console.log(`wrote ${out}/eval.json, eval.md, sheet.png and a folder per shape`);
    return rows.length < shapes.length ? 130 : 0;
  },
};

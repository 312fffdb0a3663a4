// `splatgrad compare`: every reconstruction method on the same silhouettes of a suite of shapes
// (cli/compare/runCompare.ts, docs/renderers.md), one table and one picture.

import { SUITES } from '../../geometry/shapes/suites.js';
import { ArgumentError } from '../../lib/errors.js';
import { closestName } from '../../lib/suggest.js';
import { MAX_THREADS, resolveThreads } from '../../parallel/threads.js';
import { numberOption, rejectUnknown, stringOption } from '../args.js';
import { type CompareMethod, availableCompareMethods } from '../compare/compareMethods.js';
import { runCompare } from '../compare/runCompare.js';
import type { Command } from './command.js';

/** The suite compare runs when given no shapes. */
const DEFAULT_SUITE = 'compare';

function methodsOf(list: string | undefined): CompareMethod[] {
  const available = availableCompareMethods();
  if (list === undefined) return available;
  return list.split(',').map((name) => {
    const m = available.find((a) => a.name === name.trim());
    if (!m) {
      const best = closestName(
        name.trim(),
        available.map((a) => a.name),
      );
      throw new ArgumentError(`--methods: no method '${name.trim()}'; the methods are ${available.map((a) => a.name).join(', ')}.${best ? ` Did you mean '${best}'?` : ''}`);
    }
    return m;
  });
}

function shapesOf(suite: string | undefined, positionals: readonly string[]): readonly string[] {
  if (suite !== undefined && positionals.length > 0) throw new ArgumentError(`compare: give --suite or shapes, not both (got --suite ${suite} and ${positionals.join(', ')}).`);
  if (positionals.length > 0) return positionals;
  const name = suite ?? DEFAULT_SUITE;
  const shapes = (SUITES as Record<string, readonly string[]>)[name];
  if (!shapes) {
    const best = closestName(name, Object.keys(SUITES));
    throw new ArgumentError(`--suite: no suite '${name}'; the suites are ${Object.keys(SUITES).join(', ')}.${best ? ` Did you mean '${best}'?` : ''}`);
  }
  return shapes;
}

export const compare: Command = {
  summary: 'every method on the same silhouettes of a suite of shapes: one table, one picture (writes DIR/)',
  help: [
    'splatgrad compare [--suite NAME | SHAPE...] --out DIR [--json] [options]',
    '',
    `Shapes: built-in names or mesh files, or a named suite (default ${DEFAULT_SUITE}):`,
    ...Object.entries(SUITES).map(([k, v]) => `  ${k}: ${v.join(' ')}`),
    "Each shape is seen in --views silhouettes of --size px (the fit driver's targets), and a noisy",
    'copy has half of them under-segmented (one of 8 k-means clusters of the silhouette dropped).',
    'Every method fits both; each fit is scored by the silhouette cross-entropy at --novel random',
    "viewpoints against the true masks (the Fuzzy Metaballs paper's Table 3 metric), by Chamfer to",
    'the true surface (bbox diagonals), and by its seconds.',
    '',
    `  --methods A,B       which methods [${availableCompareMethods()
      .map((m) => m.name)
      .join(',')}]`,
    ...availableCompareMethods().map((m) => `                        ${m.name}: ${m.summary}`),
    '  --views N           training silhouettes per shape [32]',
    '  --size S            their side in pixels [64]',
    '  --novel N           viewpoints the silhouettes are scored at [32]',
    '  --noisy true|false  also fit the under-segmented copy [true]',
    "  --iterations N      a cap on every method's steps [none]",
    '  --seconds X         a wall budget per fit [none]',
    '  --seed K            [0]',
    '  --threads T         [every core]',
    '',
    'Writes DIR (default out/compare): compare.json (rows and settings), compare.md (the tables),',
    'compare.png (rows: shape, clean and noisy; columns: the true silhouettes, then each method; four',
    'novel views per cell, labelled with the cross-entropy). --json prints { "rows": [ { "method",',
    '"shape", "noisy", "crossEntropy", "chamfer", "seconds", "steps" } ] }.',
  ].join('\n'),
  async run(args) {
    rejectUnknown(args, ['suite', 'methods', 'views', 'size', 'novel', 'noisy', 'iterations', 'seconds', 'seed', 'threads', 'out', 'json']);
    const shapes = shapesOf(stringOption(args, 'suite'), args.positionals);
    const methods = methodsOf(stringOption(args, 'methods'));
    const noisyRaw = stringOption(args, 'noisy', 'true');
    if (noisyRaw !== 'true' && noisyRaw !== 'false') throw new ArgumentError(`--noisy must be true or false, got ${JSON.stringify(noisyRaw)}.`);
    const out = stringOption(args, 'out', 'out/compare')!;
    const result = await runCompare({
      shapes,
      methods,
      views: numberOption(args, 'views', 32, 1, 512),
      size: numberOption(args, 'size', 64, 16, 1024),
      novel: numberOption(args, 'novel', 32, 1, 512),
      noisy: noisyRaw === 'true',
      iterations: args.options.has('iterations') ? numberOption(args, 'iterations', 1, 1, 10_000_000) : null,
      seconds: args.options.has('seconds') ? numberOption(args, 'seconds', 1, 0.1, 1e6) : null,
      seed: numberOption(args, 'seed', 0, 0, 2 ** 31),
      threads: args.options.has('threads') ? resolveThreads(numberOption(args, 'threads', 1, 1, MAX_THREADS), '--threads') : null,
      out,
      progress: process.stderr,
    });
    if (args.options.has('json')) console.log(JSON.stringify({ rows: result.rows }, null, 2));
    else console.log(`wrote ${result.files.map((f) => `${out}/${f}`).join(', ')}`);
    return 0;
  },
};

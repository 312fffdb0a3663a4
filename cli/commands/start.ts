// `npm start`: the main job on the built-in default scene, the DSS paper's sphere -> Stanford bunny
// (the `bunny` demo: 12 shading images, 5,000 points, 1,600 steps: 100 s measured on two cores),
// writing out/summary.json, out/result.ply, start/end contact sheets and the loss curve.

import type { Command } from './command.js';
import { budgetOf, demo, demos } from './demo.js';

export const start: Command = {
  summary: 'the default job: fit a sphere of points to the Stanford bunny from images (writes out/)',
  help: [
    'splatgrad start [--out DIR] [--json]',
    '',
    'Runs `splatgrad demo bunny --out out`: inverse rendering from 12 views of the bunny,',
    `${budgetOf(demos.bunny.preset!)} (about 100 s on two cores); writes DIR/summary.json, DIR/result.ply,`,
    'DIR/start.png, DIR/end.png, DIR/loss-curve.svg.',
  ].join('\n'),
  async run(args) {
    if (!args.options.has('out')) args.options.set('out', 'out');
    return demo.run({ positionals: ['bunny'], options: args.options });
  },
};

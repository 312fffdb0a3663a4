// `npm start`: the main job on the built-in default scene, the DSS paper's sphere -> Stanford bunny
// (the `bunny` demo: 12 shading images, 5,000 points, about four minutes on two cores), writing
// out/summary.json, out/result.ply, start/end contact sheets and the loss curve.

import type { Command } from './command.js';
import { demo } from './demo.js';

export const start: Command = {
  summary: 'the default job: fit a sphere of points to the Stanford bunny from images (writes out/)',
  help: 'splatgrad start [--out DIR] [--json]\n\nRuns `splatgrad demo bunny --out out`: inverse rendering from 12 views of the bunny,\nabout four minutes on two cores; writes DIR/summary.json, DIR/result.ply, DIR/start.png, DIR/end.png, DIR/loss-curve.svg.',
  async run(args) {
    if (!args.options.has('out')) args.options.set('out', 'out');
    return demo.run({ positionals: ['bunny'], options: args.options });
  },
};

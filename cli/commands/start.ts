// `npm start`: the main job on the built-in default scene, DSS on the Stanford bunny (the `bunny`
// demo: 48 shading images, 5,000 points on the visual hull of their masks, refined; figures in
// docs/dss.md §6), writing out/summary.json, out/result.ply, start/end contact sheets and the loss curve.

import type { Command } from './command.js';
import { budgetOf, demo, demos } from './demo.js';

export const start: Command = {
  summary: 'the default job: fit a point cloud to the Stanford bunny from 48 images (writes out/)',
  help: [
    'splatgrad start [--out DIR] [--json]',
    '',
    'Runs `splatgrad demo bunny --out out`: inverse rendering from 48 views of the bunny,',
    `${budgetOf(demos.bunny.preset!)}; writes DIR/summary.json, DIR/result.ply, DIR/result.obj,`,
    'DIR/start.png, DIR/end.png, DIR/loss-curve.svg.',
  ].join('\n'),
  async run(args) {
    if (!args.options.has('out')) args.options.set('out', 'out');
    return demo.run({ positionals: ['bunny'], options: args.options });
  },
};

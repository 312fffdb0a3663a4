// `npm start`: until the inverse-rendering loop lands (issue 7: sphere -> bunny from images),
// this runs a small end-to-end job on the engine alone, so a fresh clone shows something real:
// random points pulled onto the unit sphere by Adam through the tape, with the loss gradchecked.

import { randn } from '../../lib/create.js';
import { gradcheck } from '../../lib/gradcheck.js';
import type { Tensor } from '../../lib/tensor.js';
import { mean, norm, pow, sub } from '../../ops/index.js';
import { Adam } from '../../optim/index.js';
import { numberOption, rejectUnknown } from '../args.js';
import type { Command } from './command.js';

/** mean over points of (|p| - 1)^2: zero exactly on the unit sphere. */
function sphereLoss(points: Tensor): Tensor {
  return mean(pow(sub(norm(points, -1), 1), 2));
}

export const start: Command = {
  summary: 'the default job (for now: an engine self-demo; the sphere -> bunny fit arrives with issue 7)',
  help: 'splatgrad start [--points N] [--steps S] [--json]\n\nPulls N random points onto the unit sphere with Adam and gradchecks the loss.\nThe inverse-rendering demo replaces this once it lands.',
  async run(args) {
    rejectUnknown(args, ['points', 'steps', 'json'], 'start');
    const n = numberOption(args, 'points', 2000, 1, 1e7);
    const steps = numberOption(args, 'steps', 300, 0, 1e6);
    const t0 = performance.now();
    const points = randn([n, 3], { seed: 7, std: 0.6, mean: 0.2, requiresGrad: true, name: 'points' });
    const check = gradcheck(sphereLoss, [randn([8, 3], { seed: 3, dtype: 'float64', requiresGrad: true })]);
    const opt = new Adam([points], { lr: 0.02 });
    const lossInitial = sphereLoss(points).item();
    let lossFinal = lossInitial;
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const loss = sphereLoss(points);
      loss.backward();
      opt.step();
      lossFinal = loss.item();
    }
    lossFinal = sphereLoss(points).item();
    let maxRadialError = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(points.data[3 * i], points.data[3 * i + 1], points.data[3 * i + 2]);
      maxRadialError = Math.max(maxRadialError, Math.abs(r - 1));
    }
    const summary = { job: 'engine-demo', points: n, steps, lossInitial, lossFinal, maxRadialError, gradcheck: check.message, seconds: (performance.now() - t0) / 1000 };
    if (args.options.has('json')) {
      console.log(JSON.stringify(summary, null, 2));
    } else {
      console.log('splatgrad: the inverse-rendering demo (sphere -> bunny) is not built yet; it lands with issue 7.');
      console.log('Meanwhile, the engine end to end: random points pulled onto the unit sphere by Adam.');
      console.log(`  ${n} points, ${steps} Adam steps: loss ${lossInitial.toExponential(3)} -> ${lossFinal.toExponential(3)}, max | |p| - 1 | = ${maxRadialError.toExponential(2)}`);
      console.log(`  ${check.message}`);
      console.log(`  ${summary.seconds.toFixed(2)} s`);
    }
    return 0;
  },
};

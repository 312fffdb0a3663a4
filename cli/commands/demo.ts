// `splatgrad demo NAME --out DIR [--json]`: the demos users run first. Each lives in cli/demos/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ArgumentError } from '../../lib/errors.js';
import { closestName } from '../../lib/suggest.js';
import { teapot2d } from '../demos/teapot2d.js';
import { denoise } from '../demos/denoise.js';
import { fmPose } from '../demos/fmPose.js';
import { fmSfs } from '../demos/fmSfs.js';
import { distPose } from '../demos/distPose.js';
import { distShape } from '../demos/distShape.js';
import { type FitConfig, resolveFitConfig } from '../fit/fitConfig.js';
import { untilInterrupted } from '../fit/interrupt.js';
import { runFit } from '../fit/runFit.js';
import { rejectUnknown, stringOption } from '../args.js';
import type { Command } from './command.js';

interface Demo {
  summary: string;
  run(out: string, log: (line: string) => void, signal: { aborted: boolean }): Promise<object> | object;
  /** A shape-fitting demo's settings (`splatgrad fit` with these). */
  preset?: Partial<FitConfig>;
}

/**
 * A shape-fitting demo: `splatgrad fit` with a preset config (optim/methods/dss.ts says why the
 * defaults are what they are). Its summary ends with the budget, read from the resolved config.
 */
function fitDemo(what: string, preset: Partial<FitConfig>): Demo {
  return {
    summary: `${what} (${budgetOf(preset)})`,
    preset,
    run: (out, _log, signal) => runFit(resolveFitConfig(preset), { out, progress: process.stderr, signal }),
  };
}

/** '1,600 steps, at most 220 s' for a preset. */
export function budgetOf(preset: Partial<FitConfig>): string {
  const c = resolveFitConfig(preset);
  return `${c.iterations!.toLocaleString('en-US')} steps${c.seconds === null ? '' : `, at most ${c.seconds} s`}`;
}

export const demos: Record<string, Demo> = {
  bunny: fitDemo('5,000 points from the visual hull of 48 shading images of the Stanford bunny, refined by DSS', { target: 'bunny', seconds: 220 }),
  // the DSS paper's headline case: more points and views than the bunny, so it takes longer
  teapot: fitDemo('8,000 points from the visual hull of 48 shading images of the Utah teapot, refined by DSS', { target: 'teapot', points: 8000, seconds: 400 }),
  // a point cloud can change genus, which a mesh renderer cannot (docs/dss.md §6): so this one
  // starts on a sphere, not on the torus's hull
  topology: fitDemo('a sphere (genus 0) pulled onto a torus (genus 1) from 48 shading images', { target: 'torus', init: 'sphere', seconds: 220 }),
  'teapot-2d': {
    summary: 'a flat grid of points pulled onto the teapot silhouette by the artificial gradient (positions only)',
    run: (out, log) =>
      teapot2d({
        out,
        onProgress: (it, loss, iou) => {
          if (it % 50 === 0) log(`step ${it}: loss ${loss.toExponential(3)}, iou ${iou.toFixed(3)}`);
        },
      }),
  },
  'fm-pose': {
    summary: 'pose estimation with Fuzzy Metaballs: 20 random views each of the bunny, teapot and a trefoil knot, starts up to 45 deg and 50% off, clean and noisy (about 2 minutes)',
    run: (out, log) => fmPose({ out, onProgress: log }),
  },
  'fm-sfs': {
    summary: 'shape from silhouette with Fuzzy Metaballs: 40 Gaussians from a blob, 32 views of the bunny, teapot and a trefoil knot, clean and under-segmented (about 2 minutes)',
    run: (out, _log, signal) => fmSfs({ out, progress: process.stderr, signal }),
  },
  denoise: {
    summary: 'a noisy 5,000-point bunny pulled back onto its surface by the projection and repulsion losses (no images)',
    run: (out, log) =>
      denoise({
        out,
        onProgress: (it, projection, repulsion) => {
          if (it % 10 === 0) log(`step ${it}: projection ${projection.toExponential(3)}, repulsion ${repulsion.toExponential(3)}`);
        },
      }),
  },
  'dist-pose': {
    summary: 'camera pose from a depth image and a silhouette by differentiable sphere tracing, 20 seeded trials per model (FM protocol)',
    run: (out, log) => distPose({ out, onTrial: (model, kind, trial, error, seconds) => log(`${model} ${kind} trial ${trial + 1}: error ${error.toFixed(3)} (${seconds.toFixed(1)} s)`) }),
  },
  'dist-shape': {
    summary: 'trains an auto-decoder SDF on a family of shapes here, then recovers unseen shapes from one and four depth images through the tracer (about 3 minutes)',
    run: (out, log) => distShape({ out, log }),
  },
};

export const demo: Command = {
  summary: `run a built-in demo (${Object.keys(demos).join(', ')}); writes DIR/summary.json`,
  help: ['splatgrad demo NAME --out DIR [--json]', '', 'Demos:', ...Object.entries(demos).map(([name, d]) => `  ${name.padEnd(12)} ${d.summary}`)].join('\n'),
  async run(args) {
    rejectUnknown(args, ['out', 'json']);
    const name = args.positionals[0];
    const d = name ? demos[name] : undefined;
    if (!d) {
      const best = name ? closestName(name, Object.keys(demos)) : null;
      throw new ArgumentError(`${name ? `unknown demo '${name}'` : 'name a demo'}; ${best ? `did you mean '${best}'? The demos: ` : 'choose one of '}${Object.keys(demos).join(', ')}.`);
    }
    const out = stringOption(args, 'out') ?? join('out', name);
    const json = args.options.has('json');
    // progress goes to stderr so that --json leaves stdout a clean JSON document
    const summary = await untilInterrupted(async (signal) => d.run(out, (line) => console.error(line), signal));
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (json) console.log(JSON.stringify(summary, null, 2));
    else {
      const fields = Object.entries(summary).filter(([, v]) => v === null || typeof v !== 'object');
      console.log(fields.map(([k, v]) => `${k}: ${typeof v === 'number' ? +v.toPrecision(4) : v}`).join('\n'));
    }
    return 0;
  },
};

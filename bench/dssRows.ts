// The DSS rows of the benchmark (docs/dss.md §2-3): forward, smooth backward (the
// exact part only) and full backward (with the artificial gradient at the default window) on the
// sphere scene, for 8,000 points at 256 and 20,000 at 512, on 1 and 2 threads.

import { noGrad } from '../lib/tape.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import { DEFAULT_WINDOW } from '../ops/splat/options.js';
import { dssScene, type DssScene } from './dssScene.js';
import type { RunThreads } from './measure.js';

export const DSS_SIZES: readonly (readonly [number, number])[] = [
  [8000, 256],
  [20000, 512],
];

export function benchDss(runThreads: RunThreads, threadCounts: readonly number[]): DssScene[] {
  const scenes: DssScene[] = [];
  for (const [points, size] of DSS_SIZES) {
    const s = dssScene(points, size);
    scenes.push(s);
    const image = `${size}x${size}`;
    let evaluations = 0;
    const forward = runThreads(
      'dss-forward',
      image,
      threadCounts,
      (threads) => () => {
        evaluations = noGrad(() => ewaSplat(s.positions, s.normals, s.colours, s.camera, { threads })).stats.evaluations;
      },
      'EWA splats, one view',
      { points },
    );
    for (const row of forward) {
      row.splatPixelEvaluations = evaluations;
      row.evaluationsPerSecond = Math.round(evaluations / (row.ms / 1000));
    }
    for (const [op, window] of [
      ['dss-backward-smooth', 0],
      ['dss-backward', undefined],
    ] as const) {
      const note = window === 0 ? 'exact part only (rho_bar, attributes)' : `with the artificial gradient, window ${DEFAULT_WINDOW} px`;
      runThreads(
        op,
        image,
        threadCounts,
        (threads) => {
          const r = ewaSplat(s.positions, s.normals, s.colours, s.camera, { window, threads });
          return () => {
            for (const t of [s.positions, s.normals, s.colours]) t.grad = null;
            r.image.backward(s.gradImage, { retainGraph: true });
          };
        },
        note,
        { points },
      );
    }
  }
  return scenes;
}

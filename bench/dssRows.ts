// The DSS rows of the benchmark (dss.md §2-3, issues 4, 5, 8): forward, smooth backward (the
// exact part only) and full backward (with the artificial gradient at the default window) on the
// sphere scene, for 8,000 points at 256 and 20,000 at 512, on 1 and 2 threads.

import { noGrad } from '../lib/tape.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import { dssScene, type DssScene } from './dssScene.js';
import type { Run } from './measure.js';

export const DSS_SIZES: readonly (readonly [number, number])[] = [[8000, 256], [20000, 512]];

export function benchDss(run: Run, threadCounts: readonly number[]): DssScene[] {
  const scenes: DssScene[] = [];
  for (const [points, size] of DSS_SIZES) {
    const s = dssScene(points, size);
    scenes.push(s);
    for (const threads of threadCounts) {
      let evaluations = 0;
      const fwd = run('dss-forward', `${size}x${size}`, () => {
        evaluations = noGrad(() => ewaSplat(s.positions, s.normals, s.colours, s.camera, { threads })).stats.evaluations;
      }, 'EWA splats, one view', { points, threads });
      fwd.splatPixelEvaluations = evaluations;
      fwd.evaluationsPerSecond = Math.round(evaluations / (fwd.ms / 1000));
      for (const [op, window] of [['dss-backward-smooth', 0], ['dss-backward', undefined]] as const) {
        const r = ewaSplat(s.positions, s.normals, s.colours, s.camera, { window, threads });
        run(op, `${size}x${size}`, () => {
          for (const t of [s.positions, s.normals, s.colours]) t.grad = null;
          r.image.backward(s.gradImage, { retainGraph: true });
        }, window === 0 ? 'exact part only (rho_bar, attributes)' : `with the artificial gradient, window ${r.options.window} px`, { points, threads });
      }
    }
  }
  return scenes;
}

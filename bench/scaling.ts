// The 2-thread goal of the parallelism issue, measured so a reader can tell our serial part from
// the host's: one forward + full backward of the 8,000-point scene on 1 and 2 threads, timed in
// turns with the pool's arithmetic yardstick (parallel/arithmetic.ts) on 1 and 2 threads. Both
// speed-ups come from the same minutes; the yardstick's is the most two threads could give then.

import { ewaSplat } from '../ops/splat/ewaSplat.js';
import { arithmetic } from '../parallel/arithmetic.js';
import { float64 } from '../lib/sharedMemory.js';
import { runTasks } from '../parallel/workerPool.js';
import type { DssScene } from './dssScene.js';
import { type Row, measureInTurns } from './measure.js';

const TASKS = 16;
const PASSES = 200; // ~1 ms a task here: a job about as long as the splat call's

export function benchScaling(scene: DssScene, add: (row: Row) => void): void {
  const s = scene;
  const size = `${s.camera.width}x${s.camera.height}`;
  const points = s.positions.shape[0];
  const splat = (threads: number) => () => {
    const r = ewaSplat(s.positions, s.normals, s.colours, s.camera, { threads });
    for (const t of [s.positions, s.normals, s.colours]) t.grad = null;
    r.image.backward(s.gradImage);
  };
  const args = { table: float64(4096, true), passes: PASSES, out: float64(TASKS, true) };
  args.table.forEach((_, i) => (args.table[i] = 1 + ((i * 2654435761) % 4096) / 4096));
  const yardstick = (threads: number) => () => runTasks(arithmetic, args, TASKS, threads);
  const [s1, s2, y1, y2] = measureInTurns([splat(1), splat(2), yardstick(1), yardstick(2)]);
  const splatSpeedup = +(s1.ms / s2.ms).toFixed(2),
    machineSpeedup = +(y1.ms / y2.ms).toFixed(2);
  for (const [threads, m] of [
    [1, s1],
    [2, s2],
  ] as const) {
    add({
      op: 'dss-forward-backward',
      size,
      threads,
      ms: +m.ms.toFixed(3),
      minMs: +m.minMs.toFixed(3),
      points,
      speedup: splatSpeedup,
      note: 'forward + full backward, timed in turns with pool-arithmetic',
    });
  }
  for (const [threads, m] of [
    [1, y1],
    [2, y2],
  ] as const) {
    add({
      op: 'pool-arithmetic',
      size: `${TASKS} tasks`,
      threads,
      ms: +m.ms.toFixed(3),
      minMs: +m.minMs.toFixed(3),
      speedup: machineSpeedup,
      note: 'fixed arithmetic over the pool: what 2 threads could give in the same minutes',
    });
  }
}

// `splatgrad eval`: one fit per shape with the same settings, each into its own folder, then one
// table (eval.json, eval.md) and one picture (sheet.png: the first view of every shape, target
// beside the fitted result). Ctrl-C ends the current fit as `fit` does and skips the shapes left,
// and the table is still written.

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { contactSheet } from '../../geometry/contactSheet.js';
import { type FloatImage, imageFromData } from '../../geometry/image.js';
import { writePng } from '../../geometry/png.js';
import { checkTarget } from '../../optim/fitTargets.js';
import { type FitConfig, resolveFitConfig } from './fitConfig.js';
import type { ProgressSink } from './fitProgress.js';
import { runFit } from './runFit.js';

export interface EvalRow {
  shape: string;
  chamfer: number | null;
  hausdorff: number | null;
  normalConsistency: number | null;
  steps: number;
  seconds: number;
  stopped: string;
  points: number;
}

export interface EvalOptions {
  out: string;
  progress: ProgressSink | null;
  signal: { aborted: boolean };
  /** One line per shape as it starts and ends. */
  log?: (line: string) => void;
}

/** A folder name for a shape: its own name, or a mesh file's base name. */
const folderOf = (shape: string) => basename(shape, extname(shape)).replace(/[^\w.-]/g, '_');

export async function evalShapes(shapes: readonly string[], layers: Partial<FitConfig>[], options: EvalOptions): Promise<{ rows: EvalRow[]; config: FitConfig | null }> {
  // every config is checked before the first fit starts
  const configs = shapes.map((target) => {
    checkTarget(target);
    return resolveFitConfig(...layers, { target });
  });
  mkdirSync(options.out, { recursive: true });
  const rows: EvalRow[] = [];
  const sheet: FloatImage[] = [];
  const labels: string[] = [];
  for (const [i, config] of configs.entries()) {
    if (options.signal.aborted) break;
    const shape = shapes[i];
    options.log?.(`[${i + 1}/${shapes.length}] ${shape}`);
    const s = await runFit(config, {
      out: join(options.out, folderOf(shape)),
      progress: options.progress,
      signal: options.signal,
      onEnd: (session, targets) => {
        const v = targets.views[0];
        const { width, height } = v.camera;
        sheet.push(imageFromData(Float32Array.from(v.target.data), width, height, 3), imageFromData(session.preview(v), width, height, 3));
        labels.push(folderOf(shape), '');
      },
    });
    rows.push({ shape, chamfer: s.chamfer, hausdorff: s.hausdorff, normalConsistency: s.normalConsistency, steps: s.iterations, seconds: s.seconds, stopped: s.stopped, points: s.points });
    const f = (v: number | null) => (v === null ? '-' : v.toFixed(4));
    options.log?.(`  ${shape}: chamfer ${f(s.chamfer)}, hausdorff ${f(s.hausdorff)}, ${s.iterations} steps, ${s.seconds.toFixed(1)} s (${s.stopped})`);
  }
  writeFileSync(join(options.out, 'eval.json'), `${JSON.stringify({ rows }, null, 2)}\n`);
  writeFileSync(join(options.out, 'eval.md'), evalTable(rows));
  if (sheet.length > 0) writePng(join(options.out, 'sheet.png'), contactSheet(sheet, { columns: 6, labels }));
  return { rows, config: configs[0] ?? null };
}

/** The rows as a Markdown table (distances in bounding-box diagonals of the true surface). */
export function evalTable(rows: readonly EvalRow[]): string {
  const f = (v: number | null, digits = 4) => (v === null ? '-' : v.toFixed(digits));
  const lines = ['| shape | chamfer | hausdorff | normal consistency | steps | seconds | stopped |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.shape} | ${f(r.chamfer)} | ${f(r.hausdorff)} | ${f(r.normalConsistency, 3)} | ${r.steps} | ${r.seconds.toFixed(1)} | ${r.stopped} |`);
  return `${lines.join('\n')}\n`;
}

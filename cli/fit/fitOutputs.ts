// What a fit leaves in --out DIR: result.ply (and checkpoint.ply while it runs), target | render
// contact sheets at the start and the end, the loss curve as SVG, and summary.json.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactSheet } from '../../geometry/contactSheet.js';
import { type FloatImage, imageFromData } from '../../geometry/image.js';
import { savePointCloud } from '../../geometry/loadMesh.js';
import { writePng } from '../../geometry/png.js';
import type { Mesh } from '../../geometry/mesh.js';
import { meshFromPoints } from '../../geometry/surfaceFromPoints.js';
import type { FitCloud, FitSession, FitView } from '../../optim/fitMethod.js';

/** A cloud as PLY: positions, unit normals (when the method has them), and colours (its albedo; white when absent). */
export function writeCloudPly(path: string, cloud: FitCloud): void {
  const n = cloud.positions.length / 3;
  const colors = cloud.colors ? Float32Array.from(cloud.colors) : new Float32Array(n * 3).fill(1);
  savePointCloud(path, { positions: Float64Array.from(cloud.positions), ...(cloud.normals ? { normals: Float64Array.from(cloud.normals) } : {}), colors });
}

/** Views shown on a sheet: at most this many target | render pairs. */
const SHEET_VIEWS = 12;

/** Target | render pairs, two views per row; `render` gives a view's RGB [H * W * 3]. */
export function writeFitSheet(path: string, views: readonly FitView[], render: (view: FitView) => Float32Array): void {
  const images: FloatImage[] = [];
  const labels: string[] = [];
  views.slice(0, SHEET_VIEWS).forEach((v, i) => {
    const { width, height } = v.camera;
    images.push(imageFromData(Float32Array.from(v.target.data), width, height, 3), imageFromData(render(v), width, height, 3));
    labels.push(`target ${i}`, `render ${i}`);
  });
  writePng(path, contactSheet(images, { columns: 4, labels }));
}

/** The step losses as an SVG line chart (log-scale loss axis when it spans more than a decade). */
export function lossCurveSvg(history: readonly number[], title = 'image loss per step'): string {
  const W = 640,
    H = 360,
    left = 64,
    right = 16,
    top = 32,
    bottom = 40;
  let lo = Infinity,
    hi = -Infinity;
  // a loop, not Math.min(...history): a long run's history is too many arguments for a spread
  for (const v of history) {
    if (!(Number.isFinite(v) && v > 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) lo = hi = 1;
  const log = hi / lo > 10;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const y0 = f(lo),
    y1 = f(hi) === y0 ? y0 + 1 : f(hi);
  const x = (i: number) => left + ((W - left - right) * i) / Math.max(1, history.length - 1);
  const y = (v: number) => top + (H - top - bottom) * (1 - (f(v) - y0) / (y1 - y0));
  // one point per pixel column is plenty
  const stride = Math.max(1, Math.floor(history.length / (W - left - right)));
  const pts: string[] = [];
  for (let i = 0; i < history.length; i += stride) if (Number.isFinite(history[i]) && history[i] > 0) pts.push(`${x(i).toFixed(1)},${y(history[i]).toFixed(1)}`);
  const ticks = [lo, log ? Math.sqrt(lo * hi) : (lo + hi) / 2, hi]
    .map((v) => `<text x="${left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${+v.toPrecision(3)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle">${title}${log ? ' (log scale)' : ''}</text>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="black"/>`,
    ticks,
    `<text x="${left}" y="${H - bottom + 16}" text-anchor="middle">0</text>`,
    `<text x="${W - right}" y="${H - bottom + 16}" text-anchor="middle">${Math.max(0, history.length - 1)}</text>`,
    `<text x="${(left + W - right) / 2}" y="${H - 8}" text-anchor="middle">step</text>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${pts.join(' ')}"/>`,
    '</svg>',
    '',
  ].join('\n');
}

export function writeLossCurve(dir: string, history: readonly number[]): void {
  writeFileSync(join(dir, 'loss-curve.svg'), lossCurveSvg(history));
}

export function writeSummary(dir: string, summary: object): void {
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/**
 * The fit's shape as a mesh: the method's own, or a surface through its oriented points (IMLS and
 * marching cubes, docs/toolbox.md §6) at `resolution` grid points along the longest side; null
 * when the method has neither a mesh nor normals, or the surface comes out empty.
 */
export function fitMesh(session: FitSession, cloud: FitCloud, resolution: number): Mesh | null {
  const own = session.mesh?.() ?? null;
  if (own) return own.faces.length ? own : null;
  if (!cloud.normals || cloud.positions.length < 6) return null;
  const { mesh } = meshFromPoints({ positions: cloud.positions, normals: cloud.normals }, { resolution });
  return mesh.faces.length ? mesh : null;
}

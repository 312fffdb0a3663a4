// The textbook twin of the splat backward (smoothBackward.ts + artificialGradient.ts): pixel by
// pixel, pair by pair, every pixel value recomputed in full with eq. 6 instead of the fast path's
// per-splat sums and per-pixel dot products. Slow on purpose; specs hold the two equal.

import type { Camera } from '../../geometry/camera.js';
import type { FloatArray } from '../../lib/dtype.js';
import { ARTIFICIAL_EPS, chainScreenGradient, windowWeight } from './artificialGradient.js';
import type { ResolvedSplatOptions } from './options.js';
import type { ScreenSplats } from './screenSplats.js';
import { SUMS, addPixel, chainSplat, emptySums } from './smoothBackward.js';
import type { SplatCache } from './splatCache.js';

interface Entry {
  k: number;
  rho: number;
  z: number;
}

/** eq. 5-6 over a list sorted by depth: the front run within T, rho-weighted mean of attributes. */
function pixelValue(list: Entry[], T: number, attributes: FloatArray, channels: number, background: readonly number[]): number[] {
  if (list.length === 0) return background.slice();
  const front = list.filter((e) => e.z - list[0].z <= T);
  const weight = front.reduce((s, e) => s + e.rho, 0);
  if (weight === 0) return background.slice();
  return Array.from({ length: channels }, (_, c) => front.reduce((s, e) => s + e.rho * attributes[e.k * channels + c], 0) / weight);
}

export function splatBackwardReference(
  cache: SplatCache,
  screen: ScreenSplats,
  positions: FloatArray,
  normals: FloatArray,
  attributes: FloatArray,
  channels: number,
  camera: Camera,
  o: ResolvedSplatOptions,
  gImage: FloatArray,
): { gP: Float64Array; gN: Float64Array; gW: Float64Array } {
  const n = positions.length / 3;
  const gP = new Float64Array(3 * n),
    gN = new Float64Array(3 * n),
    gW = new Float64Array(n * channels);
  const { width, height, frontCount: A } = cache;
  const lists: Entry[][] = [];
  for (let p = 0; p < width * height; p++) {
    const list: Entry[] = [];
    for (let s = 0; s < cache.count[p]; s++) list.push({ k: cache.index[p * A + s], rho: cache.rho[p * A + s], z: cache.pointDepth[cache.index[p * A + s]] });
    lists.push(list);
  }
  const valueAt = (_p: number, list: Entry[]) => pixelValue(list, o.mergeThreshold, attributes, channels, o.background);
  const lossChange = (p: number, after: number[], before: number[]) => after.reduce((s, v, c) => s + gImage[p * channels + c] * (v - before[c]), 0);

  // smooth part, one visible pair at a time (eq. 11 without the visibility term)
  const pair = emptySums(n);
  for (let p = 0; p < width * height; p++) {
    const visible = lists[p].slice(0, cache.visible[p]);
    if (visible.length === 0) continue;
    const S = visible.reduce((s, e) => s + e.rho, 0);
    const I = valueAt(p, lists[p]);
    for (const e of visible) {
      let dLdrho = 0;
      for (let c = 0; c < channels; c++) {
        gW[e.k * channels + c] += (gImage[p * channels + c] * e.rho) / S; // dI/dw = rho / S
        dLdrho += (gImage[p * channels + c] * (attributes[e.k * channels + c] - I[c])) / S; // dI/drho = (w - I) / S
      }
      const dx = (p % width) + 0.5 - screen.px[e.k],
        dy = Math.floor(p / width) + 0.5 - screen.py[e.k];
      const u = [screen.ia[e.k] * dx + screen.ib[e.k] * dy, screen.ib[e.k] * dx + screen.ic[e.k] * dy];
      addPixel(pair, SUMS * e.k, dLdrho * e.rho, u[0], u[1]);
      chainSplat(e.k, pair, positions, normals, camera, o.sigma, gP, gN);
      pair.fill(0, SUMS * e.k, SUMS * (e.k + 1)); // this pair only
    }
  }

  // artificial part, pixel by pixel over the splats whose window holds it
  if (o.window > 0) {
    const gScreen = new Float64Array(3 * n);
    const focal = 0.5 * (camera.fx + camera.fy);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        const p = j * width + i;
        const list = lists[p];
        const before = valueAt(p, list);
        const frontZ = cache.visible[p] > 0 ? list[0].z : Infinity;
        for (let k = 0; k < n; k++) {
          if (!screen.active[k]) continue;
          const dx = i + 0.5 - screen.px[k],
            dy = j + 0.5 - screen.py[k];
          if (Math.abs(dx) > o.window / 2 || Math.abs(dy) > o.window / 2) continue;
          const weight = windowWeight(i, j, Math.max(Math.abs(dx), Math.abs(dy))); // the sparser far window
          if (weight === 0) continue;
          const visibleHere = list.slice(0, cache.visible[p]).some((e) => e.k === k);
          const zk = screen.depth[k];
          let after: number[];
          if (visibleHere) {
            after = valueAt(
              p,
              list.filter((e) => e.k !== k),
            ); // (c): k moved off x
          } else if (cache.visible[p] > 0 && zk >= frontZ - o.mergeThreshold) {
            // (a) or (b) behind: k moved to the front depth, joining the visible run
            const visible = list.slice(0, cache.visible[p]);
            const S = visible.reduce((s, e) => s + e.rho, 0);
            after = before.map((v, c) => (S * v + screen.scale[k] * attributes[k * channels + c]) / (S + screen.scale[k]));
          } else {
            after = Array.from({ length: channels }, (_, c) => attributes[k * channels + c]); // alone in front
          }
          const g = weight * lossChange(p, after, before);
          if (!(g < 0)) continue; // eq. 12
          const q = 0.5 * (screen.ia[k] * dx * dx + 2 * screen.ib[k] * dx * dy + screen.ic[k] * dy * dy);
          const dist = Math.hypot(dx, dy);
          const r = dist > 0 ? dist * Math.sqrt(o.cutoff / q) : 0;
          const eps = ARTIFICIAL_EPS;
          if (visibleHere) {
            if (dist === 0) continue;
            // (c) the two opposite ways off x, averaged
            const options = [r - dist, -(r + dist)];
            for (const d of options) {
              const f = (0.5 * g * d) / (d * d + eps);
              gScreen[3 * k] += (f * -dx) / dist;
              gScreen[3 * k + 1] += (f * -dy) / dist;
            }
          } else {
            const dz = cache.visible[p] > 0 && frontZ < zk ? ((frontZ - zk) * focal) / zk : 0;
            if (q <= o.cutoff) {
              if (dz !== 0) gScreen[3 * k + 2] += (g * dz) / (dz * dz + eps);
              continue;
            }
            const D = [dx, dy, dz];
            const len = Math.hypot(...D);
            const f = g / ((len + r) * len + eps) + g / (Math.max(len - r, 0) * len + eps);
            D.forEach((v, c) => (gScreen[3 * k + c] += f * v));
          }
        }
      }
    }
    chainScreenGradient(gScreen, positions, camera, focal, gP);
  }
  return { gP, gN, gW };
}

// Where an object photographed with masks can be: the bounding box of the points that fall inside
// every silhouette (a coarse visual hull, carved on a grid and measured only for its box, with each
// mask grown by a pixel so that thin parts survive). It is a little larger than the object's own
// box (the hull holds the object), and close to it when the views go around. Used to place and size a fit's starting cloud for a folder of photos.

import type { Camera } from './camera.js';

export interface MaskedView {
  camera: Camera;
  /** 1 inside the object, [H * W]; views without a mask carve nothing. */
  mask?: ArrayLike<number>;
}

export interface SilhouetteBounds {
  min: [number, number, number];
  max: [number, number, number];
  center: [number, number, number];
  /** Largest half-side of the box. */
  extent: number;
}

/** Grid points per axis of each carving pass. */
const GRID = 40;

/**
 * The mask grown by one pixel (3 x 3 maximum), as 0/1: a grid point is carved only where it is
 * clearly outside, so thin parts (ears, handles) a pixel wide survive the sampling.
 */
function dilated(mask: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!(mask[y * width + x] > 0.5)) continue;
      for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) for (let u = Math.max(0, x - 1); u <= Math.min(width - 1, x + 1); u++) out[v * width + u] = 1;
    }
  }
  return out;
}

/** Whether a mask covers a pixel of its image border (then the object may run out of that view). */
function touchesBorder(mask: ArrayLike<number>, width: number, height: number): boolean {
  for (let x = 0; x < width; x++) if (mask[x] > 0.5 || mask[(height - 1) * width + x] > 0.5) return true;
  for (let y = 0; y < height; y++) if (mask[y * width] > 0.5 || mask[y * width + width - 1] > 0.5) return true;
  return false;
}

/**
 * The box of the region seen inside every mask, searched for in the cube of half-side `half`
 * around `center` (the cameras' common look-at point and reach); null when no view has a mask, no
 * point survives (masks that disagree with their cameras), or the region is unbounded (it reaches
 * the side of a cube four times as large, or of the first one while the object runs out of a view). Two passes: the whole cube, then
 * the box found, each on a GRID^3 lattice; the result is widened by half a cell.
 */
export function silhouetteBounds(views: readonly MaskedView[], center: readonly number[], half: number): SilhouetteBounds | null {
  const carving = views.filter((v) => v.mask !== undefined).map(({ camera: c, mask }) => ({ camera: c, mask: dilated(mask!, c.width, c.height), open: touchesBorder(mask!, c.width, c.height) }));
  if (carving.length === 0 || !(half > 0)) return null;
  const inside = (p: readonly number[]): boolean => {
    for (const { camera: c, mask, open } of carving) {
      const R = c.R,
        t = c.t;
      const x = R[0] * p[0] + R[1] * p[1] + R[2] * p[2] + t[0];
      const y = R[3] * p[0] + R[4] * p[1] + R[5] * p[2] + t[1];
      const z = R[6] * p[0] + R[7] * p[1] + R[8] * p[2] + t[2];
      if (!(z > c.near)) return false;
      const u = Math.floor((c.fx * x) / z + c.cx),
        v = Math.floor((c.fy * y) / z + c.cy);
      // off the image: outside the object, unless its mask runs off the image too
      if (u < 0 || v < 0 || u >= c.width || v >= c.height) {
        if (open) continue;
        return false;
      }
      if (!mask[v * c.width + u]) return false;
    }
    return true;
  };
  let lo = [center[0] - half, center[1] - half, center[2] - half];
  let hi = [center[0] + half, center[1] + half, center[2] + half];
  for (let pass = 0, widen = 0; pass < 2; pass++) {
    const cell = [0, 1, 2].map((k) => (hi[k] - lo[k]) / GRID);
    const min = [Infinity, Infinity, Infinity],
      max = [-Infinity, -Infinity, -Infinity];
    const p = [0, 0, 0];
    for (let i = 0; i < GRID; i++) {
      p[0] = lo[0] + (i + 0.5) * cell[0];
      for (let j = 0; j < GRID; j++) {
        p[1] = lo[1] + (j + 0.5) * cell[1];
        for (let k = 0; k < GRID; k++) {
          p[2] = lo[2] + (k + 0.5) * cell[2];
          if (!inside(p)) continue;
          for (let a = 0; a < 3; a++) {
            if (p[a] < min[a]) min[a] = p[a];
            if (p[a] > max[a]) max[a] = p[a];
          }
        }
      }
    }
    if (!(min[0] <= max[0])) return null;
    // the region reaches the searched cube's side: search a cube twice as large (twice at most);
    // where the object runs out of some view that may be the views' blind spot: no answer then
    const reachesSide = [0, 1, 2].some((a) => min[a] < lo[a] + cell[a] || max[a] > hi[a] - cell[a]);
    if (pass === 0 && reachesSide && (widen === 2 || carving.some((v) => v.open))) return null;
    if (pass === 0 && reachesSide) {
      widen++;
      half *= 2;
      lo = [center[0] - half, center[1] - half, center[2] - half];
      hi = [center[0] + half, center[1] + half, center[2] + half];
      pass--;
      continue;
    }
    // the next pass searches the box found, one cell wider each way; the answer is half a cell wider
    const pad = pass === 0 ? 1 : 0.5;
    lo = min.map((v, a) => v - pad * cell[a]);
    hi = max.map((v, a) => v + pad * cell[a]);
  }
  const c: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  return { min: lo as [number, number, number], max: hi as [number, number, number], center: c, extent: Math.max(...[0, 1, 2].map((a) => (hi[a] - lo[a]) / 2)) };
}

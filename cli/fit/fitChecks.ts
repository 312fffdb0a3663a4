// Checks of a fit's start that catch wasted runs before the first step: a starting cloud no
// camera sees (the classic camera-convention mistake in a transforms.json), and more points than
// the images can show (the run would take far more memory and time for nothing it can resolve).

import { ArgumentError } from '../../lib/errors.js';
import type { FitView } from '../../optim/fitMethod.js';

/** Points of the cloud looked at per view (an even stride through larger clouds). */
const SAMPLE = 20000;

/** Per view, how many of the (sampled) points project inside its image, in front of the camera. */
export function pointsInView(positions: ArrayLike<number>, views: readonly FitView[]): number[] {
  const n = positions.length / 3;
  const stride = Math.max(1, Math.floor(n / SAMPLE));
  return views.map(({ camera: c }) => {
    const R = c.R,
      t = c.t;
    let seen = 0;
    for (let k = 0; k < n; k += stride) {
      const p0 = positions[3 * k],
        p1 = positions[3 * k + 1],
        p2 = positions[3 * k + 2];
      const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
      if (!(z > c.near)) continue;
      const u = (c.fx * (R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0])) / z + c.cx;
      const v = (c.fy * (R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1])) / z + c.cy;
      if (u >= 0 && u < c.width && v >= 0 && v < c.height) seen++;
    }
    return seen;
  });
}

/**
 * Throws when no view sees any point of the starting cloud (every render would be blank and the
 * fit would learn nothing); returns a warning naming the views that see none, or null.
 */
export function checkStartVisible(positions: ArrayLike<number>, views: readonly FitView[], kind: 'shape' | 'mesh' | 'images'): string | null {
  const seen = pointsInView(positions, views);
  const blind = seen.flatMap((s, i) => (s === 0 ? [i] : []));
  if (blind.length === 0) return null;
  const convention = kind === 'images' ? 'check the camera convention (OpenGL: -z forward, +y up; docs/cameras.md)' : 'check where --init puts its cloud';
  if (blind.length === views.length) {
    throw new ArgumentError(`the starting cloud is visible in no view (none of its points falls inside any of the ${views.length} images, so every render would be blank); ${convention}.`);
  }
  const list = blind.length > 8 ? `${blind.slice(0, 8).join(', ')}...` : blind.join(', ');
  return `warning: ${blind.length} of ${views.length} views see none of the starting cloud (view${blind.length === 1 ? '' : 's'} ${list}); ${convention}.`;
}

/**
 * Rough cost of a DSS-like fit of `points` points on this kind of machine, measured on the bunny
 * scene (12 views at 128 px, 3 views a step, 2 threads): memory in bytes and seconds per step.
 */
export function fitCost(points: number, viewsPerStep: number, threads: number): { bytes: number; secondsPerStep: number } {
  return { bytes: BASE_BYTES + BYTES_PER_POINT * points, secondsPerStep: (SECONDS_PER_POINT_VIEW * points * viewsPerStep * 2) / Math.max(1, threads) };
}

// `splatgrad fit cube --points 100000 --iterations 8` on 2 cores: 0.39 GB at most, 0.4 s a step;
// a 2,000,000-point fit held 3.9 GB. A line through both.
const BASE_BYTES = 210e6;
const BYTES_PER_POINT = 1850;
const SECONDS_PER_POINT_VIEW = 1.3e-6;

/**
 * A warning when the cloud has far more points than its images have pixels (more than one
 * front-facing point per pixel: splats smaller than a pixel, which the images cannot resolve), or null.
 */
export function checkPointBudget(points: number, width: number, height: number, viewsPerStep: number, threads: number): string | null {
  const perPixel = points / 2 / (width * height); // about half the points face a camera
  if (perPixel <= 1) return null;
  const cost = fitCost(points, viewsPerStep, threads);
  const gb = cost.bytes / 1e9;
  return (
    `warning: ${points.toLocaleString('en-US')} points are far more than ${width} x ${height} images can show (about ${perPixel.toFixed(0)} front-facing points per pixel); ` +
    `expect about ${gb < 1 ? gb.toFixed(2) : gb.toFixed(1)} GB of memory and ${cost.secondsPerStep < 10 ? cost.secondsPerStep.toFixed(1) : cost.secondsPerStep.toFixed(0)} s a step. ` +
    `Fewer --points, or a larger --size for shape and mesh targets, fit as well and faster.`
  );
}

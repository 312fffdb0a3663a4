// Points on an SDF's zero level set (docs/dist.md §1): random points in the bounding sphere, each
// moved along the gradient by its distance (p - f(p) grad f(p) / |grad f|^2) until |f| is below
// a tolerance. For sizes and centres of shapes (pose protocol) and for quick clouds; not
// uniform in area (use a marching-cubes mesh for that).

import { Random } from '../../../lib/random.js';
import { ArgumentError } from '../../../lib/errors.js';
import { SdfWorkspace, sdfValuesAndGradients } from './evaluate.js';
import type { Sdf } from './sdf.js';

export function sdfSurfacePoints(sdf: Sdf, count: number, options: { seed?: number; radius?: number; tolerance?: number } = {}): Float64Array {
  if (!Number.isInteger(count) || count < 1) throw new ArgumentError(`sdfSurfacePoints: count must be a whole number >= 1, got ${count}.`);
  const rng = new Random(options.seed ?? 0);
  const radius = options.radius ?? 1;
  const tolerance = options.tolerance ?? 1e-6;
  const plain = sdf.plain();
  const ws = new SdfWorkspace();
  const out = new Float64Array(3 * count);
  let found = 0;
  const batch = Math.max(64, 2 * count);
  for (let round = 0; round < 50 && found < count; round++) {
    const p = new Float64Array(3 * batch);
    for (let i = 0; i < batch; i++) {
      rng.inBall(radius, p, 3 * i);
    }
    const f = new Float64Array(batch),
      g = new Float64Array(3 * batch);
    for (let it = 0; it < 12; it++) {
      sdfValuesAndGradients(plain, p, batch, f, g, ws);
      for (let i = 0; i < batch; i++) {
        const gg = g[3 * i] ** 2 + g[3 * i + 1] ** 2 + g[3 * i + 2] ** 2;
        if (!(gg > 1e-12)) continue;
        for (let k = 0; k < 3; k++) p[3 * i + k] -= (f[i] * g[3 * i + k]) / gg;
      }
    }
    sdfValuesAndGradients(plain, p, batch, f, g, ws);
    for (let i = 0; i < batch && found < count; i++) {
      if (!(Math.abs(f[i]) < tolerance) || p[3 * i] ** 2 + p[3 * i + 1] ** 2 + p[3 * i + 2] ** 2 > radius * radius) continue;
      out.set(p.subarray(3 * i, 3 * i + 3), 3 * found++);
    }
  }
  if (found < count) throw new ArgumentError(`sdfSurfacePoints: found ${found} of ${count} surface points; is the shape inside the sphere of radius ${radius}?`);
  return out;
}

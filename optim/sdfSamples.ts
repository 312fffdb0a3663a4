// Training samples for network SDFs (docs/dist.md §8), as DeepSDF draws them: most points near the
// surface (surface points moved by Gaussian noise at two scales), some uniform in the bounding
// sphere, each with its signed distance clamped to +-clamp (the network's output range).

import type { Mesh } from '../geometry/mesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { signedDistanceToMesh } from '../geometry/signedDistance.js';
import { ArgumentError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import { SdfWorkspace, sdfValues } from '../ops/sphereTracing/sdf/evaluate.js';
import type { Sdf } from '../ops/sphereTracing/sdf/sdf.js';
import { sdfSurfacePoints } from '../ops/sphereTracing/sdf/surfacePoints.js';

/** Points (xyz triples) and their clamped signed distances. */
export interface SdfSamples {
  points: Float32Array;
  distances: Float32Array;
}

export interface SampleOptions {
  /** Fractions and standard deviations of the near-surface points (default 0.4 at 0.05 and 0.4 at 0.015; the rest uniform). */
  near?: readonly (readonly [fraction: number, std: number])[];
  /** Radius of the ball the uniform points fill (default 1, the tracer's bounding sphere). */
  radius?: number;
  /** Distances are clamped to +-clamp (default 0.1, DeepSDF's). */
  clamp?: number;
  seed?: number;
}

const NEAR = [
  [0.4, 0.05],
  [0.4, 0.015],
] as const;

/** `count` sample positions around `surface` (xyz triples on the surface). */
function positions(surface: ArrayLike<number>, count: number, o: SampleOptions): Float64Array {
  const rng = new Random(o.seed ?? 0);
  const near = o.near ?? NEAR;
  const radius = o.radius ?? 1;
  const m = surface.length / 3;
  const out = new Float64Array(3 * count);
  for (let i = 0; i < count; i++) {
    let u = rng.next(),
      std = -1;
    for (const [fraction, s] of near) {
      if (u < fraction) {
        std = s;
        break;
      }
      u -= fraction;
    }
    if (std >= 0) {
      const j = rng.int(m);
      for (let k = 0; k < 3; k++) out[3 * i + k] = surface[3 * j + k] + std * rng.normal();
    } else {
      rng.inBall(radius, out, 3 * i);
    }
  }
  return out;
}

function pack(points: Float64Array, distances: ArrayLike<number>, clamp: number): SdfSamples {
  const d = new Float32Array(distances.length);
  for (let i = 0; i < d.length; i++) d[i] = Math.max(-clamp, Math.min(clamp, distances[i]));
  return { points: Float32Array.from(points), distances: d };
}

/** Samples of an analytic SDF (its exact distances). */
export function sdfTrainingSamples(sdf: Sdf, count: number, options: SampleOptions = {}): SdfSamples {
  if (!Number.isInteger(count) || count < 1) throw new ArgumentError(`sdfTrainingSamples: count must be a whole number >= 1, got ${count}.`);
  const surface = sdfSurfacePoints(sdf, Math.min(count, 4000), { seed: options.seed, radius: options.radius });
  const p = positions(surface, count, options);
  const f = new Float64Array(count);
  sdfValues(sdf.plain(), p, count, f, new SdfWorkspace());
  return pack(p, f, options.clamp ?? 0.1);
}

/** Samples of a closed mesh (distances to its triangles, signed by the winding number; slow: O(faces) a point). */
export function meshTrainingSamples(mesh: Mesh, count: number, options: SampleOptions = {}): SdfSamples {
  if (!Number.isInteger(count) || count < 1) throw new ArgumentError(`meshTrainingSamples: count must be a whole number >= 1, got ${count}.`);
  const surface = samplePoints(mesh, Math.min(count, 8000), { seed: options.seed ?? 0 }).positions;
  const p = positions(surface, count, options);
  return pack(p, signedDistanceToMesh(p, mesh), options.clamp ?? 0.1);
}

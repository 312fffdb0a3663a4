// `splatgrad demo denoise`: surface regularization alone (docs/dss.md §4, eq. 15-18), no images. The
// bunny is sampled with 5,000 points, each moved by Gaussian noise of 1% of the bounding-box
// diagonal along a random direction; the projection loss (eq. 18) pulls the points back onto the
// planes their neighbours fit (weighted PCA, eq. 16) while the repulsion loss (eq. 17) keeps them
// from clumping inside those planes. Writes noisy.ply and cleaned.ply and reports the mean
// point-to-mesh distance to the true bunny and the spread of nearest-neighbour spacings.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '../../lib/errors.js';
import { tensor } from '../../lib/create.js';
import { Random } from '../../lib/random.js';
import { loadMesh, savePointCloud } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';
import { knn } from '../../geometry/neighbors.js';
import { pointToMeshDistance } from '../../geometry/pointToMesh.js';
import { samplePoints } from '../../geometry/sampling.js';
import { NeighborhoodSchedule } from '../../ops/regularizers/neighborhood.js';
import { surfaceRegularization } from '../../ops/regularizers/surfaceRegularization.js';
import { SGD } from '../../optim/index.js';

export interface DenoiseOptions {
  /** Output folder for noisy.ply and cleaned.ply; null writes nothing. */
  out?: string | null;
  /** Points sampled on the bunny (default 5,000). */
  points?: number;
  /** Noise standard deviation in units of the bounding-box diagonal (default 0.01). */
  noise?: number;
  /** Optimization steps (default 30). */
  iterations?: number;
  /** Steps between neighbourhood rebuilds (default 5). */
  rebuildEvery?: number;
  /** Radius of the PCA / projection neighbourhood, in units of the mean clean spacing (default 3.75). */
  projectionRadius?: number;
  /** Radius of the repulsion neighbourhood, in units of the mean clean spacing (default 2). */
  repulsionRadius?: number;
  /** gamma_r / gamma_p of eq. 8 (default 1e-8: the losses differ by orders of magnitude in scale). */
  repulsionWeight?: number;
  /** Step as a fraction of a point's distance to its plane (SGD lr = step N / gamma_p; default 0.25). */
  step?: number;
  /** Treat the PCA frame as constant (default true, as the DSS reference; false differentiates through it). */
  detachFrame?: boolean;
  /** Weight neighbours by normal similarity (eq. 15b) using the sampled normals (default false: positions only). */
  useNormals?: boolean;
  seed?: number;
  onProgress?: (iteration: number, projection: number, repulsion: number) => void;
}

export interface DenoiseSummary {
  demo: 'denoise';
  points: number;
  /** Noise standard deviation in diagonals. */
  noise: number;
  iterations: number;
  /** Mean point-to-mesh distance to the true bunny, in bbox diagonals, of the noisy and the cleaned cloud. */
  surfaceDistanceBefore: number;
  surfaceDistanceAfter: number;
  /** Coefficient of variation (std / mean) of nearest-neighbour distances: lower is more even. */
  spacingVariationBefore: number;
  spacingVariationAfter: number;
  /** The same for the noise-free sample, for reference. */
  spacingVariationClean: number;
  /** Smallest nearest-neighbour distance over the mean one (clumping shows as a value near 0). */
  minSpacingRatioAfter: number;
  neighborhoodBuilds: number;
  seconds: number;
  out: string | null;
}

/** Coefficient of variation of the nearest-neighbour distances, and min over mean. */
function spacing(points: Float64Array): { variation: number; minRatio: number; mean: number } {
  const d = knn(points, 1).distances;
  let sum = 0,
    min = Infinity;
  for (const v of d) {
    sum += v;
    min = Math.min(min, v);
  }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { variation: Math.sqrt(sq / d.length) / mean, minRatio: min / mean, mean };
}

function checkPositive(value: number, name: string, integer = false): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new ArgumentError(`denoise: options.${name} must be a positive ${integer ? 'whole number' : 'number'}, got ${value}.`);
  }
  return value;
}

export function denoise(options: DenoiseOptions = {}): DenoiseSummary {
  const t0 = performance.now();
  const n = checkPositive(options.points ?? 5000, 'points', true);
  const noise = checkPositive(options.noise ?? 0.01, 'noise');
  const iterations = checkPositive(options.iterations ?? 30, 'iterations', true);
  const every = checkPositive(options.rebuildEvery ?? 5, 'rebuildEvery', true);
  const seed = options.seed ?? 1;

  const bunny = loadMesh('bunny');
  const { diagonal } = boundingBox(bunny.positions);
  const clean = samplePoints(bunny, n, { seed });
  const cleanSpacing = spacing(clean.positions);

  // noise: a Gaussian length of sigma = noise x diagonal along a uniformly random direction
  const rng = new Random(seed + 1);
  const noisy = new Float64Array(clean.positions);
  for (let i = 0; i < n; i++) {
    const z = rng.uniform(-1, 1),
      a = rng.uniform(0, 2 * Math.PI),
      r = Math.sqrt(1 - z * z);
    const len = noise * diagonal * rng.normal();
    noisy[3 * i] += len * r * Math.cos(a);
    noisy[3 * i + 1] += len * r * Math.sin(a);
    noisy[3 * i + 2] += len * z;
  }

  const positions = tensor(noisy, { shape: [n, 3], requiresGrad: true, name: 'positions' });
  const projectionSchedule = new NeighborhoodSchedule({ radius: checkPositive(options.projectionRadius ?? 3.75, 'projectionRadius') * cleanSpacing.mean, every });
  const repulsionSchedule = new NeighborhoodSchedule({ radius: checkPositive(options.repulsionRadius ?? 2, 'repulsionRadius') * cleanSpacing.mean, every });
  const normals = options.useNormals ? tensor(clean.normals!, { shape: [n, 3] }) : null;
  const gammaP = 1,
    gammaR = options.repulsionWeight ?? 1e-8;
  // L_p = 1/N sum_i sum_k w_ik h_ik^2 moves p_i by about 4 lr h / N per step: lr = step N / 4
  const opt = new SGD([positions], { lr: (checkPositive(options.step ?? 0.25, 'step') * n) / (4 * gammaP) });
  for (let it = 0; it < iterations; it++) {
    const neighborhood = projectionSchedule.at(it, positions);
    const repulsionNeighborhood = repulsionSchedule.at(it, positions);
    opt.zeroGrad();
    const r = surfaceRegularization(positions, normals, {
      neighborhood,
      repulsionNeighborhood,
      projectionWeight: gammaP,
      repulsionWeight: gammaR,
      detachFrame: options.detachFrame ?? true,
    });
    r.loss.backward();
    opt.step();
    options.onProgress?.(it, r.projection!.item(), r.repulsion!.item());
  }

  const cleaned = new Float64Array(positions.data);
  const out = options.out ?? null;
  if (out !== null) {
    mkdirSync(out, { recursive: true });
    savePointCloud(join(out, 'noisy.ply'), { positions: noisy });
    savePointCloud(join(out, 'cleaned.ply'), { positions: cleaned });
  }
  const after = spacing(cleaned);
  return {
    demo: 'denoise',
    points: n,
    noise,
    iterations,
    surfaceDistanceBefore: pointToMeshDistance(noisy, bunny).meanNormalized,
    surfaceDistanceAfter: pointToMeshDistance(cleaned, bunny).meanNormalized,
    spacingVariationBefore: spacing(noisy).variation,
    spacingVariationAfter: after.variation,
    spacingVariationClean: cleanSpacing.variation,
    minSpacingRatioAfter: after.minRatio,
    neighborhoodBuilds: projectionSchedule.builds + repulsionSchedule.builds,
    seconds: (performance.now() - t0) / 1000,
    out,
  };
}

// The benchmark scene of the Fuzzy Metaballs issue (paper Table 1): the bunny as 40 Gaussians
// (EM on 10,000 surface samples, log 80 added to the weights, as the reference's pose notebook),
// seen from one camera at 80 x 60 (and 64 x 64); the backward gets the pose loss's gradient
// against the rasterized mesh (silhouette cross-entropy and depth error, docs/fm.md eq. 11-12).

import { Camera } from '../geometry/camera.js';
import { fitGaussians, metaballsFromMixture } from '../geometry/gaussianMixture.js';
import { loadMesh } from '../geometry/loadMesh.js';
import { boundingBox } from '../geometry/mesh.js';
import { rasterizeMesh } from '../geometry/rasterize.js';
import { samplePoints } from '../geometry/sampling.js';
import { tensor } from '../lib/create.js';
import { noGrad } from '../lib/tape.js';
import { fuzzyMetaballs } from '../ops/metaballs/fuzzyMetaballs.js';
import { type Metaballs, metaballScale } from '../ops/metaballs/options.js';

export interface FmScene {
  fm: Metaballs;
  scale: number;
  camera: Camera;
  /** dL/d depth and dL/d alpha of the pose loss against the mesh's own render. */
  gradDepth: Float32Array;
  gradAlpha: Float32Array;
}

let model: { fm: Metaballs; scale: number; center: [number, number, number]; radius: number } | null = null;

function bunnyMetaballs() {
  if (model) return model;
  const mesh = loadMesh('bunny');
  const mix = fitGaussians(samplePoints(mesh, 10000, { seed: 1 }).positions, 40, { seed: 0 });
  const p = metaballsFromMixture(mix, Math.log(80));
  const fm: Metaballs = {
    means: tensor(p.means, { shape: [40, 3], dtype: 'float32', requiresGrad: true }),
    precisions: tensor(p.precisions, { shape: [40, 6], dtype: 'float32', requiresGrad: true }),
    logWeights: tensor(p.logWeights, { shape: [40], dtype: 'float32', requiresGrad: true }),
  };
  const b = boundingBox(mesh.positions);
  model = { fm, scale: metaballScale(p.means, p.precisions, p.logWeights), center: b.center, radius: b.diagonal / 2 };
  return model;
}

export function fmScene(width: number, height: number): FmScene {
  const { fm, scale, center, radius } = bunnyMetaballs();
  const mesh = loadMesh('bunny');
  const camera = Camera.lookAt({ eye: [center[0] + 1.1 * radius, center[1] + 0.5 * radius, center[2] + 2.2 * radius], target: center, width, height, fovY: 50 });
  const target = rasterizeMesh(mesh, camera);
  const r = noGrad(() => fuzzyMetaballs(fm, camera, { scale, threads: 1 }));
  const P = width * height;
  const valid = target.alpha.data;
  let sum = 0,
    count = 0;
  for (let p = 0; p < P; p++) {
    if (valid[p] > 0) {
      sum += target.depth.data[p];
      count++;
    }
  }
  const meanDepth = sum / count;
  const gradDepth = new Float32Array(P),
    gradAlpha = new Float32Array(P);
  for (let p = 0; p < P; p++) {
    // eq. 12 (squared, over the target's pixels) and eq. 11 (clipped), both means over the image
    if (valid[p] > 0) gradDepth[p] = (2 * (r.depth.data[p] - target.depth.data[p])) / (meanDepth * meanDepth * P);
    const a = Math.min(Math.max(r.alpha.data[p], 1e-6), 1 - 1e-6);
    gradAlpha[p] = (valid[p] > 0 ? -1 / a : 1 / (1 - a)) / P;
  }
  return { fm, scale, camera, gradDepth, gradAlpha };
}

// The benchmark scene of the DSS issues: N points sampled on the unit-cube sphere, seen from one
// camera so the sphere fills ~80% of the frame; a target render of the same cloud nudged, so the
// backward sees a realistic image-loss gradient (L1: sign(I - I*) / (H W C)).

import { tensor } from '../lib/create.js';
import { noGrad } from '../lib/tape.js';
import type { Tensor } from '../lib/tensor.js';
import type { Camera } from '../geometry/camera.js';
import { loadMesh } from '../geometry/loadMesh.js';
import { samplePoints } from '../geometry/sampling.js';
import { fibonacciViews } from '../geometry/views.js';
import { ewaSplat } from '../ops/splat/ewaSplat.js';
import { Random } from '../lib/random.js';

export interface DssScene {
  positions: Tensor;
  normals: Tensor;
  colours: Tensor;
  camera: Camera;
  /** dL/dI of an L1 loss against the nudged target. */
  gradImage: Float32Array;
}

export function dssScene(points: number, size: number): DssScene {
  const cloud = samplePoints(loadMesh('sphere'), points, { seed: 1 });
  const positions = tensor(cloud.positions, { shape: [points, 3], dtype: 'float32', requiresGrad: true });
  const normals = tensor(cloud.normals!, { shape: [points, 3], dtype: 'float32', requiresGrad: true });
  const colours = tensor(
    Float32Array.from(cloud.normals!, (v) => 0.5 + 0.5 * v),
    { shape: [points, 3], requiresGrad: true },
  );
  const camera = fibonacciViews(1, { radius: 0.5, fill: 0.8, width: size, height: size })[0];
  const rng = new Random(2);
  const nudged = tensor(
    Float32Array.from(cloud.positions, (v) => v + 0.01 * rng.normal()),
    { shape: [points, 3] },
  );
  const image = noGrad(() => ewaSplat(positions, normals, colours, camera).image.data);
  const target = noGrad(() => ewaSplat(nudged, normals, colours, camera).image.data);
  const gradImage = Float32Array.from(image, (v, i) => Math.sign(v - target[i]) / image.length);
  return { positions, normals, colours, camera, gradImage };
}

// Small scenes for the splat specs: a camera on +z looking at the origin, points and normals.

import { tensor } from '../../../lib/create.js';
import type { Tensor } from '../../../lib/tensor.js';
import { Camera } from '../../../geometry/camera.js';
import { Random } from '../../../lib/random.js';

export function frontCamera(width = 64, height = width, distance = 3, fovY = 40): Camera {
  return Camera.lookAt({ eye: [0, 0, distance], target: [0, 0, 0], up: [0, 1, 0], width, height, fovY });
}

export interface Cloud {
  positions: Tensor;
  normals: Tensor;
  attributes: Tensor;
}

export function cloud(points: number[][], normals: number[][], attributes: number[][], dtype: 'float32' | 'float64' = 'float64'): Cloud {
  return { positions: tensor(points, { dtype }), normals: tensor(normals, { dtype }), attributes: tensor(attributes, { dtype }) };
}

/** n random oriented points in a box in front of the camera, normals roughly towards it. */
export function randomScene(n: number, seed: number, dtype: 'float32' | 'float64' = 'float64'): Cloud {
  const rng = new Random(seed);
  const p: number[][] = [],
    nr: number[][] = [],
    a: number[][] = [];
  for (let k = 0; k < n; k++) {
    p.push([rng.uniform(-0.6, 0.6), rng.uniform(-0.6, 0.6), rng.uniform(-0.5, 0.5)]);
    nr.push([rng.uniform(-0.7, 0.7), rng.uniform(-0.7, 0.7), 1]);
    a.push([rng.next(), rng.next(), rng.next()]);
  }
  return cloud(p, nr, a, dtype);
}

/** n uniform random points on the sphere of radius r at the origin, outward normals, normal colours. */
export function sphereScene(n: number, r: number, seed: number): Cloud {
  const rng = new Random(seed);
  const p = new Float32Array(3 * n),
    nr = new Float32Array(3 * n);
  for (let k = 0; k < n; k++) {
    let x = 0,
      y = 0,
      z = 0,
      l = 0;
    while (l < 1e-6) {
      x = rng.normal();
      y = rng.normal();
      z = rng.normal();
      l = Math.hypot(x, y, z);
    }
    nr.set([x / l, y / l, z / l], 3 * k);
    p.set([(r * x) / l, (r * y) / l, (r * z) / l], 3 * k);
  }
  return {
    positions: tensor(p, { shape: [n, 3] }),
    normals: tensor(nr, { shape: [n, 3] }),
    attributes: tensor(
      nr.map((v) => 0.5 + 0.5 * v),
      { shape: [n, 3] },
    ),
  };
}

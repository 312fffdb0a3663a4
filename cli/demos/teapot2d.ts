// The patent's 2-D case (dss.md §6): a flat grid of points facing one fixed camera is pulled,
// positions only, until its splat render matches the teapot's silhouette. Every splat is white on
// black, so the render does not depend on the smooth weights at all: only the artificial gradient
// (eq. 12-14) can move the points. The target comes from the triangle rasterizer, not the splatter.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../../lib/create.js';
import { noGrad } from '../../lib/tape.js';
import { Camera } from '../../geometry/camera.js';
import { contactSheet } from '../../geometry/contactSheet.js';
import { imageFromData } from '../../geometry/image.js';
import { teapot } from '../../geometry/shapes/teapot.js';
import { writePng } from '../../geometry/png.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { add, mean, mul, sub } from '../../ops/index.js';
import { repulsionLoss } from '../../ops/regularizers/repulsion.js';
import { radiusNeighbors } from '../../geometry/neighbors.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';
import { SGD, clipGradValue } from '../../optim/index.js';

export interface Teapot2dOptions {
  out?: string;
  size?: number;
  /** Points per side of the initial grid (default 32: 1,024 points). */
  grid?: number;
  iterations?: number;
  lr?: number;
  /** Weight of the repulsion loss (eq. 17) that spreads the points inside the silhouette. */
  repulsion?: number;
  sigma?: number;
  /** Clip every gradient coordinate to [-clip, clip] (default 0.05). */
  clip?: number;
  /** Side of the initial grid square (scene units; the teapot spans 1). */
  extent?: number;
  /** Artificial-gradient window (pixels, default 64): wide enough that stray points see the silhouette. */
  window?: number;
  onProgress?: (iteration: number, loss: number, iou: number) => void;
}

export interface Teapot2dSummary {
  demo: 'teapot-2d';
  points: number;
  size: number;
  iterations: number;
  iouInitial: number;
  iou: number;
  lossInitial: number;
  lossFinal: number;
  seconds: number;
  out: string | null;
}

/** Intersection over union of two coverage masks (values > 0.5 count as inside). */
export function silhouetteIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] > 0.5, y = b[i] > 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

export function teapot2d(options: Teapot2dOptions = {}): Teapot2dSummary {
  const t0 = performance.now();
  const size = options.size ?? 128;
  const side = options.grid ?? 32;
  const iterations = options.iterations ?? 300;
  const camera = Camera.lookAt({ eye: [0, 0, 2.5], target: [0, 0, 0], up: [0, 1, 0], width: size, height: size, fovY: 30 });
  const target = rasterizeMesh(teapot(), camera).alpha;
  const targetImage = tensor(target.data, { shape: [size, size, 1] });

  const n = side * side;
  const extent = options.extent ?? 0.5;
  const grid = new Float32Array(3 * n);
  for (let j = 0; j < side; j++)
    for (let i = 0; i < side; i++) grid.set([extent * (-0.5 + (i + 0.5) / side), extent * (-0.5 + (j + 0.5) / side), 0], 3 * (j * side + i));
  const positions = tensor(grid, { shape: [n, 3], requiresGrad: true, name: 'positions' });
  const normals = tensor(new Float32Array(3 * n).map((_, i) => (i % 3 === 2 ? 1 : 0)), { shape: [n, 3] });
  const white = tensor(new Float32Array(n).fill(1), { shape: [n, 1] });
  const splat = { sigma: options.sigma ?? 0.02, mergeThreshold: 0.05, backfaceCulling: false, window: options.window ?? 64 };

  const render = () => ewaSplat(positions, normals, white, camera, splat);
  const lossOf = (image: typeof targetImage) => {
    const d = sub(image, targetImage);
    return mean(mul(d, d));
  };
  const before = noGrad(render);
  const lossInitial = noGrad(() => lossOf(before.image).item());
  const iouInitial = silhouetteIou(before.alpha.data, target.data);
  // SGD, as the reference: Adam's per-coordinate scaling would let the small repulsion term move
  // points that the image does not see at full speed
  const opt = new SGD([positions], { lr: options.lr ?? 0.01, momentum: 0.9, nesterov: true });
  // repulsion within a few grid spacings, neighbours rebuilt every 10 steps (patent [0082])
  const radius = 2.5 * splat.sigma;
  const gammaR = options.repulsion ?? 1e-6;
  const clip = options.clip ?? 0.05;
  let neighbors = radiusNeighbors(positions.data, radius);
  let lossFinal = lossInitial;
  for (let it = 0; it < iterations; it++) {
    opt.zeroGrad();
    if (it % 10 === 0) neighbors = radiusNeighbors(positions.data, radius);
    const r = render();
    const loss = add(lossOf(r.image), mul(repulsionLoss(positions, normals, neighbors, radius), gammaR));
    loss.backward();
    clipGradValue([positions], clip); // the artificial gradient is spiky near 1/eps: clip, as the reference
    opt.step();
    lossFinal = loss.item();
    options.onProgress?.(it, lossFinal, silhouetteIou(r.alpha.data, target.data));
  }
  const after = noGrad(render);
  lossFinal = noGrad(() => lossOf(after.image).item());
  const iou = silhouetteIou(after.alpha.data, target.data);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    const gray = (data: ArrayLike<number>) => imageFromData(Float32Array.from(data), size, size, 1);
    writePng(join(options.out, 'target.png'), gray(target.data));
    writePng(join(options.out, 'before.png'), gray(before.image.data));
    writePng(join(options.out, 'after.png'), gray(after.image.data));
    writePng(join(options.out, 'sheet.png'), contactSheet([gray(target.data), gray(before.image.data), gray(after.image.data)], { labels: ['target', 'before', 'after'] }));
  }
  return { demo: 'teapot-2d', points: n, size, iterations, iouInitial, iou, lossInitial, lossFinal, seconds: (performance.now() - t0) / 1000, out: options.out ?? null };
}

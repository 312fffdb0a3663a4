// The patent's 2-D case (docs/dss.md §6): a flat grid of points facing one fixed camera is pulled,
// positions only, until its splat render matches the teapot's silhouette. Every splat is white on
// black, so the render does not depend on the smooth weights at all: only the artificial gradient
// (eq. 12-14) can move the points. The target comes from the triangle rasterizer, not the splatter.
//
// Why the defaults are what they are (measured; IoU after the default run is about 0.99):
// - Small splats at 256 x 256. The covered area is a union of splat ellipses, so the outline can be
//   no sharper than their radius. At sigma 0.005 the screen low-pass filter dominates and every
//   splat is a disc of about 2.8 px radius, just above what the ~3 px spacing of 1,024 points
//   spread over the silhouette needs to leave no holes. The best any such union of discs can do
//   (the silhouette "opened" by the disc) is IoU 0.999 here, against 0.88 for sigma 0.02 at 128 px.
// - Grow, never shrink. A pixel covered by several white splats cannot change when one of them
//   moves (eq. 6), so it sends no gradient: a region that is covered but should not be (the hole
//   of the handle, the notch between spout and body) stays covered for good. The grid therefore
//   starts as a small dense square inside the body and grows outward; the uncovered silhouette
//   pixels pull the front (scenario (b)), and the front's own overhang is pushed back (scenario (c)).
// - A narrow window (28 px). Only the pixels inside it can pull a splat, so the front advances like
//   a flood fill along the silhouette: it reaches the handle and the spout through the places where
//   they join the body instead of being pulled straight across the gap (64 px windows fill the
//   handle's hole; 16 px windows are too short-sighted to draw enough points into the thin parts).
// - SGD with Nesterov momentum 0.9 and gradient clipping by value, as the DSS reference: the
//   artificial gradient is spiky (its 1/|d| terms), clipping makes the steps bounded and nearly
//   uniform, momentum keeps the front moving (momentum 0.5 grows 4x slower).
// - No repulsion by default. The dense start grid sits far inside the 1e-4 guard of eq. 17, where
//   even gamma_r = 1e-6 blows it apart into the concave gaps (IoU 0.93); at any weight the
//   repulsion's outward pressure fills multiply-covered gaps the image term cannot empty again.

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
  /** Weight of the repulsion loss (eq. 17); default 0 (off, see the header). */
  repulsion?: number;
  sigma?: number;
  /** Clip every gradient coordinate to [-clip, clip] (default 0.05). */
  clip?: number;
  /** Side of the initial grid square (scene units; the teapot spans 1; default 0.1, inside the body). */
  extent?: number;
  /** Artificial-gradient window (pixels, default 28): see the header for why it is narrow. */
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
  let inter = 0,
    union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] > 0.5,
      y = b[i] > 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

export function teapot2d(options: Teapot2dOptions = {}): Teapot2dSummary {
  const t0 = performance.now();
  const size = options.size ?? 256;
  const side = options.grid ?? 32;
  const iterations = options.iterations ?? 400; // converged by then (IoU 0.989 at 400, 0.991 at 600)
  const camera = Camera.lookAt({ eye: [0, 0, 2.5], target: [0, 0, 0], up: [0, 1, 0], width: size, height: size, fovY: 30 });
  const target = rasterizeMesh(teapot(), camera).alpha;
  const targetImage = tensor(target.data, { shape: [size, size, 1] });

  // a small dense square inside the teapot's body (see the header: the cloud must grow, not shrink)
  const n = side * side;
  const extent = options.extent ?? 0.1;
  const grid = new Float32Array(3 * n);
  for (let j = 0; j < side; j++) for (let i = 0; i < side; i++) grid.set([extent * (-0.5 + (i + 0.5) / side), extent * (-0.5 + (j + 0.5) / side), 0], 3 * (j * side + i));
  const positions = tensor(grid, { shape: [n, 3], requiresGrad: true, name: 'positions' });
  const normals = tensor(
    new Float32Array(3 * n).map((_, i) => (i % 3 === 2 ? 1 : 0)),
    { shape: [n, 3] },
  );
  const white = tensor(new Float32Array(n).fill(1), { shape: [n, 1] });
  const splat = { sigma: options.sigma ?? 0.005, mergeThreshold: 0.05, backfaceCulling: false, window: options.window ?? 28 };

  const render = () => ewaSplat(positions, normals, white, camera, splat);
  // L2: on a binary render against a binary target L1, L2 and SMAPE send the same per-pixel sign
  // (only pixels that differ from the target are live), so the plainest one is used
  const lossOf = (image: typeof targetImage) => {
    const d = sub(image, targetImage);
    return mean(mul(d, d));
  };
  const before = noGrad(render);
  const lossInitial = noGrad(() => lossOf(before.image).item());
  const iouInitial = silhouetteIou(before.alpha.data, target.data);
  // SGD, as the reference: Adam's per-coordinate scaling would move at full speed the points
  // whose gradient is tiny (the interior, where only a regularizer acts)
  const opt = new SGD([positions], { lr: options.lr ?? 0.003, momentum: 0.9, nesterov: true });
  // optional repulsion (off by default) within about two point spacings of the final cloud,
  // neighbours rebuilt every 10 steps: the points move little between rebuilds
  const radius = 0.03;
  const gammaR = options.repulsion ?? 0;
  const clip = options.clip ?? 0.05;
  let neighbors = gammaR > 0 ? radiusNeighbors(positions.data, radius) : null;
  let lossFinal = lossInitial;
  for (let it = 0; it < iterations; it++) {
    opt.zeroGrad();
    const r = render();
    let loss = lossOf(r.image);
    if (gammaR > 0) {
      if (it % 10 === 0 || !neighbors) neighbors = radiusNeighbors(positions.data, radius);
      loss = add(loss, mul(repulsionLoss(positions, normals, neighbors, radius), gammaR));
    }
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

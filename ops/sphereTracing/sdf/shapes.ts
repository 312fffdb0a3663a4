// Ready-made SDFs for the demos, the benchmark and the docs (docs/dist.md §1).

import type { DType } from '../../../lib/dtype.js';
import { difference, union } from './combine.js';
import { cylinder, roundedBox, sphere } from './primitives.js';
import type { Sdf } from './sdf.js';
import { transform } from './transform.js';

/**
 * The analytic CSG shape of the pose demo and the `sphere-trace` benchmark: a rounded box with an
 * off-centre dome blended on (smooth union) and a cylinder bored through it off-centre (smooth
 * difference): 3 primitives, a transform and 2 combinations, with no symmetry a pose could hide
 * behind. It fits the unit sphere (its farthest point is 0.78 from the origin).
 */
export function csgShape(options: { dtype?: DType } = {}): Sdf {
  const dtype = options.dtype ?? 'float32';
  const body = roundedBox({ halfSize: [0.5, 0.26, 0.32], radius: 0.08, dtype });
  const dome = sphere({ center: [-0.16, 0.22, 0.06], radius: 0.3, dtype });
  const bore = transform(cylinder({ radius: 0.11, halfHeight: 0.6, dtype }), { rotation: [Math.PI / 2, 0, 0], translation: [0.24, -0.04, 0] });
  return difference(union([body, dome], { k: 0.08 }), bore, { k: 0.02 });
}

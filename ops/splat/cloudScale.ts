// The two lengths the splat defaults scale with: the point spacing (mean distance to the 6
// nearest neighbours, docs/dss.md §1) and the bounding-box diagonal (for the merge threshold T).
// The spacing is estimated on an evenly strided subset of at most 32 points, each against
// the whole cloud (a uniform grid finds them): within a few percent (192 distances), enough for a
// default, in O(N). The last cloud measured is remembered (a copy, compared value by value), so
// renders of one unchanged cloud, view after view or through a normals-only fit, skip the search.
// A cloud without extent (one point, or all points at one place) has no spacing: the renderer then
// sizes its splats from the camera instead (splatScale: one pixel at the cloud's depth).

import { GridIndex } from '../../geometry/gridIndex.js';
import type { PlainCamera } from '../../geometry/camera.js';
import { boundingBox } from '../../geometry/mesh.js';

const NEIGHBOURS = 6;
const SAMPLE = 32;

export interface CloudScale {
  spacing: number;
  diagonal: number;
  /** False for a cloud without extent (one point, or coincident points): spacing and diagonal are then 1, a placeholder. */
  measured: boolean;
}

let last: { points: Float32Array | Float64Array; scale: CloudScale } | null = null;

function sameValues(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function cloudScale(positions: ArrayLike<number>): CloudScale {
  const points = positions instanceof Float64Array || positions instanceof Float32Array ? positions : Float64Array.from(positions);
  if (last && sameValues(last.points, points)) return { ...last.scale };
  const scale = measure(points);
  last = { points: points.slice(), scale };
  return { ...scale };
}

function measure(points: Float32Array | Float64Array): CloudScale {
  const n = points.length / 3;
  const diagonal = boundingBox(points).diagonal;
  if (n < 2 || !(diagonal > 0)) return { spacing: 1, diagonal: 1, measured: false };
  const k = Math.min(NEIGHBOURS, n - 1);
  const step = Math.max(1, Math.floor(n / SAMPLE));
  const samples = Math.ceil(n / step);
  const queries = new Float64Array(3 * samples);
  for (let s = 0; s < samples; s++) queries.set(points.subarray(3 * s * step, 3 * s * step + 3), 3 * s);
  // k + 1 nearest of each sample among all points: the first is the sample itself (distance 0)
  const { distances } = new GridIndex(points).knn(k + 1, { queries });
  let total = 0;
  for (let s = 0; s < samples; s++) for (let m = 1; m <= k; m++) total += distances[s * (k + 1) + m];
  const spacing = total / (samples * k);
  return { spacing: spacing > 0 ? spacing : diagonal, diagonal, measured: true };
}

/**
 * The scale a render sizes its splats by: cloudScale, or for a cloud without extent the length of
 * one pixel at the cloud's mean depth in front of `camera` (a splat of a few pixels).
 */
export function splatScale(positions: ArrayLike<number>, camera: PlainCamera): CloudScale {
  const scale = cloudScale(positions);
  if (scale.measured) return scale;
  const R = camera.R,
    t = camera.t;
  let depth = 0,
    inFront = 0;
  for (let k = 0; k < positions.length; k += 3) {
    const z = R[6] * positions[k] + R[7] * positions[k + 1] + R[8] * positions[k + 2] + t[2];
    if (z > camera.near) {
      depth += z;
      inFront++;
    }
  }
  const pixel = inFront > 0 ? depth / inFront / Math.max(camera.fx, camera.fy) : 1;
  return { spacing: pixel, diagonal: pixel, measured: false };
}

// The two lengths the splat defaults scale with: the point spacing (mean distance to the 6
// nearest neighbours, dss.md §1) and the bounding-box diagonal (for the merge threshold T).
// The spacing is estimated on an evenly strided subset of at most 32 points, each against
// the whole cloud: within a few percent (192 distances), enough for a default, and O(32 N) with no index structure.

import { boundingBox } from '../../geometry/mesh.js';

const NEIGHBOURS = 6;
const SAMPLE = 32;

export function cloudScale(positions: ArrayLike<number>): { spacing: number; diagonal: number } {
  const n = positions.length / 3;
  const diagonal = boundingBox(Float64Array.from(positions)).diagonal;
  if (n < 2) return { spacing: diagonal || 1, diagonal: diagonal || 1 };
  const k = Math.min(NEIGHBOURS, n - 1);
  const step = Math.max(1, Math.floor(n / SAMPLE));
  const best = new Float64Array(k);
  let total = 0, samples = 0;
  for (let i = 0; i < n; i += step) {
    best.fill(Infinity);
    const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = positions[3 * j] - x, dy = positions[3 * j + 1] - y, dz = positions[3 * j + 2] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 >= best[k - 1]) continue;
      let at = k - 1;
      while (at > 0 && best[at - 1] > d2) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = d2;
    }
    for (let m = 0; m < k; m++) total += Math.sqrt(best[m]);
    samples += k;
  }
  const spacing = total / samples;
  return { spacing: spacing > 0 ? spacing : diagonal || 1, diagonal: diagonal || spacing || 1 };
}

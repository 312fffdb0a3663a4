// Coarse to fine (docs/dist.md §3, the paper's Fig. 3a): the first level has one ray per block of
// scale x scale pixels (4 x 4 by default) through the block's centre; after its steps each ray
// splits in four, one per quarter block, and the children go on from where their parent got to.
// The last level (scale 1) has one ray per pixel centre. A task holds a band of coarse rows and
// every descendant of its rays, so tasks never share a ray.

import { ACTIVE, MISS, OUTSIDE, INSIDE, type RayLevel } from './rayBatch.js';
import { type TraceCamera, rayDirection, sphereSpan } from './rays.js';

/** Columns and rows of the ray grid at `scale`. */
export function gridSize(width: number, height: number, scale: number): [number, number] {
  return [Math.ceil(width / scale), Math.ceil(height / scale)];
}

const span = new Float64Array(2);

/**
 * Sets up the rays of rows [row0, row1) of the grid at `scale`. Without a parent level they
 * start where they enter the bounding sphere; with one, each continues from its parent (the ray
 * of the block holding its own), unless that parent never marched into the shape (it missed the
 * sphere, or started inside the shape): then it starts afresh at its own entry.
 */
export function initLevel(level: RayLevel, cam: TraceCamera, scale: number, row0: number, row1: number, parent: RayLevel | null, radius: number): void {
  const [cols] = gridSize(cam.width, cam.height, scale);
  level.resize(cols * (row1 - row0));
  level.cols = cols;
  level.row0 = row0;
  for (let J = row0, r = 0; J < row1; J++) {
    for (let I = 0; I < cols; I++, r++) {
      level.zScale[r] = rayDirection(cam, (I + 0.5) * scale, (J + 0.5) * scale, level.dir, 3 * r);
      const inSphere = sphereSpan(cam.eye, level.dir, 3 * r, radius, span);
      level.entry[r] = inSphere ? span[0] : 0;
      level.exit[r] = inSphere ? span[1] : 0;
      level.value[r] = Infinity;
      if (!inSphere) {
        level.state[r] = OUTSIDE;
        level.steps[r] = 0;
        level.dist[r] = 0;
        level.minValue[r] = Infinity;
        level.minDist[r] = 0;
        level.minInherited[r] = 0;
        continue;
      }
      const p = parent ? ((J >> 1) - parent.row0) * parent.cols + (I >> 1) : -1;
      const pState = p >= 0 ? parent!.state[p] : OUTSIDE;
      if (pState === OUTSIDE || pState === INSIDE) {
        level.state[r] = ACTIVE;
        level.dist[r] = span[0];
        level.steps[r] = 0;
        level.minValue[r] = Infinity;
        level.minDist[r] = span[0];
        level.minInherited[r] = 0;
        continue;
      }
      const P = parent!;
      level.dist[r] = P.dist[p];
      level.steps[r] = P.steps[p];
      level.value[r] = P.value[p];
      level.minValue[r] = P.minValue[p];
      level.minDist[r] = P.minDist[p];
      level.minInherited[r] = P.minValue[p] < Infinity ? 1 : 0;
      level.state[r] = P.dist[p] > span[1] ? MISS : ACTIVE;
    }
  }
}

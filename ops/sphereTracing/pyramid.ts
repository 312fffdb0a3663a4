// Coarse to fine (docs/dist.md §3, the paper's Fig. 3a): the first level has one ray per block of
// scale x scale pixels (4 x 4 by default) through the block's centre; after its steps each ray
// splits in four, one per quarter block, and the children go on from where their parent got to.
// The last level (scale 1) has one ray per pixel centre. A task holds a band of coarse rows and
// every descendant of its rays, so tasks never share a ray.

import { ACTIVE, INSIDE, MISS, OUTSIDE, RayLevel } from './rayBatch.js';
import type { TraceCamera } from './rays.js';

/** Columns and rows of the ray grid at `scale`. */
export function gridSize(width: number, height: number, scale: number): [number, number] {
  return [Math.ceil(width / scale), Math.ceil(height / scale)];
}

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
  const { dir, zScale, entry, exit, dist, value, minValue, minDist, minInherited, state, steps } = level;
  // eq. 11-12 written out with the camera in locals (this loop runs once per ray of every level)
  const { fx, fy, cx, cy } = cam;
  const R = cam.R,
    e = cam.eye;
  const r0 = R[0],
    r1 = R[1],
    r2 = R[2],
    r3 = R[3],
    r4 = R[4],
    r5 = R[5],
    r6 = R[6],
    r7 = R[7],
    r8 = R[8];
  const ex = e[0],
    ey = e[1],
    ez = e[2];
  const c = ex * ex + ey * ey + ez * ez - radius * radius;
  // the parent's arrays in locals (empty without a parent: every ray then starts afresh)
  const P = parent ?? EMPTY;
  const pState = P.state,
    pDist = P.dist,
    pSteps = P.steps,
    pValue = P.value,
    pMinValue = P.minValue,
    pMinDist = P.minDist;
  const pCols = P.cols,
    pRow0 = P.row0;
  for (let J = row0, r = 0; J < row1; J++) {
    const b = ((J + 0.5) * scale - cy) / fy;
    const pRow = parent ? ((J >> 1) - pRow0) * pCols : -1;
    for (let I = 0; I < cols; I++, r++) {
      const a = ((I + 0.5) * scale - cx) / fx;
      const il = 1 / Math.sqrt(a * a + b * b + 1);
      const vx = (r0 * a + r3 * b + r6) * il,
        vy = (r1 * a + r4 * b + r7) * il,
        vz = (r2 * a + r5 * b + r8) * il;
      const o = 3 * r;
      dir[o] = vx;
      dir[o + 1] = vy;
      dir[o + 2] = vz;
      zScale[r] = il;
      const bb = ex * vx + ey * vy + ez * vz;
      const disc = bb * bb - c;
      const root = disc >= 0 ? Math.sqrt(disc) : 0;
      if (disc < 0 || root - bb <= 0) {
        entry[r] = exit[r] = 0;
        state[r] = OUTSIDE;
        steps[r] = 0;
        dist[r] = 0;
        value[r] = Infinity;
        minValue[r] = Infinity;
        minDist[r] = 0;
        minInherited[r] = 0;
        continue;
      }
      const d0 = -bb - root,
        d1 = root - bb;
      entry[r] = d0;
      exit[r] = d1;
      const p = pRow >= 0 ? pRow + (I >> 1) : -1;
      const ps = p >= 0 ? pState[p] : OUTSIDE;
      if (ps === OUTSIDE || ps === INSIDE) {
        state[r] = ACTIVE;
        dist[r] = d0;
        steps[r] = 0;
        value[r] = Infinity;
        minValue[r] = Infinity;
        minDist[r] = d0;
        minInherited[r] = 0;
        continue;
      }
      const pd = pDist[p];
      dist[r] = pd;
      steps[r] = pSteps[p];
      value[r] = pValue[p];
      const mv = pMinValue[p];
      minValue[r] = mv;
      minDist[r] = pMinDist[p];
      minInherited[r] = mv < Infinity ? 1 : 0;
      state[r] = pd > d1 ? MISS : ACTIVE;
    }
  }
}

const EMPTY = new RayLevel();

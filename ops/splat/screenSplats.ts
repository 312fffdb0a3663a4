// Every oriented point as an elliptical Gaussian in screen space (docs/dss.md §2).
//
// With c = R p + t, n_c = R n / |n| and the perspective Jacobian
//   P' = [[fx/z, 0, -fx x/z^2], [0, fy/z, -fy y/z^2]]        (c = (x, y, z))
// the 2x2 Jacobian J = P' R [u v] of the tangent frame satisfies J J^T = P' (I - n_c n_c^T) P'^T,
// so for the isotropic kernel V = sigma^2 I (eq. 1) no tangent frame is needed:
//   M = sigma^2 J J^T + I                    (eq. 3, + I: the one-pixel low-pass filter)
//   |det J| = sqrt(det(J J^T))
//   rho_bar(x) = |det J| exp(-1/2 d^T M^-1 d) / (2 pi sqrt(det M)),   d = x - x_k
// Truncation at 1/2 d^T M^-1 d <= C (eq. 4/5) bounds the ellipse by |dx| <= sqrt(2 C M_xx),
// |dy| <= sqrt(2 C M_yy), the box of pixels a splat visits (docs/dss.md §2).
// That ellipse is the projection linearized at the centre (P'), good near the view and ever worse
// away from it: toward the camera plane P' grows as 1/z^2, so a point far outside the view gets an
// ellipse that spans the whole image though its disk (radius sigma sqrt(2C)) cannot reach it. So a
// splat is culled when its centre lies more than a disk diameter outside the view (outsideView).

import { ArgumentError } from '../../lib/errors.js';
import { float64, int32, uint8 } from '../../lib/sharedMemory.js';
import { type Camera, type PlainCamera, plainCamera } from '../../geometry/camera.js';
import type { ResolvedSplatOptions } from './options.js';

/** Per-splat screen-space parameters, structure of arrays (index k = point k). */
export interface ScreenSplats {
  count: number;
  /** false where the splat is culled (backface, behind the camera, degenerate). */
  active: Uint8Array;
  /** Centre in pixels (continuous coordinates: pixel (i, j) has its centre at (i + 0.5, j + 0.5)). */
  px: Float64Array;
  py: Float64Array;
  /** Camera depth c_z of the centre. */
  depth: Float64Array;
  /** M^-1 = [[ia, ib], [ib, ic]]. */
  ia: Float64Array;
  ib: Float64Array;
  ic: Float64Array;
  /** |det J| / (2 pi sqrt(det M)): rho_bar at the centre. */
  scale: Float64Array;
  /** Inclusive pixel box x0..x1, y0..y1 (clipped to the image; x0 > x1 when off screen). */
  x0: Int32Array;
  x1: Int32Array;
  y0: Int32Array;
  y1: Int32Array;
}

/** Which points are not rendered and why (for tests and diagnostics). */
export interface CullCounts {
  backface: number;
  behind: number;
  offscreen: number;
}

type ScreenOptions = Pick<ResolvedSplatOptions, 'sigma' | 'cutoff' | 'backfaceCulling' | 'cullThreshold' | 'behindCamera'>;

/** Per-splat arrays for n points, all inactive (`shared`: on shared memory, for the thread pool). */
export function emptyScreenSplats(n: number, shared = false): ScreenSplats {
  const f64 = () => float64(n, shared),
    i32 = () => int32(n, shared);
  return { count: n, active: uint8(n, shared), px: f64(), py: f64(), depth: f64(), ia: f64(), ib: f64(), ic: f64(), scale: f64(), x0: i32(), x1: i32(), y0: i32(), y1: i32() };
}

/**
 * Points k0..k1-1 into `s`; culled points are counted into `culled` ([backface, behind,
 * offscreen]). With behindCamera 'error' it stops at the first point at or behind the near plane
 * and returns its index (the caller throws); otherwise it returns -1.
 */
export function screenSplatRange(
  positions: ArrayLike<number>,
  normals: ArrayLike<number>,
  camera: PlainCamera,
  o: ScreenOptions,
  s: ScreenSplats,
  culled: Int32Array | number[],
  k0: number,
  k1: number,
): number {
  const R = camera.R,
    t = camera.t;
  const { fx, fy, cx, cy, width, height, near } = camera;
  const s2 = o.sigma * o.sigma;
  const twoC = 2 * o.cutoff;
  const view = viewPlanes(camera, o);
  for (let k = k0; k < k1; k++) {
    const p0 = positions[3 * k],
      p1 = positions[3 * k + 1],
      p2 = positions[3 * k + 2];
    const x = R[0] * p0 + R[1] * p1 + R[2] * p2 + t[0];
    const y = R[3] * p0 + R[4] * p1 + R[5] * p2 + t[1];
    const z = R[6] * p0 + R[7] * p1 + R[8] * p2 + t[2];
    if (!(z > near)) {
      if (o.behindCamera === 'error') return k;
      culled[1]++;
      continue;
    }
    const m0 = normals[3 * k],
      m1 = normals[3 * k + 1],
      m2 = normals[3 * k + 2];
    const len = Math.sqrt(m0 * m0 + m1 * m1 + m2 * m2);
    const nx = (R[0] * m0 + R[1] * m1 + R[2] * m2) / len;
    const ny = (R[3] * m0 + R[4] * m1 + R[5] * m2) / len;
    const nz = (R[6] * m0 + R[7] * m1 + R[8] * m2) / len;
    // n . view, view = unit vector from the point to the eye = -c / |c|
    const facing = -(nx * x + ny * y + nz * z) / Math.sqrt(x * x + y * y + z * z);
    if (o.backfaceCulling && facing < o.cullThreshold) {
      culled[0]++;
      continue;
    }
    if (outsideView(view, x, y, z)) {
      culled[2]++;
      continue;
    }
    // P' rows: a = (fx/z, 0, -fx x/z^2), b = (0, fy/z, -fy y/z^2); Q = P' (I - n n^T) P'^T
    const iz = 1 / z;
    const a0 = fx * iz,
      a2 = -fx * x * iz * iz;
    const b1 = fy * iz,
      b2 = -fy * y * iz * iz;
    const an = a0 * nx + a2 * nz; // a . n
    const bn = b1 * ny + b2 * nz; // b . n
    const qxx = a0 * a0 + a2 * a2 - an * an;
    const qxy = a2 * b2 - an * bn;
    const qyy = b1 * b1 + b2 * b2 - bn * bn;
    const detQ = Math.max(qxx * qyy - qxy * qxy, 0);
    const mxx = s2 * qxx + 1,
      mxy = s2 * qxy,
      myy = s2 * qyy + 1;
    const detM = mxx * myy - mxy * mxy;
    const X = fx * x * iz + cx;
    const Y = fy * y * iz + cy;
    const rx = Math.sqrt(twoC * mxx),
      ry = Math.sqrt(twoC * myy);
    // pixel i has centre i + 0.5: it is inside [X - rx, X + rx] when i in [X - rx - 0.5, X + rx - 0.5]
    const x0 = Math.max(0, Math.ceil(X - rx - 0.5)),
      x1 = Math.min(width - 1, Math.floor(X + rx - 0.5));
    const y0 = Math.max(0, Math.ceil(Y - ry - 0.5)),
      y1 = Math.min(height - 1, Math.floor(Y + ry - 0.5));
    if (x0 > x1 || y0 > y1) {
      culled[2]++;
      continue;
    }
    s.active[k] = 1;
    s.px[k] = X;
    s.py[k] = Y;
    s.depth[k] = z;
    s.ia[k] = myy / detM;
    s.ib[k] = -mxy / detM;
    s.ic[k] = mxx / detM;
    s.scale[k] = Math.sqrt(detQ) / (2 * Math.PI * Math.sqrt(detM));
    s.x0[k] = x0;
    s.x1[k] = x1;
    s.y0[k] = y0;
    s.y1[k] = y1;
  }
  return -1;
}

/**
 * The four side planes of the view pyramid (through the eye, along the image borders widened by
 * the low-pass filter's reach of sqrt(2C) px plus half a pixel), as unit normals pointing inward
 * in camera coordinates, and how far outside them a splat centre may lie and still be drawn.
 */
export interface ViewPlanes {
  /** Inward unit normals (nx, ny, nz) of the left, right, top and bottom planes, 4 x 3. */
  normals: Float64Array;
  /** Twice the disk radius sigma sqrt(2C): a centre farther outside a plane is culled. */
  reach: number;
}

export function viewPlanes(camera: Pick<PlainCamera, 'fx' | 'fy' | 'cx' | 'cy' | 'width' | 'height'>, o: Pick<ResolvedSplatOptions, 'sigma' | 'cutoff'>): ViewPlanes {
  const { fx, fy, cx, cy, width, height } = camera;
  const m = Math.sqrt(2 * o.cutoff) + 0.5;
  // u = fx x / z + cx >= -m  <=>  fx x + (cx + m) z >= 0, and likewise for the other three borders
  const rows = [
    [fx, 0, cx + m],
    [-fx, 0, width + m - cx],
    [0, fy, cy + m],
    [0, -fy, height + m - cy],
  ];
  const normals = new Float64Array(12);
  rows.forEach((r, i) => {
    const l = Math.hypot(r[0], r[1], r[2]);
    for (let j = 0; j < 3; j++) normals[3 * i + j] = r[j] / l;
  });
  // twice the disk's radius: a guard band where the linear ellipse still holds, so splats near
  // the border draw exactly as before; only centres far outside (where it fails) are dropped
  return { normals, reach: 2 * o.sigma * Math.sqrt(2 * o.cutoff) };
}

/** Whether camera-space centre (x, y, z) lies more than `reach` outside one side plane of the view. */
export function outsideView(v: ViewPlanes, x: number, y: number, z: number): boolean {
  const n = v.normals,
    r = -v.reach;
  return n[0] * x + n[1] * y + n[2] * z < r || n[3] * x + n[4] * y + n[5] * z < r || n[6] * x + n[7] * y + n[8] * z < r || n[9] * x + n[10] * y + n[11] * z < r;
}

/** The error for point k at or behind the near plane. */
export function behindCameraError(positions: ArrayLike<number>, k: number, camera: PlainCamera): ArgumentError {
  const R = camera.R,
    t = camera.t;
  const z = R[6] * positions[3 * k] + R[7] * positions[3 * k + 1] + R[8] * positions[3 * k + 2] + t[2];
  return new ArgumentError(`positions[${k}] is at depth ${z} from the camera, at or behind its near plane ${camera.near}; move the camera back, or pass behindCamera: 'cull' to skip such points.`);
}

export function countsOf(culled: ArrayLike<number>): CullCounts {
  return { backface: culled[0], behind: culled[1], offscreen: culled[2] };
}

/** Every point at once, on this thread. */
export function screenSplats(positions: ArrayLike<number>, normals: ArrayLike<number>, camera: Camera, o: ResolvedSplatOptions): { splats: ScreenSplats; culled: CullCounts } {
  const n = positions.length / 3;
  const s = emptyScreenSplats(n);
  const culled = [0, 0, 0];
  const cam = plainCamera(camera);
  const behind = screenSplatRange(positions, normals, cam, o, s, culled, 0, n);
  if (behind >= 0) throw behindCameraError(positions, behind, cam);
  return { splats: s, culled: countsOf(culled) };
}

/** Side of the square tiles tileOrder sorts by. */
const TILE = 16;

/**
 * The active splats sorted by the tile of the image their centre falls in (row of tiles by row,
 * then index): a counting sort, O(N + tiles). Per-splat passes that read the pixels around each
 * splat go this way so that neighbouring splats find those pixels still in cache.
 */
export function tileOrder(s: ScreenSplats, width: number, height: number, shared = false): Int32Array {
  const tx = Math.ceil(width / TILE),
    ty = Math.ceil(height / TILE);
  const tileOf = (k: number) => {
    const i = Math.min(tx - 1, Math.max(0, Math.floor(s.px[k] / TILE)));
    const j = Math.min(ty - 1, Math.max(0, Math.floor(s.py[k] / TILE)));
    return j * tx + i;
  };
  const start = new Int32Array(tx * ty + 1);
  let active = 0;
  for (let k = 0; k < s.count; k++) {
    if (!s.active[k]) continue;
    start[tileOf(k) + 1]++;
    active++;
  }
  for (let t = 0; t < tx * ty; t++) start[t + 1] += start[t];
  const order = int32(active, shared);
  for (let k = 0; k < s.count; k++) if (s.active[k]) order[start[tileOf(k)]++] = k;
  return order;
}

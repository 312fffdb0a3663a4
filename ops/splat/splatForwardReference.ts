// The textbook twin of the fast forward (screenSplats + rasterizeSplats): every pixel against
// every point, an explicit tangent frame and 2x2 matrices, a full sort by depth. Slow on
// purpose; ewaSplatReference.ts runs it. docs/dss.md §2, eq. 1-5.

import type { Camera } from '../../geometry/camera.js';
import { ArgumentError } from '../../lib/errors.js';
import type { ResolvedSplatOptions } from './options.js';
import { type SplatCache, emptyCache } from './splatCache.js';

type Vec3 = [number, number, number];
type Mat2 = [number, number, number, number]; // row-major [a b; c d]

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};
const rotate = (R: Float64Array, a: Vec3): Vec3 => [R[0] * a[0] + R[1] * a[1] + R[2] * a[2], R[3] * a[0] + R[4] * a[1] + R[5] * a[2], R[6] * a[0] + R[7] * a[1] + R[8] * a[2]];
const det2 = (m: Mat2): number => m[0] * m[3] - m[1] * m[2];
const inv2 = (m: Mat2): Mat2 => {
  const d = det2(m);
  return [m[3] / d, -m[1] / d, -m[2] / d, m[0] / d];
};

/** Any orthonormal u, v with n: the result does not depend on the choice (V is isotropic). */
function tangentFrame(n: Vec3): [Vec3, Vec3] {
  const helper: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = unit(cross(n, helper));
  return [u, cross(n, u)];
}

/**
 * Whether camera-space point c lies more than twice the disk radius sigma sqrt(2C) outside one
 * side of the view pyramid: the planes through the eye and the rays through adjacent corners of
 * the image, widened by the low-pass filter's reach sqrt(2C) px plus half a pixel. Far outside the
 * view the linearized ellipse (P' grows as 1/z^2) would span the image though the disk cannot.
 */
function outsideView(camera: Camera, o: ResolvedSplatOptions, c: Vec3): boolean {
  const m = Math.sqrt(2 * o.cutoff) + 0.5;
  const ray = (u: number, v: number): Vec3 => [(u - camera.cx) / camera.fx, (v - camera.cy) / camera.fy, 1];
  const corners = [ray(-m, -m), ray(camera.width + m, -m), ray(camera.width + m, camera.height + m), ray(-m, camera.height + m)];
  const middle = ray(camera.width / 2, camera.height / 2);
  const reach = 2 * o.sigma * Math.sqrt(2 * o.cutoff);
  for (let i = 0; i < 4; i++) {
    let n = unit(cross(corners[i], corners[(i + 1) % 4]));
    if (dot(n, middle) < 0) n = [-n[0], -n[1], -n[2]]; // inward
    if (dot(n, c) < -reach) return true;
  }
  return false;
}

interface Candidate {
  k: number;
  z: number;
  rho: number;
}

/** The per-pixel front lists (eq. 1-5) of every pixel, by brute force. */
export function splatForwardReference(positions: ArrayLike<number>, normals: ArrayLike<number>, camera: Camera, o: ResolvedSplatOptions): SplatCache {
  const { width, height } = camera;
  const n = positions.length / 3;
  const eye = camera.center as Vec3;
  // per point: projected centre, depth, M^-1 and the weight at the centre (eq. 1-3)
  const splats: ({ x: number; y: number; z: number; Minv: Mat2; scale: number } | null)[] = [];
  for (let k = 0; k < n; k++) {
    const p: Vec3 = [positions[3 * k], positions[3 * k + 1], positions[3 * k + 2]];
    const nk = unit([normals[3 * k], normals[3 * k + 1], normals[3 * k + 2]]);
    const c = rotate(camera.R, p).map((v, i) => v + camera.t[i]) as Vec3;
    if (!(c[2] > camera.near)) {
      if (o.behindCamera === 'error') throw new ArgumentError(`positions[${k}] is behind the camera.`);
      splats.push(null);
      continue;
    }
    const view = unit(sub(eye, p));
    if (o.backfaceCulling && dot(nk, view) < o.cullThreshold) {
      splats.push(null);
      continue;
    }
    if (outsideView(camera, o, c)) {
      splats.push(null);
      continue;
    }
    const [u, v] = tangentFrame(nk);
    // P'(c): d pixel / d camera coordinates
    const Pd = [
      [camera.fx / c[2], 0, (-camera.fx * c[0]) / (c[2] * c[2])],
      [0, camera.fy / c[2], (-camera.fy * c[1]) / (c[2] * c[2])],
    ];
    const Ru = rotate(camera.R, u),
      Rv = rotate(camera.R, v);
    // J = P' R [u v]
    const J: Mat2 = [dot(Pd[0] as Vec3, Ru), dot(Pd[0] as Vec3, Rv), dot(Pd[1] as Vec3, Ru), dot(Pd[1] as Vec3, Rv)];
    const s2 = o.sigma * o.sigma;
    // M = J V J^T + I with V = sigma^2 I
    const M: Mat2 = [s2 * (J[0] * J[0] + J[1] * J[1]) + 1, s2 * (J[0] * J[2] + J[1] * J[3]), s2 * (J[2] * J[0] + J[3] * J[1]), s2 * (J[2] * J[2] + J[3] * J[3]) + 1];
    splats.push({
      x: (camera.fx * c[0]) / c[2] + camera.cx,
      y: (camera.fy * c[1]) / c[2] + camera.cy,
      z: c[2],
      Minv: inv2(M),
      scale: Math.abs(det2(J)) / (2 * Math.PI * Math.sqrt(det2(M))),
    });
  }

  const pointDepth = new Float64Array(n);
  splats.forEach((s, k) => (pointDepth[k] = s ? s.z : 0));
  const cache = emptyCache(width, height, o.frontCount, pointDepth, 'float64');
  const A = o.frontCount;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const list: Candidate[] = [];
      splats.forEach((s, k) => {
        if (!s) return;
        const d = [i + 0.5 - s.x, j + 0.5 - s.y];
        const q = 0.5 * (d[0] * (s.Minv[0] * d[0] + s.Minv[1] * d[1]) + d[1] * (s.Minv[2] * d[0] + s.Minv[3] * d[1]));
        if (q <= o.cutoff) list.push({ k, z: s.z, rho: s.scale * Math.exp(-q) }); // eq. 4
      });
      list.sort((a, b) => a.z - b.z || a.k - b.k);
      const front = list.slice(0, A);
      const p = j * width + i;
      front.forEach((c, s) => {
        cache.index[p * A + s] = c.k;
        cache.rho[p * A + s] = c.rho;
      });
      cache.count[p] = front.length;
      // eq. 5: occluded when more than T behind the front-most splat
      cache.visible[p] = front.filter((c) => c.z - front[0].z <= o.mergeThreshold).length;
    }
  }
  return cache;
}

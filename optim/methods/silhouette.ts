// A fitted shape as a silhouette seen by any camera, the way `compare` scores every method
// (docs/renderers.md §2): the method's own silhouette where it has one (a soft alpha, say), else
// its mesh rasterized (1 where a triangle covers the pixel centre), else its cloud splatted white
// on black by the DSS renderer (white splats of the renderer's hole-free default size, oriented by
// the method's normals or, for a cloud without normals, by a PCA of each point's 10 nearest
// neighbours, turned to face the eye). Values in [0, 1].

import type { Camera } from '../../geometry/camera.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { full, tensor } from '../../lib/create.js';
import { noGrad } from '../../lib/tape.js';
import { knn } from '../../geometry/neighbors.js';
import { symmetricEigen3 } from '../../ops/regularizers/symmetricEigen3.js';
import { ewaSplat } from '../../ops/splat/ewaSplat.js';
import type { FitCloud, FitSession } from '../fitMethod.js';

/** Neighbours of the PCA that orients a cloud without normals. */
const PCA_NEIGHBOURS = 10;

/** The silhouette of a session's current shape seen by `camera`, H * W in [0, 1]. */
export function sessionSilhouette(session: FitSession, camera: Camera): Float32Array {
  if (session.silhouette) return session.silhouette(camera);
  const mesh = session.mesh?.() ?? null;
  if (mesh && mesh.faces.length > 0) return Float32Array.from(rasterizeMesh(mesh, camera).alpha.data);
  return cloudSilhouette(session.cloud(), camera);
}

/** A cloud splatted white on black (its normals, or each point facing the eye). */
export function cloudSilhouette(cloud: FitCloud, camera: Camera): Float32Array {
  const n = cloud.positions.length / 3;
  if (n === 0) return new Float32Array(camera.width * camera.height);
  const P = tensor(Float32Array.from(cloud.positions), { shape: [n, 3] });
  const normals = cloud.normals ? Float32Array.from(cloud.normals) : pcaNormals(cloud.positions);
  if (!cloud.normals) turnToEye(normals, cloud.positions, camera.center); // unoriented: every splat shows
  const N = tensor(normals, { shape: [n, 3] });
  const image = noGrad(() => ewaSplat(P, N, full([n, 1], 1), camera, { behindCamera: 'cull' })).image.data;
  return Float32Array.from(image, (v) => Math.min(1, Math.max(0, v)));
}

/**
 * The pixels points project into, closed by `close` pixels (dilated, then eroded, with a square of
 * that half side) so the gaps between neighbouring projections fill without the outline growing:
 * DRWR's own view of its cloud (its unary term scores exactly where each point projects).
 */
export function projectionSilhouette(positions: ArrayLike<number>, camera: Camera, close = 1): Float32Array {
  const { width: W, height: H, R, t, fx, fy, cx, cy } = camera;
  let hit: Uint8Array = new Uint8Array(W * H);
  for (let k = 0; k < positions.length; k += 3) {
    const x = positions[k],
      y = positions[k + 1],
      z = positions[k + 2];
    const cz = R[6] * x + R[7] * y + R[8] * z + t[2];
    if (!(cz > camera.near)) continue;
    const u = Math.floor((fx * (R[0] * x + R[1] * y + R[2] * z + t[0])) / cz + cx),
      v = Math.floor((fy * (R[3] * x + R[4] * y + R[5] * z + t[1])) / cz + cy);
    if (u >= 0 && v >= 0 && u < W && v < H) hit[v * W + u] = 1;
  }
  if (close > 0) hit = squareFilter(squareFilter(hit, W, H, close, true), W, H, close, false);
  return Float32Array.from(hit);
}

/** Dilation (`max`) or erosion of a 0/1 image by a (2r + 1)^2 square; off the image reads 0 for a dilation, 1 for an erosion. */
function squareFilter(image: Uint8Array, W: number, H: number, r: number, max: boolean): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = max ? 0 : 1;
      for (let dy = -r; dy <= r && v === (max ? 0 : 1); dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const u = x + dx,
            w = y + dy;
          const inside = u >= 0 && w >= 0 && u < W && w < H;
          const value = inside ? image[w * W + u] : max ? 0 : 1;
          if (max ? value === 1 : value === 0) {
            v = max ? 1 : 0;
            break;
          }
        }
      }
      out[y * W + x] = v;
    }
  }
  return out;
}

/** Unit normals of an unoriented cloud: per point, the least principal direction of its k nearest neighbours (itself included). */
export function pcaNormals(positions: ArrayLike<number>, k = PCA_NEIGHBOURS): Float32Array {
  const n = positions.length / 3;
  const out = new Float32Array(3 * n);
  if (n < 3) {
    for (let i = 0; i < n; i++) out[3 * i + 2] = 1;
    return out;
  }
  const P = Float64Array.from(positions);
  const { indices, k: got } = knn(P, Math.min(k, n));
  const cov = new Float64Array(9),
    values = new Float64Array(3),
    vectors = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    let mx = 0,
      my = 0,
      mz = 0;
    for (let e = 0; e < got; e++) {
      const j = indices[i * got + e];
      mx += P[3 * j];
      my += P[3 * j + 1];
      mz += P[3 * j + 2];
    }
    mx /= got;
    my /= got;
    mz /= got;
    cov.fill(0);
    for (let e = 0; e < got; e++) {
      const j = indices[i * got + e];
      const d = [P[3 * j] - mx, P[3 * j + 1] - my, P[3 * j + 2] - mz];
      for (let r = 0; r < 3; r++) for (let c = r; c < 3; c++) cov[3 * r + c] += d[r] * d[c];
    }
    symmetricEigen3(cov, 0, values, 0, vectors, 0);
    out.set(vectors.subarray(6, 9), 3 * i); // eigenvalues descend: the last vector is the normal
  }
  return out;
}

/** Flips each normal (in place) that points away from the eye, so no splat is culled as a backface. */
function turnToEye(normals: Float32Array, positions: ArrayLike<number>, eye: ArrayLike<number>): void {
  for (let i = 0; i < normals.length; i += 3) {
    const toEye = (eye[0] - positions[i]) * normals[i] + (eye[1] - positions[i + 1]) * normals[i + 1] + (eye[2] - positions[i + 2]) * normals[i + 2];
    if (toEye < 0) for (let c = 0; c < 3; c++) normals[i + c] = -normals[i + c];
  }
}

// A trefoil knot: a tube swept along the curve (sin u + 2 sin 2u, cos u - 2 cos 2u, -sin 3u). No
// mirror symmetry and only a 3-fold turn maps it to itself, so a pose of it is well defined within
// 60 degrees; genus one. The pose and shape-from-silhouette demos use it as their third model.

import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';
import { unitShapeMesh } from './fitUnitCube.js';

function curve(u: number): [number, number, number] {
  return [Math.sin(u) + 2 * Math.sin(2 * u), Math.cos(u) - 2 * Math.cos(2 * u), -Math.sin(3 * u)];
}

/** The knot's tube of radius `tube` (in units of the curve, whose extent is about 6), fitted to the unit cube. */
export function trefoil(tube = 0.6, segments = 180, tubeSegments = 16): Mesh {
  checkCount(segments, 'trefoil: segments', 12, 8192);
  checkCount(tubeSegments, 'trefoil: tubeSegments', 3, 1024);
  const positions = new Float64Array(3 * segments * tubeSegments);
  // a rotation-minimizing frame, carried along by projection (the curve is closed: the small twist
  // it accumulates over one turn only rotates the tube's vertex ring, not its surface)
  let normal: [number, number, number] = [0, 0, 1];
  for (let i = 0; i < segments; i++) {
    const u = (2 * Math.PI * i) / segments;
    const p = curve(u),
      q = curve(u + 1e-4);
    const t = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
    const tl = Math.hypot(t[0], t[1], t[2]);
    for (let k = 0; k < 3; k++) t[k] /= tl;
    const dn = normal[0] * t[0] + normal[1] * t[1] + normal[2] * t[2];
    const n: [number, number, number] = [normal[0] - dn * t[0], normal[1] - dn * t[1], normal[2] - dn * t[2]];
    const nl = Math.hypot(n[0], n[1], n[2]);
    for (let k = 0; k < 3; k++) n[k] /= nl;
    normal = n;
    const b = [t[1] * n[2] - t[2] * n[1], t[2] * n[0] - t[0] * n[2], t[0] * n[1] - t[1] * n[0]];
    for (let j = 0; j < tubeSegments; j++) {
      const v = (2 * Math.PI * j) / tubeSegments;
      const c = Math.cos(v),
        s = Math.sin(v);
      const o = 3 * (i * tubeSegments + j);
      for (let k = 0; k < 3; k++) positions[o + k] = p[k] + tube * (c * n[k] + s * b[k]);
    }
  }
  const faces = new Uint32Array(6 * segments * tubeSegments);
  let f = 0;
  for (let i = 0; i < segments; i++) {
    const i1 = (i + 1) % segments;
    for (let j = 0; j < tubeSegments; j++) {
      const j1 = (j + 1) % tubeSegments;
      const a = i * tubeSegments + j,
        b = i * tubeSegments + j1,
        c = i1 * tubeSegments + j1,
        d = i1 * tubeSegments + j;
      // (n, b, t) is right-handed, so d(ring) x d(curve) points outward: (a, d, c) is counter-clockwise outside
      faces[f++] = a;
      faces[f++] = d;
      faces[f++] = c;
      faces[f++] = a;
      faces[f++] = c;
      faces[f++] = b;
    }
  }
  return unitShapeMesh(positions, faces);
}

// A ring torus around the y axis (world up): a tube of radius minorRadius swept along a circle of
// radius majorRadius in the xz-plane. Genus one, for the topology-change demo.

import { ArgumentError } from '../../lib/errors.js';
import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';
import { unitShapeMesh } from './fitUnitCube.js';

/**
 * Torus scaled so its outer diameter is 1 (only the ratio of the radii matters):
 * `segments` quads around the ring, `tubeSegments` around the tube, two triangles each.
 */
export function torus(majorRadius = 1, minorRadius = 0.4, segments = 48, tubeSegments = Math.max(3, Math.round(segments / 2))): Mesh {
  if (!(majorRadius > 0) || !(minorRadius > 0) || !(minorRadius < majorRadius) || !Number.isFinite(majorRadius)) {
    throw new ArgumentError(`torus: need 0 < minorRadius < majorRadius (finite), got majorRadius = ${majorRadius}, minorRadius = ${minorRadius}; a larger tube would pass through the axis.`);
  }
  checkCount(segments, 'torus: segments', 3, 4096);
  checkCount(tubeSegments, 'torus: tubeSegments', 3, 4096);
  const positions = new Float64Array(3 * segments * tubeSegments);
  for (let i = 0; i < segments; i++) {
    const u = (2 * Math.PI * i) / segments;
    for (let j = 0; j < tubeSegments; j++) {
      const v = (2 * Math.PI * j) / tubeSegments;
      const ring = majorRadius + minorRadius * Math.cos(v);
      const k = 3 * (i * tubeSegments + j);
      positions[k] = ring * Math.cos(u);
      positions[k + 1] = minorRadius * Math.sin(v);
      positions[k + 2] = ring * Math.sin(u);
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
      // d(tube) x d(ring) points away from the tube's centre line, so (a, b, c) is counter-clockwise outside
      faces[f++] = a;
      faces[f++] = b;
      faces[f++] = c;
      faces[f++] = a;
      faces[f++] = c;
      faces[f++] = d;
    }
  }
  return unitShapeMesh(positions, faces);
}

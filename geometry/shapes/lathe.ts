// A surface of revolution around the y axis: a profile of (radius, height) points from the axis
// back to the axis, turned through a full circle. Each profile segment gets its own ring of
// vertices, so corners of the profile stay sharp in the shading (a cup's rim, a cone's base).

import { ArgumentError } from '../../lib/errors.js';
import type { Mesh } from '../mesh.js';
import { checkCount } from './checkCount.js';
import { MeshBuilder } from './meshBuilder.js';

/**
 * `profile`: [r, y] pairs, starting and ending at r = 0, the solid on the left of the direction
 * of travel (bottom centre -> out -> up -> back to the axis on top gives an outward surface).
 */
export function lathe(profile: readonly (readonly [number, number])[], sides = 48): Mesh {
  checkCount(sides, 'lathe: sides', 3, 4096);
  if (profile.length < 3 || profile[0][0] !== 0 || profile[profile.length - 1][0] !== 0 || profile.some(([r, y]) => !(r >= 0) || !Number.isFinite(r) || !Number.isFinite(y))) {
    throw new ArgumentError('lathe: profile must be 3 or more [radius >= 0, height] points that start and end on the axis (radius 0).');
  }
  const m = new MeshBuilder();
  for (let k = 0; k + 1 < profile.length; k++) {
    const [r0, y0] = profile[k],
      [r1, y1] = profile[k + 1];
    if (r0 === 0 && r1 === 0) continue;
    const ring = (r: number, y: number) => Array.from({ length: sides }, (_, s) => m.vertex(r * Math.cos((2 * Math.PI * s) / sides), y, r * Math.sin((2 * Math.PI * s) / sides)));
    const a = ring(r0, y0),
      b = ring(r1, y1);
    for (let s = 0; s < sides; s++) {
      const s1 = (s + 1) % sides;
      if (r0 === 0) m.triangle(a[s], b[s], b[s1]);
      else if (r1 === 0) m.triangle(a[s], b[s], a[s1]);
      else m.quad(a[s], b[s], b[s1], a[s1]);
    }
  }
  return m.build();
}

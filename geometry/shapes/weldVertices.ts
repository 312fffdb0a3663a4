// Merges vertices closer than a tolerance, as needed where tessellated patches meet: the seam
// points of two patches are computed from different parameters and can differ in the last bits.
// Faces that collapse to a segment or a point after merging (the poles of the teapot's lid and
// bottom) are dropped, since they have no area and no normal.

import { ArgumentError } from '../../lib/errors.js';

export interface WeldedMesh {
  positions: Float64Array;
  faces: Uint32Array;
  /** remap[i] is the new index of old vertex i. */
  remap: Uint32Array;
}

/**
 * Welds vertices within `tolerance` of a kept vertex (the first one seen in index order wins),
 * using a hash of cubic cells of side `tolerance` so each vertex looks at 27 cells only.
 */
export function weldVertices(positions: Float64Array, faces: Uint32Array, tolerance: number): WeldedMesh {
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new ArgumentError(`weldVertices: tolerance must be a positive finite distance, got ${tolerance}.`);
  const count = positions.length / 3;
  const remap = new Uint32Array(count);
  const kept: number[] = [];
  // cell key -> indices (into `kept`) of the kept vertices in that cell; welding runs once per shape, off the hot path
  const cells = new Map<string, number[]>();
  const tol2 = tolerance * tolerance;
  for (let i = 0; i < count; i++) {
    const x = positions[3 * i],
      y = positions[3 * i + 1],
      z = positions[3 * i + 2];
    const cx = Math.floor(x / tolerance),
      cy = Math.floor(y / tolerance),
      cz = Math.floor(z / tolerance);
    let match = -1;
    for (let dx = -1; dx <= 1 && match < 0; dx++) {
      for (let dy = -1; dy <= 1 && match < 0; dy++) {
        for (let dz = -1; dz <= 1 && match < 0; dz++) {
          const bucket = cells.get(`${cx + dx},${cy + dy},${cz + dz}`);
          if (!bucket) continue;
          for (const k of bucket) {
            const j = kept[k];
            const ex = positions[3 * j] - x,
              ey = positions[3 * j + 1] - y,
              ez = positions[3 * j + 2] - z;
            if (ex * ex + ey * ey + ez * ez <= tol2) {
              match = k;
              break;
            }
          }
        }
      }
    }
    if (match < 0) {
      match = kept.length;
      kept.push(i);
      const key = `${cx},${cy},${cz}`;
      const bucket = cells.get(key);
      if (bucket) bucket.push(match);
      else cells.set(key, [match]);
    }
    remap[i] = match;
  }
  const welded = new Float64Array(3 * kept.length);
  for (let k = 0; k < kept.length; k++) {
    welded[3 * k] = positions[3 * kept[k]];
    welded[3 * k + 1] = positions[3 * kept[k] + 1];
    welded[3 * k + 2] = positions[3 * kept[k] + 2];
  }
  const newFaces = new Uint32Array(faces.length);
  let f = 0;
  for (let t = 0; t < faces.length; t += 3) {
    const a = remap[faces[t]],
      b = remap[faces[t + 1]],
      c = remap[faces[t + 2]];
    if (a === b || b === c || a === c) continue;
    newFaces[f++] = a;
    newFaces[f++] = b;
    newFaces[f++] = c;
  }
  return { positions: welded, faces: newFaces.slice(0, f), remap };
}

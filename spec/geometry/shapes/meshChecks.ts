// Checks of generated meshes shared by the shape specs: area, enclosed volume, closedness and
// orientation (with the Euler characteristic), and whether the normals point outward.

import { expect } from 'chai';
import type { Mesh } from '../../../geometry/mesh.js';
import { weldVertices } from '../../../geometry/shapes/weldVertices.js';

export function triangleArea(m: Mesh, f: number): number {
  const p = m.positions,
    [a, b, c] = [3 * m.faces[f], 3 * m.faces[f + 1], 3 * m.faces[f + 2]];
  const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]],
    e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
  return 0.5 * Math.hypot(e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]);
}

export function surfaceArea(m: Mesh): number {
  let area = 0;
  for (let f = 0; f < m.faces.length; f += 3) area += triangleArea(m, f);
  return area;
}

/** Volume enclosed (divergence theorem): positive when the faces wind counter-clockwise outside. */
export function signedVolume(m: Mesh): number {
  const p = m.positions;
  let v = 0;
  for (let f = 0; f < m.faces.length; f += 3) {
    const [a, b, c] = [3 * m.faces[f], 3 * m.faces[f + 1], 3 * m.faces[f + 2]];
    v += (p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c])) / 6;
  }
  return v;
}

/**
 * Closed and consistently oriented: after merging coincident vertices, every directed edge
 * appears exactly once and its reverse exactly once. Returns the Euler characteristic V - E + F.
 */
export function closedEulerCharacteristic(m: Mesh): number {
  const welded = weldVertices(m.positions, m.faces, 1e-9);
  expect(welded.faces.length, 'welding dropped faces: the shape has degenerate triangles').to.equal(m.faces.length);
  const directed = new Set<string>();
  for (let f = 0; f < welded.faces.length; f += 3) {
    for (let k = 0; k < 3; k++) {
      const key = `${welded.faces[f + k]},${welded.faces[f + ((k + 1) % 3)]}`;
      expect(directed.has(key), `edge ${key} is used twice in one direction`).to.equal(false);
      directed.add(key);
    }
  }
  for (const key of directed) {
    const [a, b] = key.split(',');
    expect(directed.has(`${b},${a}`), `edge ${key} is a boundary edge`).to.equal(true);
  }
  return welded.positions.length / 3 - directed.size / 2 + welded.faces.length / 3;
}

/** Mean of n . (p - centroid) over the vertices: positive when normals point outward on the whole. */
export function meanOutwardness(m: Mesh): number {
  const p = m.positions,
    n = m.normals!,
    count = p.length / 3;
  const c = [0, 0, 0];
  for (let i = 0; i < p.length; i++) c[i % 3] += p[i] / count;
  let sum = 0;
  for (let i = 0; i < p.length; i += 3) sum += n[i] * (p[i] - c[0]) + n[i + 1] * (p[i + 1] - c[1]) + n[i + 2] * (p[i + 2] - c[2]);
  return sum / count;
}

import type { Mesh } from '../../../geometry/mesh.js';

/** A tetrahedron with irrational coordinates (full float64 digits), unit normals and colours. */
export function tetrahedron(): Mesh {
  const positions = new Float64Array([0.1, Math.PI / 7, -0.3, 1 / 3, 0.2, 0.05, -Math.SQRT2 / 5, 0.4, 0.1, 0.05, -0.6, Math.E / 9]);
  const normals = new Float64Array(12);
  for (let i = 0; i < 12; i += 3) {
    const len = Math.hypot(positions[i], positions[i + 1], positions[i + 2]);
    for (let c = 0; c < 3; c++) normals[i + c] = positions[i + c] / len;
  }
  return {
    positions,
    faces: new Uint32Array([0, 1, 2, 0, 3, 1, 1, 3, 2, 2, 3, 0]),
    normals,
    colors: new Float32Array([0.2, 0.4, 0.6, 1, 0, 0.5, 0.123, 0.456, 0.789, 0.3, 0.3, 0.3]),
  };
}

// Writers check what they are given before touching the disk, so a NaN never lands in a file
// that another program will then fail on far from the cause.

import { assertFinite } from '../../lib/errors.js';
import { validateMesh, type Mesh, type PointCloud } from '../mesh.js';

/** Validates a mesh or point cloud for writing: sizes, finite values, face indices in range. */
export function checkWritable(data: Mesh | PointCloud, what: string): void {
  const faces = (data as Mesh).faces ?? new Uint32Array(0);
  validateMesh({ positions: data.positions, faces, normals: data.normals, colors: data.colors }, what);
  if (data.normals) assertFinite(data.normals, `${what}.normals`, 'fix or recompute the normals before writing');
  if (data.colors) assertFinite(data.colors, `${what}.colors`, 'fix the colours before writing');
}

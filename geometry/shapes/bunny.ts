// The Stanford bunny, vendored in fixtures/bunny.ply (from the public-domain `bunny` npm package:
// 1,839 vertices, 3,674 triangles, closed, y up). Read from the package's fixtures folder so it
// ships as data, not as a 100 KB source file.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '../../lib/errors.js';
import { readPly } from '../io/ply.js';
import type { Mesh } from '../mesh.js';
import { unitShapeMesh } from './fitUnitCube.js';

// compiled code runs from dist/geometry/shapes/, three levels below the package root;
// the second candidate serves tools that run the TypeScript sources in place
const CANDIDATES = ['../../../fixtures/bunny.ply', '../../fixtures/bunny.ply'];

/** Path of the vendored bunny file. */
export function bunnyPath(): string {
  for (const relative of CANDIDATES) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new ArgumentError(`bunny: fixtures/bunny.ply is missing from the splatgrad package (looked next to ${fileURLToPath(import.meta.url)}); reinstall splatgrad or pass a mesh file path instead.`);
}

/** The Stanford bunny fitted to the unit cube, y up, with area-weighted outward normals. */
export function bunny(): Mesh {
  const file = readPly(bunnyPath());
  return unitShapeMesh(file.positions, file.faces);
}

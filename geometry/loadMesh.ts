// One entry point for "the shape to work on": a built-in name or a mesh file, and the matching
// point-cloud load/save by file extension.

import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { ArgumentError } from '../lib/errors.js';
import { readObj, writeObj } from './io/obj.js';
import { readPly, writePly, type PlyWriteOptions } from './io/ply.js';
import { validateMesh, type Mesh, type PointCloud } from './mesh.js';
import { bunny } from './shapes/bunny.js';
import { cube } from './shapes/cube.js';
import { fitUnitCube } from './shapes/fitUnitCube.js';
import { grid } from './shapes/grid.js';
import { icosphere } from './shapes/icosphere.js';
import { teapot } from './shapes/teapot.js';
import { torus } from './shapes/torus.js';
import { SUITE_SHAPE_NAMES, suiteShape } from './shapes/suiteShapes.js';
import { computeVertexNormals, flatShaded } from './shapes/vertexNormals.js';

export const BUILT_IN_SHAPES = ['sphere', 'cube', 'torus', 'grid', 'teapot', 'bunny', ...SUITE_SHAPE_NAMES] as const;
export type BuiltInShape = (typeof BUILT_IN_SHAPES)[number];

/** File extensions loadMesh, loadPointCloud and savePointCloud understand (lower case). */
export const MESH_FILE_EXTENSIONS = ['.obj', '.ply'] as const;

export interface LoadMeshOptions {
  /** Centre a mesh file at the origin and scale its largest side to 1, like the built-ins (default false). */
  normalize?: boolean;
  /** Shade flat: each triangle its own three vertices with its normal, replacing the vertex normals (default false). */
  flat?: boolean;
}

/**
 * A built-in shape at its default resolution (fitted to the unit cube, with normals) or a .obj /
 * .ply mesh file. A file without vertex normals gets area-weighted ones (faces taken as
 * counter-clockwise seen from outside): smooth shading; `flat` gives hard edges instead.
 */
export function loadMesh(nameOrPath: string, options: LoadMeshOptions = {}): Mesh {
  if (typeof nameOrPath !== 'string') throw new ArgumentError(`loadMesh: expected a built-in shape name (${BUILT_IN_SHAPES.join(', ')}) or a .obj/.ply path, got ${typeof nameOrPath}.`);
  if ((BUILT_IN_SHAPES as readonly string[]).includes(nameOrPath)) {
    const shape = builtInShape(nameOrPath as BuiltInShape);
    return options.flat ? flatShaded(shape) : shape;
  }
  const mesh = readMeshFile(nameOrPath, 'loadMesh');
  if (mesh.faces.length === 0) throw new ArgumentError(`loadMesh: ${nameOrPath} has no faces, so it is a point cloud; load it with loadPointCloud.`);
  validateMesh(mesh, nameOrPath);
  if (!mesh.normals) mesh.normals = computeVertexNormals(mesh.positions, mesh.faces);
  if (options.normalize) mesh.positions = fitUnitCube(mesh.positions, nameOrPath);
  return options.flat ? flatShaded(mesh) : mesh;
}

/** A built-in shape by name, at its default resolution. */
export function builtInShape(name: BuiltInShape): Mesh {
  switch (name) {
    case 'sphere':
      return icosphere();
    case 'cube':
      return cube();
    case 'torus':
      return torus();
    case 'grid':
      return grid();
    case 'teapot':
      return teapot();
    case 'bunny':
      return bunny();
    default:
      if ((SUITE_SHAPE_NAMES as readonly string[]).includes(name)) return suiteShape(name as (typeof SUITE_SHAPE_NAMES)[number]);
      throw new ArgumentError(`builtInShape: unknown shape '${name as string}'; choose one of ${BUILT_IN_SHAPES.join(', ')}.`);
  }
}

/** The vertices of a .obj or .ply file as a point cloud (a mesh file's faces are dropped). */
export function loadPointCloud(path: string): PointCloud {
  const file = readMeshFile(path, 'loadPointCloud');
  if (file.positions.length === 0) throw new ArgumentError(`loadPointCloud: ${path} has no vertices; a point cloud needs at least one point.`);
  const cloud: PointCloud = { positions: file.positions };
  if (file.normals) cloud.normals = file.normals;
  if (file.colors) cloud.colors = file.colors;
  return cloud;
}

/** Writes a point cloud (no faces, even if given a mesh) as .ply (binary little-endian by default) or .obj. */
export function savePointCloud(path: string, cloud: PointCloud, options: PlyWriteOptions = {}): void {
  const points: PointCloud = { positions: cloud.positions };
  if (cloud.normals) points.normals = cloud.normals;
  if (cloud.colors) points.colors = cloud.colors;
  writeByExtension(path, points, options, 'savePointCloud');
}

/** Writes a mesh as .ply (binary little-endian by default) or .obj. */
export function saveMesh(path: string, mesh: Mesh, options: PlyWriteOptions = {}): void {
  writeByExtension(path, mesh, options, 'saveMesh');
}

function fileExtension(path: string, caller: string): '.obj' | '.ply' {
  const ext = extname(path).toLowerCase();
  if (ext === '.obj' || ext === '.ply') return ext;
  const builtIns = caller === 'loadMesh' ? ` nor a built-in shape (${BUILT_IN_SHAPES.join(', ')})` : '';
  throw new ArgumentError(`${caller}: '${path}' is not a ${MESH_FILE_EXTENSIONS.join(' or ')} file${builtIns}; pass one of those.`);
}

/** A .obj or .ply file as read: a mesh, or a point cloud when it has no faces. */
export function readMeshFile(path: string, caller = 'readMeshFile'): Mesh {
  const ext = fileExtension(path, caller);
  if (!existsSync(path)) throw new ArgumentError(`${caller}: no file at '${path}'; check the path.`);
  return ext === '.obj' ? readObj(path) : readPly(path);
}

function writeByExtension(path: string, data: Mesh | PointCloud, options: PlyWriteOptions, caller: string): void {
  if (fileExtension(path, caller) === '.obj') writeObj(path, data);
  else writePly(path, data, options);
}

// Wavefront OBJ files for meshes and point clouds (an OBJ without faces is a point cloud).
// Read: `v x y z [w]` or `v x y z r g b` (vertex colours, 0-1; a file whose colours exceed 1 is
// taken as 0-255), `vn`, and `f` with corners v, v/vt, v/vt/vn or v//vn, 1-based or negative
// (relative) indices, polygons fan-triangulated. Texture coordinates, groups, materials, lines
// and every other statement are ignored.
// splatgrad meshes carry one normal per vertex, so a vertex whose corners name different normals
// (a crease: a cube written with one `vn` per side) is split, one copy per normal it is given, as
// every renderer does: the sides stay flat and their edges hard. The first normal keeps the
// vertex's index; the copies follow the file's vertices. Without faces, or when no corner names a
// normal, the i-th `vn` belongs to the i-th `v` (MeshLab's point-cloud convention).
// Write: full float64 precision, `f a//a b//b c//c` when there are normals.

import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import type { Mesh, PointCloud } from '../mesh.js';
import { checkWritable } from './checkWritable.js';
import { float32Text } from './float32Text.js';

// ---------------------------------------------------------------------------------------------
// Reading

/** Parses OBJ text; `fileName` only names the file in errors. `faces` is empty for a point cloud. */
export function parseObj(text: string, fileName = 'input.obj'): Mesh {
  if (typeof text !== 'string') throw new ArgumentError(`${fileName}: expected the file contents as a string (readFileSync(path, 'utf8')).`);
  const positions: number[] = [];
  const colors: number[] = [];
  const fileNormals: number[] = [];
  const faces: number[] = [];
  // per triangle corner: index into fileNormals, or -1
  const cornerNormals: number[] = [];
  let colorLine = 0; // first line whose colour presence set the rule (0: no vertex yet)
  let hasColors = false;
  const polygon: number[] = [];
  const polygonNormals: number[] = [];

  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '' || line[0] === '#') continue;
    const at = `${fileName}: line ${l + 1}`;
    const words = line.split(/\s+/);
    switch (words[0]) {
      case 'v': {
        const n = words.length - 1;
        if (n !== 3 && n !== 4 && n !== 6) throw new ArgumentError(`${at}: 'v' needs 3 numbers (x y z), 4 (x y z w) or 6 (x y z r g b), got ${n}.`);
        const vertex = positions.length / 3;
        for (let k = 1; k <= 3; k++) positions.push(readNumber(words[k], at, `vertex ${vertex}`, true));
        const withColor = n === 6;
        if (colorLine === 0) {
          colorLine = l + 1;
          hasColors = withColor;
        } else if (withColor !== hasColors) {
          throw new ArgumentError(
            `${at}: vertex ${vertex} ${withColor ? 'has' : 'has no'} colour but the vertex on line ${colorLine} ${hasColors ? 'has' : 'has none'}; give every 'v' line r g b, or none.`,
          );
        }
        if (withColor) for (let k = 4; k <= 6; k++) colors.push(readNumber(words[k], at, `the colour of vertex ${vertex}`, false));
        break;
      }
      case 'vn': {
        if (words.length !== 4) throw new ArgumentError(`${at}: 'vn' needs 3 numbers (x y z), got ${words.length - 1}.`);
        const normal = fileNormals.length / 3;
        for (let k = 1; k <= 3; k++) fileNormals.push(readNumber(words[k], at, `normal ${normal}`, true));
        break;
      }
      case 'f': {
        if (words.length < 4) throw new ArgumentError(`${at}: a face needs at least 3 vertices, got ${words.length - 1}.`);
        polygon.length = 0;
        polygonNormals.length = 0;
        for (let k = 1; k < words.length; k++) {
          const parts = words[k].split('/');
          if (parts.length > 3 || parts[0] === '') throw new ArgumentError(`${at}: '${words[k]}' is not a face corner; write v, v/vt, v/vt/vn or v//vn.`);
          polygon.push(resolveIndex(parts[0], positions.length / 3, at, 'vertex'));
          const hasNormal = parts.length === 3 && parts[2] !== '';
          polygonNormals.push(hasNormal ? resolveIndex(parts[2], fileNormals.length / 3, at, 'normal') : -1);
        }
        // fan triangulation: exact for the convex polygons that OBJ exporters write
        for (let k = 1; k + 1 < polygon.length; k++) {
          faces.push(polygon[0], polygon[k], polygon[k + 1]);
          cornerNormals.push(polygonNormals[0], polygonNormals[k], polygonNormals[k + 1]);
        }
        break;
      }
      default:
        break; // vt, vp, o, g, s, usemtl, mtllib, l, p...: not geometry we keep
    }
  }

  const named = cornerNormalsOf(fileNormals, cornerNormals, positions.length / 3, fileName);
  if (named) splitCreases(positions, hasColors ? colors : null, faces, cornerNormals);
  const mesh: Mesh = { positions: new Float64Array(positions), faces: new Uint32Array(faces) };
  const normals = named ? normalsOfCorners(fileNormals, faces, cornerNormals, positions.length / 3) : fileNormals.length > 0 ? new Float64Array(fileNormals) : undefined;
  if (normals) mesh.normals = normals;
  if (hasColors) mesh.colors = colorsInUnitRange(colors);
  return mesh;
}

/** Reads and parses an OBJ file from disk. */
export function readObj(path: string): Mesh {
  return parseObj(readFileSync(path, 'utf8'), path);
}

const NON_FINITE_TOKEN = /^[+-]?(nan|inf|infinity)$/i;

/** A decimal number; nan/inf spellings (and overflow) throw NonFiniteError for coordinates, ArgumentError for colours. */
function readNumber(text: string, at: string, what: string, coordinate: boolean): number {
  const value = Number(text);
  const hex = /^[+-]?0[xob]/i.test(text);
  if (Number.isFinite(value) && !hex) return value;
  if (NON_FINITE_TOKEN.test(text) || (!Number.isNaN(value) && !hex)) {
    const message = `${at}: ${what} has a non-finite value '${text}'; fix or remove that line.`;
    throw coordinate ? new NonFiniteError(message) : new ArgumentError(message);
  }
  throw new ArgumentError(`${at}: '${text}' in ${what} is not a number.`);
}

/** 0-based index from an OBJ index: 1-based, or negative counting back from the last one read. */
function resolveIndex(text: string, count: number, at: string, what: 'vertex' | 'normal'): number {
  if (!/^[+-]?\d+$/.test(text)) throw new ArgumentError(`${at}: '${text}' is not a ${what} index (an integer).`);
  const i = Number(text);
  const resolved = i > 0 ? i - 1 : count + i;
  if (i === 0 || resolved < 0 || resolved >= count) {
    throw new ArgumentError(
      `${at}: ${what} index ${i} is out of range: ${count} ${what === 'vertex' ? 'vertices' : 'normals'} are defined before this line (valid: 1 to ${count}, or -1 to -${count}).`,
    );
  }
  return resolved;
}

/**
 * Whether the faces name the normals (then every corner must); when none does, the file's normals
 * must be one per vertex. Throws on a mix or a count mismatch.
 */
function cornerNormalsOf(fileNormals: number[], cornerNormals: number[], vertexCount: number, fileName: string): boolean {
  const normalCount = fileNormals.length / 3;
  if (normalCount === 0) return false;
  let cornersWithNormal = 0;
  for (const n of cornerNormals) if (n >= 0) cornersWithNormal++;
  if (cornersWithNormal === 0) {
    if (normalCount !== vertexCount) {
      throw new ArgumentError(
        `${fileName}: ${normalCount} 'vn' lines for ${vertexCount} vertices, and no face names a normal; give one 'vn' per 'v' (in the same order) or reference normals in the faces (f v//vn).`,
      );
    }
    return false;
  }
  if (cornersWithNormal !== cornerNormals.length) {
    throw new ArgumentError(`${fileName}: some face corners name a normal and some do not; give every corner a normal (v//vn) or none.`);
  }
  return true;
}

/**
 * Splits every vertex that its corners give more than one normal: the first (vertex, normal) pair
 * met keeps the vertex, each further pair gets a copy appended (position and colour), and the
 * faces are renumbered to the copies. In place.
 */
function splitCreases(positions: number[], colors: number[] | null, faces: number[], cornerNormals: number[]): void {
  const vertexCount = positions.length / 3;
  const first = new Int32Array(vertexCount).fill(-1);
  const copies = new Map<number, number>(); // vertex * normalCount + normal -> new vertex
  let normalCount = 0;
  for (const n of cornerNormals) if (n + 1 > normalCount) normalCount = n + 1;
  for (let c = 0; c < faces.length; c++) {
    const v = faces[c],
      n = cornerNormals[c];
    if (first[v] < 0) first[v] = n;
    if (first[v] === n) continue;
    const key = v * normalCount + n;
    let copy = copies.get(key);
    if (copy === undefined) {
      copy = positions.length / 3;
      copies.set(key, copy);
      positions.push(positions[3 * v], positions[3 * v + 1], positions[3 * v + 2]);
      if (colors) colors.push(colors[3 * v], colors[3 * v + 1], colors[3 * v + 2]);
    }
    faces[c] = copy;
  }
}

/** One normal per vertex from the corners (after splitCreases every corner of a vertex names the same one). */
function normalsOfCorners(fileNormals: number[], faces: number[], cornerNormals: number[], vertexCount: number): Float64Array {
  const normals = new Float64Array(3 * vertexCount);
  for (let c = 0; c < faces.length; c++) {
    const v = 3 * faces[c],
      n = 3 * cornerNormals[c];
    normals[v] = fileNormals[n];
    normals[v + 1] = fileNormals[n + 1];
    normals[v + 2] = fileNormals[n + 2];
  }
  return normals;
}

/** Colours as stored, or divided by 255 when any exceeds 1 (files written with 0-255 channels). */
function colorsInUnitRange(colors: number[]): Float32Array {
  let max = 0;
  for (const c of colors) if (c > max) max = c;
  const out = new Float32Array(colors);
  if (max > 1) for (let i = 0; i < out.length; i++) out[i] /= 255;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** OBJ text for a mesh or point cloud: v (with r g b when there are colours), vn, f. */
export function formatObj(data: Mesh | PointCloud): string {
  checkWritable(data, 'data');
  const { positions, normals, colors } = data;
  const faces = (data as Mesh).faces ?? new Uint32Array(0);
  const out: string[] = [`# written by splatgrad: ${positions.length / 3} vertices, ${faces.length / 3} triangles`];
  for (let i = 0; i < positions.length; i += 3) {
    let line = `v ${positions[i]} ${positions[i + 1]} ${positions[i + 2]}`;
    if (colors) line += ` ${float32Text(colors[i])} ${float32Text(colors[i + 1])} ${float32Text(colors[i + 2])}`;
    out.push(line);
  }
  if (normals) for (let i = 0; i < normals.length; i += 3) out.push(`vn ${normals[i]} ${normals[i + 1]} ${normals[i + 2]}`);
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f] + 1,
      b = faces[f + 1] + 1,
      c = faces[f + 2] + 1;
    out.push(normals ? `f ${a}//${a} ${b}//${b} ${c}//${c}` : `f ${a} ${b} ${c}`);
  }
  return `${out.join('\n')}\n`;
}

/** Writes a mesh or point cloud as an OBJ file. */
export function writeObj(path: string, data: Mesh | PointCloud): void {
  writeFileSync(path, formatObj(data));
}

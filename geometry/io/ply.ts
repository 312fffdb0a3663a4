// PLY files (Stanford polygon format), ASCII and binary in either byte order, for meshes and
// point clouds. Read: vertex x y z, optional nx ny nz and red green blue (integer types scaled to
// [0, 1] by their maximum, float types taken as [0, 1]); a face list named vertex_indices or
// vertex_index, polygons fan-triangulated; every other property and element is skipped by its
// declared type. Errors name the file and the header line, body line (ASCII) or byte offset
// (binary) where reading failed. Write: ASCII or binary; coordinates and normals as double by
// default (float64 round trip, as everything else in splatgrad), colours as uchar.

import { readFileSync, writeFileSync } from 'node:fs';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import type { Mesh, PointCloud } from '../mesh.js';
import { checkWritable } from './checkWritable.js';
import { float32Text } from './float32Text.js';

export type PlyFormat = 'ascii' | 'binary_little_endian' | 'binary_big_endian';

export interface PlyWriteOptions {
  /** Default 'binary_little_endian'. */
  format?: PlyFormat;
  /** Type of x y z and nx ny nz: 'double' (default, lossless) or 'float' (half the size). */
  coordinateType?: 'double' | 'float';
  /** Type of red green blue: 'uchar' (default, 0-255, what viewers expect) or 'float' (0-1, lossless for float32). */
  colorType?: 'uchar' | 'float';
}

type ScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const SCALAR_TYPES: Readonly<Record<string, ScalarType>> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

const TYPE_SIZE: Readonly<Record<ScalarType, number>> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

/** Largest value of each integer type, which colour channels of that type divide by. */
const TYPE_MAX: Readonly<Record<ScalarType, number>> = { int8: 127, uint8: 255, int16: 32767, uint16: 65535, int32: 2147483647, uint32: 4294967295, float32: 1, float64: 1 };

const isFloatType = (t: ScalarType) => t === 'float32' || t === 'float64';

interface PlyProperty {
  name: string;
  /** Scalar type, or the item type of a list. */
  type: ScalarType;
  /** Type of a list's length prefix; undefined for scalars. */
  countType?: ScalarType;
}

interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

interface PlyHeader {
  format: PlyFormat;
  elements: PlyElement[];
  /** Byte offset of the first byte after the end_header line. */
  bodyStart: number;
  /** 1-based number of the end_header line. */
  endHeaderLine: number;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Parses a PLY file's bytes. `faces` is empty for a point cloud. */
export function parsePly(bytes: Uint8Array, fileName = 'input.ply'): Mesh {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${fileName}: expected the file contents as a Uint8Array (e.g. from readFileSync).`);
  const header = parseHeader(bytes, fileName);
  const source: ValueSource = header.format === 'ascii' ? new AsciiValues(bytes, header, fileName) : new BinaryValues(bytes, header, fileName);

  const vertexElement = header.elements.find((e) => e.name === 'vertex');
  if (!vertexElement) throw new ArgumentError(`${fileName}: the header declares no 'element vertex'; a PLY mesh or point cloud needs one.`);
  const vertexCount = vertexElement.count;
  const layout = vertexLayout(vertexElement, fileName);
  const positions = new Float64Array(3 * vertexCount);
  const normals = layout.hasNormals ? new Float64Array(3 * vertexCount) : undefined;
  const colors = layout.hasColors ? new Float32Array(3 * vertexCount) : undefined;
  const faces: number[] = [];

  for (const element of header.elements) {
    if (element === vertexElement) readVertices(element, layout, source, positions, normals, colors);
    else if (element.name === 'face') readFaces(element, source, vertexCount, faces, fileName);
    else skipElement(element, source);
  }
  source.finish();
  checkFiniteRows(positions, 'coordinate', fileName);
  if (normals) checkFiniteRows(normals, 'normal', fileName);
  if (colors) checkFiniteRows(colors, 'colour', fileName);
  return { positions, faces: new Uint32Array(faces), ...(normals ? { normals } : {}), ...(colors ? { colors } : {}) };
}

/** Reads and parses a PLY file from disk. */
export function readPly(path: string): Mesh {
  return parsePly(readFileSync(path), path);
}

const MAX_HEADER_LINE = 4096;

function parseHeader(bytes: Uint8Array, fileName: string): PlyHeader {
  let offset = 0;
  let lineNumber = 0;
  const nextLine = (): string | null => {
    if (offset >= bytes.length) return null;
    let end = bytes.indexOf(10, offset);
    if (end < 0) end = bytes.length;
    // header lines are short; a long run without a newline is binary data, not a header
    if (end - offset > MAX_HEADER_LINE) throw new ArgumentError(`${fileName}: line ${lineNumber + 1}: longer than ${MAX_HEADER_LINE} bytes; this is not a PLY header (or it lacks 'end_header').`);
    let text = '';
    for (let i = offset; i < end; i++) text += String.fromCharCode(bytes[i]);
    offset = end + 1;
    lineNumber++;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };

  if (nextLine() !== 'ply') throw new ArgumentError(`${fileName}: line 1: not a PLY file (the first line must be 'ply').`);
  let format: PlyFormat | undefined;
  const elements: PlyElement[] = [];
  for (;;) {
    const line = nextLine();
    if (line === null) throw new ArgumentError(`${fileName}: line ${lineNumber + 1}: the file ends inside the header (no 'end_header' line); the file is truncated.`);
    const words = line.trim().split(/\s+/);
    const at = `${fileName}: line ${lineNumber}`;
    switch (words[0]) {
      case '':
      case 'comment':
      case 'obj_info':
        break;
      case 'format': {
        if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian') {
          throw new ArgumentError(`${at}: unknown format '${words[1]}'; expected ascii, binary_little_endian or binary_big_endian.`);
        }
        format = words[1];
        break;
      }
      case 'element': {
        const count = Number(words[2]);
        if (words.length !== 3 || !Number.isSafeInteger(count) || count < 0) throw new ArgumentError(`${at}: expected 'element <name> <count>' with a non-negative integer count, got '${line}'.`);
        elements.push({ name: words[1], count, properties: [] });
        break;
      }
      case 'property': {
        const element = elements[elements.length - 1];
        if (!element) throw new ArgumentError(`${at}: 'property' before any 'element' line; move it under its element.`);
        if (words[1] === 'list') {
          const countType = SCALAR_TYPES[words[2]],
            type = SCALAR_TYPES[words[3]];
          if (words.length !== 5 || !countType || !type)
            throw new ArgumentError(`${at}: expected 'property list <count type> <item type> <name>' with PLY types (uchar, int, float...), got '${line}'.`);
          if (isFloatType(countType)) throw new ArgumentError(`${at}: a list's count type must be an integer type, got '${words[2]}'.`);
          element.properties.push({ name: words[4], type, countType });
        } else {
          const type = SCALAR_TYPES[words[1]];
          if (words.length !== 3 || !type) throw new ArgumentError(`${at}: expected 'property <type> <name>' with a PLY type (char, uchar, short, ushort, int, uint, float, double), got '${line}'.`);
          element.properties.push({ name: words[2], type });
        }
        break;
      }
      case 'end_header':
        if (!format) throw new ArgumentError(`${at}: 'end_header' before any 'format' line; add 'format ascii 1.0' (or binary_little_endian) after 'ply'.`);
        return { format, elements, bodyStart: offset, endHeaderLine: lineNumber };
      default:
        throw new ArgumentError(`${at}: unknown header keyword '${words[0]}'; expected format, element, property, comment or end_header.`);
    }
  }
}

/** Where each vertex property goes: slot 0-2 position, 3-5 normal, 6-8 colour, -1 skipped. */
interface VertexLayout {
  slots: Int8Array;
  /** What a value of each property is multiplied by (1/255 for uchar colours, else 1). */
  scales: Float64Array;
  hasNormals: boolean;
  hasColors: boolean;
}

const VERTEX_SLOTS: Readonly<Record<string, number>> = {
  x: 0,
  y: 1,
  z: 2,
  nx: 3,
  ny: 4,
  nz: 5,
  red: 6,
  green: 7,
  blue: 8,
  diffuse_red: 6,
  diffuse_green: 7,
  diffuse_blue: 8,
};

function vertexLayout(element: PlyElement, fileName: string): VertexLayout {
  const slots = new Int8Array(element.properties.length).fill(-1);
  const scales = new Float64Array(element.properties.length).fill(1);
  const found = new Array<string | undefined>(9);
  element.properties.forEach((p, i) => {
    const slot = VERTEX_SLOTS[p.name];
    if (slot === undefined || p.countType) return;
    if (found[slot] !== undefined) return; // first of two spellings of one channel wins
    found[slot] = p.name;
    slots[i] = slot;
    if (slot >= 6 && !isFloatType(p.type)) scales[i] = 1 / TYPE_MAX[p.type];
  });
  for (const axis of ['x', 'y', 'z']) {
    if (found[VERTEX_SLOTS[axis]] === undefined) throw new ArgumentError(`${fileName}: element vertex has no scalar property '${axis}'; a vertex needs x, y and z.`);
  }
  const group = (from: number, names: string) => {
    const present = [from, from + 1, from + 2].filter((s) => found[s] !== undefined).length;
    if (present !== 0 && present !== 3) throw new ArgumentError(`${fileName}: element vertex has only some of ${names}; give all three or none.`);
    return present === 3;
  };
  return { slots, scales, hasNormals: group(3, 'nx ny nz'), hasColors: group(6, 'red green blue') };
}

function readVertices(element: PlyElement, layout: VertexLayout, source: ValueSource, positions: Float64Array, normals: Float64Array | undefined, colors: Float32Array | undefined): void {
  const { slots, scales } = layout;
  const props = element.properties;
  const row = new Float64Array(9);
  for (let v = 0; v < element.count; v++) {
    source.beginRecord(element, v);
    for (let p = 0; p < props.length; p++) {
      const prop = props[p];
      if (prop.countType) {
        skipList(prop, source);
        continue;
      }
      const value = source.scalar(prop.type, prop.name);
      if (slots[p] >= 0) row[slots[p]] = value * scales[p];
    }
    source.endRecord();
    positions[3 * v] = row[0];
    positions[3 * v + 1] = row[1];
    positions[3 * v + 2] = row[2];
    if (normals) {
      normals[3 * v] = row[3];
      normals[3 * v + 1] = row[4];
      normals[3 * v + 2] = row[5];
    }
    if (colors) {
      colors[3 * v] = row[6];
      colors[3 * v + 1] = row[7];
      colors[3 * v + 2] = row[8];
    }
  }
}

function readFaces(element: PlyElement, source: ValueSource, vertexCount: number, faces: number[], fileName: string): void {
  const indexProperty = element.properties.findIndex((p) => p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index'));
  if (indexProperty < 0) throw new ArgumentError(`${fileName}: element face has no list property 'vertex_indices' (or 'vertex_index'); declare it as 'property list uchar int vertex_indices'.`);
  const itemType = element.properties[indexProperty].type;
  if (isFloatType(itemType)) throw new ArgumentError(`${fileName}: face vertex indices must have an integer type, got ${itemType}.`);
  const polygon: number[] = [];
  for (let f = 0; f < element.count; f++) {
    source.beginRecord(element, f);
    for (let p = 0; p < element.properties.length; p++) {
      const prop = element.properties[p];
      if (p !== indexProperty) {
        if (prop.countType) skipList(prop, source);
        else source.scalar(prop.type, prop.name);
        continue;
      }
      const n = source.listLength(prop);
      if (n < 3) throw source.error(`has ${n} vertex indices; a face needs at least 3`);
      polygon.length = 0;
      for (let k = 0; k < n; k++) {
        const index = source.scalar(prop.type, prop.name);
        if (index < 0 || index >= vertexCount) throw source.error(`refers to vertex ${index}, but the file has ${vertexCount} vertices (0 to ${vertexCount - 1})`);
        polygon.push(index);
      }
      // fan triangulation: exact for the convex polygons that PLY writers emit
      for (let k = 1; k + 1 < n; k++) faces.push(polygon[0], polygon[k], polygon[k + 1]);
    }
    source.endRecord();
  }
}

function skipElement(element: PlyElement, source: ValueSource): void {
  for (let i = 0; i < element.count; i++) {
    source.beginRecord(element, i);
    for (const prop of element.properties) {
      if (prop.countType) skipList(prop, source);
      else source.scalar(prop.type, prop.name);
    }
    source.endRecord();
  }
}

function skipList(prop: PlyProperty, source: ValueSource): void {
  const n = source.listLength(prop);
  source.skip(prop.type, n, prop.name);
}

function checkFiniteRows(values: Float64Array | Float32Array, what: string, fileName: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) throw new NonFiniteError(`${fileName}: vertex ${Math.floor(i / 3)} has a non-finite ${what} (${v}); fix or remove that vertex.`);
  }
}

/** The body of a PLY file as a stream of typed values, record by record. */
interface ValueSource {
  /** Starts record `index` of `element` (an ASCII line). */
  beginRecord(element: PlyElement, index: number): void;
  /** Ends the current record (ASCII: no values may be left on the line). */
  endRecord(): void;
  scalar(type: ScalarType, property: string): number;
  /** Reads a list's length prefix and checks it. */
  listLength(prop: PlyProperty): number;
  skip(type: ScalarType, count: number, property: string): void;
  /** Checks nothing is left after the last element. */
  finish(): void;
  /** An error located at the current record: "<file>: <where>: <element> <index> <problem>; ...". */
  error(problem: string): ArgumentError;
}

class BinaryValues implements ValueSource {
  private readonly view: DataView;
  private readonly little: boolean;
  private offset: number;
  private element = '';
  private index = 0;

  constructor(
    bytes: Uint8Array,
    header: PlyHeader,
    private readonly fileName: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.little = header.format === 'binary_little_endian';
    this.offset = header.bodyStart;
    // refuse absurd counts before allocating for them: each record needs at least its fixed part
    let needed = 0;
    for (const e of header.elements) {
      const minimum = e.properties.reduce((s, p) => s + TYPE_SIZE[p.countType ?? p.type], 0);
      needed += minimum * e.count;
    }
    const available = bytes.length - header.bodyStart;
    if (needed > available) {
      throw new ArgumentError(
        `${fileName}: byte ${bytes.length}: the file is truncated: the header declares ${header.elements.map((e) => `${e.count} ${e.name}`).join(', ')}, which need at least ${needed} bytes after the header (from byte ${header.bodyStart}), but only ${available} remain.`,
      );
    }
  }

  beginRecord(element: PlyElement, index: number): void {
    this.element = element.name;
    this.index = index;
  }

  endRecord(): void {}

  scalar(type: ScalarType, property: string): number {
    const at = this.offset;
    const size = TYPE_SIZE[type];
    if (at + size > this.view.byteLength) {
      throw new ArgumentError(`${this.fileName}: byte ${at}: the file ends while reading property '${property}' of ${this.element} ${this.index}; it is truncated (shorter than its header says).`);
    }
    this.offset = at + size;
    const v = this.view,
      le = this.little;
    switch (type) {
      case 'int8':
        return v.getInt8(at);
      case 'uint8':
        return v.getUint8(at);
      case 'int16':
        return v.getInt16(at, le);
      case 'uint16':
        return v.getUint16(at, le);
      case 'int32':
        return v.getInt32(at, le);
      case 'uint32':
        return v.getUint32(at, le);
      case 'float32':
        return v.getFloat32(at, le);
      case 'float64':
        return v.getFloat64(at, le);
    }
  }

  listLength(prop: PlyProperty): number {
    const n = this.scalar(prop.countType!, prop.name);
    if (n < 0) throw this.error(`has a negative length (${n}) for list '${prop.name}'`);
    return n;
  }

  skip(type: ScalarType, count: number, property: string): void {
    const end = this.offset + TYPE_SIZE[type] * count;
    if (end > this.view.byteLength) {
      throw new ArgumentError(`${this.fileName}: byte ${this.offset}: the file ends inside list '${property}' of ${this.element} ${this.index}; it is truncated.`);
    }
    this.offset = end;
  }

  finish(): void {
    // trailing bytes (a final newline from some writers) carry no data; nothing to check
  }

  error(problem: string): ArgumentError {
    return new ArgumentError(`${this.fileName}: byte ${this.offset}: ${this.element} ${this.index} ${problem}; fix the file.`);
  }
}

class AsciiValues implements ValueSource {
  private readonly lines: string[];
  /** 1-based file line number of lines[0]. */
  private readonly firstLine: number;
  private next = 0;
  private lineNumber = 0;
  private tokens: string[] = [];
  private token = 0;
  private element = '';
  private index = 0;
  private count = 0;

  constructor(
    bytes: Uint8Array,
    header: PlyHeader,
    private readonly fileName: string,
  ) {
    this.lines = new TextDecoder('latin1').decode(bytes.subarray(header.bodyStart)).split('\n');
    this.firstLine = header.endHeaderLine + 1;
    // one record per line: refuse absurd counts before anything is allocated for them
    const records = header.elements.reduce((sum, e) => sum + e.count, 0);
    if (records > this.lines.length) {
      throw new ArgumentError(
        `${fileName}: line ${this.firstLine + this.lines.length - 1}: the file is truncated: the header declares ${header.elements.map((e) => `${e.count} ${e.name}`).join(', ')} (one line each), but the body has only ${this.lines.length} lines.`,
      );
    }
  }

  beginRecord(element: PlyElement, index: number): void {
    this.element = element.name;
    this.index = index;
    this.count = element.count;
    while (this.next < this.lines.length) {
      const line = this.lines[this.next++].trim();
      if (line === '') continue;
      this.lineNumber = this.firstLine + this.next - 1;
      this.tokens = line.split(/\s+/);
      this.token = 0;
      return;
    }
    // the last line of the file (an empty piece after a final newline is not a line)
    const last = this.firstLine + this.lines.length - (this.lines[this.lines.length - 1] === '' ? 2 : 1);
    throw new ArgumentError(`${this.fileName}: line ${last}: the file ends before ${element.name} ${index} (the header declares ${element.count}); it is truncated.`);
  }

  endRecord(): void {
    if (this.token < this.tokens.length) {
      throw this.error(`has ${this.tokens.length - this.token} value(s) more than its properties declare (first extra: '${this.tokens[this.token]}')`);
    }
  }

  scalar(type: ScalarType, property: string): number {
    if (this.token >= this.tokens.length) throw this.error(`ends before property '${property}'`);
    const text = this.tokens[this.token++];
    if (isFloatType(type)) {
      const value = parseFloatToken(text);
      if (value === undefined) throw this.error(`has '${text}' for property '${property}', which is not a number`);
      return type === 'float32' ? Math.fround(value) : value;
    }
    const value = Number(text);
    if (!Number.isInteger(value)) throw this.error(`has '${text}' for property '${property}', which is not an integer (its type is ${type})`);
    return value;
  }

  listLength(prop: PlyProperty): number {
    const n = this.scalar(prop.countType!, prop.name);
    if (n < 0) throw this.error(`has a negative length (${n}) for list '${prop.name}'`);
    return n;
  }

  skip(type: ScalarType, count: number, property: string): void {
    for (let i = 0; i < count; i++) this.scalar(type, property);
  }

  finish(): void {
    for (let i = this.next; i < this.lines.length; i++) {
      if (this.lines[i].trim() !== '') {
        throw new ArgumentError(`${this.fileName}: line ${this.firstLine + i}: data after the last element; the element counts in the header do not match the body.`);
      }
    }
  }

  error(problem: string): ArgumentError {
    return new ArgumentError(`${this.fileName}: line ${this.lineNumber}: ${this.element} ${this.index} (of ${this.count}) ${problem}; fix the file.`);
  }
}

const NON_FINITE_TOKEN = /^[+-]?(nan|inf|infinity)$/i;

/** A decimal number, or the nan / inf spellings that C's printf writes; undefined for anything else. */
function parseFloatToken(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isNaN(value) && !/^[+-]?0[xob]/i.test(text)) return value;
  if (NON_FINITE_TOKEN.test(text)) {
    if (/nan/i.test(text)) return NaN;
    return text.startsWith('-') ? -Infinity : Infinity;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Encodes a mesh or point cloud as PLY (faces written only when there are some). */
export function formatPly(data: Mesh | PointCloud, options: PlyWriteOptions = {}): Uint8Array {
  const format = options.format ?? 'binary_little_endian';
  const coordinateType = options.coordinateType ?? 'double';
  const colorType = options.colorType ?? 'uchar';
  if (format !== 'ascii' && format !== 'binary_little_endian' && format !== 'binary_big_endian')
    throw new ArgumentError(`formatPly: options.format must be 'ascii', 'binary_little_endian' or 'binary_big_endian', got '${format}'.`);
  if (coordinateType !== 'double' && coordinateType !== 'float') throw new ArgumentError(`formatPly: options.coordinateType must be 'double' or 'float', got '${coordinateType}'.`);
  if (colorType !== 'uchar' && colorType !== 'float') throw new ArgumentError(`formatPly: options.colorType must be 'uchar' or 'float', got '${colorType}'.`);
  checkWritable(data, 'data');

  const n = data.positions.length / 3;
  const faces = (data as Mesh).faces ?? new Uint32Array(0);
  const faceCount = faces.length / 3;
  if (n > 0x7fffffff) throw new ArgumentError(`formatPly: ${n} vertices do not fit PLY int vertex indices; split the mesh.`);
  const lines = ['ply', `format ${format} 1.0`, 'comment written by splatgrad', `element vertex ${n}`];
  for (const a of ['x', 'y', 'z']) lines.push(`property ${coordinateType} ${a}`);
  if (data.normals) for (const a of ['nx', 'ny', 'nz']) lines.push(`property ${coordinateType} ${a}`);
  if (data.colors) for (const c of ['red', 'green', 'blue']) lines.push(`property ${colorType} ${c}`);
  if (faceCount > 0) lines.push(`element face ${faceCount}`, 'property list uchar int vertex_indices');
  lines.push('end_header');
  const header = `${lines.join('\n')}\n`;

  return format === 'ascii'
    ? new TextEncoder().encode(header + asciiBody(data, faces, coordinateType, colorType))
    : binaryBody(data, faces, header, coordinateType, colorType, format === 'binary_little_endian');
}

/** Encodes and writes a PLY file. */
export function writePly(path: string, data: Mesh | PointCloud, options: PlyWriteOptions = {}): void {
  writeFileSync(path, formatPly(data, options));
}

const toUchar = (c: number) => Math.round(Math.min(1, Math.max(0, c)) * 255);

function asciiBody(data: Mesh | PointCloud, faces: Uint32Array, coordinateType: 'double' | 'float', colorType: 'uchar' | 'float'): string {
  const coordinate = coordinateType === 'double' ? String : float32Text;
  const out: string[] = [];
  const { positions, normals, colors } = data;
  const row: string[] = [];
  for (let i = 0; i < positions.length; i += 3) {
    row.length = 0;
    row.push(coordinate(positions[i]), coordinate(positions[i + 1]), coordinate(positions[i + 2]));
    if (normals) row.push(coordinate(normals[i]), coordinate(normals[i + 1]), coordinate(normals[i + 2]));
    if (colors) {
      for (let c = 0; c < 3; c++) row.push(colorType === 'uchar' ? String(toUchar(colors[i + c])) : float32Text(colors[i + c]));
    }
    out.push(row.join(' '));
  }
  for (let f = 0; f < faces.length; f += 3) out.push(`3 ${faces[f]} ${faces[f + 1]} ${faces[f + 2]}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

function binaryBody(data: Mesh | PointCloud, faces: Uint32Array, header: string, coordinateType: 'double' | 'float', colorType: 'uchar' | 'float', little: boolean): Uint8Array {
  const { positions, normals, colors } = data;
  const n = positions.length / 3;
  const cs = coordinateType === 'double' ? 8 : 4;
  const colorSize = colorType === 'uchar' ? 1 : 4;
  const vertexSize = 3 * cs + (normals ? 3 * cs : 0) + (colors ? 3 * colorSize : 0);
  const headerBytes = new TextEncoder().encode(header);
  const bytes = new Uint8Array(headerBytes.length + n * vertexSize + (faces.length / 3) * 13);
  bytes.set(headerBytes);
  const view = new DataView(bytes.buffer);
  let at = headerBytes.length;
  const putCoordinate = (x: number) => {
    if (cs === 8) view.setFloat64(at, x, little);
    else view.setFloat32(at, x, little);
    at += cs;
  };
  for (let i = 0; i < positions.length; i += 3) {
    putCoordinate(positions[i]);
    putCoordinate(positions[i + 1]);
    putCoordinate(positions[i + 2]);
    if (normals) {
      putCoordinate(normals[i]);
      putCoordinate(normals[i + 1]);
      putCoordinate(normals[i + 2]);
    }
    if (colors) {
      for (let c = 0; c < 3; c++) {
        if (colorType === 'uchar') view.setUint8(at++, toUchar(colors[i + c]));
        else {
          view.setFloat32(at, colors[i + c], little);
          at += 4;
        }
      }
    }
  }
  for (let f = 0; f < faces.length; f += 3) {
    view.setUint8(at++, 3);
    for (let k = 0; k < 3; k++) {
      view.setInt32(at, faces[f + k], little);
      at += 4;
    }
  }
  return bytes;
}

// The safetensors file format (docs/toolbox.md §1), how PyTorch users share weights:
//   bytes 0..7      N, the header length, an unsigned 64-bit little-endian integer
//   bytes 8..8+N-1  the header: a UTF-8 JSON object, possibly padded with trailing spaces
//                   { "__metadata__": { string: string }?, name: { "dtype": "F32", "shape": [..],
//                     "data_offsets": [begin, end] }, ... }
//   the rest        the data buffer: each tensor's values, row-major, little-endian, at
//                   [begin, end) counted from the buffer's start
// Rules a reader enforces (the reference implementation's): the header starts with '{' and is at
// most 100 MB; every dtype is known; end - begin = (product of the shape) x (the dtype's size);
// sorted by begin, the ranges start at 0, touch end to end (no holes, no overlaps) and finish at
// the buffer's end. This writer also pads the header with spaces to a multiple of 8 bytes (so the
// buffer starts aligned) and orders tensors by dtype size, then name, as the reference writer does.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type DType, allocate } from '../lib/dtype.js';
import { ArgumentError, DTypeError, assertFinite } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { Module } from './module.js';

/** Header size limit of the reference reader. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of every dtype the format defines (floats are read; F32 and F64 written). */
export const SAFETENSORS_DTYPE_SIZES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** One header entry. */
export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsFile {
  /** Name -> tensor: F64 as float64, F32 / F16 / BF16 as float32 (or all as options.dtype). */
  tensors: Record<string, Tensor>;
  /** The header's __metadata__ (string -> string), or null. */
  metadata: Record<string, string> | null;
  /** The header entries as written in the file. */
  header: Record<string, SafetensorsEntry>;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The file's bytes for `tensors` (float32 as F32, float64 as F64) and optional string metadata. */
export function encodeSafetensors(tensors: Record<string, Tensor> | Module, metadata?: Record<string, string>): Uint8Array {
  const dict = tensors instanceof Module ? tensors.stateDict() : tensors;
  if (typeof dict !== 'object' || dict === null) throw new ArgumentError('encodeSafetensors: pass an object of name -> Tensor (or a Module).');
  const names = Object.keys(dict);
  for (const name of names) {
    if (name === '__metadata__' || name.length === 0)
      throw new ArgumentError(`encodeSafetensors: '${name}' cannot name a tensor; '__metadata__' is the header's metadata key and names must not be empty.`);
    if (!(dict[name] instanceof Tensor)) throw new ArgumentError(`encodeSafetensors: '${name}' is not a Tensor.`);
    assertFinite(dict[name].data, `encodeSafetensors: '${name}'`);
  }
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw new ArgumentError('encodeSafetensors: metadata must map strings to strings (the format allows nothing else there).');
    }
  }
  const size = (t: Tensor): number => (t.dtype === 'float64' ? 8 : 4);
  names.sort((a, b) => size(dict[b]) - size(dict[a]) || (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = dict[name];
    const bytes = t.size * size(t);
    header[name] = { dtype: t.dtype === 'float64' ? 'F64' : 'F32', shape: t.shape.slice(), data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const name of names) {
    const t = dict[name];
    if (littleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else for (let i = 0; i < t.size; i++) t.dtype === 'float64' ? view.setFloat64(at + 8 * i, t.data[i], true) : view.setFloat32(at + 4 * i, t.data[i], true);
    at += t.data.byteLength;
  }
  return out;
}

/** Reads a safetensors file's bytes, checking the header against the format's rules. */
export function decodeSafetensors(bytes: Uint8Array, options: { dtype?: DType; fileName?: string } = {}): SafetensorsFile {
  const file = options.fileName ?? 'safetensors data';
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${file}: expected the file contents as a Uint8Array (e.g. from readFileSync).`);
  if (bytes.length < 8) throw new ArgumentError(`${file}: ${bytes.length} bytes; a safetensors file starts with an 8-byte header length, so it is truncated.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new ArgumentError(`${file}: the header length reads ${n} bytes, above the format's ${MAX_HEADER_BYTES}; this is not a safetensors file.`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) throw new ArgumentError(`${file}: the header claims ${headerLength} bytes but only ${bytes.length - 8} follow; the file is truncated.`);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b) throw new ArgumentError(`${file}: the header does not start with '{'; this is not a safetensors file.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new ArgumentError(`${file}: the header is not valid UTF-8 JSON (${(e as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ArgumentError(`${file}: the header must be a JSON object.`);
  const raw = parsed as Record<string, unknown>;
  let metadata: Record<string, string> | null = null;
  if ('__metadata__' in raw) {
    const m = raw.__metadata__;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || Object.values(m).some((v) => typeof v !== 'string')) {
      throw new ArgumentError(`${file}: __metadata__ must map strings to strings.`);
    }
    metadata = m as Record<string, string>;
  }
  const header: Record<string, SafetensorsEntry> = {};
  for (const [name, e] of Object.entries(raw)) {
    if (name === '__metadata__') continue;
    header[name] = checkEntry(name, e, file);
  }
  const dataStart = 8 + headerLength;
  const bufferLength = bytes.length - dataStart;
  const order = Object.keys(header).sort((a, b) => header[a].data_offsets[0] - header[b].data_offsets[0] || header[a].data_offsets[1] - header[b].data_offsets[1]);
  let expected = 0;
  for (const name of order) {
    const [begin, end] = header[name].data_offsets;
    if (begin !== expected) {
      throw new ArgumentError(
        `${file}: tensor '${name}' starts at byte ${begin} of the data but the previous one ends at ${expected}; the format forbids ${begin > expected ? 'holes' : 'overlaps'} between tensors.`,
      );
    }
    expected = end;
  }
  if (expected !== bufferLength) {
    throw new ArgumentError(
      `${file}: the tensors cover ${expected} bytes of data but ${bufferLength} follow the header; the file is ${expected > bufferLength ? 'truncated' : 'padded with bytes no tensor owns'}.`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  for (const name of Object.keys(header)) tensors[name] = readTensor(name, header[name], view, dataStart, options.dtype, file);
  return { tensors, metadata, header };
}

function checkEntry(name: string, e: unknown, file: string): SafetensorsEntry {
  const bad = (why: string): never => {
    throw new ArgumentError(`${file}: header entry '${name}' ${why}.`);
  };
  if (typeof e !== 'object' || e === null || Array.isArray(e)) bad('must be an object { dtype, shape, data_offsets }');
  const { dtype, shape, data_offsets: offsets } = e as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPE_SIZES)) bad(`has dtype ${JSON.stringify(dtype)}; the format's dtypes are ${Object.keys(SAFETENSORS_DTYPE_SIZES).join(', ')}`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) bad(`has shape ${JSON.stringify(shape)}; it must be an array of whole numbers >= 0`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[1] < offsets[0]) {
    bad(`has data_offsets ${JSON.stringify(offsets)}; it must be [begin, end] with 0 <= begin <= end`);
  }
  const count = (shape as number[]).reduce((p, d) => p * d, 1);
  const [begin, end] = offsets as [number, number];
  if (end - begin !== count * SAFETENSORS_DTYPE_SIZES[dtype as string]) {
    bad(`spans ${end - begin} bytes but shape [${shape}] of ${dtype} needs ${count * SAFETENSORS_DTYPE_SIZES[dtype as string]}`);
  }
  return { dtype: dtype as string, shape: (shape as number[]).slice(), data_offsets: [begin, end] };
}

function readTensor(name: string, e: SafetensorsEntry, view: DataView, dataStart: number, want: DType | undefined, file: string): Tensor {
  const natural: DType | null = e.dtype === 'F64' ? 'float64' : e.dtype === 'F32' || e.dtype === 'F16' || e.dtype === 'BF16' ? 'float32' : null;
  if (!natural) throw new DTypeError(`${file}: tensor '${name}' is ${e.dtype}; splatgrad reads the float dtypes F64, F32, F16 and BF16 (convert it with tensor.float() before saving).`);
  const count = e.shape.reduce((p, d) => p * d, 1);
  const out = allocate(want ?? natural, count);
  const at = dataStart + e.data_offsets[0];
  for (let i = 0; i < count; i++) {
    switch (e.dtype) {
      case 'F64':
        out[i] = view.getFloat64(at + 8 * i, true);
        break;
      case 'F32':
        out[i] = view.getFloat32(at + 4 * i, true);
        break;
      case 'F16':
        out[i] = halfToNumber(view.getUint16(at + 2 * i, true));
        break;
      default: // BF16: the top half of a float32
        out[i] = bfloat16ToNumber(view.getUint16(at + 2 * i, true));
    }
  }
  assertFinite(out, `${file}: tensor '${name}'`, 'the saved values hold NaN or infinite values; fix them where the file was written');
  return new Tensor(out, e.shape, false, name);
}

/** IEEE 754 binary16 bits to a number. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f,
    fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const bf16 = new DataView(new ArrayBuffer(4));
export function bfloat16ToNumber(b: number): number {
  bf16.setUint32(0, b << 16);
  return bf16.getFloat32(0);
}

/** Writes `tensors` (or a module's parameters) to `path` as safetensors. */
export function saveSafetensors(path: string, tensors: Record<string, Tensor> | Module, options: { metadata?: Record<string, string> } = {}): void {
  writeFileSync(path, encodeSafetensors(tensors, options.metadata));
}

/** Reads a safetensors file; load it into a module with `module.loadStateDict(file.tensors)`. */
export function loadSafetensors(path: string, options: { dtype?: DType } = {}): SafetensorsFile {
  if (!existsSync(path)) throw new ArgumentError(`loadSafetensors: no file at '${path}'; check the path.`);
  return decodeSafetensors(readFileSync(path), { ...options, fileName: path });
}

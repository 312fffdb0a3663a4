// Small fixed-size 3-vector helpers for camera and light set-up (not for hot loops over N points:
// those index flat typed arrays directly). Validation here names the argument at fault.

import { ArgumentError, NonFiniteError } from '../lib/errors.js';

export type Vec3 = [number, number, number];

/** Reads a finite 3-vector from an array-like argument, or throws naming `what`. */
export function vec3(v: unknown, what: string): Vec3 {
  const a = v as ArrayLike<number> | null | undefined;
  if (a === null || a === undefined || typeof a !== 'object' || a.length !== 3) {
    throw new ArgumentError(`${what} must be an array of three numbers [x, y, z], got ${JSON.stringify(v)}.`);
  }
  const out: Vec3 = [Number(a[0]), Number(a[1]), Number(a[2])];
  for (let i = 0; i < 3; i++) {
    if (typeof a[i] !== 'number') throw new ArgumentError(`${what}[${i}] must be a number, got ${JSON.stringify(a[i])}.`);
    if (!Number.isFinite(out[i])) throw new NonFiniteError(`${what}[${i}] is ${out[i]}; pass finite coordinates.`);
  }
  return out;
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function dot3(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross3(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function length3(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** a / |a|; throws naming `what` for a (near) zero-length vector, which has no direction. */
export function unit3(a: Vec3, what: string): Vec3 {
  const n = length3(a);
  if (!(n > 1e-12)) throw new ArgumentError(`${what} has zero length, so it has no direction; pass a non-zero vector.`);
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Scales the xyz triple at a[i..i+2] to unit length in place (a zero triple stays zero). */
export function normalizeTripleAt(a: Float64Array, i: number): void {
  const len = Math.hypot(a[i], a[i + 1], a[i + 2]);
  if (len > 0) {
    a[i] /= len;
    a[i + 1] /= len;
    a[i + 2] /= len;
  }
}

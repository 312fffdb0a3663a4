// A tube swept along a curve: circles of `radius` around points of the curve, oriented by a
// rotation-minimizing (parallel-transport) frame so the tube does not twist. A closed curve gives
// a torus-like tube (its frame's leftover twist is spread over the length); an open one is capped.

import { ArgumentError } from '../../lib/errors.js';
import type { Mesh } from '../mesh.js';
import type { Vec3 } from '../vector3.js';
import { checkCount } from './checkCount.js';
import { MeshBuilder } from './meshBuilder.js';

export interface SweepOptions {
  radius: number;
  /** Points along the curve (default 200). */
  samples?: number;
  /** Vertices around the tube (default 16). */
  sides?: number;
  /** The curve returns to its start at t = 1 (default false: the ends are capped). */
  closed?: boolean;
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** The tube around curve(t), t in [0, 1]. */
export function sweepTube(curve: (t: number) => Vec3, options: SweepOptions): Mesh {
  const { radius, closed = false } = options;
  const samples = options.samples ?? 200,
    sides = options.sides ?? 16;
  if (!(radius > 0) || !Number.isFinite(radius)) throw new ArgumentError(`sweepTube: radius must be a positive finite number, got ${radius}.`);
  checkCount(samples, 'sweepTube: samples', 3, 100_000);
  checkCount(sides, 'sweepTube: sides', 3, 1024);
  const rings = closed ? samples : samples + 1;
  const points: Vec3[] = Array.from({ length: rings }, (_, i) => curve(i / samples));
  const tangent = (i: number): Vec3 => {
    const a = closed ? points[(i - 1 + rings) % rings] : points[Math.max(0, i - 1)];
    const b = closed ? points[(i + 1) % rings] : points[Math.min(rings - 1, i + 1)];
    return unit(sub(b, a));
  };
  // parallel transport: each normal is the last one with its component along the new tangent removed
  const t0 = tangent(0);
  let n: Vec3 = unit(cross(t0, Math.abs(t0[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]));
  const frames: [Vec3, Vec3][] = [];
  for (let i = 0; i < rings; i++) {
    const t = tangent(i);
    n = unit(sub(n, t.map((v) => v * dot(n, t)) as Vec3));
    frames.push([n, cross(t, n)]);
  }
  // a closed tube's frame comes back rotated: undo the angle gradually along the curve
  let twist = 0;
  if (closed) {
    const nEnd = frames[rings - 1][0];
    const t = tangent(0);
    const carried = unit(sub(nEnd, t.map((v) => v * dot(nEnd, t)) as Vec3));
    twist = Math.atan2(dot(carried, frames[0][1]), dot(carried, frames[0][0]));
  }
  const m = new MeshBuilder();
  for (let i = 0; i < rings; i++) {
    const [nn, bb] = frames[i];
    const turn = (-twist * i) / rings;
    for (let s = 0; s < sides; s++) {
      const a = (2 * Math.PI * s) / sides + turn;
      const c = Math.cos(a) * radius,
        d = Math.sin(a) * radius;
      const p = points[i];
      m.vertex(p[0] + c * nn[0] + d * bb[0], p[1] + c * nn[1] + d * bb[1], p[2] + c * nn[2] + d * bb[2]);
    }
  }
  const at = (i: number, s: number) => (i % rings) * sides + (s % sides);
  const segments = closed ? rings : rings - 1;
  for (let i = 0; i < segments; i++) {
    // the angle grows from n toward b = t x n, so (s, s + 1, next ring) runs counter-clockwise seen from outside
    for (let s = 0; s < sides; s++) m.quad(at(i, s), at(i, s + 1), at(i + 1, s + 1), at(i + 1, s));
  }
  if (!closed) {
    for (const [i, sign] of [
      [0, -1],
      [rings - 1, 1],
    ] as const) {
      const p = points[i];
      const centre = m.vertex(p[0], p[1], p[2]);
      for (let s = 0; s < sides; s++) {
        if (sign > 0) m.triangle(centre, at(i, s), at(i, s + 1));
        else m.triangle(centre, at(i, s + 1), at(i, s));
      }
    }
  }
  return m.build();
}

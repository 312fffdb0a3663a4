// Lights and plain (non-differentiable) Lambertian shading of single points:
//   rgb = albedo * (ambient + sum_l color_l * max(0, n . l))
// where l is the unit direction from the surface toward the light. Point lights have no distance
// falloff (like suns placed at a position), so an object's brightness does not depend on its scale.
// The differentiable version over N points is ops/shade.ts.

import { ArgumentError } from '../lib/errors.js';
import { Random } from '../lib/random.js';
import type { Camera } from './camera.js';
import { type Vec3, cross3, dot3, unit3, vec3 } from './vector3.js';

export interface DirectionalLight {
  type: 'directional';
  /** Unit vector pointing FROM the surface TOWARD the light. */
  direction: Vec3;
  color: Vec3;
}

export interface PointLight {
  type: 'point';
  position: Vec3;
  color: Vec3;
}

export interface AmbientLight {
  type: 'ambient';
  color: Vec3;
}

export type Light = DirectionalLight | PointLight | AmbientLight;

/** A sun light; `direction` (toward the light) is normalized here. */
export function directionalLight(direction: ArrayLike<number>, color: ArrayLike<number>): DirectionalLight {
  return { type: 'directional', direction: unit3(vec3(direction, 'direction'), 'direction'), color: vec3(color, 'color') };
}

export function pointLight(position: ArrayLike<number>, color: ArrayLike<number>): PointLight {
  return { type: 'point', position: vec3(position, 'position'), color: vec3(color, 'color') };
}

export function ambientLight(color: ArrayLike<number>): AmbientLight {
  return { type: 'ambient', color: vec3(color, 'color') };
}

/** docs/dss.md §2 (ref) default: sun colour 0.9, ambient 0.3. */
export const DEFAULT_SUN_INTENSITY = 0.9;
export const DEFAULT_AMBIENT_INTENSITY = 0.3;

/**
 * The DSS default lights of one view (docs/dss.md §2): ambient 0.3 and three orthogonal sun lights,
 * red along the camera forward axis (pointing back toward the camera, so what the camera sees is
 * lit), green and blue along two random axes orthogonal to it and to each other (seeded).
 * The colour of a surface then encodes its normal in the camera frame.
 */
export function defaultLights(camera: Camera, options: { seed?: number; sun?: number; ambient?: number } = {}): Light[] {
  const sun = options.sun ?? DEFAULT_SUN_INTENSITY;
  const amb = options.ambient ?? DEFAULT_AMBIENT_INTENSITY;
  const f = camera.forward;
  const red: Vec3 = [-f[0], -f[1], -f[2]];
  // a random direction, made orthogonal to red (Gram-Schmidt); redraw in the unlikely near-parallel case
  const rng = new Random(options.seed ?? 0);
  let green: Vec3 = [0, 0, 0];
  for (let tries = 0; tries < 100; tries++) {
    const r: Vec3 = [rng.normal(), rng.normal(), rng.normal()];
    const k = dot3(r, red);
    const g: Vec3 = [r[0] - k * red[0], r[1] - k * red[1], r[2] - k * red[2]];
    if (Math.hypot(g[0], g[1], g[2]) > 1e-3) {
      green = unit3(g, 'green light direction');
      break;
    }
  }
  const blue = cross3(red, green);
  return [
    { type: 'ambient', color: [amb, amb, amb] },
    { type: 'directional', direction: red, color: [sun, 0, 0] },
    { type: 'directional', direction: green, color: [0, sun, 0] },
    { type: 'directional', direction: blue, color: [0, 0, sun] },
  ];
}

/** Throws a typed error naming lights[i] and the field when a light is malformed. */
export function validateLights(lights: readonly Light[], what = 'lights'): void {
  if (!Array.isArray(lights)) throw new ArgumentError(`${what} must be an array of lights ({ type: 'directional' | 'point' | 'ambient', ... }).`);
  lights.forEach((l, i) => {
    const name = `${what}[${i}]`;
    if (l === null || typeof l !== 'object') throw new ArgumentError(`${name} must be a light object, got ${JSON.stringify(l)}.`);
    vec3(l.color, `${name}.color`);
    if (l.type === 'directional') {
      const d = vec3(l.direction, `${name}.direction`);
      if (Math.abs(Math.hypot(d[0], d[1], d[2]) - 1) > 1e-6) {
        throw new ArgumentError(`${name}.direction must be a unit vector (length ${Math.hypot(d[0], d[1], d[2])}); normalize it or build it with directionalLight().`);
      }
    } else if (l.type === 'point') {
      vec3(l.position, `${name}.position`);
    } else if (l.type !== 'ambient') {
      throw new ArgumentError(`${name}.type must be 'directional', 'point' or 'ambient', got ${JSON.stringify((l as { type: unknown }).type)}.`);
    }
  });
}

/**
 * Lambertian colour of one surface point (non-differentiable; the rasterizer calls it per pixel).
 * `normal` is normalized here (zero length throws); `position` is needed only for point lights.
 * Writes into `out` when given. The lights are not validated here (hot path): use validateLights once.
 */
export function shadeLambert(
  albedo: ArrayLike<number>,
  normal: ArrayLike<number>,
  position: ArrayLike<number> | null,
  lights: readonly Light[],
  out: Float64Array = new Float64Array(3),
): Float64Array {
  let nx = normal[0],
    ny = normal[1],
    nz = normal[2];
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (!(len > 1e-12) || !Number.isFinite(len)) {
    throw new ArgumentError(`shadeLambert: normal [${nx}, ${ny}, ${nz}] has no direction (zero length or non-finite); pass a non-zero finite normal.`);
  }
  nx /= len;
  ny /= len;
  nz /= len;
  let r = 0,
    g = 0,
    b = 0;
  for (let i = 0; i < lights.length; i++) {
    const l = lights[i];
    let s = 1;
    if (l.type === 'directional') {
      s = nx * l.direction[0] + ny * l.direction[1] + nz * l.direction[2];
    } else if (l.type === 'point') {
      if (!position) throw new ArgumentError(`shadeLambert: lights[${i}] is a point light, so position is required; pass the surface point.`);
      const dx = l.position[0] - position[0],
        dy = l.position[1] - position[1],
        dz = l.position[2] - position[2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      s = d > 0 ? (nx * dx + ny * dy + nz * dz) / d : 0; // a light inside the surface lights nothing
    }
    if (s <= 0) continue;
    r += l.color[0] * s;
    g += l.color[1] * s;
    b += l.color[2] * s;
  }
  out[0] = albedo[0] * r;
  out[1] = albedo[1] * g;
  out[2] = albedo[2] * b;
  return out;
}

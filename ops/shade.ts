// Differentiable Lambertian shading of N oriented points (docs/dss.md §2, "Shading"):
//   s_kl    = n_k . l_kl                       l_kl unit, from point k toward light l
//   S_kc    = ambient_c + sum_l color_lc max(0, s_kl)
//   out_kc  = albedo_kc S_kc
// Backward, with w_kl = sum_c g_kc albedo_kc color_lc and [.] the lit indicator s_kl > 0:
//   d/d albedo_kc = g_kc S_kc
//   d/d n_k       = sum_l [s_kl > 0] w_kl l_kl          (0 on the dark side of the max(0, .) kink)
//   d/d p_k       = sum_{point l} [s_kl > 0] w_kl (-(n_k - s_kl l_kl) / |q_l - p_k|)
// Normals are used as given: pass unit normals (e.g. normalize() from ops/vector.ts) for true
// Lambert values. Point lights have no distance falloff (geometry/lights.ts).

import { customOp } from '../lib/customOp.js';
import { type FloatArray, allocate } from '../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { type Light, validateLights } from '../geometry/lights.js';

/** Per-light data flattened for the kernels: kind 0 directional, 1 point; xyz and rgb. */
interface LightTable {
  ambient: [number, number, number];
  count: number;
  kind: Uint8Array;
  xyz: Float64Array;
  rgb: Float64Array;
}

function lightTable(lights: readonly Light[]): LightTable {
  validateLights(lights);
  const ambient: [number, number, number] = [0, 0, 0];
  const active = lights.filter((l) => l.type !== 'ambient');
  const kind = new Uint8Array(active.length);
  const xyz = new Float64Array(active.length * 3);
  const rgb = new Float64Array(active.length * 3);
  for (const l of lights) if (l.type === 'ambient') for (let c = 0; c < 3; c++) ambient[c] += l.color[c];
  active.forEach((l, j) => {
    kind[j] = l.type === 'point' ? 1 : 0;
    xyz.set(l.type === 'point' ? l.position : l.type === 'directional' ? l.direction : [0, 0, 0], j * 3);
    rgb.set(l.color, j * 3);
  });
  return { ambient, count: active.length, kind, xyz, rgb };
}

/**
 * For point k and light j: writes the unit direction toward the light into dir[0..2] and returns
 * the distance to it (1 for directional lights, 0 for a point light at the point itself).
 */
function lightDirection(L: LightTable, j: number, P: FloatArray | null, k: number, dir: Float64Array): number {
  const o = j * 3;
  if (L.kind[j] === 0) {
    dir[0] = L.xyz[o];
    dir[1] = L.xyz[o + 1];
    dir[2] = L.xyz[o + 2];
    return 1;
  }
  const dx = L.xyz[o] - P![k * 3],
    dy = L.xyz[o + 1] - P![k * 3 + 1],
    dz = L.xyz[o + 2] - P![k * 3 + 2];
  const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const inv = d > 0 ? 1 / d : 0;
  dir[0] = dx * inv;
  dir[1] = dy * inv;
  dir[2] = dz * inv;
  return d;
}

const shadeOp = customOp({
  name: 'shade',
  forward(ctx, normals: Tensor, albedo: Tensor, L: LightTable, positions: Tensor | null) {
    const n = normals.shape[0];
    const out = ctx.output([n, 3]);
    const N = normals.data,
      A = albedo.data,
      P = positions ? positions.data : null,
      Y = out.data;
    const aStride = albedo.ndim === 1 ? 0 : 3; // [3] albedo is shared by every point
    const dir = new Float64Array(3);
    for (let k = 0; k < n; k++) {
      const nx = N[k * 3],
        ny = N[k * 3 + 1],
        nz = N[k * 3 + 2];
      let r = L.ambient[0],
        g = L.ambient[1],
        b = L.ambient[2];
      for (let j = 0; j < L.count; j++) {
        lightDirection(L, j, P, k, dir);
        const s = nx * dir[0] + ny * dir[1] + nz * dir[2];
        if (s <= 0) continue;
        r += L.rgb[j * 3] * s;
        g += L.rgb[j * 3 + 1] * s;
        b += L.rgb[j * 3 + 2] * s;
      }
      const ao = k * aStride;
      Y[k * 3] = A[ao] * r;
      Y[k * 3 + 1] = A[ao + 1] * g;
      Y[k * 3 + 2] = A[ao + 2] * b;
    }
    ctx.save(normals, albedo, L, positions);
    return out;
  },
  backward(ctx, gOut) {
    const [normals, albedo, L, positions] = ctx.saved as [Tensor, Tensor, LightTable, Tensor | null];
    const G = gOut!;
    const N = normals.data,
      A = albedo.data,
      P = positions ? positions.data : null;
    const n = normals.shape[0];
    const aStride = albedo.ndim === 1 ? 0 : 3;
    const gn = ctx.needsInputGrad[0] ? ctx.zeros(normals.size) : null;
    const ga = ctx.needsInputGrad[1] ? ctx.zeros(albedo.size) : null;
    const gp = positions && ctx.needsInputGrad[2] ? ctx.zeros(positions.size) : null;
    const dir = new Float64Array(3);
    for (let k = 0; k < n; k++) {
      const nx = N[k * 3],
        ny = N[k * 3 + 1],
        nz = N[k * 3 + 2];
      const ao = k * aStride;
      const ga0 = G[k * 3] * A[ao],
        ga1 = G[k * 3 + 1] * A[ao + 1],
        ga2 = G[k * 3 + 2] * A[ao + 2];
      let S0 = L.ambient[0],
        S1 = L.ambient[1],
        S2 = L.ambient[2];
      for (let j = 0; j < L.count; j++) {
        const d = lightDirection(L, j, P, k, dir);
        const s = nx * dir[0] + ny * dir[1] + nz * dir[2];
        if (s <= 0) continue;
        const c0 = L.rgb[j * 3],
          c1 = L.rgb[j * 3 + 1],
          c2 = L.rgb[j * 3 + 2];
        S0 += c0 * s;
        S1 += c1 * s;
        S2 += c2 * s;
        const w = ga0 * c0 + ga1 * c1 + ga2 * c2;
        if (gn) {
          gn[k * 3] += w * dir[0];
          gn[k * 3 + 1] += w * dir[1];
          gn[k * 3 + 2] += w * dir[2];
        }
        if (gp && L.kind[j] === 1) {
          // d s / d p = -(n - s l) / |q - p|
          const f = -w / d;
          gp[k * 3] += f * (nx - s * dir[0]);
          gp[k * 3 + 1] += f * (ny - s * dir[1]);
          gp[k * 3 + 2] += f * (nz - s * dir[2]);
        }
      }
      if (ga) {
        ga[ao] += G[k * 3] * S0;
        ga[ao + 1] += G[k * 3 + 1] * S1;
        ga[ao + 2] += G[k * 3 + 2] * S2;
      }
    }
    return positions ? [gn, ga, gp] : [gn, ga];
  },
});

function checkPointTensor(t: Tensor, what: string, n?: number): void {
  if (t.ndim !== 2 || t.shape[1] !== 3 || (n !== undefined && t.shape[0] !== n)) {
    throw new ShapeError(`shade: ${what} must have shape [${n ?? 'N'}, 3], got [${t.shape}].`);
  }
  assertFinite(t.data, `shade: ${what}`, 'remove or fix the NaN/infinite values');
}

/**
 * Lambertian colours [N, 3] of points with `normals` [N, 3] and `albedo` ([N, 3], [3] or an rgb
 * triple of numbers) under `lights`. `positions` [N, 3] is required when a point light is present;
 * as a Tensor that requires grad it receives the gradient through the point lights' directions.
 */
export function shade(normals: Tensor, albedo: Tensor | ArrayLike<number>, lights: readonly Light[], positions?: Tensor | ArrayLike<number>): Tensor {
  if (!(normals instanceof Tensor)) throw new ArgumentError('shade: normals must be a Tensor of shape [N, 3].');
  checkPointTensor(normals, 'normals');
  const n = normals.shape[0];
  const N = normals.data;
  for (let k = 0; k < n; k++) {
    if (N[k * 3] === 0 && N[k * 3 + 1] === 0 && N[k * 3 + 2] === 0) {
      throw new ArgumentError(`shade: normals[${k}] is the zero vector and has no direction; give every point a non-zero (unit) normal.`);
    }
  }
  let a: Tensor;
  if (albedo instanceof Tensor) {
    a = albedo;
    if (!((a.ndim === 2 && a.shape[0] === n && a.shape[1] === 3) || (a.ndim === 1 && a.shape[0] === 3))) {
      throw new ShapeError(`shade: albedo must have shape [${n}, 3] or [3], got [${a.shape}].`);
    }
    assertFinite(a.data, 'shade: albedo');
  } else {
    if (albedo?.length !== 3) throw new ArgumentError('shade: albedo must be a Tensor [N, 3] or [3], or three numbers [r, g, b].');
    const d = allocate(normals.dtype, 3);
    for (let c = 0; c < 3; c++) d[c] = albedo[c];
    assertFinite(d, 'shade: albedo');
    a = new Tensor(d, [3]);
  }
  const table = lightTable(lights);
  let p: Tensor | null = null;
  if (table.kind.includes(1)) {
    if (positions === undefined || positions === null) throw new ArgumentError('shade: lights include a point light, so positions [N, 3] is required; pass the point positions.');
    if (positions instanceof Tensor) {
      p = positions;
    } else {
      const d = allocate(normals.dtype, positions.length);
      for (let i = 0; i < d.length; i++) d[i] = positions[i];
      p = new Tensor(d, d.length % 3 === 0 ? [d.length / 3, 3] : [d.length]);
    }
    checkPointTensor(p, 'positions', n);
  }
  return shadeOp(normals, a, table, p);
}

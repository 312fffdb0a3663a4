// The backward of the splat op on the GPU (docs/dss.md §3): LANES threads per active splat, 16
// splats per workgroup. A splat's lanes split its pixel box (the exact part, eq. 9-11:
// smoothBackward.ts here) and its artificial window (eq. 12-14: artificialGradient.ts here) in a
// fixed interleave, then its first lane adds the lanes' partials in lane order and chains the
// totals to p_k, n_k and w_k. No float atomics and no cross-workgroup sums: the same bits on every
// run. (One workgroup of 64 per splat, with a tree reduction, ran 3-4x slower on SwiftShader.)
//
// grads layout (f32): per packed splat dL/dp (3) | dL/dn (3) | dL/dw (C).

import { FLAG_ARTIFICIAL, FLAG_NORMALS, FLAG_POSITIONS, commonWgsl, ellipseWgsl } from './common.js';
import { artificialWgsl } from './artificialGradient.js';
import { pixelRecordsWgsl, smoothWgsl } from './smoothBackward.js';
import { chainWgsl } from './chain.js';

/** Threads per splat in splatGradients, and splats per workgroup. */
export const LANES = 4;
export const SPLATS_PER_GROUP = 1;

export function pixelRecordsKernel(frontCount: number, channels: number): string {
  return pixelRecordsWgsl(commonWgsl(frontCount, channels));
}

export function splatGradientsWgsl(frontCount: number, channels: number): string {
  return `${commonWgsl(frontCount, channels)}
const NV: u32 = 9u + C; // six smooth sums, C attribute gradients, three screen-space artificial ones
const LANES: u32 = ${LANES}u;
const GROUP: u32 = ${SPLATS_PER_GROUP}u;
@group(0) @binding(1) var<storage, read> splats: array<vec4u>;
@group(0) @binding(2) var<storage, read> splatDepth: array<vec4u>;
@group(0) @binding(3) var<storage, read> splatAttr: array<f32>;
@group(0) @binding(4) var<storage, read> cache: array<u32>;
@group(0) @binding(5) var<storage, read> records: array<f32>;
@group(0) @binding(6) var<storage, read> gImage: array<f32>;
@group(0) @binding(7) var<storage, read> images: array<f32>;
@group(0) @binding(8) var<storage, read_write> grads: array<f32>;
${ellipseWgsl}
${smoothWgsl}
${artificialWgsl}
${chainWgsl}
var<workgroup> partial: array<array<f32, NV>, ${LANES * SPLATS_PER_GROUP}>;

@compute @workgroup_size(${LANES * SPLATS_PER_GROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let s = (wid.y * ROW + wid.x) * GROUP + li / LANES;
  let lane = li % LANES;
  if (s < P.counts.x) { partial[li] = splatPartial(s, lane); }
  workgroupBarrier();
  if (lane != 0u || s >= P.counts.x) { return; }
  var total = partial[li];
  for (var l = 1u; l < LANES; l++) {
    for (var c = 0u; c < NV; c++) { total[c] += partial[li + l][c]; }
  }
  let flags = P.counts.w;
  let a = (C + 6u) * s;
  let nrm = vec3f(splatAttr[a + C], splatAttr[a + C + 1u], splatAttr[a + C + 2u]);
  let pos = vec3f(splatAttr[a + C + 3u], splatAttr[a + C + 4u], splatAttr[a + C + 5u]);
  let sums = array<vec2f, 6>(vec2f(total[0], 0.0), vec2f(total[1], 0.0), vec2f(total[2], 0.0), vec2f(total[3], 0.0), vec2f(total[4], 0.0), vec2f(total[5], 0.0));
  let artificial = select(vec3f(0.0), vec3f(total[6u + C], total[7u + C], total[8u + C]), (flags & ${FLAG_ARTIFICIAL}u) != 0u);
  let chain = chainSplat(sums, artificial, pos, nrm);
  let gp = chain.gp;
  let out = (6u + C) * s;
  let keepP = (flags & ${FLAG_POSITIONS}u) != 0u;
  let keepN = (flags & ${FLAG_NORMALS}u) != 0u;
  grads[out] = select(0.0, gp.x, keepP);
  grads[out + 1u] = select(0.0, gp.y, keepP);
  grads[out + 2u] = select(0.0, gp.z, keepP);
  grads[out + 3u] = select(0.0, chain.gn.x, keepN);
  grads[out + 4u] = select(0.0, chain.gn.y, keepN);
  grads[out + 5u] = select(0.0, chain.gn.z, keepN);
  for (var c = 0u; c < C; c++) { grads[out + 6u + c] = total[6u + c]; }
}

// lane 'lane' of splat s: its share of the box and the window
fn splatPartial(s: u32, lane: u32) -> array<f32, NV> {
  let o = 4u * s;
  let w0 = splats[o];
  let w1 = splats[o + 1u];
  let w2 = splats[o + 2u];
  let w3 = splats[o + 3u];
  let d1 = splatDepth[3u * s + 1u];
  let d2 = splatDepth[3u * s + 2u];
  var k: Geometry;
  k.s = s;
  k.centre = vec4f(f(w0.x), f(w0.y), f(w0.z), f(w0.w));
  let ia = f(w1.x) + f(w1.y);
  let ib = f(w1.z) + f(w1.w);
  let ic = f(w2.x) + f(w2.y);
  k.shape = vec3f(0.5 * ia, ib, 0.5 * ic);
  k.scale = f(w2.z);
  k.depthBits = w3.zw;
  k.z = vec2f(f(d1.x), f(d1.y));
  k.toPx = f(d1.z);
  var wk: array<f32, C>;
  let a = (C + 6u) * s;
  for (var c = 0u; c < C; c++) { wk[c] = splatAttr[a + c]; }
  var acc: array<f32, NV>;
  // the exact part over the pixel box
  let bx0 = lo16(w3.x);
  let bw = hi16(w3.x) - bx0 + 1u;
  let by0 = lo16(w3.y);
  let bh = hi16(w3.y) - by0 + 1u;
  for (var e = lane; e < bw * bh; e += LANES) { smoothPixel(s, bx0 + e % bw, by0 + e / bw, k.centre, vec3f(ia, ib, ic), &wk, &acc); }
  // the artificial gradient over the window
  let flags = P.counts.w;
  if ((flags & ${FLAG_ARTIFICIAL}u) != 0u) {
    let wx0 = lo16(d1.w);
    let wx1 = hi16(d1.w);
    if (wx0 <= wx1) {
      let wy0 = lo16(d2.x);
      let ww = wx1 - wx0 + 1u;
      let wh = hi16(d2.x) - wy0 + 1u;
      for (var e = lane; e < ww * wh; e += LANES) {
        let gs = artificialPixel(k, wx0 + e % ww, wy0 + e / ww, &wk);
        acc[6u + C] += gs.x;
        acc[7u + C] += gs.y;
        acc[8u + C] += gs.z;
      }
    }
  }
  return acc;
}
`;
}

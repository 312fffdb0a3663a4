// The exact half of the backward on the GPU (docs/dss.md §3, eq. 9-11 with h held fixed), the
// twin of smoothBackward.ts on the CPU: per pixel the records (G = dL/dI . I and S, the sum of
// visible rho), then per splat, by gathering over its pixel box (no atomics: each splat's sums
// are its own workgroup's, reduced in a fixed order), with u = M^-1 (x - x_k):
//   a = dL/drho_k rho_k = (g . w_k - G) rho_k / S,   dL/dw_k += g rho_k / S,
//   the six sums a, a u_x, a u_y, a u_x^2, a u_x u_y, a u_y^2,
// and chainSplat's chain from those sums to p_k and n_k.

/** Per pixel: G and S, or S = -1 where dL/dI = 0 (no move of any splat can lower the loss there). */
export function pixelRecordsWgsl(common: string): string {
  return `${common}
@group(0) @binding(1) var<storage, read> cache: array<u32>;
@group(0) @binding(2) var<storage, read> images: array<f32>;
@group(0) @binding(3) var<storage, read> gImage: array<f32>;
@group(0) @binding(4) var<storage, read_write> records: array<vec2f>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let W = P.size.x;
  let H = P.size.y;
  let p = (wid.y * ROW + wid.x) * 256u + li;
  if (p >= W * H) { return; }
  var live = false;
  var G = 0.0;
  for (var c = 0u; c < C; c++) {
    let g = gImage[p * C + c];
    live = live || g != 0.0;
    G += g * images[p * C + c];
  }
  if (!live) {
    records[p] = vec2f(0.0, -1.0);
    return;
  }
  let v = cache[2u * W * H * A + p] >> 8u;
  var S = 0.0;
  for (var m = 0u; m < v; m++) { S += bitcast<f32>(cache[2u * (p * A + m) + 1u]); }
  records[p] = vec2f(G, S);
}
`;
}

/** WGSL functions of the splat kernel: the smooth sums of one pixel, and the chain of eq. 11 (chainSplat). */
export const smoothWgsl = /* wgsl */ `
// the slot of packed splat s among the first v entries of pixel p's list, or A
fn findSlot(p: u32, v: u32, s: u32) -> u32 {
  for (var m = 0u; m < v; m++) {
    if (cache[2u * (p * A + m)] == s) { return m; }
  }
  return A;
}

// one pixel of splat s's box into the sums acc[0..5] and dL/dw into acc[6..6+C)
fn smoothPixel(s: u32, i: u32, j: u32, centre: vec4f, inv: vec3f, wk: ptr<function, array<f32, C>>, acc: ptr<function, array<f32, NV>>) {
  let W = P.size.x;
  let p = j * W + i;
  let rec = records[p];
  if (rec.y <= 0.0) { return; } // no gradient here, or nothing visible
  let v = cache[2u * P.size.x * P.size.y * A + p] >> 8u;
  let m = findSlot(p, v, s);
  if (m == A) { return; }
  let r = bitcast<f32>(cache[2u * (p * A + m) + 1u]) / rec.y; // rho_k / S = dI/dw_k
  var d = 0.0;
  for (var c = 0u; c < C; c++) {
    let g = gImage[p * C + c];
    d += g * (*wk)[c];
    (*acc)[6u + c] += g * r;
  }
  let a = (d - rec.x) * r;
  let dx = (f32(i) + 0.5 - centre.x) - centre.y;
  let dy = (f32(j) + 0.5 - centre.z) - centre.w;
  let ux = inv.x * dx + inv.y * dy;
  let uy = inv.y * dx + inv.z * dy;
  (*acc)[0] += a;
  (*acc)[1] += a * ux;
  (*acc)[2] += a * uy;
  (*acc)[3] += a * ux * ux;
  (*acc)[4] += a * ux * uy;
  (*acc)[5] += a * uy * uy;
}

// dL/dp and dL/dn from the six sums (smoothBackward.ts chainSplat, in float32): through
// dL/dM = 1/2 sum a u u^T - 1/2 M^-1 sum a, dL/dQ = sigma^2 dL/dM + 1/2 Q^-1 sum a, and
// Q = P'(c) (I - m m^T) P'(c)^T with c = R p + t, m = R n / |n|
struct Chain { gp: vec3f, gn: vec3f }
fn chainSplat(sums: array<f32, 6>, pos: vec3f, nrm: vec3f) -> Chain {
  var out: Chain;
  let sa = sums[0];
  let sux = sums[1];
  let suy = sums[2];
  let suxx = sums[3];
  let suxy = sums[4];
  let suyy = sums[5];
  if (sa == 0.0 && sux == 0.0 && suy == 0.0 && suxx == 0.0 && suxy == 0.0 && suyy == 0.0) { return out; }
  let R0 = P.cam0.xyz;
  let R1 = P.cam1.xyz;
  let R2 = P.cam2.xyz;
  let fx = P.cam0.w;
  let fy = P.cam1.w;
  let s2 = P.cam2.w * P.cam2.w;
  let x = dot(R0, pos) + P.camT.x;
  let y = dot(R1, pos) + P.camT.y;
  let z = dot(R2, pos) + P.camT.z;
  let nl = length(nrm);
  let mx = dot(R0, nrm) / nl;
  let my = dot(R1, nrm) / nl;
  let mz = dot(R2, nrm) / nl;
  let iz = 1.0 / z;
  let iz2 = iz * iz;
  let a0 = fx * iz;
  let a2 = -fx * x * iz2;
  let b1 = fy * iz;
  let b2 = -fy * y * iz2;
  let am = a0 * mx + a2 * mz;
  let bm = b1 * my + b2 * mz;
  let qxx = a0 * a0 + a2 * a2 - am * am;
  let qxy = a2 * b2 - am * bm;
  let qyy = b1 * b1 + b2 * b2 - bm * bm;
  let mxx = s2 * qxx + 1.0;
  let mxy = s2 * qxy;
  let myy = s2 * qyy + 1.0;
  let detM = mxx * myy - mxy * mxy;
  let detQ = qxx * qyy - qxy * qxy;
  let gmxx = 0.5 * suxx - (0.5 * sa * myy) / detM;
  let gmxy = 0.5 * suxy + (0.5 * sa * mxy) / detM;
  let gmyy = 0.5 * suyy - (0.5 * sa * mxx) / detM;
  let hq = select(0.0, (0.5 * sa) / detQ, detQ > 0.0);
  let gxx = s2 * gmxx + hq * qyy;
  let gxy = s2 * gmxy - hq * qxy;
  let gyy = s2 * gmyy + hq * qxx;
  let sr0x = a0 - mx * am;
  let sr0y = -my * am;
  let sr0z = a2 - mz * am;
  let sr1x = -mx * bm;
  let sr1y = b1 - my * bm;
  let sr1z = b2 - mz * bm;
  let g0x = 2.0 * (gxx * sr0x + gxy * sr1x);
  let g0z = 2.0 * (gxx * sr0z + gxy * sr1z);
  let g1y = 2.0 * (gxy * sr0y + gyy * sr1y);
  let g1z = 2.0 * (gxy * sr0z + gyy * sr1z);
  let dcx = sux * a0 + g0z * (-fx * iz2);
  let dcy = suy * b1 + g1z * (-fy * iz2);
  let dcz = sux * a2 + suy * b2 + g0x * (-fx * iz2) + g0z * (2.0 * fx * x * iz2 * iz) + g1y * (-fy * iz2) + g1z * (2.0 * fy * y * iz2 * iz);
  out.gp = dcx * R0 + dcy * R1 + dcz * R2; // R^T dL/dc
  let dmx = -2.0 * (gxx * a0 * am + gxy * a0 * bm);
  let dmy = -2.0 * (gxy * b1 * am + gyy * b1 * bm);
  let dmz = -2.0 * (gxx * a2 * am + gxy * (a2 * bm + b2 * am) + gyy * b2 * bm);
  let h = (dmx * R0 + dmy * R1 + dmz * R2) / nl;
  let u = nrm / nl;
  out.gn = h - dot(h, u) * u;
  return out;
}
`;

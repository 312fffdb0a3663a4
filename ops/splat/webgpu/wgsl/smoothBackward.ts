// The exact half of the backward on the GPU (docs/dss.md §3, eq. 9-11 with h held fixed), the
// twin of smoothBackward.ts on the CPU: per pixel the record S, the sum of visible rho, then per
// splat, by gathering over its pixel box (no atomics: each splat's sums are its own threads',
// added in a fixed order), with u = M^-1 (x - x_k):
//   a = dL/drho_k rho_k = g . (w_k - I) rho_k / S,   dL/dw_k += g rho_k / S,
//   the six sums a, a u_x, a u_y, a u_x^2, a u_x u_y, a u_y^2,
// and chainSplat's chain from those sums to p_k and n_k (chain.ts). The CPU writes g . (w_k - I) as
// g . w_k - g . I; in float32 that difference of near-equal numbers lost ~5 digits where
// neighbouring splats have like colours, so here the channels are subtracted first.

/** Per pixel: S, or -1 where dL/dI = 0 (no move of any splat can lower the loss there). */
export function pixelRecordsWgsl(common: string): string {
  return `${common}
@group(0) @binding(1) var<storage, read> cache: array<u32>;
@group(0) @binding(2) var<storage, read> gImage: array<f32>;
@group(0) @binding(3) var<storage, read_write> records: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let W = P.size.x;
  let H = P.size.y;
  let p = (wid.y * ROW + wid.x) * 256u + li;
  if (p >= W * H) { return; }
  var live = false;
  for (var c = 0u; c < C; c++) { live = live || gImage[p * C + c] != 0.0; }
  if (!live) {
    records[p] = -1.0;
    return;
  }
  let v = cache[2u * W * H * A + p] >> 8u;
  var S = 0.0;
  for (var m = 0u; m < v; m++) { S += bitcast<f32>(cache[2u * (p * A + m) + 1u]); }
  records[p] = S;
}
`;
}

/** WGSL functions of the splat kernel: the smooth sums of one pixel. */
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
  let S = records[p];
  if (S <= 0.0) { return; } // no gradient here, or nothing visible
  let v = cache[2u * P.size.x * P.size.y * A + p] >> 8u;
  let m = findSlot(p, v, s);
  if (m == A) { return; }
  let r = bitcast<f32>(cache[2u * (p * A + m) + 1u]) / S; // rho_k / S = dI/dw_k
  var d = 0.0; // g . (w_k - I)
  for (var c = 0u; c < C; c++) {
    let g = gImage[p * C + c];
    d += g * ((*wk)[c] - images[p * C + c]);
    (*acc)[6u + c] += g * r;
  }
  let a = d * r;
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

`;

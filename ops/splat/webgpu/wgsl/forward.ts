// The forward of the splat op on the GPU (docs/dss.md §2, eq. 3-6), the twin of
// rasterizeSplats.ts + composite.ts on the CPU.
//
// Per-tile lists instead of bands: every splat is listed in each 16 x 16 tile its pixel box
// overlaps (countTiles, scanTiles, fillTiles; integer atomics only, so the order inside a list
// varies from run to run, and nothing below depends on it). Then one workgroup per tile, one
// thread per pixel (rasterize): the tile's list goes through workgroup memory in chunks, and each
// pixel keeps its A front-most splats in a small sorted array, by the CPU's order (the float64
// depth, ties by point index): the same lists as the CPU's front-to-back appending, whatever
// order the splats come in. The same thread then marks the visible prefix (eq. 5) and composites
// it (eq. 6).
//
// tileIndex layout (u32): counts [0, T) | starts [T, 2T] (start[T] = total) | cursors [2T+1, 3T+1) | evaluations [3T+1] |
// per packed splat, 1 when it is among the visible splats of some pixel [3T+2, 3T+2+S).

import { commonWgsl, ellipseWgsl } from './common.js';

/** Threads per side of rasterize's workgroup: one per pixel of a tile. */
const TILE_THREADS = 16;

const tileIndexBinding = (binding: number) => `@group(0) @binding(${binding}) var<storage, read_write> tileIndex: array<atomic<u32>>;\n`;

const tileRange = /* wgsl */ `
// the tiles a splat's pixel box overlaps (x0 x1 y0 y1 in tiles)
fn tilesOf(o: u32) -> vec4u {
  let b = splats[o + 3u];
  return vec4u(lo16(b.x) / TILE, hi16(b.x) / TILE, lo16(b.y) / TILE, hi16(b.y) / TILE);
}
fn splatOfThread(wid: vec3u, li: u32) -> u32 { return (wid.y * ROW + wid.x) * 64u + li; }
`;

/** Per splat: +1 on the count of every tile its box overlaps. */
export function countTilesWgsl(): string {
  return `${commonWgsl(1, 1)}
@group(0) @binding(1) var<storage, read> splats: array<vec4u>;
${tileIndexBinding(2)}
${tileRange}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let s = splatOfThread(wid, li);
  if (s >= P.counts.x) { return; }
  let t = tilesOf(4u * s);
  for (var ty = t.z; ty <= t.w; ty++) {
    for (var tx = t.x; tx <= t.y; tx++) { atomicAdd(&tileIndex[ty * P.size.z + tx], 1u); }
  }
}
`;
}

/** One workgroup: the exclusive prefix sum of the tile counts into the starts; the cursors cleared. */
export function scanTilesWgsl(): string {
  return `${commonWgsl(1, 1)}
${tileIndexBinding(1)}
var<workgroup> partial: array<u32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let T = P.size.z * P.size.w;
  let per = (T + 255u) / 256u;
  let a = min(li * per, T);
  let b = min(a + per, T);
  var sum = 0u;
  for (var t = a; t < b; t++) { sum += atomicLoad(&tileIndex[t]); }
  partial[li] = sum;
  workgroupBarrier();
  if (li == 0u) {
    var run = 0u;
    for (var i = 0u; i < 256u; i++) {
      let v = partial[i];
      partial[i] = run;
      run += v;
    }
    atomicStore(&tileIndex[2u * T], run);
  }
  workgroupBarrier();
  var run = partial[li];
  for (var t = a; t < b; t++) {
    let c = atomicLoad(&tileIndex[t]);
    atomicStore(&tileIndex[T + t], run);
    atomicStore(&tileIndex[2u * T + 1u + t], 0u);
    run += c;
  }
}
`;
}

/** Per splat: its packed index into the list of every tile its box overlaps. */
export function fillTilesWgsl(): string {
  return `${commonWgsl(1, 1)}
@group(0) @binding(1) var<storage, read> splats: array<vec4u>;
${tileIndexBinding(2)}
@group(0) @binding(3) var<storage, read_write> tileList: array<u32>;
${tileRange}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let s = splatOfThread(wid, li);
  if (s >= P.counts.x) { return; }
  let T = P.size.z * P.size.w;
  let t = tilesOf(4u * s);
  for (var ty = t.z; ty <= t.w; ty++) {
    for (var tx = t.x; tx <= t.y; tx++) {
      let tile = ty * P.size.z + tx;
      let at = atomicLoad(&tileIndex[T + tile]) + atomicAdd(&tileIndex[2u * T + 1u + tile], 1u);
      tileList[at] = s;
    }
  }
}
`;
}

/**
 * One workgroup per tile: the A front-most splats of every pixel (eq. 3-5), the visible prefix
 * and the composite (eq. 6) into the images, and the per-pixel cache the backward reads.
 * cache layout (u32): per slot (packed splat or EMPTY, rho bits) at 2 (p A + m) | per pixel count | visible << 8 at 2 W H A + p.
 * images layout (f32): image [W H C] | depth [W H] | normal [3 W H] | alpha [W H].
 */
export function rasterizeWgsl(frontCount: number, channels: number): string {
  const A = frontCount;
  const slots = Array.from({ length: A }, (_, m) => m);
  // the list as registers: key (depth bits, point index) and packed splat; an empty slot has the largest key
  const declare = slots.map((m) => `  var key${m} = vec3u(EMPTY);\n  var slot${m} = EMPTY;`).join('\n');
  // insertion into the sorted registers: the new entry bubbles down, each slot keeps the smaller key
  const insert = slots
    .map(
      (m) => `        {
          let before = keyBefore(nk, key${m});
          let k = key${m};
          let s = slot${m};
          key${m} = select(k, nk, before);
          slot${m} = select(s, ns, before);
          nk = select(nk, k, before);
          ns = select(ns, s, before);
        }`,
    )
    .join('\n');
  const store = slots.map((m) => `  key[${m}] = key${m};\n  slot[${m}] = slot${m};`).join('\n');
  return `${commonWgsl(frontCount, channels)}
@group(0) @binding(1) var<storage, read> splats: array<vec4u>;
@group(0) @binding(2) var<storage, read> splatDepth: array<vec4u>;
@group(0) @binding(3) var<storage, read> splatAttr: array<f32>;
${tileIndexBinding(4)}
@group(0) @binding(5) var<storage, read> tileList: array<u32>;
@group(0) @binding(6) var<storage, read_write> cache: array<u32>;
@group(0) @binding(7) var<storage, read_write> images: array<f32>;
${ellipseWgsl}
var<workgroup> evaluations: atomic<u32>;

@compute @workgroup_size(${TILE_THREADS}, ${TILE_THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let W = P.size.x;
  let H = P.size.y;
  let T = P.size.z * P.size.w;
  let tile = wid.y * P.size.z + wid.x;
  let i = wid.x * TILE + lid.x;
  let j = wid.y * TILE + lid.y;
  let inImage = i < W && j < H;
  let fi = f32(i) + 0.5;
  let fj = f32(j) + 0.5;
  if (li == 0u) { atomicStore(&evaluations, 0u); }
  workgroupBarrier();
${declare}
  var evals = 0u;
  let e1 = atomicLoad(&tileIndex[T + tile + 1u]);
  for (var e = atomicLoad(&tileIndex[T + tile]); e < e1 && inImage; e++) {
    let s = tileList[e];
    let o = 4u * s;
    let w3 = splats[o + 3u];
    if (i < lo16(w3.x) || i > hi16(w3.x) || j < lo16(w3.y) || j > hi16(w3.y)) { continue; }
    let w0 = splats[o];
    let w1 = splats[o + 1u];
    let w2 = splats[o + 2u];
    let dx = (fi - f(w0.x)) - f(w0.y);
    let dy = (fj - f(w0.z)) - f(w0.w);
    let t1 = 0.5 * (f(w1.x) + f(w1.y)) * dx * dx;
    let t2 = (f(w1.z) + f(w1.w)) * dx * dy;
    let t3 = 0.5 * (f(w2.x) + f(w2.y)) * dy * dy;
    let q = (t1 + t2) + t3;
    if (!inside(o, q, abs(t1) + abs(t2) + abs(t3), fi, fj)) { continue; }
    evals++;
    var nk = vec3u(w3.zw, w2.w);
    if (!keyBefore(nk, key${A - 1})) { continue; } // a full list rejects what lies behind it
    var ns = s;
${insert}
  }
  atomicAdd(&evaluations, evals);
  workgroupBarrier();
  if (li == 0u) { atomicAdd(&tileIndex[3u * T + 1u], atomicLoad(&evaluations)); }
  if (!inImage) { return; }
  var key: array<vec3u, A>;
  var slot: array<u32, A>;
${store}
  var n = 0u;
  while (n < A && slot[n] != EMPTY) { n++; }
  // rho_bar (eq. 3) of the kept splats, in double-float and rounded once, as the CPU rounds its float64 weights
  var rho: array<f32, A>;
  for (var m = 0u; m < n; m++) {
    let o = 4u * slot[m];
    let scale = vec2f(f(splats[o + 2u].z), f(splatDepth[3u * slot[m] + 2u].y));
    rho[m] = dfMul(scale, dfExp(dfNeg(qExactly(o, fi, fj)))).x;
  }
  let p = j * W + i;
  // eq. 5: visible while no more than T behind the front splat
  var v = 0u;
  if (n > 0u) {
    v = 1u;
    let limit = splatDepth[3u * slot[0]].xy;
    while (v < n && !bitsAbove(key[v].xy, limit)) { v++; }
  }
  let cacheBase = 2u * (p * A);
  for (var m = 0u; m < A; m++) {
    cache[cacheBase + 2u * m] = slot[m];
    cache[cacheBase + 2u * m + 1u] = bitcast<u32>(rho[m]);
  }
  cache[2u * W * H * A + p] = n | (v << 8u);
  // the splats shown somewhere (the fit's stray control); integer atomics, the same on every run
  for (var m = 0u; m < v; m++) { atomicOr(&tileIndex[3u * T + 2u + slot[m]], 1u); }
  // eq. 6: the rho-weighted mean of the visible splats' attributes; depth and normal alike
  let WH = W * H;
  let stride = C + 6u;
  if (v == 0u) {
    for (var c = 0u; c < C; c++) { images[p * C + c] = P.background[c / 4u][c % 4u]; }
    images[WH * C + p] = 0.0;
    images[WH * C + WH + 3u * p] = 0.0;
    images[WH * C + WH + 3u * p + 1u] = 0.0;
    images[WH * C + WH + 3u * p + 2u] = 0.0;
    images[WH * C + 4u * WH + p] = 0.0;
    return;
  }
  // the sums in double-float: the image comes out as the CPU's float64 sums rounded once
  var acc: array<vec2f, C>;
  var wsum = vec2f(0.0);
  var z = 0.0;
  var nrm = vec3f(0.0);
  for (var m = 0u; m < v; m++) {
    let r = rho[m];
    let s = slot[m];
    wsum = dfAdd(wsum, vec2f(r, 0.0));
    let d = splatDepth[3u * s + 1u];
    z += r * (f(d.x) + f(d.y));
    let a = stride * s;
    nrm += r * vec3f(splatAttr[a + C], splatAttr[a + C + 1u], splatAttr[a + C + 2u]);
    for (var c = 0u; c < C; c++) { acc[c] = dfAdd(acc[c], twoProd(r, splatAttr[a + c])); }
  }
  for (var c = 0u; c < C; c++) { images[p * C + c] = dfDiv(acc[c], wsum).x; }
  let inv = 1.0 / (wsum.x + wsum.y);
  images[WH * C + p] = z * inv;
  let len2 = dot(nrm, nrm);
  let il = select(1.0, inverseSqrt(len2), len2 > 0.0);
  images[WH * C + WH + 3u * p] = nrm.x * il;
  images[WH * C + WH + 3u * p + 1u] = nrm.y * il;
  images[WH * C + WH + 3u * p + 2u] = nrm.z * il;
  images[WH * C + 4u * WH + p] = 1.0;
}
`;
}

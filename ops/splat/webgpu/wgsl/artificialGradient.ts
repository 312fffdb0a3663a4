// The artificial gradient on the GPU (docs/dss.md §3, eq. 12-14 and the scenarios of Fig. 3), the
// twin of artificialGradient.ts on the CPU: for splat k and each pixel x of its window, the
// change Delta I_x of the move that makes k cover x (or uncover it), kept only where it lowers
// the loss (eq. 12, g < 0), as a screen-space gradient g D / (|D|^2 + eps) or its two-sided
// form (eq. 13-14). The decisions match the CPU's: k's visibility at x is read from the cache,
// the join test z_k >= z_front - T compares float64 bits, and the covering test is eq. 4's.
// Where the CPU subtracts k's share from the pixel's sums (S - rho_k), this sums the others; and
// as in smoothBackward.ts, a change g . (I' - I) is summed over the channels of I' - I.
// Windows past 2 FOVEA px are sampled ring by ring at doubling strides, each sample weighing
// stride^2 (docs/dss.md §3, "The window"; artificialGradient.ts windowWeight); the ring of a pixel
// is decided on its double-float offset from the centre, as the CPU decides it in float64.

import { FOVEA } from '../../artificialGradient.js';

export const artificialWgsl = /* wgsl */ `
const FOVEA: f32 = ${FOVEA}.0;

// |d| <= t for a double-float d
fn absAtMost(d: vec2f, t: f32) -> bool {
  return (d.x < t || (d.x == t && d.y <= 0.0)) && (d.x > -t || (d.x == -t && d.y >= 0.0));
}

// the weight of window pixel (i, j) of a splat centred at (X, Y) (artificialGradient.ts windowWeight):
// 1 within FOVEA px (Chebyshev), then stride^2 on every stride-th pixel of the image grid, 0 elsewhere
fn windowWeight(i: u32, j: u32, centre: vec4f) -> f32 {
  let dx = dfOffset(f32(i) + 0.5, centre.xy);
  let dy = dfOffset(f32(j) + 0.5, centre.zw);
  var stride = 1u;
  var t = FOVEA;
  while (!(absAtMost(dx, t) && absAtMost(dy, t))) {
    stride *= 2u;
    t *= 2.0;
  }
  if (((i | j) & (stride - 1u)) != 0u) { return 0.0; }
  return f32(stride * stride);
}
// sum_c g_c (a_c - I_c) at pixel p for the values a (a pixel's new value, or a splat's attributes)
fn changeAt(p: u32, a: ptr<function, array<f32, C>>) -> f32 {
  var d = 0.0;
  for (var c = 0u; c < C; c++) { d += gImage[p * C + c] * ((*a)[c] - images[p * C + c]); }
  return d;
}

// g . (I' - I) where I' is pixel p without the splat in slot 'at' (eq. 5-6 over the rest of its
// list); when that was the front, cached splats within T of the new front join
// (artificialGradient.ts restScore)
fn restChange(p: u32, at: u32, n: u32, v: u32) -> f32 {
  var weight = 0.0;
  var sum: array<f32, C>;
  for (var m = 0u; m < v; m++) {
    if (m == at) { continue; }
    let r = bitcast<f32>(cache[2u * (p * A + m) + 1u]);
    let a = (C + 6u) * cache[2u * (p * A + m)];
    weight += r;
    for (var c = 0u; c < C; c++) { sum[c] += r * splatAttr[a + c]; }
  }
  if (at == 0u && n > 1u) {
    let limit = splatDepth[3u * cache[2u * (p * A + 1u)]].xy;
    for (var m = v; m < n; m++) {
      let j = cache[2u * (p * A + m)];
      if (bitsAbove(splats[4u * j + 3u].zw, limit)) { break; }
      let r = bitcast<f32>(cache[2u * (p * A + m) + 1u]);
      let a = (C + 6u) * j;
      weight += r;
      for (var c = 0u; c < C; c++) { sum[c] += r * splatAttr[a + c]; }
    }
  }
  var rest: array<f32, C>;
  for (var c = 0u; c < C; c++) { rest[c] = select(P.background[c / 4u][c % 4u], sum[c] / weight, weight > 0.0); }
  return changeAt(p, &rest);
}

struct Geometry {
  s: u32,
  centre: vec4f,   // Xh Xl Yh Yl
  shape: vec3f,    // ia/2 ib ic/2
  scale: f32,      // rho_bar at the centre (the weight k joins a pixel with)
  depthBits: vec2u,
  z: vec2f,        // depth as double-float
  toPx: f32,       // focal / z: depth to pixels
}

// pixel (i, j) of splat k's window: the screen-space artificial gradient (dL/dx, dL/dy, dL/dz_px)
fn artificialPixel(k: Geometry, i: u32, j: u32, wk: ptr<function, array<f32, C>>) -> vec3f {
  let W = P.size.x;
  let p = j * W + i;
  let weight = windowWeight(i, j, k.centre);
  if (weight == 0.0) { return vec3f(0.0); } // not sampled
  let S = records[p];
  if (S < 0.0) { return vec3f(0.0); } // dL/dI = 0 at x: no move can lower the loss there
  let cut = P.shape.x;
  let eps = P.shape.w;
  let fi = f32(i) + 0.5;
  let fj = f32(j) + 0.5;
  let dx = (fi - k.centre.x) - k.centre.y;
  let dy = (fj - k.centre.z) - k.centre.w;
  let t1 = k.shape.x * dx * dx;
  let t2 = k.shape.y * dx * dy;
  let t3 = k.shape.z * dy * dy;
  let q = (t1 + t2) + t3;
  let listInfo = cache[2u * W * P.size.y * A + p];
  let n = listInfo & 0xffu;
  let v = listInfo >> 8u;
  // is k among the visible splats of x? (it can only be inside its ellipse; the margin is generous)
  var at = A;
  if (q <= cut * (1.0 + 1e-4) + 1e-5 * (abs(t1) + abs(t2) + abs(t3))) { at = findSlot(p, v, k.s); }
  var g: f32;
  if (at < A) {
    // (c): x without k, the rest of its list re-thresholded when k was the front
    g = restChange(p, at, n, v);
  } else {
    // (a), (b): k joins x with its centre weight, or alone when it ends up more than T in front
    g = changeAt(p, wk);
    if (!(g < 0.0)) { return vec3f(0.0); }
    if (v > 0u) {
      let join = splatDepth[3u * cache[2u * (p * A)]].zw; // z_front - T as float64 bits
      let joins = (join.x & 0x80000000u) != 0u || !bitsAbove(join, k.depthBits); // z_k >= z_front - T (a negative limit: always)
      if (joins) { g *= k.scale / (S + k.scale); }
    }
  }
  if (!(g < 0.0)) { return vec3f(0.0); } // eq. 12: only moves that lower the loss
  g *= weight;
  let dist2 = dx * dx + dy * dy;
  let dist = sqrt(dist2);
  let r = select(0.0, dist * sqrt(cut / q), dist > 0.0); // centre to ellipse edge along x - x_k
  // where x is near the ellipse's edge, the distances to it (r - dist, len - r) are small
  // differences of float32 values; they follow from q - C in double-float instead: with
  // s = sqrt(C / q), dist (s - 1) = -dist (q - C) / (q + sqrt(C q))
  if (at < A) {
    // (c): two ways off x, the short one (r - dist) and the long one (r + dist), averaged
    if (dist == 0.0) { return vec3f(0.0); }
    let excess = excessExactly(4u * k.s, fi, fj);
    let d1 = -dist * (excess.x + excess.y) / (q + sqrt(cut * q));
    let d2 = -(r + dist);
    let fac = (0.5 * g * (d1 / (d1 * d1 + eps) + d2 / (d2 * d2 + eps))) / dist;
    return vec3f(-fac * dx, -fac * dy, 0.0);
  }
  // forward to the front splat's depth when one is in front (a), none otherwise (b)
  var dzPx = 0.0;
  if (v > 0u) {
    let fd = splatDepth[3u * cache[2u * (p * A)] + 1u];
    let dz = (f(fd.x) - k.z.x) + (f(fd.y) - k.z.y);
    if (dz < 0.0) { dzPx = dz * k.toPx; }
  }
  if (inside(4u * k.s, q, abs(t1) + abs(t2) + abs(t3), fi, fj)) {
    // covers x already, only hidden: the depth step alone
    if (dzPx == 0.0) { return vec3f(0.0); }
    return vec3f(0.0, 0.0, (g * dzPx) / (dzPx * dzPx + eps));
  }
  let len = sqrt(dist2 + dzPx * dzPx);
  // len^2 - r^2 = dist^2 (q - C) / q + dz^2, and q > C here
  let excess = excessExactly(4u * k.s, fi, fj);
  let near = max((dist2 * (excess.x + excess.y) / q + dzPx * dzPx) / (len + r), 0.0);
  let a = (len + r) * len + eps;
  let b = near * len + eps;
  let fac = (g * (a + b)) / (a * b); // g / a + g / b with one division
  return vec3f(fac * dx, fac * dy, fac * dzPx);
}

`;

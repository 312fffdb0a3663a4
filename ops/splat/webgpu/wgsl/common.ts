// WGSL shared by the GPU kernels of the splat op (docs/dss.md §2-3; engine.md §9): the uniform
// block, the per-splat records that pack.ts writes, and double-float arithmetic.
//
// The GPU computes in float32, but the discrete choices of the op (is a pixel inside a truncated
// ellipse, eq. 4; which splats are in front, eq. 5) must come out as on the CPU, or a pixel gains
// or loses a splat. So depths are compared as the CPU's float64 bit patterns (positive doubles
// order like their bits), the merge and join limits z +- T arrive as float64 bits computed on the
// CPU, and the ellipse test falls back to double-float arithmetic (a value as an unevaluated sum
// hi + lo of two float32, 48 bits) where the float32 test is too close to call. The splits use
// integer masks and every product of halves is exact, so a fused multiply-add cannot change them;
// device.ts checks the arithmetic on the adapter before first use.

/** Words per splat in the `splats` buffer (pack.ts writes them, `splatX` ... below read them). */
export const SPLAT_WORDS = 16;
/** Words per splat in the `splatDepth` buffer. */
export const DEPTH_WORDS = 12;
/** Float values per pixel in the backward's records: S, the sum of visible rho (-1: no gradient there). */
export const RECORD_FLOATS = 1;
/** Bytes of the uniform block (Params below). */
export const PARAMS_BYTES = 240;
/** Largest number of attribute channels the kernels are generated for. */
export const MAX_GPU_CHANNELS = 16;
/** Workgroups per row of a long dispatch (its rows stack in y: a dimension holds at most 65,535). */
export const DISPATCH_ROW = 32768;
/** Side of the square image tiles (a workgroup of TILE x TILE pixels in the forward). */
export const TILE = 16;
/** Flags in Params.counts.w (which gradients the backward computes). */
export const FLAG_POSITIONS = 1,
  FLAG_NORMALS = 2,
  FLAG_ATTRIBUTES = 4,
  FLAG_ARTIFICIAL = 8;

/** The common WGSL for A front slots and C channels (both are array sizes, so kernels are generated per pair). */
export function commonWgsl(frontCount: number, channels: number): string {
  return /* wgsl */ `
const A: u32 = ${frontCount}u;
const C: u32 = ${channels}u;
const TILE: u32 = ${TILE}u;
const EMPTY: u32 = 0xffffffffu;
const ROW: u32 = ${DISPATCH_ROW}u; // workgroups per row of a 2-D dispatch

struct Params {
  size: vec4u,        // width, height, tiles in x, tiles in y
  counts: vec4u,      // active splats, channels, -, flags
  shape: vec4f,       // cutoff C as hi and lo, half the artificial window, eps of eq. 14
  cam0: vec4f,        // row 0 of R, fx
  cam1: vec4f,        // row 1 of R, fy
  cam2: vec4f,        // row 2 of R, sigma
  camT: vec4f,        // t, focal (fx + fy) / 2
  background: array<vec4f, 4>,
  cam0Lo: vec4f,      // the low parts of cam0 ... camT (the camera's float64 values as hi + lo)
  cam1Lo: vec4f,
  cam2Lo: vec4f,
  camTLo: vec4f,
}
@group(0) @binding(0) var<uniform> P: Params;

// ---- double-float: a value as hi + lo, |lo| <= ulp(hi) / 2 ----
fn twoSum(a: f32, b: f32) -> vec2f {
  let s = a + b;
  let bb = s - a;
  return vec2f(s, (a - (s - bb)) + (b - bb));
}
fn quickTwoSum(a: f32, b: f32) -> vec2f {
  let s = a + b;
  return vec2f(s, b - (s - a));
}
// the top 12 significant bits by masking (not by Dekker's 4097 x a, whose rounding a fused
// multiply-add could change), and the rest
fn split(a: f32) -> vec2f {
  let hi = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return vec2f(hi, a - hi);
}
fn twoProd(a: f32, b: f32) -> vec2f {
  let p = a * b;
  let x = split(a);
  let y = split(b);
  return vec2f(p, ((x.x * y.x - p) + x.x * y.y + x.y * y.x) + x.y * y.y);
}
fn dfAdd(a: vec2f, b: vec2f) -> vec2f {
  let s = twoSum(a.x, b.x);
  let t = twoSum(a.y, b.y);
  let u = quickTwoSum(s.x, s.y + t.x);
  return quickTwoSum(u.x, u.y + t.y);
}
fn dfMul(a: vec2f, b: vec2f) -> vec2f {
  let p = twoProd(a.x, b.x);
  return quickTwoSum(p.x, p.y + (a.x * b.y + a.y * b.x));
}
fn dfNeg(a: vec2f) -> vec2f { return vec2f(-a.x, -a.y); }
fn dfDiv(a: vec2f, b: vec2f) -> vec2f {
  let q1 = a.x / b.x;
  let r = dfAdd(a, dfNeg(dfMul(vec2f(q1, 0.0), b)));
  return quickTwoSum(q1, r.x / b.x);
}
// exp(x) for |x| up to a few tens, to ~1e-13: x = n ln 2 + r, exp(r / 8) by its Taylor series, squared three times
fn dfExp(x: vec2f) -> vec2f {
  let ln2 = vec2f(0.693147182464599609375, -1.904654323148236e-9);
  let n = round(x.x / ln2.x);
  let r = dfMul(dfAdd(x, dfNeg(dfMul(vec2f(n, 0.0), ln2))), vec2f(0.125, 0.0));
  var t = vec2f(1.0, 0.0);
  for (var k = 8; k >= 1; k--) { t = dfAdd(vec2f(1.0, 0.0), dfMul(t, dfDiv(r, vec2f(f32(k), 0.0)))); }
  t = dfMul(t, t);
  t = dfMul(t, t);
  t = dfMul(t, t);
  let scale = exp2(n);
  return vec2f(t.x * scale, t.y * scale);
}
// (a - bh) - bl for a float32 a and a double-float b (a pixel centre minus a splat centre)
fn dfOffset(a: f32, b: vec2f) -> vec2f { return dfAdd(twoSum(a, -b.x), vec2f(-b.y, 0.0)); }

// ---- the splat records (pack.ts): 16 words in 'splats', 12 in 'splatDepth' ----
// splats:     Xh Xl Yh Yl | ia (hi lo) ib (hi lo) | ic (hi lo) scale k | boxX boxY depth-bits (hi lo)
// splatDepth: (z + T) bits (hi lo) (z - T) bits (hi lo) | zh zl focal/z windowX | windowY scale-lo - -
// boxes and windows pack two u16: first | last << 16
fn lo16(v: u32) -> u32 { return v & 0xffffu; }
fn hi16(v: u32) -> u32 { return v >> 16u; }
fn f(v: u32) -> f32 { return bitcast<f32>(v); }

// a > b for positive doubles given as (hi, lo) bit words
fn bitsAbove(a: vec2u, b: vec2u) -> bool { return a.x > b.x || (a.x == b.x && a.y > b.y); }
// the front-to-back order of docs/dss.md §2 (eq. 5): depth, ties by point index
fn keyBefore(a: vec3u, b: vec3u) -> bool {
  if (a.x != b.x) { return a.x < b.x; }
  if (a.y != b.y) { return a.y < b.y; }
  return a.z < b.z;
}

`;
}

/** The ellipse test of eq. 4, for kernels that bind the splat records as \`splats\`. */
export const ellipseWgsl = /* wgsl */ `
// q = 1/2 d^T M^-1 d in double-float, for pixel centre (fi, fj) and the splat record at o
fn qExactly(o: u32, fi: f32, fj: f32) -> vec2f {
  let w0 = splats[o];
  let w1 = splats[o + 1u];
  let w2 = splats[o + 2u];
  let dx = dfOffset(fi, vec2f(f(w0.x), f(w0.y)));
  let dy = dfOffset(fj, vec2f(f(w0.z), f(w0.w)));
  let ha = vec2f(0.5 * f(w1.x), 0.5 * f(w1.y));
  let ib = vec2f(f(w1.z), f(w1.w));
  let hc = vec2f(0.5 * f(w2.x), 0.5 * f(w2.y));
  return dfAdd(dfMul(dfAdd(dfMul(ha, dx), dfMul(ib, dy)), dx), dfMul(hc, dfMul(dy, dy)));
}

// q - C in double-float
fn excessExactly(o: u32, fi: f32, fj: f32) -> vec2f { return dfAdd(qExactly(o, fi, fj), dfNeg(vec2f(P.shape.x, P.shape.y))); }

// q <= C (eq. 4) in double-float
fn insideExactly(o: u32, fi: f32, fj: f32) -> bool {
  let d = excessExactly(o, fi, fj);
  return d.x < 0.0 || (d.x == 0.0 && d.y <= 0.0);
}

// the ellipse test of eq. 4 at (dx, dy) with q = ha dx^2 + ib dx dy + hc dy^2 computed in float32:
// decided in float32 unless q is within its rounding bound of C, then in double-float
fn inside(o: u32, q: f32, t: f32, fi: f32, fj: f32) -> bool {
  let c = P.shape.x;
  if (abs(q - c) > 1e-5 * t + 1e-6 * c) { return q <= c; }
  return insideExactly(o, fi, fj);
}
`;

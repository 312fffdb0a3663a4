// The chain of the backward on the GPU, per splat, in double-float (docs/dss.md §3, eq. 11): the
// six smooth sums to dL/dp and dL/dn (smoothBackward.ts chainSplat), and the screen-space
// artificial gradient to dL/dp (artificialGradient.ts chainScreenGradient). Its terms cancel:
// dL/dM = 1/2 sum a u u^T - 1/2 M^-1 sum a is small next to either part where a splat's pixels are
// all visible, so in float32 the normals' gradients agreed with the CPU's to only ~1e-5 of their
// largest magnitude; in double-float, with the camera's float64 values as hi + lo, to ~3e-7.

/** The WGSL; P.cam*Lo hold the low parts of the camera (common.ts Params). */
export const chainWgsl = /* wgsl */ `
fn dS(a: vec2f, b: vec2f) -> vec2f { return dfAdd(a, dfNeg(b)); }
fn dF(x: f32) -> vec2f { return vec2f(x, 0.0); }
// by an exact power of two
fn dP(c: f32, a: vec2f) -> vec2f { return vec2f(c * a.x, c * a.y); }
fn dSqrt(a: vec2f) -> vec2f {
  if (a.x <= 0.0) { return vec2f(0.0); }
  let s = sqrt(a.x);
  let r = dS(a, twoProd(s, s));
  return quickTwoSum(s, r.x / (2.0 * s));
}
struct D3 { x: vec2f, y: vec2f, z: vec2f }
fn camRow(h: vec4f, l: vec4f) -> D3 { return D3(vec2f(h.x, l.x), vec2f(h.y, l.y), vec2f(h.z, l.z)); }
// row . v for a float32 vector v
fn rowDot(r: D3, v: vec3f) -> vec2f { return dfAdd(dfAdd(dfMul(r.x, dF(v.x)), dfMul(r.y, dF(v.y))), dfMul(r.z, dF(v.z))); }
// R^T c = c.x row0 + c.y row1 + c.z row2
fn rT(r0: D3, r1: D3, r2: D3, cx: vec2f, cy: vec2f, cz: vec2f) -> D3 {
  return D3(
    dfAdd(dfAdd(dfMul(cx, r0.x), dfMul(cy, r1.x)), dfMul(cz, r2.x)),
    dfAdd(dfAdd(dfMul(cx, r0.y), dfMul(cy, r1.y)), dfMul(cz, r2.y)),
    dfAdd(dfAdd(dfMul(cx, r0.z), dfMul(cy, r1.z)), dfMul(cz, r2.z)),
  );
}

struct Chain { gp: vec3f, gn: vec3f }

// sums: a, a u_x, a u_y, a u_x^2, a u_x u_y, a u_y^2 (each as hi + lo); gs: the artificial
// gradient in screen space (dL/dx, dL/dy in pixels, dL/dz_px)
fn chainSplat(sums: array<vec2f, 6>, gs: vec3f, pos: vec3f, nrm: vec3f) -> Chain {
  var out: Chain;
  let r0 = camRow(P.cam0, P.cam0Lo);
  let r1 = camRow(P.cam1, P.cam1Lo);
  let r2 = camRow(P.cam2, P.cam2Lo);
  let fx = vec2f(P.cam0.w, P.cam0Lo.w);
  let fy = vec2f(P.cam1.w, P.cam1Lo.w);
  let sigma = vec2f(P.cam2.w, P.cam2Lo.w);
  let x = dfAdd(rowDot(r0, pos), vec2f(P.camT.x, P.camTLo.x));
  let y = dfAdd(rowDot(r1, pos), vec2f(P.camT.y, P.camTLo.y));
  let z = dfAdd(rowDot(r2, pos), vec2f(P.camT.z, P.camTLo.z));
  let iz = dfDiv(dF(1.0), z);
  let iz2 = dfMul(iz, iz);
  // rows of P': (a0, 0, a2), (0, b1, b2)
  let a0 = dfMul(fx, iz);
  let a2 = dfNeg(dfMul(dfMul(fx, x), iz2));
  let b1 = dfMul(fy, iz);
  let b2 = dfNeg(dfMul(dfMul(fy, y), iz2));
  let fxz2 = dfNeg(dfMul(fx, iz2));
  let fyz2 = dfNeg(dfMul(fy, iz2));
  var dcx = dfMul(dF(gs.x), a0);
  var dcy = dfMul(dF(gs.y), b1);
  // the artificial gradient (chainScreenGradient): depth in pixels is z f / z_k
  var dcz = dfAdd(dfAdd(dfMul(dF(gs.x), a2), dfMul(dF(gs.y), b2)), dfMul(dF(gs.z), dfMul(vec2f(P.camT.w, P.camTLo.w), iz)));
  let sa = sums[0];
  let any = sa.x != 0.0 || sums[1].x != 0.0 || sums[2].x != 0.0 || sums[3].x != 0.0 || sums[4].x != 0.0 || sums[5].x != 0.0;
  var h = D3(vec2f(0.0), vec2f(0.0), vec2f(0.0));
  let nl = dSqrt(dfAdd(dfAdd(twoProd(nrm.x, nrm.x), twoProd(nrm.y, nrm.y)), twoProd(nrm.z, nrm.z)));
  if (any) {
    let mx = dfDiv(rowDot(r0, nrm), nl);
    let my = dfDiv(rowDot(r1, nrm), nl);
    let mz = dfDiv(rowDot(r2, nrm), nl);
    let am = dfAdd(dfMul(a0, mx), dfMul(a2, mz));
    let bm = dfAdd(dfMul(b1, my), dfMul(b2, mz));
    let qxx = dS(dfAdd(dfMul(a0, a0), dfMul(a2, a2)), dfMul(am, am));
    let qxy = dS(dfMul(a2, b2), dfMul(am, bm));
    let qyy = dS(dfAdd(dfMul(b1, b1), dfMul(b2, b2)), dfMul(bm, bm));
    let s2 = dfMul(sigma, sigma);
    let mxx = dfAdd(dfMul(s2, qxx), dF(1.0));
    let mxy = dfMul(s2, qxy);
    let myy = dfAdd(dfMul(s2, qyy), dF(1.0));
    let detM = dS(dfMul(mxx, myy), dfMul(mxy, mxy));
    let detQ = dS(dfMul(qxx, qyy), dfMul(qxy, qxy));
    // dL/dM = 1/2 sum a u u^T - 1/2 M^-1 sum a
    let ha = dfDiv(dP(0.5, sa), detM);
    let gmxx = dS(dP(0.5, sums[3]), dfMul(ha, myy));
    let gmxy = dfAdd(dP(0.5, sums[4]), dfMul(ha, mxy));
    let gmyy = dS(dP(0.5, sums[5]), dfMul(ha, mxx));
    // dL/dQ = sigma^2 dL/dM + 1/2 Q^-1 sum a
    var hq = vec2f(0.0);
    if (detQ.x > 0.0) { hq = dfDiv(dP(0.5, sa), detQ); }
    let gxx = dfAdd(dfMul(s2, gmxx), dfMul(hq, qyy));
    let gxy = dS(dfMul(s2, gmxy), dfMul(hq, qxy));
    let gyy = dfAdd(dfMul(s2, gmyy), dfMul(hq, qxx));
    // dL/dP' = 2 G P' S with S r = r - m (m . r)
    let sr0x = dS(a0, dfMul(mx, am));
    let sr0y = dfNeg(dfMul(my, am));
    let sr0z = dS(a2, dfMul(mz, am));
    let sr1x = dfNeg(dfMul(mx, bm));
    let sr1y = dS(b1, dfMul(my, bm));
    let sr1z = dS(b2, dfMul(mz, bm));
    let g0x = dP(2.0, dfAdd(dfMul(gxx, sr0x), dfMul(gxy, sr1x)));
    let g0z = dP(2.0, dfAdd(dfMul(gxx, sr0z), dfMul(gxy, sr1z)));
    let g1y = dP(2.0, dfAdd(dfMul(gxy, sr0y), dfMul(gyy, sr1y)));
    let g1z = dP(2.0, dfAdd(dfMul(gxy, sr0z), dfMul(gyy, sr1z)));
    // dL/dc through the centre and through the entries of P'
    let x2 = dP(-2.0, dfMul(x, iz));
    let y2 = dP(-2.0, dfMul(y, iz));
    dcx = dfAdd(dcx, dfAdd(dfMul(sums[1], a0), dfMul(g0z, fxz2)));
    dcy = dfAdd(dcy, dfAdd(dfMul(sums[2], b1), dfMul(g1z, fyz2)));
    dcz = dfAdd(dcz, dfAdd(dfAdd(dfMul(sums[1], a2), dfMul(sums[2], b2)), dfAdd(dfAdd(dfMul(g0x, fxz2), dfMul(g0z, dfMul(fxz2, x2))), dfAdd(dfMul(g1y, fyz2), dfMul(g1z, dfMul(fyz2, y2))))));
    // dL/dm = -2 (P'^T G P') m, then m = R n / |n|
    let dmx = dP(-2.0, dfAdd(dfMul(dfMul(gxx, a0), am), dfMul(dfMul(gxy, a0), bm)));
    let dmy = dP(-2.0, dfAdd(dfMul(dfMul(gxy, b1), am), dfMul(dfMul(gyy, b1), bm)));
    let dmz = dP(-2.0, dfAdd(dfAdd(dfMul(dfMul(gxx, a2), am), dfMul(gxy, dfAdd(dfMul(a2, bm), dfMul(b2, am)))), dfMul(dfMul(gyy, b2), bm)));
    h = rT(r0, r1, r2, dmx, dmy, dmz);
  }
  let gp = rT(r0, r1, r2, dcx, dcy, dcz);
  out.gp = vec3f(gp.x.x, gp.y.x, gp.z.x);
  if (any) {
    let ux = dfDiv(dF(nrm.x), nl);
    let uy = dfDiv(dF(nrm.y), nl);
    let uz = dfDiv(dF(nrm.z), nl);
    let hx = dfDiv(h.x, nl);
    let hy = dfDiv(h.y, nl);
    let hz = dfDiv(h.z, nl);
    let along = dfAdd(dfAdd(dfMul(hx, ux), dfMul(hy, uy)), dfMul(hz, uz));
    out.gn = vec3f(dS(hx, dfMul(along, ux)).x, dS(hy, dfMul(along, uy)).x, dS(hz, dfMul(along, uz)).x);
  }
  return out;
}
`;

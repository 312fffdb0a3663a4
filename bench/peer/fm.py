"""The PyTorch peer of the Fuzzy Metaballs benchmark: the same renderer (docs/fm.md eq. 4-10, 13, front
'hard', alpha 'exp'), written the way a researcher would: vectorized over every ray x Gaussian
pair, the exponent max-subtracted per pixel, autograd for the backward. No footprints and no
truncation (the obvious code); those change the images by far less than float32 rounding.

Timed in float32. The images are compared with ours once more in float64, where float32's own
rounding does not blur the check (its c - q t cancels to ~3e-3 in alpha): alpha over every pixel,
depth and normals where our alpha > 0.01 (elsewhere our truncation leaves background, docs/fm.md §4).

Reads the scene JSON that bench/fm.ts writes, prints one JSON line:
{"forwardMs", "backwardMs", "maxAbsDiff": {"depth", "alpha", "normal"}, "torch"}.
"""
import json
import sys
import time

import torch


def render(means, prec, logw, R, t, rays, scale, beta2, beta3):
    # U upper triangular from its 6 entries [u00 u01 u02 u11 u12 u22]
    K = means.shape[0]
    U = torch.zeros(K, 3, 3, dtype=means.dtype)
    iu = torch.triu_indices(3, 3)
    U[:, iu[0], iu[1]] = prec
    v = rays @ R  # world ray directions R^T r, one row per pixel  [P, 3]
    o = -(t @ R)  # camera centre -R^T t
    delta = means - o  # [K, 3]
    Ut = U.transpose(1, 2)
    w = torch.einsum("kij,pj->kpi", Ut, v)  # U^T v  [K, P, 3]
    z = torch.einsum("kij,kj->ki", Ut, delta)  # U^T (mu - o)  [K, 3]
    quad = (w * w).sum(-1)  # v^T S v
    cross = (w * z[:, None, :]).sum(-1)  # v^T S (mu - o)
    tt = cross / quad  # eq. 6
    s = (z * z).sum(-1)[:, None] - cross * tt  # eq. 4
    d = logw[:, None] - 0.5 * s
    front = tt > 0
    E = beta3 * d - (beta2 / scale) * tt  # eq. 9
    E = torch.where(front, E, torch.full_like(E, -float("inf")))
    Emax = E.max(0, keepdim=True).values.detach()
    Emax = torch.where(torch.isfinite(Emax), Emax, torch.zeros_like(Emax))
    e = torch.where(front, torch.exp(E - Emax), torch.zeros_like(E))
    total = e.sum(0)
    wgt = e / torch.where(total > 0, total, torch.ones_like(total))
    depth = (wgt * torch.where(front, tt, torch.zeros_like(tt))).sum(0)  # eq. 8
    S = torch.where(front, torch.exp(d), torch.zeros_like(d)).sum(0)
    alpha = 1 - torch.exp(-S)  # eq. 5a
    nu = torch.einsum("kij,kj->ki", U, z)  # S (mu - o)
    u = -nu / nu.norm(dim=1, keepdim=True).clamp(min=1e-30)
    m = wgt.T @ u
    normal = m / m.norm(dim=1, keepdim=True).clamp(min=1e-30)  # eq. 13
    return depth, alpha, normal


def inputs(s, dt):
    K = len(s["logWeights"])
    m0 = torch.tensor(s["means"], dtype=dt).reshape(K, 3)
    p0 = torch.tensor(s["precisions"], dtype=dt).reshape(K, 6)
    l0 = torch.tensor(s["logWeights"], dtype=dt)
    R = torch.tensor(s["R"], dtype=dt).reshape(3, 3)
    t = torch.tensor(s["t"], dtype=dt)
    W, H = s["width"], s["height"]
    c = s["camera"]
    jj, ii = torch.meshgrid(torch.arange(H, dtype=dt), torch.arange(W, dtype=dt), indexing="ij")
    rays = torch.stack([(ii + 0.5 - c["cx"]) / c["fx"], (jj + 0.5 - c["cy"]) / c["fy"], torch.ones_like(ii)], -1).reshape(-1, 3)
    return m0, p0, l0, R, t, rays


def main():
    s = json.load(open(sys.argv[1]))
    torch.set_num_threads(s["threads"])
    dt = torch.float32
    m0, p0, l0, R, t, rays = inputs(s, dt)
    gd = torch.tensor(s["gradDepth"], dtype=dt)
    ga = torch.tensor(s["gradAlpha"], dtype=dt)
    fwd, bwd = [], []
    for it in range(s["warmup"] + s["runs"]):
        means, prec, logw = (x.clone().requires_grad_(True) for x in (m0, p0, l0))
        t0 = time.perf_counter()
        depth, alpha, normal = render(means, prec, logw, R, t, rays, s["scale"], s["beta2"], s["beta3"])
        t1 = time.perf_counter()
        ((depth * gd).sum() + (alpha * ga).sum()).backward()
        t2 = time.perf_counter()
        if it >= s["warmup"]:
            fwd.append((t1 - t0) * 1000)
            bwd.append((t2 - t1) * 1000)
    with torch.no_grad():
        m0, p0, l0, R, t, rays = inputs(s, torch.float64)
        images = render(m0, p0, l0, R, t, rays, s["scale"], s["beta2"], s["beta3"])
    ours = {k: torch.tensor(s[k], dtype=torch.float64) for k in ("depth", "alpha", "normal")}
    seen = ours["alpha"] > 0.01
    diff = {}
    for name, x in zip(("depth", "alpha", "normal"), images):
        d = (x - ours[name].reshape(x.shape)).abs()
        if name == "depth":
            d = d[seen]
        elif name == "normal":
            d = d[seen, :]
        diff[name] = float(d.max())
    med = lambda v: sorted(v)[len(v) // 2]
    print(json.dumps({"forwardMs": med(fwd), "backwardMs": med(bwd), "maxAbsDiff": diff, "torch": torch.__version__}))


if __name__ == "__main__":
    main()

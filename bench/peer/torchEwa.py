"""The PyTorch peer of the DSS benchmark: the same EWA forward and smooth backward, written the
way a researcher would in PyTorch: vectorized over splat-pixel pairs, autograd through the smooth
weights, visibility (the A front-most splats within T of the front one) computed without grad.

Reads the scene JSON that bench/peerTorch.ts writes, prints one JSON line:
{"forwardMs", "backwardMs", "pairs", "maxAbsDiff", "meanAbsDiff", "torch"}.
"""
import json
import sys
import time

import torch


def screen_params(p, n, cam, sigma):
    R = torch.tensor(cam["R"], dtype=p.dtype).reshape(3, 3)
    t = torch.tensor(cam["t"], dtype=p.dtype)
    c = p @ R.T + t
    x, y, z = c[:, 0], c[:, 1], c[:, 2]
    m = (n / n.norm(dim=1, keepdim=True)) @ R.T
    fx, fy = cam["fx"], cam["fy"]
    a0, a2 = fx / z, -fx * x / z**2
    b1, b2 = fy / z, -fy * y / z**2
    an = a0 * m[:, 0] + a2 * m[:, 2]
    bn = b1 * m[:, 1] + b2 * m[:, 2]
    qxx = a0**2 + a2**2 - an**2
    qxy = a2 * b2 - an * bn
    qyy = b1**2 + b2**2 - bn**2
    detq = (qxx * qyy - qxy**2).clamp(min=0)
    s2 = sigma**2
    mxx, mxy, myy = s2 * qxx + 1, s2 * qxy, s2 * qyy + 1
    detm = mxx * myy - mxy**2
    X = fx * x / z + cam["cx"]
    Y = fy * y / z + cam["cy"]
    scale = detq.sqrt() / (2 * torch.pi * detm.sqrt())
    facing = -(m * c).sum(1) / c.norm(dim=1)
    return X, Y, z, myy / detm, -mxy / detm, mxx / detm, scale, mxx, myy, facing


def render(p, n, w, s):
    cam, W, H = s["camera"], s["width"], s["height"]
    A, T, C = s["frontCount"], s["mergeThreshold"], s["cutoff"]
    X, Y, z, ia, ib, ic, scale, mxx, myy, facing = screen_params(p, n, cam, s["sigma"])
    with torch.no_grad():
        # pixel boxes from M (as the TypeScript forward), then every pixel of every box
        rx, ry = (2 * C * mxx).sqrt(), (2 * C * myy).sqrt()
        x0 = torch.ceil(X - rx - 0.5).clamp(min=0).long()
        x1 = torch.floor(X + rx - 0.5).clamp(max=W - 1).long()
        y0 = torch.ceil(Y - ry - 0.5).clamp(min=0).long()
        y1 = torch.floor(Y + ry - 0.5).clamp(max=H - 1).long()
        bw, bh = (x1 - x0 + 1).clamp(min=0), (y1 - y0 + 1).clamp(min=0)
        active = (facing >= s["cullThreshold"]) & (bw > 0) & (bh > 0)
        bw, bh = bw * active, bh * active
        area = bw * bh
        k = torch.repeat_interleave(torch.arange(len(area)), area)
        local = torch.arange(len(k)) - torch.repeat_interleave(torch.cumsum(area, 0) - area, area)
        px = x0[k] + local % bw[k]
        py = y0[k] + torch.div(local, bw[k], rounding_mode="floor")
    # one gather of the per-splat parameters for every pair
    g = torch.stack([X, Y, ia, ib, ic, scale], 1)[k]
    dx = px + 0.5 - g[:, 0]
    dy = py + 0.5 - g[:, 1]
    q = 0.5 * (g[:, 2] * dx * dx + 2 * g[:, 3] * dx * dy + g[:, 4] * dy * dy)
    with torch.no_grad():
        inside = (q <= C).nonzero().squeeze(1)
        k, px, py = k[inside], px[inside], py[inside]
        pix = py * W + px
        zk = z.detach()[k]
        # the A front-most per pixel (ties by point index), then those within T of the front
        order = torch.argsort(zk, stable=True)
        order = order[torch.argsort(pix[order], stable=True)]
        pix_s = pix[order]
        counts = torch.bincount(pix_s, minlength=W * H)
        starts = torch.cumsum(counts, 0) - counts
        rank = torch.arange(len(order)) - starts[pix_s]
        front = torch.full((W * H,), float("inf"), dtype=zk.dtype)
        front[pix_s[rank == 0]] = zk[order][rank == 0]
        keep = (rank < A) & (zk[order] <= front[pix_s] + T)
        sel = order[keep]
    pair = inside[sel]
    rho = g[pair, 5] * torch.exp(-q[pair])
    pix = pix[sel]
    num = torch.zeros(W * H, 3, dtype=p.dtype).index_add(0, pix, rho[:, None] * w[k[sel]])
    den = torch.zeros(W * H, dtype=p.dtype).index_add(0, pix, rho)
    covered = den > 0
    image = torch.where(covered[:, None], num / den.clamp(min=1e-30)[:, None], torch.zeros_like(num))
    return image.reshape(H, W, 3), len(inside)


def main():
    s = json.load(open(sys.argv[1]))
    torch.set_num_threads(s["threads"])
    dt = torch.float32
    p0 = torch.tensor(s["positions"], dtype=dt).reshape(-1, 3)
    n0 = torch.tensor(s["normals"], dtype=dt).reshape(-1, 3)
    w0 = torch.tensor(s["colours"], dtype=dt).reshape(-1, 3)
    g = torch.tensor(s["gradImage"], dtype=dt).reshape(s["height"], s["width"], 3)
    fwd, bwd = [], []
    for it in range(s["warmup"] + s["runs"]):
        p, n, w = (x.clone().requires_grad_(True) for x in (p0, n0, w0))
        t0 = time.perf_counter()
        image, pairs = render(p, n, w, s)
        t1 = time.perf_counter()
        (image * g).sum().backward()
        t2 = time.perf_counter()
        if it >= s["warmup"]:
            fwd.append((t1 - t0) * 1000)
            bwd.append((t2 - t1) * 1000)
    ours = torch.tensor(s["image"], dtype=dt).reshape(s["height"], s["width"], 3)
    diff = (image.detach() - ours).abs()
    med = lambda v: sorted(v)[len(v) // 2]
    print(json.dumps({"forwardMs": med(fwd), "backwardMs": med(bwd), "pairs": pairs,
                      "maxAbsDiff": float(diff.max()), "meanAbsDiff": float(diff.mean()), "torch": torch.__version__}))


if __name__ == "__main__":
    main()

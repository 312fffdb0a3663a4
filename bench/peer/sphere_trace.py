"""The PyTorch peer of the sphere-trace benchmark: the same tracer written the way a researcher
would in PyTorch, dense: every ray of the image marches a fixed number of steps as one batch (a
converged ray is masked, not dropped), without autograd; then f is re-evaluated with autograd at
each ray's point (its hit, or its smallest sample for a miss): the depth carries
(f - f.detach()) * w, the implicit-depth gradient, and the silhouette is f itself, both to the
camera pose and the SDF's parameters; rays that miss the bounding sphere get their distance to it.

Reads the scene JSON that bench/sphereTrace.ts writes, prints one JSON line:
{"forwardMs", "backwardMs", "rays", "steps", "hitAgreement", "depthAgreement", "torch"}:
hitAgreement is the fraction of pixels both call hit or miss alike, depthAgreement the fraction
of the pixels both hit whose depths are within 1e-3 (the two march different samples: ours start
coarse, so a ray grazing an edge may end on another surface).
"""
import json
import sys
import time

import torch


def primitive(kind, P, p):
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    if kind == "sphere":
        return (p - P[0:3]).norm(dim=1) - P[3]
    if kind in ("box", "roundedBox"):
        r = P[3] if kind == "roundedBox" else 0.0
        q = p.abs() - (P[0:3] - r)
        return q.clamp(min=0).norm(dim=1) + q.max(dim=1).values.clamp(max=0) - r
    if kind == "torus":
        qx = torch.sqrt(x * x + z * z) - P[0]
        return torch.sqrt(qx * qx + y * y) - P[1]
    if kind == "capsule":
        a, b = P[0:3], P[3:6]
        pa, ba = p - a, b - a
        h = ((pa * ba).sum(1) / (ba * ba).sum()).clamp(0, 1)
        return (pa - h[:, None] * ba).norm(dim=1) - P[6]
    if kind == "cylinder":
        d = torch.stack([torch.sqrt(x * x + z * z) - P[0], y.abs() - P[1]], 1)
        return d.max(dim=1).values.clamp(max=0) + d.clamp(min=0).norm(dim=1)
    raise ValueError(kind)


def sdf(node, p, params):
    """The SDF tree of sphereTracing/sdf/sdf.ts PlainSdf, in torch ops."""
    kind = node["kind"]
    if kind == "primitive":
        return primitive(node["primitive"], params[id(node)], p)
    if kind == "combine":
        a = sdf(node["a"], p, params)
        b = sdf(node["b"], p, params)
        k = params[id(node)]
        if node["op"] == "difference":
            b = -b
        s = 1.0 if node["op"] == "union" else -1.0
        h = (0.5 + s * (b - a) / (2 * k)).clamp(0, 1)
        return h * a + (1 - h) * b - s * k * h * (1 - h)
    if kind == "transform":
        R, t, s = params[id(node)]
        q = (p - t) @ R / s
        return sdf(node["child"], q, params) * s
    if kind == "mlp":
        return mlp(node, p, params[id(node)])
    raise ValueError(kind)


def mlp(node, p, weights):
    latent = weights["latent"]
    x0 = torch.cat([latent.expand(p.shape[0], -1), p], 1)
    h = x0
    layers = weights["layers"]
    for i, (W, b, skip) in enumerate(layers):
        if skip and i > 0:
            h = torch.cat([h, x0], 1)
        h = h @ W.T + b
        if i < len(layers) - 1:
            h = torch.relu(h) if node["activation"] == "relu" else torch.nn.functional.softplus(h)
    return node["outputScale"] * torch.tanh(h[:, 0])


def collect(node, dt, params, leaves):
    kind = node["kind"]
    if kind == "primitive":
        params[id(node)] = torch.tensor(node["params"], dtype=dt, requires_grad=True)
        leaves.append(params[id(node)])
    elif kind == "combine":
        params[id(node)] = torch.tensor(node["k"], dtype=dt, requires_grad=True)
        leaves.append(params[id(node)])
        collect(node["a"], dt, params, leaves)
        collect(node["b"], dt, params, leaves)
    elif kind == "transform":
        R = torch.tensor(node["R"], dtype=dt).reshape(3, 3)
        t = torch.tensor(node["t"], dtype=dt, requires_grad=True)
        leaves.append(t)
        params[id(node)] = (R, t, node["s"])
        collect(node["child"], dt, params, leaves)
    elif kind == "mlp":
        layers = [(torch.tensor(l["weight"], dtype=dt).reshape(l["outputs"], l["inputs"]).requires_grad_(True), torch.tensor(l["bias"], dtype=dt).requires_grad_(True), l["skip"]) for l in node["layers"]]
        for W, b, _ in layers:
            leaves.extend([W, b])
        latent = torch.tensor(node["latent"], dtype=dt, requires_grad=True)
        leaves.append(latent)
        params[id(node)] = {"layers": layers, "latent": latent}


def render(scene, omega, t, params):
    cam = scene["camera"]
    W, H = cam["width"], cam["height"]
    o = scene["options"]
    dt = omega.dtype
    R0 = torch.tensor(cam["R"], dtype=dt).reshape(3, 3)
    # R = exp([omega]_x) R0 by Rodrigues
    th = omega.norm() + 1e-12
    k = omega / th
    K = torch.zeros(3, 3, dtype=dt)
    K[0, 1], K[0, 2], K[1, 0], K[1, 2], K[2, 0], K[2, 1] = -k[2], k[1], k[2], -k[0], -k[1], k[0]
    R = (torch.eye(3, dtype=dt) + torch.sin(th) * K + (1 - torch.cos(th)) * K @ K) @ R0
    u = torch.arange(W, dtype=dt) + 0.5
    v = torch.arange(H, dtype=dt) + 0.5
    vv, uu = torch.meshgrid(v, u, indexing="ij")
    q = torch.stack([(uu - cam["cx"]) / cam["fx"], (vv - cam["cy"]) / cam["fy"], torch.ones_like(uu)], -1).reshape(-1, 3)
    q = q / q.norm(dim=1, keepdim=True)
    eye = -(t @ R)
    dirs = q @ R
    with torch.no_grad():
        e, d_ = eye.detach(), dirs.detach()
        b = (d_ * e).sum(1)
        disc = b * b - ((e * e).sum() - o["boundingRadius"] ** 2)
        inside = disc >= 0
        root = disc.clamp(min=0).sqrt()
        depth = -b - root
        exit_ = -b + root
        active = inside.clone()
        hit = torch.zeros_like(inside)
        fmin = torch.full_like(depth, float("inf"))
        dmin = depth.clone()
        for step in range(o["steps"]):
            f = sdf(scene["sdf"], e + depth[:, None] * d_, params)
            lower = active & (f < fmin)
            fmin = torch.where(lower, f, fmin)
            dmin = torch.where(lower, depth, dmin)
            if step == 0:
                active &= f >= o["threshold"]
            converged = active & (f.abs() < o["threshold"])
            hit |= converged
            active &= ~converged
            depth = torch.where(active, depth + o["ratio"] * f.clamp(-o["maxStep"], o["maxStep"]), depth)
            active &= depth <= exit_
    # the tape: f re-evaluated with autograd at one point per ray in the sphere (eq. 19-20 of docs/dist.md)
    idx = inside.nonzero().squeeze(1)
    hit_in = hit[idx]
    d = torch.where(hit_in, depth[idx], dmin[idx])
    p = eye + d[:, None] * dirs[idx]
    f = sdf(scene["sdf"], p, params)
    grad_p, = torch.autograd.grad(f.sum(), p, retain_graph=True)
    cosine = -(grad_p * dirs[idx].detach()).sum(1)
    w = torch.where(hit_in, 1 / torch.maximum(cosine, o["minCosine"] * grad_p.norm(dim=1)), torch.zeros_like(cosine))
    z = torch.zeros(W * H, dtype=dt).index_add(0, idx, torch.where(hit_in, (d + w.detach() * (f - f.detach())) * q[idx, 2], torch.zeros_like(d)))
    out = (~inside).nonzero().squeeze(1)
    along = (t * q[out]).sum(1).clamp(min=0)
    far = torch.sqrt(((t * t).sum() - along * along).clamp(min=0)) - o["boundingRadius"] + o["threshold"]
    m = torch.zeros(W * H, dtype=dt).index_add(0, idx, f).index_add(0, out, far)
    return z.reshape(H, W), m.reshape(H, W), hit.reshape(H, W)


def main():
    s = json.load(open(sys.argv[1]))
    torch.set_num_threads(s["threads"])
    dt = torch.float32
    shape = (s["camera"]["height"], s["camera"]["width"])
    g = torch.tensor(s["gradDepth"], dtype=dt).reshape(shape)
    gm = torch.tensor(s["gradMinSdf"], dtype=dt).reshape(shape)
    fwd, bwd = [], []
    for it in range(s["warmup"] + s["runs"]):
        params, leaves = {}, []
        collect(s["sdf"], dt, params, leaves)
        omega = torch.zeros(3, dtype=dt, requires_grad=True)
        t = torch.tensor(s["camera"]["t"], dtype=dt, requires_grad=True)
        t0 = time.perf_counter()
        depth, min_sdf, hit = render(s, omega, t, params)
        t1 = time.perf_counter()
        ((depth * g).sum() + (min_sdf * gm).sum()).backward()
        t2 = time.perf_counter()
        if it >= s["warmup"]:
            fwd.append((t1 - t0) * 1000)
            bwd.append((t2 - t1) * 1000)
    ours_hit = torch.tensor(s["hit"], dtype=torch.bool).reshape(hit.shape)
    ours_depth = torch.tensor(s["depth"], dtype=dt).reshape(depth.shape)
    both = ours_hit & hit
    med = lambda v: sorted(v)[len(v) // 2]
    print(json.dumps({
        "forwardMs": med(fwd), "backwardMs": med(bwd),
        "rays": hit.numel(), "steps": s["options"]["steps"],
        "hitAgreement": float((ours_hit == hit).float().mean()),
        "depthAgreement": float(((depth.detach() - ours_depth)[both].abs() < 1e-3).float().mean()) if both.any() else 1.0,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()

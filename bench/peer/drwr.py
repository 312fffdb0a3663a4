"""The PyTorch peer of the DRWR benchmark: the loss of eq. 6 (docs/drwr.md) written the way a
researcher would in PyTorch: points projected with the camera matrices, the smooth silhouette,
mask and boundary-bias images read with grid_sample (bilinear, pixel centres, border padding), the
repulsion over every pair of each view as one N x N matrix with the same cut-off kernel, autograd
through everything but the mask weights (the boundary bias keeps its gradient, as our 'bias').

Reads the scene JSON that bench/drwr.ts writes, prints one JSON line:
{"forwardMs", "backwardMs", "loss", "torch"}.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def sample(image, pixels, W, H):
    # pixel (i, j) has its centre at (i + 0.5, j + 0.5): align_corners=False maps -1..1 to the image's edges
    grid = torch.stack([2 * pixels[:, 0] / W - 1, 2 * pixels[:, 1] / H - 1], 1).view(1, 1, -1, 2)
    return F.grid_sample(image.view(1, 1, H, W), grid, mode="bilinear", padding_mode="border", align_corners=False).view(-1)


def loss(points, views, s):
    total_unary, total_repulsion = 0.0, 0.0
    c2 = s["cutoff"] ** 2
    for v in views:
        R, t = v["R"], v["t"]
        c = points @ R.T + t
        px = torch.stack([v["fx"] * c[:, 0] / c[:, 2] + v["cx"], v["fy"] * c[:, 1] / c[:, 2] + v["cy"]], 1)
        W, H = v["width"], v["height"]
        total_unary = total_unary + (1 - sample(v["smooth"], px, W, H)).abs().sum()
        w = sample(v["mask"], px, W, H).detach()
        delta = s["biasScale"] * sample(v["bias"], px, W, H)
        d2 = torch.cdist(px, px) ** 2
        sigma2 = v["sigma"] ** 2
        k = torch.clamp(torch.exp(-d2 / sigma2) - torch.exp(torch.tensor(-c2)), min=0)
        k = k * (1 - torch.eye(len(w)))
        a = w * torch.exp(delta)
        total_repulsion = total_repulsion + (a[:, None] * k * w[None, :]).sum()
    count = len(views) * points.shape[0]
    return total_unary / count + s["beta"] * total_repulsion / count


def main():
    s = json.load(open(sys.argv[1]))
    torch.set_num_threads(s["threads"])
    views = []
    for v in s["views"]:
        cam = v["camera"]
        views.append(
            {
                "R": torch.tensor(cam["R"], dtype=torch.float32).view(3, 3),
                "t": torch.tensor(cam["t"], dtype=torch.float32),
                "fx": cam["fx"],
                "fy": cam["fy"],
                "cx": cam["cx"],
                "cy": cam["cy"],
                "width": v["width"],
                "height": v["height"],
                "smooth": torch.tensor(v["smooth"], dtype=torch.float32),
                "mask": torch.tensor(v["mask"], dtype=torch.float32),
                "bias": torch.tensor(v["bias"], dtype=torch.float32),
                "sigma": v["sigma"],
            }
        )
    base = torch.tensor(s["positions"], dtype=torch.float32).view(-1, 3)
    forward, backward = [], []
    value = None
    for r in range(s["warmup"] + s["runs"]):
        points = base.clone().requires_grad_(True)
        t0 = time.perf_counter()
        out = loss(points, views, s)
        t1 = time.perf_counter()
        out.backward()
        t2 = time.perf_counter()
        value = out.item()
        if r >= s["warmup"]:
            forward.append(1000 * (t1 - t0))
            backward.append(1000 * (t2 - t1))
    med = lambda xs: sorted(xs)[len(xs) // 2]
    print(json.dumps({"forwardMs": med(forward), "backwardMs": med(backward), "loss": value, "torch": torch.__version__}))


main()

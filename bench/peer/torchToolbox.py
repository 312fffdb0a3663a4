"""The PyTorch peers of the toolbox benchmark (bench/toolbox.ts), written the obvious way:

mlp      torch.nn.Sequential of Linear and ReLU (3 -> 128 -> 128 -> 128 -> 1), forward + backward of
         the output's sum over a batch of 16,384 points; the weights and the batch come from our own
         safetensors files (read here by hand, from the format alone), the output is compared with ours.
chamfer  squared Chamfer as researchers write it with cdist: d = cdist(a, b) ** 2;
         d.min(1).mean() + d.min(0).mean(), forward + backward to a; compared with our value.

Reads the JSON that bench/toolbox.ts writes, prints one JSON line: {"ms", "torch", "blas", ...}.
"""
import json
import os
import struct
import sys
import time

import torch


def read_safetensors(path):
    """name -> tensor, from the bytes: 8-byte little-endian length, JSON header, raw data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    start = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", e
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[start + b : start + end]), dtype=torch.float32)
        out[name] = t.reshape(e["shape"])
    return out


def blas():
    """Which BLAS library Debian's torch resolves to (the libblas.so.3 alternative)."""
    for p in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3"):
        if os.path.exists(p):
            real = os.path.realpath(p)
            kind = "OpenBLAS" if "openblas" in real else "BLIS" if "blis" in real else "MKL" if "mkl" in real else "reference BLAS (netlib)" if "/blas/" in real else "unknown"
            return f"{kind}: {real}"
    return "unknown"


def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]


def mlp(cfg):
    w = read_safetensors(cfg["weights"])
    x = read_safetensors(cfg["input"])["x"]
    expected = read_safetensors(cfg["expected"])["y"]
    sizes = cfg["sizes"]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            lin.weight.copy_(w[f"layers.{i}.weight"])
            lin.bias.copy_(w[f"layers.{i}.bias"])
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)

    def step():
        model.zero_grad()
        model(x).sum().backward()

    ms = timed(step, cfg["runs"], cfg["warmup"])
    with torch.no_grad():
        forward_ms = timed(lambda: model(x), cfg["runs"], cfg["warmup"])
        y = model(x)
    return {"ms": ms, "forwardMs": forward_ms, "maxAbsDiff": float((y - expected).abs().max())}


def chamfer(cfg):
    c = read_safetensors(cfg["clouds"])
    a = c["a"].clone().requires_grad_(True)
    b = c["b"]

    def loss():
        d = torch.cdist(a, b) ** 2
        return d.min(1).values.mean() + d.min(0).values.mean()

    def step():
        a.grad = None
        loss().backward()

    ms = timed(step, cfg["runs"], cfg["warmup"])
    with torch.no_grad():
        value = float(loss())
    return {"ms": ms, "value": value, "relDiff": abs(value - cfg["expected"]) / cfg["expected"]}


if __name__ == "__main__":
    cfg = json.load(open(sys.argv[1]))
    torch.set_num_threads(cfg["threads"])
    out = mlp(cfg) if cfg["kind"] == "mlp" else chamfer(cfg)
    out.update({"torch": torch.__version__, "blas": blas(), "threads": torch.get_num_threads()})
    print(json.dumps(out))

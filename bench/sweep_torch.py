"""PyTorch peers of the sweep benchmark (bench/sweep.mjs): the same grid of small matrix-path
runs, one thread, float32, gradient descent on W = W_N ... W_1 for the estimation loss
0.5 ||W - Y||_F^2 with singular values logged at the same steps.

  loop      one run after another, autograd and a plain SGD step (what a PyTorch user writes)
  bmm       the whole grid at once with torch.bmm and the gradients written out by hand
            (B_N = W - Y, B_j = W_{j+1}^T B_{j+1}, grad_j = B_j P_{j-1}^T: the engine's own step)

usage: sweep_torch.py MODE JSON   (JSON: n, depth, steps, stepSize, alphas, seeds, eigenvalues, logged, budget)
Prints one JSON line: runs per second (best of the repeats that fit in the budget) and a checksum.
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
mode, cfg = sys.argv[1], json.loads(sys.argv[2])
n, N, steps, eta = cfg["n"], cfg["depth"], cfg["steps"], cfg["stepSize"]
logged = set(cfg["logged"])
gen = torch.Generator().manual_seed(1)
q, _ = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=torch.float64))
lam = torch.zeros(n, dtype=torch.float64)
lam[: len(cfg["eigenvalues"])] = torch.tensor(cfg["eigenvalues"], dtype=torch.float64)
Y = (q * lam) @ q.T
Y = Y.float()
runs = [(a, s) for a in cfg["alphas"] for s in cfg["seeds"]]


def init(alpha, seed):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, n, generator=g) * (alpha / n**0.5) for _ in range(N)]


def loop():
    out = 0.0
    for alpha, seed in runs:
        factors = [f.requires_grad_() for f in init(alpha, seed)]
        opt = torch.optim.SGD(factors, lr=eta)
        for k in range(steps + 1):
            W = factors[0]
            for f in factors[1:]:
                W = f @ W
            if k in logged:
                torch.linalg.svdvals(W.detach())
            if k == steps:
                out += float(W.detach().sum())
                break
            loss = 0.5 * ((W - Y) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return out


def bmm():
    B = len(runs)
    factors = [torch.stack([init(a, s)[j] for a, s in runs]) for j in range(N)]
    Yb = Y.expand(B, n, n)
    for k in range(steps + 1):
        prefix = [factors[0]]
        for j in range(1, N):
            prefix.append(torch.bmm(factors[j], prefix[-1]))
        W = prefix[-1]
        if k in logged:
            torch.linalg.svdvals(W)
        if k == steps:
            return float(W.sum())
        b = W - Yb
        for j in range(N - 1, 0, -1):
            nb = torch.bmm(factors[j].transpose(1, 2), b)
            factors[j] = factors[j] - eta * torch.bmm(b, prefix[j - 1].transpose(1, 2))
            b = nb
        factors[0] = factors[0] - eta * b


run = {"loop": loop, "bmm": bmm}[mode]
best, checksum, start = float("inf"), 0.0, time.perf_counter()
while True:
    t0 = time.perf_counter()
    checksum = run()
    best = min(best, time.perf_counter() - t0)
    if time.perf_counter() - start > cfg["budget"]:
        break
print(json.dumps({"mode": mode, "runs": len(runs), "seconds": best, "runsPerSecond": len(runs) / best, "checksum": checksum, "torch": torch.__version__, "threads": torch.get_num_threads()}))

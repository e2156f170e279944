#!/usr/bin/env python3
"""Replays a run exported by `dfl export RESULT.json --npy DIR` with NumPy alone (docs/replay.md).

Reads DIR/index.json and the .npy files it names, runs plain gradient descent in float64 on every
factor of W = W_N ... W_1 for the spec's steps with its step size, and records the singular values
of W at the logged steps. Usage:

    python3 scripts/replay.py DIR [--out REPLAYED.npy]

prints the largest deviation from the logged singular values (sv.npy) and, with --out, saves the
replayed ones (same shape as sv.npy).
"""
import json
import os
import sys

import numpy as np


def load(directory):
    with open(os.path.join(directory, "index.json")) as f:
        index = json.load(f)
    files = index["files"]
    get = lambda name: np.load(os.path.join(directory, name))
    data = {
        "spec": index["spec"],
        "target": get(files["target"]),
        "factors": [get(name) for name in files["initialFactors"]],  # W_1 first
        "steps": get(files["steps"]).astype(np.int64),
        "sv": get(files["singularValues"]),
    }
    if "operator" in files:
        data["operator"] = get(files["operator"])  # m x n x n, A(X)_i = sum_jk A[i,j,k] X[j,k]
    if "mask" in files:
        data["mask"] = get(files["mask"])  # n x n, 0/1
    return data


def product(factors):
    w = factors[0]
    for f in factors[1:]:
        w = f @ w
    return w


def replay(data):
    spec = data["spec"]
    eta = float(spec["stepSize"])
    hat = data["target"]
    factors = [f.copy() for f in data["factors"]]
    n = hat.shape[0]
    if "operator" in data:
        a = data["operator"].reshape(data["operator"].shape[0], n * n)
        y = a @ hat.reshape(-1)
        # loss = 1/2 ||A(W) - A(What)||^2, gradient A*(A(W) - y)
        gradient = lambda w: (a.T @ (a @ w.reshape(-1) - y)).reshape(n, n)
    elif "mask" in data:
        mask = data["mask"]
        gradient = lambda w: mask * (w - hat)  # loss = 1/2 ||mask o (W - What)||^2
    else:
        gradient = lambda w: w - hat  # loss = 1/2 ||W - What||^2
    steps = data["steps"]
    keep = data["sv"].shape[1]
    out = np.zeros((len(steps), keep))
    k = 0
    for row, goal in enumerate(steps):
        while k < goal:
            # prefix[j] = W_j ... W_1; the gradient of factor j is
            # (W_N ... W_{j+1})^T G (W_{j-1} ... W_1)^T.
            prefix = [factors[0]]
            for f in factors[1:]:
                prefix.append(f @ prefix[-1])
            b = gradient(prefix[-1])
            new = [None] * len(factors)
            for j in range(len(factors) - 1, -1, -1):
                grad = b if j == 0 else b @ prefix[j - 1].T
                new[j] = factors[j] - eta * grad
                if j > 0:
                    b = factors[j].T @ b
            factors = new
            k += 1
        out[row] = np.linalg.svd(product(factors), compute_uv=False)[:keep]
    return out


def main(argv):
    if len(argv) < 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    data = load(argv[0])
    replayed = replay(data)
    deviation = np.abs(replayed - data["sv"]).max()
    print(f"steps {int(data['steps'][-1])}, logged {len(data['steps'])}, largest |sv - logged sv| = {deviation:.3e} (sigma_1 at the end {replayed[-1, 0]:.6g})")
    if "--out" in argv:
        np.save(argv[argv.index("--out") + 1], replayed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

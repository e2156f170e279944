"""The matrix path's gradient-descent loop in NumPy: the baseline of `npm run bench`.

Same step as core/engine/matrixPath.ts (docs/theory.md (1.2)): prefix products, G = W - target,
then B <- W_j^T B and W_j -= eta * B P_{j-1}^T: 3N - 2 matrix products per step. Run with
OPENBLAS_NUM_THREADS=1 (set by bench/run.mjs). Prints one JSON object.

usage: python3 numpy_gd.py SIZES DEPTH BUDGET_SECONDS   (SIZES comma-separated)
"""
import json
import os
import sys
import time

import numpy as np


def blas_libraries():
    """Shared BLAS/LAPACK libraries mapped into this process (after a matmul has run)."""
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if path.startswith("/") and any(k in name.lower() for k in ("blas", "lapack", "mkl", "accelerate")):
                    found.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(found)


def steps_per_second(n, depth, dtype, budget, window=0.3):
    rng = np.random.default_rng(n)
    factors = [(0.1 / np.sqrt(n) * rng.standard_normal((n, n))).astype(dtype) for _ in range(depth)]
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.zeros(n)
    lam[:4] = [10, 6, 3, 1.5]
    target = ((q * lam) @ q.T).astype(dtype)
    eta = dtype(0.005)

    def step():
        prefix = [factors[0]]
        for j in range(1, depth):
            prefix.append(factors[j] @ prefix[j - 1])
        b = prefix[-1] - target
        for j in range(depth - 1, 0, -1):
            grad = b @ prefix[j - 1].T
            b_next = factors[j].T @ b
            factors[j] -= eta * grad
            b = b_next
        factors[0] -= eta * b

    def loss():
        p = factors[0]
        for j in range(1, depth):
            p = factors[j] @ p
        return float(0.5 * np.sum((p - target) ** 2))

    step()
    per_window, rates, start = 1, [], time.perf_counter()
    while time.perf_counter() - start < budget or len(rates) < 3:
        t0 = time.perf_counter()
        for _ in range(per_window):
            step()
        loss()
        dt = time.perf_counter() - t0
        rates.append(per_window / dt)
        if dt < window:
            per_window = max(per_window + 1, int(np.ceil(per_window * window / max(dt, 1e-4))))
        if len(rates) >= 3 and time.perf_counter() - start > 4 * budget:
            break
    return float(np.median(rates))


def main():
    sizes = [int(s) for s in sys.argv[1].split(",")]
    depth = int(sys.argv[2])
    budget = float(sys.argv[3])
    out = {"python": sys.executable, "numpy": np.__version__, "rows": []}
    for n in sizes:
        out["rows"].append({
            "n": n,
            "depth": depth,
            "f32": steps_per_second(n, depth, np.float32, budget),
            "f64": steps_per_second(n, depth, np.float64, budget),
        })
    out["blas"] = blas_libraries()
    out["threads"] = os.environ.get("OPENBLAS_NUM_THREADS")
    print(json.dumps(out))


if __name__ == "__main__":
    main()

# How accurate are the logged singular values of the float32 matrix path, and what would the Gram
# route (eigenvalues of WᵀW) add to that? Runs a workload of the kind `npm run bench` logs (N = 3,
# spectrum [10, 6, 3, 1.5] in a random basis, Gaussian init α = 0.1, η = 0.005; NumPy's random
# numbers, not the engine's) in float32 and in float64 from the same float32 start, and prints at a
# few steps, relative to σ₁ of the float64 run:
#   f32 run:   max |σ(W₃₂) − σ(W₆₄)|, dgesdd on both (what float32 arithmetic costs),
#   Gram:      max |σ_Gram(W₃₂) − σ(W₃₂)| (what the Gram route would add on the same W),
#   product:   max |σ(W₃₂) − σ(W₃₂ factors multiplied in float64)| (the share of the last product),
# and the first index more than 10 % off the float64 run, with dgesdd and with the Gram route.
# Not part of `npm run bench` (about 3 minutes at n = 512):
#   OPENBLAS_NUM_THREADS=2 python3 bench/float32_floor.py [n]
import sys

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 512
depth, eta, alpha = 3, 0.005, 0.1
basis, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((n, n)))
spectrum = np.zeros(n)
spectrum[:4] = [10, 6, 3, 1.5]
target = (basis * spectrum) @ basis.T
start = [(alpha / np.sqrt(n) * np.random.default_rng(2 + j).standard_normal((n, n))).astype(np.float32) for j in range(depth)]


def product(factors):
    w = factors[0]
    for f in factors[1:]:
        w = f @ w
    return w


def step(factors, target):
    """One gradient step on ½‖W − Ŵ‖² (docs/theory.md (1.2)), in the factors' precision."""
    prefix = [factors[0]]
    for f in factors[1:]:
        prefix.append(f @ prefix[-1])
    b = prefix[-1] - target
    out = [None] * depth
    for j in range(depth - 1, -1, -1):
        out[j] = factors[j] - eta * (b if j == 0 else b @ prefix[j - 1].T)
        if j > 0:
            b = factors[j].T @ b
    return out


def svd_values(w):
    return np.linalg.svd(w.astype(np.float64), compute_uv=False)


def gram_values(w):
    w = w.astype(np.float64)
    return np.sqrt(np.maximum(np.linalg.eigvalsh(w.T @ w)[::-1], 0))


def first_off(x, reference):
    bad = np.nonzero(np.abs(x - reference) > 0.1 * reference)[0]
    return f"{bad[0]} (σ = {reference[bad[0]] / reference[0]:.1e}·σ₁)" if len(bad) else "none"


f32, f64 = start, [f.astype(np.float64) for f in start]
target32 = target.astype(np.float32)
done = 0
for checkpoint in [0, 10, 100, 300, 1000, 2000]:
    for _ in range(checkpoint - done):
        f32, f64 = step(f32, target32), step(f64, target)
    done = checkpoint
    w32 = product(f32)
    exact = svd_values(product(f64))
    logged = svd_values(w32)
    gram = gram_values(w32)
    same_factors = svd_values(product([f.astype(np.float64) for f in f32]))
    s1 = exact[0]
    print(
        f"step {checkpoint:5d}: σ_min/σ₁ {exact[-1] / s1:.1e}; f32 run {np.abs(logged - exact).max() / s1:.1e}, "
        f"Gram {np.abs(gram - logged).max() / s1:.1e}, product {np.abs(logged - same_factors).max() / s1:.1e}; "
        f"first >10 % off: dgesdd {first_off(logged, exact)}, Gram {first_off(gram, exact)}"
    )

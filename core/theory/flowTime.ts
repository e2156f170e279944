// Gradient-flow times of one spectral component, docs/theory.md §3.
// f(w) = w^{N−1}(λ − w^N); the flow ẇ = f(w) from w(0) = α, product x = w^N.

/** w^k by repeated multiplication (exact for the small integer powers used here). */
export function ipow(x: number, k: number): number {
  let p = 1;
  for (let j = 0; j < k; j++) p *= x;
  return p;
}

/** f(w) = w^{N−1}(λ − w^N), (2.1). */
export function drift(w: number, lambda: number, depth: number): number {
  const p = ipow(w, depth - 1);
  return p * (lambda - p * w);
}

/** f′(w) = (N−1)λw^{N−2} − (2N−1)w^{2N−2}, (4.2); −1 for N = 1. */
export function driftSlope(w: number, lambda: number, depth: number): number {
  if (depth === 1) return -1;
  const p = ipow(w, depth - 2);
  return p * ((depth - 1) * lambda - (2 * depth - 1) * p * w * w);
}

/**
 * Adaptive Simpson quadrature; the integrands here are smooth on closed intervals. The tolerance
 * is absolute, or relative to the first estimate when that is larger (an absolute 1e-13 on an
 * integral of 1e4 asks for more digits than float64 has, and the recursion would run to the
 * bottom: 2²⁴ evaluations). A non-finite estimate returns at once.
 */
export function integrate(g: (s: number) => number, a: number, b: number, tolerance = 1e-13, relative = 1e-13): number {
  const simpson = (fa: number, fm: number, fb: number, h: number) => (h / 6) * (fa + 4 * fm + fb);
  const recurse = (a0: number, b0: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = (a0 + b0) / 2;
    const lm = (a0 + m) / 2;
    const rm = (m + b0) / 2;
    const flm = g(lm);
    const frm = g(rm);
    const left = simpson(fa, flm, fm, m - a0);
    const right = simpson(fm, frm, fb, b0 - m);
    if (depth <= 0 || !Number.isFinite(left + right) || Math.abs(left + right - whole) <= 15 * tol) return left + right + (left + right - whole) / 15;
    return recurse(a0, m, fa, flm, fm, left, tol / 2, depth - 1) + recurse(m, b0, fm, frm, fb, right, tol / 2, depth - 1);
  };
  if (a === b) return 0;
  const fa = g(a);
  const fb = g(b);
  const fm = g((a + b) / 2);
  const whole = simpson(fa, fm, fb, b - a);
  return recurse(a, b, fa, fm, fb, whole, Math.max(tolerance, relative * Math.abs(whole)), 24);
}

/**
 * Flow time τ(w) = ∫_α^w ds/f(s) for α < w < c = λ^{1/N}, λ > 0 (Proposition 3.1):
 * - N = 1: ln((λ − α)/(λ − w))                                          (3.1)
 * - N = 2: ln(x(λ − α²)/((λ − x)α²))/(2λ), x = w²                        (3.2)
 * - N ≥ 3: (1/λ)[(α^{2−N} − w^{2−N})/(N−2) + ∫_α^w s/(λ − s^N) ds]      (3.3)
 */
export function flowTimeTo(w: number, lambda: number, alpha: number, depth: number): number {
  if (w <= alpha) return 0;
  const N = depth;
  if (N === 1) return Math.log((lambda - alpha) / (lambda - w));
  if (N === 2) {
    const x = w * w;
    const a2 = alpha * alpha;
    return Math.log((x * (lambda - a2)) / ((lambda - x) * a2)) / (2 * lambda);
  }
  const singular = (1 / ipow(alpha, N - 2) - 1 / ipow(w, N - 2)) / (N - 2);
  return (singular + nearSingularIntegral(alpha, w, lambda, N)) / lambda;
}

/** Flow time for component λ to reach x = θλ from x = α^N (docs/theory.md §3); 0 if it starts there. */
export function flowTime(lambda: number, alpha: number, depth: number, theta: number): number {
  const target = theta * lambda;
  if (!(lambda > 0) || ipow(alpha, depth) >= target) return 0;
  return flowTimeTo(Math.pow(target, 1 / depth), lambda, alpha, depth);
}

/**
 * Leading-order time for small α (3.4), for display: 1/((N−2)λα^{N−2}) for N ≥ 3,
 * ln(λ/α²)/(2λ) for N = 2, ln(λ/α) for N = 1 (times to reach about half of λ).
 */
export function asymptoticTime(lambda: number, alpha: number, depth: number): number {
  if (depth >= 3) return 1 / ((depth - 2) * lambda * ipow(alpha, depth - 2));
  if (depth === 2) return Math.log(lambda / (alpha * alpha)) / (2 * lambda);
  return Math.log(lambda / alpha);
}

/**
 * ∫_a^b s/(λ − s^N) ds for 0 ≤ a < b < c = λ^{1/N} (3.5). With λ − s^N = (c − s)P(s),
 * P(s) = Σ_k c^{N−1−k} s^k, the integrand is A/(c − s) + R(s) with A = c^{2−N}/N and
 * R(s) = (g(s) − g(c))/(c − s), g(s) = s/P(s), smooth on [0, c]: the log part is exact and
 * R is integrated by adaptive Simpson, which converges fast however close b is to c.
 */
export function nearSingularIntegral(a: number, b: number, lambda: number, depth: number): number {
  const N = depth;
  const c = Math.pow(lambda, 1 / N);
  const P = (s: number) => {
    let sum = 0;
    let term = ipow(c, N - 1);
    for (let k = 0; k < N; k++) {
      sum += term;
      term *= s / c;
    }
    return sum;
  };
  const gc = c / P(c);
  const R = (s: number) => (c - s > 1e-9 * c ? (s / P(s) - gc) / (c - s) : gPrimeAt(c));
  // g′(c) by a central difference, only used within 1e-9·c of c.
  function gPrimeAt(x: number): number {
    const h = 1e-5 * c;
    return ((x + h) / P(x + h) - (x - h) / P(x - h)) / (2 * h);
  }
  return gc * Math.log((c - a) / (c - b)) + integrate(R, a, b, 1e-12 * Math.max(1, Math.abs(b - a)));
}

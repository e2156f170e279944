import { ipow } from './flowTime';
import { stepCountTable, type StepCountTable } from './stepCountBounds';

/** Relative slack on the enclosure for the float64 rounding of the recursion and of x = w^N. */
const ROUNDING = 1e-9;

/** The levels θ of (5.12′), from a halved rate to one within 10⁻⁶ of λ = 0's. */
const THETAS = [2, 10, 1e3, 1e6];

/**
 * The certified per-step enclosure lo(k) ≤ x(k) ≤ hi(k) of one spectral component (docs/theory.md
 * Theorem 5.9), with the direction in which it moves: both bounds are nondecreasing in k for a
 * growing component and nonincreasing for a decaying one, which is what lets a range over steps
 * [a, b] be read off its ends.
 */
export interface ComponentEnclosure {
  lambda: number;
  growing: boolean;
  /** Signed bounds on the product eigenvalue x(k) = w(k)^N at step k ≥ 0. */
  bounds(k: number): [number, number];
  /** Steps at which a bound changes (growing components; empty for the decaying ones). */
  changes: number[];
}

/** Largest s with table[s] ≤ k (−1 if none); the table is nondecreasing. */
function lastAtMost(table: Float64Array, k: number): number {
  let lo = -1;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table[mid] <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * (5.9) A growing component (λ > x(0)): x(k) ≥ b_s^N once k ≥ K⁺(b_s) and x(k) < b_s^N while
 * k < K⁻(b_s) (Proposition 4.4), and x increases monotonically from x(0) to λ (Theorem 4.1).
 */
function growingEnclosure(lambda: number, alpha: number, N: number, eta: number, horizon: number): ComponentEnclosure {
  const table: StepCountTable = stepCountTable(lambda, alpha, N, eta, undefined, horizon);
  const x0 = N === 1 ? alpha : ipow(alpha, N);
  const xs = Float64Array.from(table.boundaries, (b) => ipow(b, N));
  const changes = [...table.lower, ...table.upper].filter(Number.isFinite);
  return {
    lambda,
    growing: true,
    changes,
    bounds(k) {
      const s = lastAtMost(table.upper, k);
      const lo = s >= 0 ? xs[s] : x0;
      const t = lastAtMost(table.lower, k) + 1; // first boundary with K⁻ > k
      const hi = t < xs.length ? xs[t] : lambda;
      return [Math.max(lo, x0) * (1 - ROUNDING), Math.min(hi, lambda) * (1 + ROUNDING)];
    },
  };
}

/**
 * (5.10)–(5.12) A decaying component (λ ≤ x(0)): the map moves w down by η|f(w)| with |f|
 * nondecreasing on the range, so every step advances the time ∫ ds/h(s) of any nondecreasing
 * h ≤ |f| by at least η, and w(k) ≤ W_h(ηk), the solution of ẇ = −h(w) from α.
 */
function decayingEnclosure(lambda: number, alpha: number, N: number, eta: number): ComponentEnclosure {
  if (N === 1) {
    // Linear: x(k) = λ + (α − λ)(1 − η)^k exactly (5.13).
    return {
      lambda,
      growing: false,
      changes: [],
      bounds(k) {
        const x = lambda + (alpha - lambda) * Math.pow(1 - eta, k);
        const pad = ROUNDING * Math.max(Math.abs(x), Math.abs(alpha), Math.abs(lambda));
        return [x - pad, x + pad];
      },
    };
  }
  const x0 = ipow(alpha, N);
  let upperAt: (t: number) => number;
  // (5.10): h = s^{2N−1}: w^{−(2N−2)} = α^{−(2N−2)} + (2N − 2)t.
  const pure = (t: number) => Math.pow(Math.pow(alpha, -(2 * N - 2)) + (2 * N - 2) * t, -N / (2 * N - 2));
  if (lambda > 0) {
    // (5.12): |f(s)| ≥ N c^{2N−2}(s − c) on [c, α], so w − c ≤ (α − c)e^{−N c^{2N−2} t}.
    const c = Math.pow(lambda, 1 / N);
    const rate = N * ipow(c, 2 * N - 2);
    // (5.12′): while x ≥ θλ, |f| ≥ (1 − 1/θ)s^{2N−1}, so x ≤ max(θλ, (5.10) at (1 − 1/θ)t): a tiny
    // λ (a zero singular value that an SVD returns as 1e-17) decays like λ = 0.
    upperAt = (t) => {
      let x = ipow(c + (alpha - c) * Math.exp(-rate * t), N);
      for (const theta of THETAS) if (theta * lambda < x0) x = Math.min(x, Math.max(theta * lambda, pure((1 - 1 / theta) * t)));
      return x;
    };
  } else {
    const mu = -lambda;
    if (mu === 0) upperAt = pure;
    else if (N === 2) {
      // (5.11) N = 2: h = |f| = s(s² + μ) exactly: w²/(w² + μ) = α²/(α² + μ)·e^{−2μt}.
      const r0 = (alpha * alpha) / (alpha * alpha + mu);
      upperAt = (t) => {
        const r = r0 * Math.exp(-2 * mu * t);
        return Math.min(pure(t), (mu * r) / (1 - r));
      };
    } else {
      // (5.11) N ≥ 3: h = μs^{N−1}: w^{2−N} = α^{2−N} + (N − 2)μt.
      upperAt = (t) => Math.min(pure(t), Math.pow(Math.pow(alpha, 2 - N) + (N - 2) * mu * t, -N / (N - 2)));
    }
  }
  const floor = lambda > 0 ? lambda : 0;
  // (5.15) A lower bound: w_{k+1}/w_k ≥ ρ = 1 − ηα^{N−2}(α^N + μ), μ = max(0, −λ) (w ≤ α), and for a
  // nondecreasing h ≥ |f| each step advances ∫ ds/h by at most η h(w_k)/h(w_{k+1}) ≤ ηκ, so
  // w_k ≥ W_h(ηκk): h = s^{2N−1} (κ = ρ^{−(2N−1)}) for λ ≥ 0, h = |f| for N = 2 (κ = ρ^{−3}),
  // h = (α^N + μ)s^{N−1} for N ≥ 3 (κ = ρ^{−(N−1)}). Without it the λ ≤ 0 components sat at 0,
  // which for the entropy rank of many zero eigenvalues cost most of the certified range.
  const mu = Math.max(0, -lambda);
  const rho = 1 - eta * ipow(alpha, N - 2) * (x0 + mu);
  let lowerAt: (t: number) => number = () => 0;
  if (rho > 0) {
    if (lambda >= 0) {
      const kappa = Math.pow(rho, -(2 * N - 1));
      lowerAt = (t) => pure(kappa * t);
    } else if (N === 2) {
      const kappa = Math.pow(rho, -3);
      const r0 = (alpha * alpha) / (alpha * alpha + mu);
      lowerAt = (t) => {
        const r = r0 * Math.exp(-2 * mu * kappa * t);
        return (mu * r) / (1 - r);
      };
    } else {
      const kappa = Math.pow(rho, -(N - 1));
      lowerAt = (t) => Math.pow(Math.pow(alpha, 2 - N) + (N - 2) * (x0 + mu) * kappa * t, -N / (N - 2));
    }
  }
  return {
    lambda,
    growing: false,
    changes: [],
    bounds(k) {
      const hi = Math.min(x0, upperAt(eta * k)) * (1 + ROUNDING);
      const lo = Math.max(floor, Math.min(x0, lowerAt(eta * k))) * (1 - ROUNDING);
      return [Math.min(lo, hi), Math.max(hi, floor)];
    },
  };
}

/** The enclosure of the component with eigenvalue λ (identity init, under (4.1), (4.5), (4.6)), sharp up to step `horizon`. */
export function componentEnclosure(lambda: number, alpha: number, depth: number, stepSize: number, horizon = Infinity): ComponentEnclosure {
  const x0 = depth === 1 ? alpha : ipow(alpha, depth);
  return lambda > x0 ? growingEnclosure(lambda, alpha, depth, stepSize, horizon) : decayingEnclosure(lambda, alpha, depth, stepSize);
}

/**
 * Bounds on |x| valid at every step of [a, b] (5.14): a growing component lies in
 * [lo(a), hi(b)], a decaying one in [lo(b), hi(a)]; singular values are |x|.
 */
export function singularValueBoundsOver(enclosure: ComponentEnclosure, a: number, b: number): [number, number] {
  const [lo, hi] = enclosure.growing ? [enclosure.bounds(a)[0], enclosure.bounds(b)[1]] : [enclosure.bounds(b)[0], enclosure.bounds(a)[1]];
  if (lo >= 0) return [lo, hi];
  if (hi <= 0) return [-hi, -lo];
  return [0, Math.max(-lo, hi)];
}

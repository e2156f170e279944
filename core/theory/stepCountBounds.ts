import { drift, driftSlope, flowTimeTo, ipow, nearSingularIntegral } from './flowTime';

/** Certified bounds lower ≤ K(θ) ≤ upper on the first step at which x = w^N reaches θλ. */
export interface StepCountBounds {
  lower: number;
  upper: number;
}

/** Relative slack for the quadrature and float64 rounding of τ (both ≲ 1e-12 relative). */
const SLACK = 1e-9;
/** Relative float64 rounding of x = α^N and of θλ. */
const ROUNDING = 1e-12;

/**
 * Inflection point w* of f on [0, c], f′(w*) = 0: w*^N = (N−1)λ/(2N−1) (docs/theory.md (4.3)).
 * f increases before it and decreases after it. N = 1: f decreases everywhere, w* = 0.
 */
export function inflection(lambda: number, depth: number): number {
  return depth === 1 ? 0 : Math.pow(((depth - 1) * lambda) / (2 * depth - 1), 1 / depth);
}

/** Peak w_m of f′ on [0, ∞) (4.4): w_m^N = (N−2)λ/(2(2N−1)) for N ≥ 3, 0 for N ≤ 2. */
function slopePeak(lambda: number, depth: number): number {
  return depth <= 2 ? 0 : Math.pow(((depth - 2) * lambda) / (2 * (2 * depth - 1)), 1 / depth);
}

/**
 * M₊ = max f′ on [α, w*] (docs/theory.md (4.4)); f′ peaks at w_m, so the maximum on [α, w*] is at
 * max(α, w_m).
 */
export function maxDriftSlope(lambda: number, alpha: number, depth: number): number {
  if (depth === 1) return 0;
  return Math.max(0, driftSlope(Math.max(alpha, slopePeak(lambda, depth)), lambda, depth));
}

/**
 * φ(M) = ln(1 + ηM)/M (η at M = 0): a step of the map from w with f′ ≤ M on its span advances the
 * flow time by at least φ(M), and with f′ ≥ m by at most φ(m) (4.8). Infinite when 1 + ηM ≤ 0.
 */
export function advanceBound(slope: number, eta: number): number {
  if (!(1 + eta * slope > 0)) return Infinity;
  if (Math.abs(eta * slope) < 1e-8) return eta * (1 - (eta * slope) / 2);
  return Math.log1p(eta * slope) / slope;
}

/** Grid points per phase of the default segmentation of [α, c) (Proposition 4.4). */
const RISING_POINTS = 160;
const FALLING_POINTS = 96;
/** The grid ends at c(1 − 10⁻⁸): x/λ within about N·10⁻⁸ of 1. */
const LAST_GAP = 1e-8;

/**
 * The default boundaries α < b_1 < … < b_S < c of Proposition 4.4: geometric in w on [α, w*]
 * (where τ grows like a power of w) and geometric in c − w on [max(α, w*), c) (where τ grows like
 * −ln(c − w)), so that every segment is a few steps long.
 */
export function defaultBoundaries(lambda: number, alpha: number, depth: number): Float64Array {
  const c = Math.pow(lambda, 1 / depth);
  const wStar = inflection(lambda, depth);
  const out: number[] = [];
  if (alpha < wStar) {
    const la = Math.log(alpha);
    const lb = Math.log(wStar);
    for (let s = 1; s <= RISING_POINTS; s++) out.push(Math.exp(la + (s / RISING_POINTS) * (lb - la)));
  }
  const from = Math.max(alpha, wStar);
  const gap0 = c - from;
  const gap1 = LAST_GAP * c;
  if (gap0 > gap1) {
    const ratio = Math.log(gap1 / gap0);
    for (let s = 1; s <= FALLING_POINTS; s++) {
      const b = c - gap0 * Math.exp((s / FALLING_POINTS) * ratio);
      if (b > (out[out.length - 1] ?? alpha)) out.push(b);
    }
  }
  return Float64Array.from(out);
}

/** K⁻ and K⁺ at every boundary b_s: lower[s] ≤ (first k with w_k ≥ b_s) ≤ upper[s]. */
export interface StepCountTable {
  /** Boundaries b_s (ascending, in (α, c)). */
  boundaries: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Certified step counts at every boundary of a segmentation of [α, c) (docs/theory.md
 * Proposition 4.4). Steps whose span meets the segment [b_{s−1}, b_s) start in [p_s, b_s) and
 * end below q_s = g(b_s), g(w) = w + ηf(w) being nondecreasing (4.1); on [p_s, q_s] the slope f′
 * lies in [m_s, M_s] (f′ is unimodal, (4.4)), so such a step advances the flow time by a Δτ in
 * [φ(M_s), φ(m_s)] (4.8). With Ψ±(T) = ∫_0^T dt/ρ±(t), ρ₊ = φ(M_s), ρ₋ = φ(m_s) on segment s:
 * Ψ₋(τ(b)) ≤ K(b) ≤ ⌊Ψ₊(τ(b))⌋ + 1 (4.9). One pass over the segments gives all boundaries.
 */
export function stepCountTable(
  lambda: number,
  alpha: number,
  depth: number,
  stepSize: number,
  boundaries: Float64Array = defaultBoundaries(lambda, alpha, depth),
  /** Steps that matter: past a boundary with K⁻ > horizon the rest is filled conservatively. */
  horizon = Infinity,
): StepCountTable {
  const N = depth;
  const eta = stepSize;
  const S = boundaries.length;
  const lower = new Float64Array(S);
  const upper = new Float64Array(S);
  const c = Math.pow(lambda, 1 / N);
  const wm = slopePeak(lambda, N);
  const g = (w: number) => Math.min(c, w + eta * drift(w, lambda, N));
  let tau = 0;
  let psiMinus = 0;
  let psiPlus = 0;
  let previous = alpha;
  // p_s: the largest earlier boundary whose image under g stays below b_{s−1} (else α).
  let pIndex = -1;
  for (let s = 0; s < S; s++) {
    const b = boundaries[s];
    // Flow time of the segment [previous, b): the pieces are integrated separately (each is small).
    let dTau: number;
    if (N <= 2) dTau = flowTimeTo(b, lambda, alpha, N) - tau;
    else {
      const singular = (1 / ipow(previous, N - 2) - 1 / ipow(b, N - 2)) / (N - 2);
      dTau = (singular + nearSingularIntegral(previous, b, lambda, N)) / lambda;
    }
    if (!Number.isFinite(dTau)) {
      // Flow times beyond float64 (e.g. a subnormal α): nothing is certified from here on.
      lower.fill(lower[s - 1] ?? 0, s);
      upper.fill(Infinity, s);
      break;
    }
    while (pIndex + 1 < s && g(boundaries[pIndex + 1]) <= previous) pIndex++;
    const p = pIndex >= 0 ? boundaries[pIndex] : alpha;
    const q = Math.max(g(b), b);
    const M = N === 1 ? -1 : driftSlope(Math.min(Math.max(wm, p), q), lambda, N);
    const m = N === 1 ? -1 : Math.min(driftSlope(p, lambda, N), driftSlope(q, lambda, N));
    const fastest = advanceBound(m, eta);
    const slowest = advanceBound(M, eta);
    if (Number.isFinite(fastest)) psiMinus += dTau / fastest;
    psiPlus += dTau / slowest;
    tau += dTau;
    lower[s] = Math.max(0, Math.ceil(psiMinus * (1 - SLACK)));
    upper[s] = Number.isFinite(psiPlus) ? Math.floor(psiPlus * (1 + SLACK)) + 1 : Infinity;
    previous = b;
    if (lower[s] > horizon) {
      // K⁻ is nondecreasing in b, so lower[s] bounds every later K from below; K⁺ = ∞ is valid.
      lower.fill(lower[s], s + 1);
      upper.fill(Infinity, s + 1);
      break;
    }
  }
  return { boundaries, lower, upper };
}

/**
 * Certified two-sided bounds on K(θ) for gradient descent from w(0) = α, λ > 0, 0 < θ < 1,
 * under the step-size hypothesis (4.1) (docs/theory.md Proposition 4.4): the table of
 * `stepCountTable` over the default boundaries below u = (θλ)^{1/N}, with u as the last one.
 */
export function stepCountBounds(lambda: number, alpha: number, depth: number, stepSize: number, theta: number): StepCountBounds {
  const N = depth;
  if (!(lambda > 0)) return { lower: 0, upper: 0 };
  // Within float64 rounding of the threshold at the start, step 0 or 1 may be the first.
  const start = ipow(alpha, N);
  if (start >= theta * lambda * (1 + ROUNDING)) return { lower: 0, upper: 0 };
  if (start >= theta * lambda * (1 - ROUNDING)) return { lower: 0, upper: 1 };
  const u = Math.pow(theta * lambda, 1 / N);
  const grid = defaultBoundaries(lambda, alpha, N);
  let count = 0;
  while (count < grid.length && grid[count] < u) count++;
  const boundaries = new Float64Array(count + 1);
  boundaries.set(grid.subarray(0, count));
  boundaries[count] = u;
  const table = stepCountTable(lambda, alpha, N, stepSize, boundaries);
  return { lower: table.lower[count], upper: table.upper[count] };
}

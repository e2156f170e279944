import { drift, driftSlope, flowTimeTo, ipow } from './flowTime';

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

/**
 * M₊ = max f′ on [α, w*] (docs/theory.md (4.4)); f′ peaks at w_m^N = (N−2)λ/(2(2N−1)) for
 * N ≥ 3 and at 0 for N = 2, so the maximum on [α, w*] is at max(α, w_m).
 */
export function maxDriftSlope(lambda: number, alpha: number, depth: number): number {
  if (depth === 1) return 0;
  const wm = depth === 2 ? 0 : Math.pow(((depth - 2) * lambda) / (2 * (2 * depth - 1)), 1 / depth);
  return Math.max(0, driftSlope(Math.max(alpha, wm), lambda, depth));
}

/**
 * Certified two-sided bounds on K(θ) for gradient descent from w(0) = α, λ > 0, 0 < θ < 1,
 * under the step-size hypothesis (4.1) (Proposition 4.3). Each step advances the flow time
 * τ by Δτ ∈ [η/(1 + ηM₊), η] while f increases (before w*) and Δτ ∈ [η, η/(1 − ηM₋)] after
 * it, with M₋ = −f′(u_θ); counting how many steps can lie in each phase gives piecewise
 * linear bounds L(k) ≤ τ(w_k) ≤ U(k), and K(θ) = min{k : τ(w_k) ≥ τ_θ}.
 */
export function stepCountBounds(lambda: number, alpha: number, depth: number, stepSize: number, theta: number): StepCountBounds {
  const N = depth;
  const eta = stepSize;
  if (!(lambda > 0)) return { lower: 0, upper: 0 };
  // Within float64 rounding of the threshold at the start, step 0 or 1 may be the first.
  const start = ipow(alpha, N);
  if (start >= theta * lambda * (1 + ROUNDING)) return { lower: 0, upper: 0 };
  if (start >= theta * lambda * (1 - ROUNDING)) return { lower: 0, upper: 1 };
  const u = Math.pow(theta * lambda, 1 / N);
  const tauTheta = flowTimeTo(u, lambda, alpha, N);
  const wStar = inflection(lambda, N);
  const tauStar = alpha < wStar ? (u > wStar ? flowTimeToInflection(lambda, alpha, N, wStar) : flowTimeTo(u, lambda, alpha, N)) : 0;
  const mPlus = alpha < wStar ? maxDriftSlope(lambda, alpha, N) : 0;
  const mMinus = u > wStar ? Math.max(0, -driftSlope(u, lambda, N)) : 0;
  if (!(eta * mMinus < 1)) return { lower: 0, upper: Infinity };

  // Upper bound U(k) on τ(w_k), k < K: phase-1 steps advance at most η, later ones η/(1 − ηM₋);
  // at least pMin steps lie wholly before w* when u > w*.
  const slow = eta / (1 - eta * mMinus);
  const pMin = u > wStar ? Math.max(0, Math.floor(tauStar / eta - 1 / (1 - eta * mMinus)) + 1) : Infinity;
  const target = tauTheta * (1 - SLACK);
  let lower: number;
  if (pMin * eta >= target) lower = Math.ceil(target / eta);
  else lower = Math.ceil(pMin + (target - pMin * eta) / slow);

  // Upper bound on K: the steps with w_j < u, counted per segment of [α, u). A step starting in
  // a segment [a, b) of [α, w*) advances τ by at least η/(1 + ηM) with M the largest f′ it can
  // meet (4.4); one starting past w* by at least η. Finer segments use local slopes but add one
  // step each, so several partitions are tried and the smallest bound kept (all are valid).
  const goal = tauTheta * (1 + SLACK);
  let upper = Infinity;
  for (const segments of [1, 4, 16]) upper = Math.min(upper, segmentedUpperBound(lambda, alpha, N, eta, u, wStar, goal, tauStar, segments));
  return { lower: Math.max(0, lower), upper };
}

/** max f′ over [p, q] ⊂ [0, w*]: f′ rises to its peak w_m then falls, so clamp w_m into [p, q]. */
function maxSlopeOn(p: number, q: number, lambda: number, depth: number): number {
  const wm = depth <= 2 ? 0 : Math.pow(((depth - 2) * lambda) / (2 * (2 * depth - 1)), 1 / depth);
  return Math.max(0, driftSlope(Math.min(Math.max(wm, p), q), lambda, depth));
}

/**
 * Steps that can start in [α, w*) when u > w*: independent of θ, so computed once per
 * component and reused for every θ (predictPlateaus asks for dozens).
 */
const phaseOneCounts = new Map<string, number>();

/** Proposition 4.3, upper bound with `segments` geometric pieces of [α, min(w*, u)). */
function segmentedUpperBound(lambda: number, alpha: number, N: number, eta: number, u: number, wStar: number, goal: number, tauStar: number, segments: number): number {
  const end = Math.min(wStar, u);
  let count = 0;
  const key = u > wStar ? `${lambda}|${alpha}|${N}|${eta}|${segments}` : undefined;
  const cached = key === undefined ? undefined : phaseOneCounts.get(key);
  if (cached !== undefined) count = cached;
  else if (alpha < end) {
    let a = alpha;
    let tauA = 0;
    for (let s = 1; s <= segments; s++) {
      // Geometric in log space: end/α overflows for subnormal α.
      const b = s === segments ? end : Math.exp(Math.log(alpha) + (s / segments) * (Math.log(end) - Math.log(alpha)));
      const tauB = s === segments && end === u ? goal : flowTimeTo(b, lambda, alpha, N);
      // A step from [a, b) ends below b + ηf(b) (f increases here) and never past w* in slope terms.
      const reach = Math.min(b + eta * drift(b, lambda, N), wStar);
      const m = maxSlopeOn(a, Math.max(reach, a), lambda, N);
      count += Math.floor(((tauB - tauA) * (1 + eta * m)) / eta) + 1;
      a = b;
      tauA = tauB;
    }
    if (key !== undefined) {
      if (phaseOneCounts.size > 100_000) phaseOneCounts.clear();
      phaseOneCounts.set(key, count);
    }
  }
  if (u > wStar) count += Math.floor((goal - tauStar) / eta) + 1;
  return count;
}

const inflectionTimes = new Map<string, number>();

/** τ(w*), the same for every θ of a component: cached. */
function flowTimeToInflection(lambda: number, alpha: number, N: number, wStar: number): number {
  const key = `${lambda}|${alpha}|${N}`;
  let t = inflectionTimes.get(key);
  if (t === undefined) {
    t = flowTimeTo(wStar, lambda, alpha, N);
    if (inflectionTimes.size > 100_000) inflectionTimes.clear();
    inflectionTimes.set(key, t);
  }
  return t;
}

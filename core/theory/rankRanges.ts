import { NUMERICAL_RANK_TOLERANCE } from '../rank/effectiveRank';
import type { EffectiveRankMeasure } from '../spec/schema';

/**
 * A box of singular values in groups: group g holds `count[g]` singular values that are all equal
 * (equal eigenvalues follow the same recursion), each in [lo[g], hi[g]], 0 ≤ lo ≤ hi.
 */
export interface SingularValueBox {
  lo: Float64Array;
  hi: Float64Array;
  count: Float64Array;
}

export interface RankRange {
  lower: number;
  upper: number;
}

/** Outward rounding of a computed range (float64 sums of at most 10⁵ terms). */
const OUTWARD = 1e-12;

/**
 * Certified range of an effective-rank measure over a box (docs/theory.md Lemmas 5.3, 5.6, 5.7,
 * 5.8). Undefined when the box admits the zero matrix or, for the entropy rank, when a coordinate
 * of unknown monotonicity can reach 0.
 */
export function certifiedRankRange(measure: EffectiveRankMeasure, box: SingularValueBox): RankRange | undefined {
  switch (measure) {
    case 'entropy':
      return entropyRange(box);
    case 'nuclear':
      return ratioRange(box, 1);
    case 'stable':
      return ratioRange(box, 2);
    case 'numerical':
      return numericalRange(box);
  }
}

/** −Σ m p ln p, p = σ/Σmσ, at a point given per group. */
function entropyAt(sigma: Float64Array, count: Float64Array): number {
  let total = 0;
  for (let g = 0; g < sigma.length; g++) total += count[g] * sigma[g];
  let h = 0;
  for (let g = 0; g < sigma.length; g++) {
    const p = sigma[g] / total;
    if (p > 0) h -= count[g] * p * Math.log(p);
  }
  return h;
}

/**
 * Lemma 5.3 (entropy rank). ∂H/∂σ_g = m_g(ln(1/p_g) − H)/T (5.4): a group is increasing on the
 * whole box where p_g ≤ p_max < e^{−H_max}, decreasing where p_g ≥ p_min > e^{−H_min}. Those sit
 * at their favourable corner; the others at their midpoint, with the mean-value bound
 * Σ m_g G_g (hi_g − lo_g)/2 (5.5). Three passes, each from the range the previous one certified.
 */
function entropyRange({ lo, hi, count }: SingularValueBox): RankRange | undefined {
  const G = lo.length;
  let tMin = 0;
  let tMax = 0;
  let n = 0;
  for (let g = 0; g < G; g++) {
    tMin += count[g] * lo[g];
    tMax += count[g] * hi[g];
    n += count[g];
  }
  if (!(tMin > 0)) return undefined;
  let hMin = 0;
  let hMax = Math.log(n);
  const up = new Float64Array(G);
  const down = new Float64Array(G);
  for (let pass = 0; pass < 3; pass++) {
    let slack = 0;
    for (let g = 0; g < G; g++) {
      const m = count[g];
      const pMax = hi[g] / (m * hi[g] + (tMin - m * lo[g]));
      const pMin = lo[g] / (m * lo[g] + (tMax - m * hi[g]));
      if (pMax < Math.exp(-hMax)) [up[g], down[g]] = [hi[g], lo[g]];
      else if (pMin > Math.exp(-hMin)) [up[g], down[g]] = [lo[g], hi[g]];
      else {
        up[g] = down[g] = (lo[g] + hi[g]) / 2;
        const width = hi[g] - lo[g];
        if (width === 0) continue;
        if (!(pMin > 0)) return undefined;
        const a = Math.log(1 / pMin);
        const b = Math.log(1 / pMax);
        const gradient = (m * Math.max(Math.abs(a - hMin), Math.abs(a - hMax), Math.abs(b - hMin), Math.abs(b - hMax))) / tMin;
        slack += (gradient * width) / 2;
      }
    }
    hMax = Math.min(hMax, entropyAt(up, count) + slack + OUTWARD);
    hMin = Math.max(hMin, entropyAt(down, count) - slack - OUTWARD);
    if (!(hMin <= hMax)) return undefined;
  }
  return { lower: Math.exp(hMin) * (1 - OUTWARD), upper: Math.exp(hMax) * (1 + OUTWARD) };
}

/**
 * Lemmas 5.6–5.7: r_q = Σσ^q / max σ^q (q = 1: ‖W‖_* / ‖W‖₂, q = 2: ‖W‖_F²/‖W‖₂²). With M = max σ,
 * r_q ≤ Σ min(hi, M)^q/M^q, nonincreasing in M ≥ max lo; and r_q ≥ 1 + (Σ lo^q − max lo^q)/max hi^q.
 */
function ratioRange({ lo, hi, count }: SingularValueBox, q: 1 | 2): RankRange | undefined {
  let loMax = 0;
  let hiMax = 0;
  for (let g = 0; g < lo.length; g++) {
    loMax = Math.max(loMax, lo[g]);
    hiMax = Math.max(hiMax, hi[g]);
  }
  if (!(loMax > 0)) return undefined;
  const pow = (x: number) => (q === 1 ? x : x * x);
  let upper = 0;
  let lowerSum = 0;
  for (let g = 0; g < lo.length; g++) {
    upper += count[g] * pow(Math.min(hi[g], loMax) / loMax);
    lowerSum += count[g] * pow(lo[g] / hiMax);
  }
  const lower = 1 + lowerSum - pow(loMax / hiMax);
  return { lower: Math.max(1, lower) * (1 - OUTWARD), upper: upper * (1 + OUTWARD) };
}

/** Lemma 5.8: #{σ > τσ₁} ≥ #{lo > τ max hi} (and ≥ 1), ≤ #{hi > τ max lo}. */
function numericalRange({ lo, hi, count }: SingularValueBox, tolerance = NUMERICAL_RANK_TOLERANCE): RankRange | undefined {
  let loMax = 0;
  let hiMax = 0;
  for (let g = 0; g < lo.length; g++) {
    loMax = Math.max(loMax, lo[g]);
    hiMax = Math.max(hiMax, hi[g]);
  }
  if (!(loMax > 0)) return undefined;
  let lower = 0;
  let upper = 0;
  for (let g = 0; g < lo.length; g++) {
    if (lo[g] > tolerance * hiMax) lower += count[g];
    if (hi[g] > tolerance * loMax) upper += count[g];
  }
  return { lower: Math.max(1, lower), upper };
}

/**
 * The entropy range of the older interface (one coordinate per entry), kept for the property
 * that checks the final erank: every entry its own group.
 */
export function entropyRankRange(lo: Float64Array, hi: Float64Array, _top?: number): RankRange | undefined {
  return entropyRange({ lo, hi, count: new Float64Array(lo.length).fill(1) });
}

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

/** Unknown-sign groups up to this count get the exact minimum over their corners (Lemma 5.16). */
const MAX_ENUMERATED = 6;

/**
 * Lemma 5.16 (i): H(p) ≤ −Σ m_g p_g ln q_g for any q on the simplex (Gibbs), and the right side is a
 * ratio of linear functions of σ, (Σ m σ a)/(Σ m σ) with a_g = ln(1/q_g), whose maximum over a box
 * is at a threshold corner: the groups of largest a at hi, the others at lo. q comes from σ(t) =
 * clamp(t, lo, hi) at the fixed point t = T e^{−H} that a maximizer satisfies; any q is valid.
 */
function gibbsUpper(lo: Float64Array, hi: Float64Array, count: Float64Array, start: number): number {
  const G = lo.length;
  const sigma = new Float64Array(G);
  let t = start;
  for (let i = 0; i < 12; i++) {
    let total = 0;
    for (let g = 0; g < G; g++) total += count[g] * (sigma[g] = Math.min(hi[g], Math.max(lo[g], t)));
    t = total * Math.exp(-entropyAt(sigma, count));
  }
  let total = 0;
  for (let g = 0; g < G; g++) total += count[g] * sigma[g];
  const a = new Float64Array(G);
  const order: number[] = [];
  for (let g = 0; g < G; g++) {
    if (!(hi[g] > 0)) continue; // σ_g = 0 on the whole box: p_g ln q_g = 0
    const q = sigma[g] / total;
    if (!(q > 0)) return Infinity;
    a[g] = -Math.log(q);
    order.push(g);
  }
  order.sort((x, y) => a[y] - a[x]);
  // Threshold corners: the first j of the order at hi, the rest at lo.
  let num = 0;
  let den = 0;
  for (const g of order) {
    num += count[g] * lo[g] * a[g];
    den += count[g] * lo[g];
  }
  let best = den > 0 ? num / den : -Infinity;
  for (const g of order) {
    num += count[g] * (hi[g] - lo[g]) * a[g];
    den += count[g] * (hi[g] - lo[g]);
    if (den > 0) best = Math.max(best, num / den);
  }
  return best;
}

/**
 * Lemma 5.3 (entropy rank), sharpened by Lemma 5.16. ∂H/∂σ_g = m_g(ln(1/p_g) − H)/T (5.4): a
 * group is increasing on the whole box where p_g ≤ p_max < e^{−H_max}, decreasing where
 * p_g ≥ p_min > e^{−H_min}; those sit at their favourable corner. H(σ/Σσ) is quasi-concave, so its
 * minimum is at a corner: over the corners of the unknown-sign groups when they are few (ii),
 * else the mean-value bound Σ m_g G_g (hi_g − lo_g)/2 at their midpoints (5.5). The maximum is the
 * smaller of (5.5) and the Gibbs bound (i). Three passes, each from the range the previous one
 * certified.
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
  const corner = new Float64Array(G);
  for (let pass = 0; pass < 3; pass++) {
    let slack = 0;
    const unknown: number[] = [];
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
        unknown.push(g);
        if (!(pMin > 0)) {
          slack = Infinity;
          continue;
        }
        const a = Math.log(1 / pMin);
        const b = Math.log(1 / pMax);
        const gradient = (m * Math.max(Math.abs(a - hMin), Math.abs(a - hMax), Math.abs(b - hMin), Math.abs(b - hMax))) / tMin;
        slack += (gradient * width) / 2;
      }
    }
    let lower = entropyAt(down, count) - slack;
    if (unknown.length <= MAX_ENUMERATED) {
      corner.set(down);
      lower = Infinity;
      for (let mask = 0; mask < 1 << unknown.length; mask++) {
        unknown.forEach((g, i) => (corner[g] = mask & (1 << i) ? hi[g] : lo[g]));
        lower = Math.min(lower, entropyAt(corner, count));
      }
    }
    const upper = Math.min(entropyAt(up, count) + slack, gibbsUpper(lo, hi, count, ((tMin + tMax) / 2) * Math.exp(-(hMin + hMax) / 2)));
    if (Number.isFinite(upper)) hMax = Math.min(hMax, upper + OUTWARD);
    if (Number.isFinite(lower)) hMin = Math.max(hMin, lower - OUTWARD);
    if (!(hMin <= hMax)) return undefined;
  }
  return { lower: Math.exp(hMin) * (1 - OUTWARD), upper: Math.exp(hMax) * (1 + OUTWARD) };
}

/** The largest lower and the largest upper end of a box's singular values. */
function boxMaxima(lo: ArrayLike<number>, hi: ArrayLike<number>): { loMax: number; hiMax: number } {
  let loMax = 0;
  let hiMax = 0;
  for (let g = 0; g < lo.length; g++) {
    loMax = Math.max(loMax, lo[g]);
    hiMax = Math.max(hiMax, hi[g]);
  }
  return { loMax, hiMax };
}

/**
 * Lemmas 5.6–5.7: r_q = Σσ^q / max σ^q (q = 1: ‖W‖_* / ‖W‖₂, q = 2: ‖W‖_F²/‖W‖₂²). With M = max σ,
 * r_q ≤ Σ min(hi, M)^q/M^q, nonincreasing in M ≥ max lo; and r_q ≥ 1 + (Σ lo^q − max lo^q)/max hi^q.
 */
function ratioRange({ lo, hi, count }: SingularValueBox, q: 1 | 2): RankRange | undefined {
  const { loMax, hiMax } = boxMaxima(lo, hi);
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
  const { loMax, hiMax } = boxMaxima(lo, hi);
  if (!(loMax > 0)) return undefined;
  let lower = 0;
  let upper = 0;
  for (let g = 0; g < lo.length; g++) {
    if (lo[g] > tolerance * hiMax) lower += count[g];
    if (hi[g] > tolerance * loMax) upper += count[g];
  }
  return { lower: Math.max(1, lower), upper };
}


import { entropyRank } from '../rank/effectiveRank';

/**
 * Certified range of the entropy effective rank over a box of singular values
 * lo_i ≤ σ_i ≤ hi_i (docs/theory.md §5, Lemma 5.3). Indices < `top` are the "learned"
 * components (lo > 0, narrow boxes); the rest are small.
 *
 * With H(σ) = ln T − Σσ_i ln σ_i / T (T = Σσ), ∂H/∂σ_j = (ln(1/p_j) − H)/T (5.4), so H grows
 * with every small σ_j while p_j < e^{−H}: the extremes over the small coordinates sit at lo and
 * hi. Over the top coordinates the mean-value theorem bounds the change by Σ_j G_j (hi_j − lo_j)
 * with G_j a bound on |∂H/∂σ_j| over the box (5.5). Returns undefined when the monotonicity
 * condition fails (the box is too wide for this argument).
 */
export function entropyRankRange(lo: Float64Array, hi: Float64Array, top: number): { lower: number; upper: number } | undefined {
  const n = lo.length;
  let tMin = 0;
  let tMax = 0;
  for (let i = 0; i < n; i++) {
    tMin += lo[i];
    tMax += hi[i];
  }
  if (!(tMin > 0)) return undefined;
  // Crude entropy range first (needed to bound the gradient): H ≤ ln n, and H ≥ 0.
  const entropy = (sigma: Float64Array) => Math.log(Math.max(entropyRank(sigma), Number.MIN_VALUE));
  const withSmall = (small: Float64Array) => {
    const s = Float64Array.from(small);
    for (let i = 0; i < top; i++) s[i] = hi[i];
    return s;
  };
  const hHi = entropy(withSmall(hi));
  const hLo = entropy(withSmall(lo));

  // Gradient bound over the box for each top coordinate, using a provisional H range.
  const gradientBound = (hMinBox: number, hMaxBox: number) => {
    let change = 0;
    for (let j = 0; j < top; j++) {
      const pMin = lo[j] / tMax;
      const pMax = hi[j] / tMin;
      const a = Math.log(1 / pMin);
      const b = Math.log(1 / pMax);
      const g = Math.max(Math.abs(a - hMinBox), Math.abs(a - hMaxBox), Math.abs(b - hMinBox), Math.abs(b - hMaxBox)) / tMin;
      change += g * (hi[j] - lo[j]);
    }
    return change;
  };
  // A bound that needs no monotonicity (5.6): H = h(ρ) + (1 − ρ)H_top + ρH_small with ρ the
  // small components' share, H_top ≤ ln(top), H_small ≤ ln(n − top).
  let smallMax = 0;
  let topMin = 0;
  for (let j = 0; j < n; j++) {
    if (j < top) topMin += lo[j];
    else smallMax += hi[j];
  }
  const rho = smallMax / (topMin + smallMax);
  const binary = rho >= 0.5 ? Math.LN2 : rho > 0 ? -rho * Math.log(rho) - (1 - rho) * Math.log(1 - rho) : 0;
  const crudeMax = Math.min(Math.log(n), binary + Math.log(Math.max(top, 1)) + rho * Math.log(Math.max(n - top, 1)));
  // Monotonicity in the small coordinates over the whole box: p_j ≤ hi_j/T_min < e^{−H}.
  for (let j = top; j < n; j++) if (hi[j] / tMin >= Math.exp(-crudeMax)) return undefined;
  // Two passes: the gradient bound from the crude range, then from the range it implies.
  let hMin = 0;
  let hMax = crudeMax;
  for (let pass = 0; pass < 2; pass++) {
    const change = gradientBound(hMin, hMax);
    hMin = Math.max(hMin, hLo - change);
    hMax = Math.min(hMax, hHi + change);
  }
  return { lower: Math.exp(hMin), upper: Math.exp(hMax) };
}

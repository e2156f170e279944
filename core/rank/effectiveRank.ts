import type { EffectiveRankMeasure } from '../spec/schema';

// Measures of docs/theory.md §5, on descending singular values.

/** What each measure is called on plots, in the form and in reports. */
export const EFFECTIVE_RANK_LABELS: Record<EffectiveRankMeasure, string> = {
  entropy: 'entropy erank',
  stable: 'stable rank',
  nuclear: 'nuclear / operator',
  numerical: 'numerical rank',
};

/** Entropy effective rank (Roy & Vetterli 2007): exp(−Σ pᵢ ln pᵢ), pᵢ = σᵢ/Σσ; 0 for the zero matrix. */
export function entropyRank(sigma: ArrayLike<number>): number {
  // Every sum is taken over σᵢ/σ_max, so values near the ends of float64 neither overflow nor underflow.
  let top = 0;
  for (let i = 0; i < sigma.length; i++) top = Math.max(top, sigma[i]);
  if (!(top > 0) || !Number.isFinite(top)) return 0;
  let total = 0;
  for (let i = 0; i < sigma.length; i++) total += sigma[i] / top;
  let h = 0;
  for (let i = 0; i < sigma.length; i++) {
    const p = sigma[i] / top / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.exp(h);
}

/** Stable rank ‖W‖_F² / ‖W‖₂². */
export function stableRank(sigma: ArrayLike<number>): number {
  if (!(sigma.length > 0 && sigma[0] > 0)) return 0;
  let s = 0;
  for (let i = 0; i < sigma.length; i++) s += (sigma[i] / sigma[0]) ** 2;
  return s;
}

/** Nuclear over operator norm ‖W‖_* / ‖W‖₂. */
export function nuclearRank(sigma: ArrayLike<number>): number {
  if (!(sigma.length > 0 && sigma[0] > 0)) return 0;
  let s = 0;
  for (let i = 0; i < sigma.length; i++) s += sigma[i] / sigma[0];
  return s;
}

/** Relative threshold τ of the numerical rank #{σᵢ > τ σ₁}. */
export const NUMERICAL_RANK_TOLERANCE = 1e-3;

export function numericalRank(sigma: ArrayLike<number>, tolerance = NUMERICAL_RANK_TOLERANCE): number {
  if (!(sigma.length > 0 && sigma[0] > 0)) return 0;
  let r = 0;
  for (let i = 0; i < sigma.length; i++) if (sigma[i] > tolerance * sigma[0]) r++;
  return r;
}

export const effectiveRankOf: Record<EffectiveRankMeasure, (sigma: ArrayLike<number>) => number> = {
  entropy: entropyRank,
  stable: stableRank,
  nuclear: nuclearRank,
  numerical: (sigma) => numericalRank(sigma),
};

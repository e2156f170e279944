import type { DenseMatrix } from '../linalg/dense';
import { svd } from '../linalg/decompositions';
import { effectiveRankOf } from '../rank/effectiveRank';
import type { EffectiveRankMeasure } from '../spec/schema';
import type { Target } from '../targets/target';

/** At most this many best rank-L approximations are tracked (distances, plateaus). */
export const MAX_TRACKED_RANK = 32;

/**
 * The best rank-L approximations Ŵ_L = Σ_{l≤L} s_l u_l v_lᵀ, L = 1…Lmax (docs/theory.md §5):
 * for a symmetric Ŵ the L largest positive eigenvalues (gradient descent with N ≥ 2 learns the
 * positive part Ŵ₊), otherwise the top singular triplets. Lmax counts the values above 1e-12·s₁.
 */
export interface RankReferences {
  /** s_1 ≥ … ≥ s_Lmax > 0. */
  values: Float64Array;
  /** u_l as columns (n × Lmax); undefined until needed by the matrix path. */
  left(): DenseMatrix;
  right(): DenseMatrix;
  /** erank(Ŵ_L) of the spec's measure, L = 1…Lmax. */
  effectiveRanks: number[];
  /** Singular values of Ŵ itself, descending (for reference marks on plots). */
  targetSingularValues: Float64Array;
}

function leading(values: ArrayLike<number>): Float64Array {
  const top = values[0] ?? 0;
  const out: number[] = [];
  for (let i = 0; i < values.length && out.length < MAX_TRACKED_RANK; i++) if (values[i] > 1e-12 * top && values[i] > 0) out.push(values[i]);
  return Float64Array.from(out);
}

export function rankReferences(target: Target, measure: EffectiveRankMeasure): RankReferences {
  let values: Float64Array;
  let left: () => DenseMatrix;
  let right: () => DenseMatrix;
  let targetSingularValues: Float64Array;
  if (target.eigenvalues) {
    const eig = target.eigenvalues;
    values = leading(eig);
    left = right = () => target.eigenvectors();
    targetSingularValues = Float64Array.from(eig, Math.abs).sort().reverse();
  } else {
    const d = svd(target.matrix());
    values = leading(d.values);
    left = () => d.u;
    right = () => d.v;
    targetSingularValues = d.values;
  }
  const rank = effectiveRankOf[measure];
  const effectiveRanks = Array.from(values, (_, i) => rank(values.subarray(0, i + 1)));
  return { values, left, right, effectiveRanks, targetSingularValues };
}

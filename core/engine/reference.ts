import { zeros, type DenseMatrix } from '../linalg/dense';
import { svd } from '../linalg/decompositions';
import { effectiveRankOf } from '../rank/effectiveRank';
import type { EffectiveRankMeasure } from '../spec/schema';
import type { Target } from '../targets/target';

/** At most this many best rank-L approximations are tracked (distances, plateaus). */
export { MAX_TRACKED_RANK } from '../spec/schema';
import { MAX_TRACKED_RANK } from '../spec/schema';

/**
 * Ŵ = U diag(σ) Vᵀ, σ descending: what aligned initialization aligns the factors with
 * (docs/theory.md Theorem 2.2). A symmetric target gives it from its eigendecomposition
 * (σ = |λ|, v_i the eigenvector, u_i = sign(λ_i)·v_i; O(n) for σ, the vectors on first use);
 * any other square target from a float64 SVD.
 */
export interface SingularBasis {
  values: Float64Array;
  /** U, then V, columns in the order of `values`. */
  left: () => DenseMatrix;
  right: () => DenseMatrix;
}

const bases = new WeakMap<Target, SingularBasis>();

/** The SVD of the target, computed once per target and shared by the paths and the theory. */
export function singularBasis(target: Target): SingularBasis {
  let basis = bases.get(target);
  if (basis) return basis;
  const eig = target.eigenvalues;
  if (eig) {
    const order = Array.from(eig.keys()).sort((i, j) => Math.abs(eig[j]) - Math.abs(eig[i]) || i - j);
    const permuted = (signed: boolean) => () => {
      const v = target.eigenvectors();
      const n = v.rows;
      const out = zeros(n, n);
      order.forEach((src, dst) => {
        const sign = signed && eig[src] < 0 ? -1 : 1;
        for (let r = 0; r < n; r++) out.data[r * n + dst] = sign * v.data[r * n + src];
      });
      return out;
    };
    let left: DenseMatrix | undefined;
    let right: DenseMatrix | undefined;
    const makeLeft = permuted(true);
    const makeRight = permuted(false);
    basis = { values: Float64Array.from(order, (i) => Math.abs(eig[i])), left: () => (left ??= makeLeft()), right: () => (right ??= makeRight()) };
  } else {
    const d = svd(target.matrix());
    basis = { values: d.values, left: () => d.u, right: () => d.v };
  }
  bases.set(target, basis);
  return basis;
}

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
  /** u_l and v_l, l = 1…Lmax, each its own contiguous array (built on first use, then kept). */
  columns(): { u: Float64Array[]; v: Float64Array[] };
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

export function rankReferences(target: Target, measure: EffectiveRankMeasure, aligned = false): RankReferences {
  let values: Float64Array;
  let left: () => DenseMatrix;
  let right: () => DenseMatrix;
  let targetSingularValues: Float64Array;
  if (aligned) {
    // Aligned init learns every singular triplet, negative eigenvalues of a symmetric Ŵ included
    // (docs/theory.md Theorem 2.2): Ŵ_L is the truncated SVD.
    const basis = singularBasis(target);
    values = leading(basis.values);
    left = basis.left;
    right = basis.right;
    targetSingularValues = basis.values;
  } else if (target.eigenvalues) {
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
  const L = values.length;
  let columns: { u: Float64Array[]; v: Float64Array[] } | undefined;
  const column = (m: DenseMatrix, l: number) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + l]);
  return {
    values,
    left,
    right,
    columns: () => (columns ??= { u: Array.from({ length: L }, (_, l) => column(left(), l)), v: Array.from({ length: L }, (_, l) => column(right(), l)) }),
    effectiveRanks,
    targetSingularValues,
  };
}

/**
 * The distances ‖W − Ŵ_L‖_F, L = 1…Lmax, of a row-major n×n W (docs/theory.md §5):
 * ‖W − Ŵ_L‖² = ‖W‖² − 2 Σ_{l≤L} s_l u_lᵀ W v_l + Σ_{l≤L} s_l². One pass over W's rows, each row
 * against the contiguous v_l (reading v_l as a stride-n column of the n×n eigenvector matrix
 * missed the cache on every entry: 16 ms per logged step at n = 512, now ~1 ms).
 */
export function distancesToBestRank(
  w: Float64Array,
  n: number,
  references: RankReferences,
  /** Where W starts in `w` (a batch keeps its members' products in one array). */
  offset = 0,
  /** Arrays of references.values.length numbers to use instead of new ones (the result is `distances`). */
  scratch?: { distances: Float64Array; uwv: Float64Array },
): Float64Array {
  const s = references.values;
  const L = s.length;
  const distances = scratch?.distances ?? new Float64Array(L);
  if (L === 0) return distances;
  let normSquared = 0;
  for (let i = offset; i < offset + n * n; i++) normSquared += w[i] * w[i];
  const { u, v } = references.columns();
  const uwv = scratch?.uwv.fill(0) ?? new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const row = offset + i * n;
    for (let l = 0; l < L; l++) {
      const vl = v[l];
      let wv = 0;
      for (let j = 0; j < n; j++) wv += w[row + j] * vl[j];
      uwv[l] += u[l][i] * wv;
    }
  }
  let d = normSquared;
  for (let l = 0; l < L; l++) {
    d += s[l] * s[l] - 2 * s[l] * uwv[l];
    distances[l] = Math.sqrt(Math.max(d, 0));
  }
  return distances;
}

/** Ŵ_L = Σ_{l≤L} s_l u_l v_lᵀ as a row-major n×n array (the Lab's heatmap of the nearest Ŵ_L). */
export function bestRankApproximation(references: RankReferences, L: number, n: number): Float64Array {
  const { values } = references;
  const { u, v } = references.columns();
  const m = new Float64Array(n * n);
  for (let l = 0; l < Math.min(L, values.length); l++)
    for (let i = 0; i < n; i++) {
      const a = values[l] * u[l][i];
      if (a === 0) continue;
      const vl = v[l];
      for (let j = 0; j < n; j++) m[i * n + j] += a * vl[j];
    }
  return m;
}

/** The L whose erank(Ŵ_L) is nearest `effectiveRank` (1 when there is none): the approximation an iterate is "at". */
export function nearestRank(references: RankReferences, effectiveRank: number): number {
  let L = 1;
  let best = Infinity;
  references.effectiveRanks.forEach((r, i) => {
    const d = Math.abs(r - effectiveRank);
    if (d < best) {
      best = d;
      L = i + 1;
    }
  });
  return L;
}

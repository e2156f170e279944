import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestRankApproximation, distancesToBestRank, MAX_TRACKED_RANK, nearestRank, rankReferences, singularBasis, type RankReferences } from '../../../core/engine/reference';
import type { DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';
import { buildTarget } from '../../../core/targets/buildTarget';

// The float64 references of a run (docs/theory.md §5): the target's singular basis, the best
// rank-L approximations Ŵ_L, their effective ranks and the distances ‖W − Ŵ_L‖_F, checked
// against closed forms and against Ŵ_L built here from the eigenvectors.

const spectrum = (n: number, eigenvalues: number[], seed = 1) => buildTarget({ n, target: { kind: 'spectrum', eigenvalues, seed } });
const dense = (rows: number[][]) => buildTarget({ n: rows.length, target: { kind: 'matrix', data: rows } });

/** U diag(s) Vᵀ for the first L columns, row-major; written here, independent of the module. */
function outer(u: DenseMatrix, s: ArrayLike<number>, v: DenseMatrix, L: number): Float64Array {
  const n = u.rows;
  const out = new Float64Array(n * n);
  for (let l = 0; l < L; l++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += s[l] * u.data[i * u.cols + l] * v.data[j * v.cols + l];
  return out;
}

const frobeniusDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x, i) => s + (x - b[i]) ** 2, 0));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(0, ...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('singularBasis', () => {
  it('of a symmetric target: σ = |λ| descending, u_i = sign(λ_i)·v_i, U diag(σ) Vᵀ = Ŵ; computed once per target', () => {
    const target = spectrum(5, [3, 1, -2, 0.5]);
    const basis = singularBasis(target);
    expect(Array.from(basis.values)).toEqual([3, 2, 1, 0.5, 0]);
    expect(maxAbsDiff(outer(basis.left(), basis.values, basis.right(), 5), target.matrix().data)).toBeLessThan(1e-14);
    // The λ = −2 direction: u = −v.
    const [u, v] = [basis.left(), basis.right()];
    for (let i = 0; i < 5; i++) expect(u.data[i * 5 + 1]).toBe(-v.data[i * 5 + 1]);
    for (let i = 0; i < 5; i++) expect(u.data[i * 5]).toBe(v.data[i * 5]);
    expect(singularBasis(target)).toBe(basis);
  });

  it('of a non-symmetric target: the SVD, U diag(σ) Vᵀ = Ŵ', () => {
    const target = dense([[1, 2, 0], [0, 1, 0], [3, 0, 1]]);
    const basis = singularBasis(target);
    expect(Array.from(basis.values).every((s, i, all) => i === 0 || all[i - 1] >= s)).toBe(true);
    expect(maxAbsDiff(outer(basis.left(), basis.values, basis.right(), 3), target.matrix().data)).toBeLessThan(1e-14);
  });
});

describe('rankReferences', () => {
  it('for a symmetric target tracks the positive eigenvalues; aligned init tracks every |λ|', () => {
    const target = spectrum(6, [3, 1, -2]);
    const plain = rankReferences(target, 'stable');
    expect(Array.from(plain.values)).toEqual([3, 1]);
    expect(Array.from(plain.targetSingularValues)).toEqual([3, 2, 1, 0, 0, 0]);
    const aligned = rankReferences(target, 'stable', true);
    expect(Array.from(aligned.values)).toEqual([3, 2, 1]);
    expect(Array.from(aligned.targetSingularValues)).toEqual([3, 2, 1, 0, 0, 0]);
  });

  it('gives erank(Ŵ_L) of the measure: the stable rank Σ_{l≤L} s_l² / s_1²', () => {
    const refs = rankReferences(spectrum(6, [4, 2, 1]), 'stable');
    expect(refs.effectiveRanks).toHaveLength(3);
    [1, 1 + 4 / 16, 1 + 4 / 16 + 1 / 16].forEach((r, i) => expect(refs.effectiveRanks[i]).toBeCloseTo(r, 14));
  });

  it('drops values below 1e-12·s₁ and keeps at most MAX_TRACKED_RANK', () => {
    expect(Array.from(rankReferences(spectrum(4, [1, 1e-13, 0.5]), 'stable').values)).toEqual([1, 0.5]);
    const many = Array.from({ length: MAX_TRACKED_RANK + 8 }, (_, i) => MAX_TRACKED_RANK + 8 - i);
    const refs = rankReferences(spectrum(many.length, many), 'stable');
    expect(refs.values).toHaveLength(MAX_TRACKED_RANK);
    expect(refs.values[MAX_TRACKED_RANK - 1]).toBe(9);
  });

  it('for a non-symmetric target uses the SVD’s values and vectors', () => {
    const target = dense([[0, 2], [1, 0]]);
    const refs = rankReferences(target, 'stable');
    expect(Array.from(refs.values)).toEqual([2, 1]);
    expect(Array.from(refs.targetSingularValues)).toEqual([2, 1]);
    // Ŵ_1 = 2·e₁e₂ᵀ: the top triplet only.
    expect(maxAbsDiff(bestRankApproximation(refs, 1, 2), [0, 2, 0, 0])).toBeLessThan(1e-15);
  });
});

describe('distancesToBestRank', () => {
  const eigenvalues = [5, 3, 2, 1];
  const target = spectrum(6, eigenvalues, 3);
  const refs = rankReferences(target, 'stable');
  const v = target.eigenvectors();

  it('at W = Ŵ (positive semidefinite) is the tail √(Σ_{l>L} s_l²), zero at L = Lmax', () => {
    const d = distancesToBestRank(target.matrix().data, 6, refs);
    const tails = eigenvalues.map((_, L) => Math.sqrt(eigenvalues.slice(L + 1).reduce((s, x) => s + x * x, 0)));
    // d² = ‖W‖² − 2Σ s_l u_lᵀWv_l + Σ s_l² cancels down to the tail: its absolute error is a few
    // n·u·‖W‖² (u = 2⁻⁵³), so near zero d itself is only good to √(10·n·u)·‖W‖_F (5e-7 here).
    const norm = Math.sqrt(eigenvalues.reduce((s, x) => s + x * x, 0));
    expect(maxAbsDiff(d, tails)).toBeLessThan(Math.sqrt(10 * 6 * 2 ** -53) * norm);
    // Away from zero the error is relative: the L = 1 distance √(9 + 4 + 1) to 1e-14.
    expect(d[0]).toBeCloseTo(Math.sqrt(14), 14);
  });

  it('equals ‖W − Ŵ_L‖_F with Ŵ_L built from the eigenvectors, for random W', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = createRng(seed);
        const w = Float64Array.from({ length: 36 }, () => 3 * rng.gaussian());
        const d = distancesToBestRank(w, 6, refs);
        eigenvalues.forEach((_, L) => expect(Math.abs(d[L] - frobeniusDistance(w, outer(v, eigenvalues, v, L + 1)))).toBeLessThan(1e-12));
      }),
      { seed: 21, numRuns: 30 },
    );
  });

  it('is empty when nothing is tracked (a zero target)', () => {
    expect(distancesToBestRank(new Float64Array(9), 3, rankReferences(spectrum(3, [0]), 'stable'))).toHaveLength(0);
  });
});

describe('bestRankApproximation', () => {
  it('is Σ_{l≤L} s_l u_l v_lᵀ, and Ŵ₊ (here Ŵ) from L = Lmax on', () => {
    const target = spectrum(5, [4, 2, 1], 2);
    const refs = rankReferences(target, 'stable');
    const v = target.eigenvectors();
    expect(maxAbsDiff(bestRankApproximation(refs, 1, 5), outer(v, [4], v, 1))).toBeLessThan(1e-15);
    expect(maxAbsDiff(bestRankApproximation(refs, 2, 5), outer(v, [4, 2], v, 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(bestRankApproximation(refs, 3, 5), target.matrix().data)).toBeLessThan(1e-14);
    expect(bestRankApproximation(refs, 10, 5)).toEqual(bestRankApproximation(refs, 3, 5));
  });
});

describe('nearestRank', () => {
  const refs = { effectiveRanks: [1, 1.8, 2.9] } as RankReferences;

  it('is the L whose erank(Ŵ_L) is nearest, the smaller L on a tie, and 1 with nothing tracked', () => {
    expect(nearestRank(refs, 0.2)).toBe(1);
    expect(nearestRank(refs, 1.5)).toBe(2);
    expect(nearestRank(refs, 2.4)).toBe(3);
    expect(nearestRank(refs, 1.4)).toBe(1); // |1.4 − 1| = |1.4 − 1.8|: the first wins
    expect(nearestRank(refs, 10)).toBe(3);
    expect(nearestRank({ effectiveRanks: [] as number[] } as RankReferences, 2)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { nuclearNormComplete, shrinkSingularValues } from '../../../core/baselines/svt';
import { singularValues } from '../../../core/linalg/decompositions';
import { multiply, transpose, zeros, type DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';

function lowRank(n: number, r: number, seed: number): DenseMatrix {
  const rng = createRng(seed);
  const u = zeros(n, r);
  const v = zeros(n, r);
  for (let i = 0; i < u.data.length; i++) u.data[i] = rng.gaussian();
  for (let i = 0; i < v.data.length; i++) v.data[i] = rng.gaussian();
  return multiply(u, transpose(v));
}
const maskOf = (n: number, p: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * n }, () => (rng.uniform() < p ? 1 : 0));
};
const relativeError = (a: DenseMatrix, b: DenseMatrix) => {
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.data.length; i++) {
    e += (a.data[i] - b.data[i]) ** 2;
    s += b.data[i] ** 2;
  }
  return Math.sqrt(e / s);
};

describe('singular value thresholding', () => {
  it('D_τ lowers every singular value by τ and drops those below', () => {
    const m = lowRank(8, 3, 1);
    const s = singularValues(m);
    const tau = (s[1] + s[2]) / 2;
    const { matrix, values } = shrinkSingularValues(m, tau);
    const after = singularValues(matrix);
    expect(after[0]).toBeCloseTo(s[0] - tau, 9);
    expect(after[1]).toBeCloseTo(s[1] - tau, 9);
    expect(after[2]).toBeLessThan(1e-9);
    expect(values.filter((x) => x > 0).length).toBe(2);
  });

  it('the minimum-nuclear-norm completion recovers a rank-2 matrix from half its entries', () => {
    const m = lowRank(20, 2, 2);
    const mask = maskOf(20, 0.5, 3);
    const apg = nuclearNormComplete(m, mask);
    expect(relativeError(apg.matrix, m)).toBeLessThan(1e-3);
    expect(apg.converged).toBe(true);
  });

  it('fits the observed entries and is no larger in nuclear norm than the truth when recovery fails', () => {
    const m = lowRank(20, 4, 4);
    const mask = maskOf(20, 0.2, 5); // 80 entries for 144 degrees of freedom: not recoverable
    const x = nuclearNormComplete(m, mask);
    expect(x.residual).toBeLessThan(1e-2);
    const nuclear = (a: DenseMatrix) => singularValues(a).reduce((p, q) => p + q, 0);
    expect(nuclear(x.matrix)).toBeLessThanOrEqual(nuclear(m) * (1 + 1e-3));
    expect(relativeError(x.matrix, m)).toBeGreaterThan(0.05);
  });
});

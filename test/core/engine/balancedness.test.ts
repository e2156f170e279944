import { describe, expect, it } from 'vitest';
import { balancedness } from '../../../core/engine/balancedness';

// ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F for j = 1…N−1 (docs/theory.md §1), on hand-computed 2×2 factors.
describe('balancedness', () => {
  it('is zero for αI factors and for R_j diag(d) R_{j−1}ᵀ (Theorem 2.2)', () => {
    const alphaI = [0.3, 0, 0, 0.3];
    expect(Array.from(balancedness([alphaI, alphaI, alphaI], 2))).toEqual([0, 0]);
    // W_1 = R·diag(2, 1), W_2 = diag(2, 1)·Rᵀ with R a rotation: W_2ᵀW_2 = R diag(4, 1) Rᵀ = W_1W_1ᵀ.
    const [c, s] = [Math.cos(0.4), Math.sin(0.4)];
    const w1 = [2 * c, -s, 2 * s, c];
    const w2 = [2 * c, 2 * s, -s, c];
    expect(balancedness([w1, w2], 2)[0]).toBeCloseTo(0, 14);
  });

  it('matches the Frobenius norm computed by hand', () => {
    // W_1 = [[1, 2], [0, 1]]: W_1W_1ᵀ = [[5, 2], [2, 1]]. W_2 = I: W_2ᵀW_2 = I. Difference [[−4, −2], [−2, 0]].
    expect(balancedness([[1, 2, 0, 1], [1, 0, 0, 1]], 2)[0]).toBeCloseTo(Math.sqrt(16 + 4 + 4), 14);
    expect(balancedness([[1, 0, 0, 1]], 2)).toHaveLength(0);
  });
});

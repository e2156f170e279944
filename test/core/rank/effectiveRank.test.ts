import { describe, expect, it } from 'vitest';
import { entropyRank, nuclearRank, numericalRank, stableRank } from '../../../core/rank/effectiveRank';

describe('effective ranks', () => {
  it('entropy rank is k for k equal singular values and 0 for the zero matrix', () => {
    expect(entropyRank([2, 2, 2, 0, 0])).toBeCloseTo(3, 12);
    expect(entropyRank([0, 0])).toBe(0);
    expect(entropyRank([5])).toBe(1);
  });

  it('entropy rank matches exp(−Σ p ln p) on an uneven spectrum', () => {
    const s = [10, 6, 3, 1.5];
    const total = s.reduce((a, b) => a + b);
    const h = -s.reduce((acc, x) => acc + (x / total) * Math.log(x / total), 0);
    expect(entropyRank(s)).toBeCloseTo(Math.exp(h), 14);
  });

  it('stable, nuclear and numerical ranks', () => {
    expect(stableRank([2, 1])).toBeCloseTo(5 / 4, 14);
    expect(nuclearRank([2, 1, 1])).toBe(2);
    expect(numericalRank([1, 1e-2, 1e-4])).toBe(2);
    expect(numericalRank([1, 1e-2, 1e-4], 0.1)).toBe(1);
  });
});

describe('effective ranks at the ends of float64 (found by the engine fuzzer)', () => {
  it('scale before squaring or summing: no NaN for tiny or huge singular values', () => {
    for (const scale of [1e-170, 1e-300, 1e160, 1e300]) {
      const sigma = [3 * scale, 2 * scale, scale];
      expect(stableRank(sigma)).toBeCloseTo(14 / 9, 12);
      expect(nuclearRank(sigma)).toBeCloseTo(2, 12);
      expect(entropyRank(sigma)).toBeCloseTo(entropyRank([3, 2, 1]), 12);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { spreadLabels } from '../../../core/figures/linePanel';

describe('labels in a margin', () => {
  it('keeps the order, a gap between neighbours and the bounds', () => {
    const ys = spreadLabels([100, 101, 150, 99.5], 11, 20, 200);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(11 - 1e-9);
    expect(ys[3]).toBeLessThan(ys[0]);
    expect(ys[0]).toBeLessThan(ys[1]);
    const crowded = spreadLabels([195, 196, 197], 11, 20, 200);
    expect(Math.max(...crowded)).toBeLessThanOrEqual(200);
  });
});

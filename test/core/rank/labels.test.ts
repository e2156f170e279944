import { describe, expect, it } from 'vitest';
import { measureName, measureOf, measureSymbol } from '../../../core/rank/labels';
import { effectiveRankMeasures } from '../../../core/spec/schema';

// Every table column and plot axis names the measure it shows (docs/theory.md Definition 5.1).
describe('measure labels', () => {
  it('give each measure its own name and symbol', () => {
    expect(measureName('nuclear')).toBe('nuclear rank ‖W‖*/‖W‖₂');
    expect(measureSymbol('entropy')).toBe('erank');
    expect(measureOf('stable')).toBe('rF(Ŵ_L)');
    expect(measureOf('numerical', 'W(k)')).toBe('rank_τ(W(k))');
    expect(new Set(effectiveRankMeasures.map(measureName)).size).toBe(effectiveRankMeasures.length);
    expect(new Set(effectiveRankMeasures.map(measureSymbol)).size).toBe(effectiveRankMeasures.length);
  });
});

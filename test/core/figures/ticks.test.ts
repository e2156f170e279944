import { describe, expect, it } from 'vitest';
import { formatNumber, linearTickLabels, logTickLabels, logTicks, stepTickLabels } from '../../../core/figures/ticks';

// d3-format ticks and numbers: one style per axis, no float noise, a true minus.

describe('ticks and numbers (d3-format)', () => {
  it('formats numbers without float noise, one style per magnitude, with a true minus', () => {
    expect(formatNumber(0.07155000001)).toBe('0.0716');
    expect(formatNumber(4000)).toBe('4000');
    expect(formatNumber(1e-4)).toBe('10⁻⁴');
    expect(formatNumber(2.5e-7)).toBe('2.5·10⁻⁷');
    expect(formatNumber(-0.5)).toBe('−0.5');
    expect(formatNumber(7.8123e-6)).toBe('7.81·10⁻⁶');
    expect(formatNumber(250000)).toBe('250,000');
  });

  it('labels a log axis in one style: all decades as 10ⁿ, or all plain, never 0.001 beside 1e-4', () => {
    const wide = logTicks(1e-4, 10);
    expect(logTickLabels(wide)).toEqual(['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']);
    expect(logTickLabels([1, 2, 5, 10, 20])).toEqual(['1', '2', '5', '10', '20']);
    const small = logTickLabels([1e-4, 2e-4, 5e-4, 1e-3]);
    expect(small).toEqual(['10⁻⁴', '2·10⁻⁴', '5·10⁻⁴', '10⁻³']);
    expect(logTickLabels([0.3, 1, 3])).toEqual(['', '1', '']);
  });

  it('labels a linear axis with one precision, from its step', () => {
    expect(linearTickLabels([0, 0.25, 0.5, 0.75])).toEqual(['0.00', '0.25', '0.50', '0.75']);
    expect(linearTickLabels([0, 1000, 2000])).toEqual(['0', '1000', '2000']);
    expect(linearTickLabels([-1, 0, 1])).toEqual(['−1', '0', '1']);
    expect(stepTickLabels([0, 10000, 20000])).toEqual(['0', '10,000', '20,000']);
  });
});

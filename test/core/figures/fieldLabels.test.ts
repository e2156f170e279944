import { describe, expect, it } from 'vitest';
import { fieldLabel, fieldValue } from '../../../core/figures/fieldLabels';

describe('the one table of field names', () => {
  it('names spec fields and sweep columns mathematically, and unknown ones as themselves', () => {
    expect(fieldLabel('depth')).toEqual({ symbol: 'N', name: 'depth N' });
    expect(fieldLabel('init.alpha').symbol).toBe('α');
    expect(fieldLabel('stepSize').symbol).toBe('η');
    expect(fieldValue('init.alpha', '0.1')).toBe('α = 0.1');
    expect(fieldLabel('measured.L1.length').name).toBe('measured ε-plateau length at L = 1 (steps)');
    expect(fieldLabel('stepsTo.i2.theta0.5').name).toBe('first step with σ₂(W(k)) ≥ 0.5·σ₂(Ŵ)');
    expect(fieldLabel('somethingNew')).toEqual({ symbol: 'somethingNew', name: 'somethingNew' });
  });
});

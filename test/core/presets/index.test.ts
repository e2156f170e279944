import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors';
import { findPreset, listPresets } from '../../../core/presets';

// The shipped presets: each parsed like a user's spec, found by name, a wrong name answered with the list.

describe('presets', () => {
  it('lists every shipped preset with its claim and specs, each a valid parsed spec', () => {
    const presets = listPresets();
    expect(presets.map((p) => p.name)).toContain('paper-identity-depths');
    expect(new Set(presets.map((p) => p.name)).size).toBe(presets.length);
    for (const p of presets) {
      expect(p.specs.length, p.name).toBeGreaterThan(0);
      expect(p.claim.length, p.name).toBeGreaterThan(0);
      // Parsed: defaults are filled in.
      for (const spec of p.specs) expect(spec.effectiveRank, p.name).toEqual(expect.any(String));
    }
  });

  it('finds a preset by name and names the available ones when it does not exist', () => {
    expect(findPreset('flow-time-alpha').name).toBe('flow-time-alpha');
    expect(() => findPreset('nope')).toThrow(InputError);
    expect(() => findPreset('nope')).toThrow(/unknown preset "nope" \(available: paper-identity-depths, /);
  });
});

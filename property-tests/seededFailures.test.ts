import { describe, expect, it } from 'vitest';
import { stepCountBounds } from '../core/theory/stepCountBounds';
import { predictPlateaus } from '../core/theory/predictPlateaus';
import { componentEnclosure } from '../core/theory/enclosure';
import { enclosuresHold, plateausHold, stepCountsWithinBounds } from './properties/theorems';
import { coreTheory, PropertyFailure, type Theory } from './properties/types';
import { runProperty } from './runner';

// Deliberately wrong theories: the harness must catch them and shrink the failing case.
const tooEagerBounds: Theory = {
  ...coreTheory,
  stepCountBounds: (...args) => {
    const b = stepCountBounds(...args);
    return { lower: b.lower, upper: Math.floor(0.9 * b.upper) };
  },
};
const tooLongIntervals: Theory = {
  ...coreTheory,
  predictPlateaus: (...args) => predictPlateaus(...args).map((p) => ({ ...p, start: Math.max(0, p.start - Math.ceil(0.3 * (p.end - p.start + 1))) })),
};

// Enclosures 2 % too narrow at the top: the lower bound of growing components raised towards hi.
const tooNarrowEnclosures: Theory = {
  ...coreTheory,
  componentEnclosure: (...args) => {
    const e = componentEnclosure(...args);
    const bounds = (k: number): [number, number] => {
      const [lo, hi] = e.bounds(k);
      return [Math.max(lo, hi * 0.98), hi];
    };
    return { ...e, bounds };
  },
};

describe('seeded failures are caught and shrunk', () => {
  it.each([
    ['step-count upper bounds 10% too small', stepCountsWithinBounds, tooEagerBounds],
    ['predicted intervals started 30% early', plateausHold, tooLongIntervals],
    ['per-step enclosures 2% too narrow', enclosuresHold, tooNarrowEnclosures],
  ])('%s', async (_, property, theory) => {
    const report = await runProperty(property, { runs: 60, seed: 11, maxN: 60, theory });
    expect(report.failed).toBe(1);
    const counterexample = report.counterexample!;
    expect(counterexample.shrinks).toBeGreaterThan(0);
    // The shrunk case still fails with the wrong theory, and passes with the real one.
    expect(() => property.check(counterexample.spec, { theory, record: () => {} })).toThrow(PropertyFailure);
    expect(() => property.check(counterexample.spec, { theory: coreTheory, record: () => {} })).not.toThrow();
  });
});

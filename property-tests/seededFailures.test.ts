import { describe, expect, it } from 'vitest';
import { stepCountBounds } from '../core/theory/stepBounds';
import { predictPlateaus } from '../core/theory/predictPlateaus';
import { plateausHold, stepCountsWithinBounds } from './properties/theorems';
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

describe('seeded failures are caught and shrunk', () => {
  it.each([
    ['step-count upper bounds 10% too small', stepCountsWithinBounds, tooEagerBounds],
    ['predicted intervals started 30% early', plateausHold, tooLongIntervals],
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

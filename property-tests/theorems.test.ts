import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../node/platform';
import { theorems } from './properties/theorems';
import { formatReport, runProperty } from './runner';

/** CI settings: a fixed seed and run counts that keep the whole suite within a few minutes. */
const SEED = 20261123;
const RUNS: Record<string, number> = { 'spectral-equals-full-gd': 25, 'aligned-equals-full-gd': 15, 'matrix-path-float32': 12, 'aligned-matrix-path': 10, 'plateau-rank': 100 };

beforeAll(() => useNodeBackend('wasm'));

describe('docs/theory.md §6 theorems (fast-check, fixed seed)', () => {
  it.each(theorems.map((p) => [p.name, p] as const))('%s', async (_, property) => {
    const report = await runProperty(property, { runs: RUNS[property.name] ?? 60, seed: SEED, maxN: 120 });
    console.log(formatReport(report));
    expect(report.counterexample?.message).toBeUndefined();
    expect(report.failed).toBe(0);
    // Generated cases must mostly meet the hypotheses, or the property checked little.
    expect(report.passed).toBeGreaterThan(report.hypothesisNotMet);
    if (property.name === 'plateau-rank') {
      // Predicted intervals cover at least half of the measured plateaus' length.
      const predicted = report.statistics.predictedSteps;
      const measured = report.statistics.measuredSteps;
      expect(predicted.count).toBeGreaterThan(20);
      expect(predicted.sum / measured.sum).toBeGreaterThanOrEqual(0.5);
    }
  });
});

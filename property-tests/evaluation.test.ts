import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../core/presets';
import type { EffectiveRankMeasure } from '../core/spec/schema';
import { theorySpec } from './arbitraries/theorySpec';
import { evaluatePredictions, type Evaluation } from './evaluation';

// Acceptance of the certified predictions against the exact every-step recursion, on specs that
// no other test generates (a seed used nowhere else). `npx vitest run property-tests/evaluation.test.ts`
// prints the figures quoted in README.
const UNSEEN_SEED = 140_014;
const UNSEEN_CASES = 64;
const MIN_RUN = 20;

interface Summary {
  violations: string[];
  longRuns: number;
  predicted: number;
  tightness: number[];
}

function summarize(evaluations: Evaluation[]): Summary {
  const s: Summary = { violations: [], longRuns: 0, predicted: 0, tightness: [] };
  for (const e of evaluations) {
    s.violations.push(...e.violations.map((v) => `${JSON.stringify(e.spec)}: ${v}`));
    for (const run of e.runs) {
      if (run.end - run.start + 1 < MIN_RUN) continue;
      s.longRuns++;
      if (run.predicted) s.predicted++;
      s.tightness.push(run.tightness ?? 0);
    }
  }
  return s;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

describe('certified predictions against the every-step recursion', () => {
  it('on unseen identity-init symmetric specs: no violation, ≥ 95 % of the ε-runs of ≥ 20 steps predicted, mean tightness ≥ 0.9 (entropy ≥ 0.85)', () => {
    const specs = fc.sample(theorySpec({ minN: 2, maxN: 60, minDepth: 2, maxDepth: 5, breakProbability: 0 }), { seed: UNSEEN_SEED, numRuns: UNSEEN_CASES });
    const evaluations = specs.map(evaluatePredictions);
    const byMeasure = new Map<EffectiveRankMeasure, Evaluation[]>();
    for (const e of evaluations) byMeasure.set(e.spec.effectiveRank, [...(byMeasure.get(e.spec.effectiveRank) ?? []), e]);
    for (const [measure, list] of byMeasure) {
      const s = summarize(list);
      if (measure === 'entropy') expect(mean(s.tightness)).toBeGreaterThanOrEqual(0.85);
      console.log(`${measure.padEnd(9)} specs ${String(list.length).padStart(3)}  ε-runs ≥ ${MIN_RUN} steps ${String(s.longRuns).padStart(3)}  with a prediction ${(s.predicted / Math.max(1, s.longRuns)).toFixed(3)}  mean tightness ${mean(s.tightness).toFixed(3)}  violations ${s.violations.length}`);
    }
    const all = summarize(evaluations);
    console.log(`all       specs ${evaluations.length}  ε-runs ≥ ${MIN_RUN} steps ${all.longRuns}  with a prediction ${(all.predicted / all.longRuns).toFixed(3)}  mean tightness (unpredicted runs count 0) ${mean(all.tightness).toFixed(3)}  violations ${all.violations.length}`);
    expect(all.violations).toEqual([]);
    expect(all.longRuns).toBeGreaterThan(40);
    expect(all.predicted / all.longRuns).toBeGreaterThanOrEqual(0.95);
    expect(mean(all.tightness)).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it.each(['nuclear', 'entropy'] as const)("the paper's first experiment (%s): N = 3, 4 at tightness ≥ 0.85 for every L; N = 2's runs predicted, crossings at L = 2", (measure) => {
    const preset = findPreset('paper-identity-depths');
    for (const spec of preset.specs) {
      const e = evaluatePredictions({ ...spec, effectiveRank: measure });
      const rows = e.runs.map((r) => `L = ${r.L} ${r.kind} [${r.start}, ${r.end}] ${r.predicted ? `predicted [${r.predicted.start}, ${r.predicted.end}], tightness ${r.tightness!.toFixed(2)}` : 'no prediction'}`);
      console.log(`N = ${spec.depth} (${measure}): ${rows.join('; ')}`);
      expect(e.violations).toEqual([]);
      if (spec.depth >= 3) {
        expect(e.runs.map((r) => r.L)).toEqual([1, 2, 3, 4]);
        for (const r of e.runs) {
          expect(r.kind).toBe('plateau');
          expect(r.tightness).toBeGreaterThanOrEqual(0.85);
        }
      }
      if (spec.depth === 2) {
        for (const r of e.runs) expect(r.predicted).toBeDefined();
        expect(e.runs.find((r) => r.L === 2)?.kind).toBe('crossing');
      }
    }
  });
});

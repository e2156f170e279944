import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { findPreset } from '../../../core/presets';
import { assessRun } from '../../../core/report/assess';
import { flowTimeLaw } from '../../../core/report/flowTimeLaw';

// (3.4) orders plateaus by learning time; where it cannot (N = 1, Remark 4.2) or a rank's law
// starts after the run, no row is given rather than a backwards interval.

describe('flowTimeLaw on paper-identity-depths', () => {
  const specs = findPreset('paper-identity-depths').specs;

  it('gives no rows for N = 1, whose (3.4) times grow with λ', async () => {
    const n1 = specs.find((s) => s.depth === 1)!;
    const result = await runExperiment(n1);
    expect(flowTimeLaw(result)).toEqual([]);
    expect(assessRun(result).map((f) => f.label)).not.toContain('flow-time law (3.4)');
  });

  it('prints no backwards interval for any depth, nor for a run cut before a law starts', async () => {
    for (const spec of specs) {
      for (const steps of [spec.steps, 150]) {
        const result = await runExperiment({ ...spec, steps });
        const rows = flowTimeLaw(result);
        for (const r of rows) {
          expect(r.law.start, `N = ${spec.depth}, L = ${r.L}`).toBeLessThanOrEqual(r.law.end);
          expect(r.law.start).toBeLessThan(steps);
        }
        const text = assessRun(result).find((f) => f.label === 'flow-time law (3.4)')?.text ?? '';
        for (const [, a, b] of text.matchAll(/\(3\.4\) (\d+)–(\d+)/g)) expect(Number(a)).toBeLessThanOrEqual(Number(b));
      }
    }
  });
});

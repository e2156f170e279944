import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPresets } from '../../../core/presets';
import { measureName } from '../../../core/rank/labels';
import { measureLabel, randomInitRow, spread } from '../../../core/reproduction/analysis';
import type { RunResult } from '../../../core/result';

// The order-of-learning rule of docs/reproduction.md: a component at half its target from step 0
// is "already at scale", not out of order.

/** A run whose σ_i(k) are given per step, against targets s = (10, 6, 3, 1.5). */
function run(rows: number[][]): RunResult {
  return {
    spec: { effectiveRank: 'entropy', init: { kind: 'gaussian', alpha: 1, seed: 1 } },
    steps: rows.map((_, k) => k * 10),
    singularValues: rows,
    target: { description: '', singularValues: [10, 6, 3, 1.5] },
    distanceToBestRank: rows.map(() => [1]),
    measured: { plateaus: [] },
  } as unknown as RunResult;
}

describe('randomInitRow', () => {
  it('calls a component at half its target from step 0 "at scale", and orders only the others', () => {
    // σ4 = 1 ≥ 0.75 at step 0; σ1, σ2, σ3 reach half at steps 10, 20, 30.
    const r = randomInitRow(run([[1, 1, 1, 1], [6, 1, 1, 1], [6, 4, 1, 1], [6, 4, 2, 1]]));
    expect(r.reach).toEqual([10, 20, 30, 0]);
    expect(r.atScale).toEqual([4]);
    expect(r.order).toBe('in order');
  });

  it('calls it out of order when a smaller component gets there first, and not reached when one never does', () => {
    expect(randomInitRow(run([[1, 1, 1, 0], [1, 4, 2, 0], [6, 4, 2, 1]])).order).toBe('out of order');
    expect(randomInitRow(run([[1, 1, 1, 0], [6, 4, 2, 0]])).order).toBe('not reached');
  });
});

describe('measure names on the reproduction page', () => {
  it('come from the runs: one name, or each name when runs differ', () => {
    const runs = (...measures: string[]) => measures.map((m) => ({ spec: { effectiveRank: m } }) as unknown as RunResult);
    expect(measureLabel(runs('nuclear', 'nuclear'), 'W*')).toMatchObject({ of: 'r*(W*)', single: true });
    expect(measureLabel(runs('nuclear', 'entropy')).single).toBe(false);
    expect(spread([3, 1, 2, NaN])).toEqual({ min: 1, median: 2, max: 3, count: 3 });
  });

  it("docs/reproduction.md names each preset's own measure", () => {
    const page = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'reproduction.md'), 'utf8');
    const sentence = page.split('\n').find((l) => l.startsWith('Plateaus are ε-runs'));
    expect(sentence, 'the page states the measures').toBeDefined();
    for (const preset of listPresets()) {
      const names = [...new Set(preset.specs.map((s) => measureName(s.effectiveRank)))];
      for (const name of names) {
        const clause = sentence!.split('; ').find((c) => c.includes(`\`${preset.name}\``));
        expect(clause, preset.name).toContain(`the ${name} in`);
      }
    }
    expect(page).not.toMatch(/ε-plateaus of the entropy effective rank/);
  });
});

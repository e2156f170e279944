import { describe, expect, it } from 'vitest';
import { summarize } from '../../../cli/format';
import { runExperiment } from '../../../core/engine/runExperiment';
import { pairPlateaus, primaryPairs } from '../../../core/plateaus/pairing';
import { findPreset } from '../../../core/presets';
import { assessRun } from '../../../core/report/assess';
import { formatPlateauRow, plateauRows } from '../../../core/report/plateauTable';

// One result, one pairing: dfl run's table, the Runs view (and the comparison panel, which uses
// the same rows), the report's findings and the Lab (both call pairPlateaus) show the same
// plateau, start, end and tightness.
describe('one plateau model for every view', () => {
  it('shows the same measured run, start, end and tightness for each L of a real result', async () => {
    const spec = { ...findPreset('paper-identity-depths').specs[2], log: { every: 1 } as const };
    const result = await runExperiment(spec, { yieldToHost: async () => undefined });
    const pairs = pairPlateaus(result);
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    const table = summarize(result).split('\n');
    const rows = plateauRows(result);
    const findings = assessRun(result);
    for (const pair of pairs) {
      expect(pair.against).toBe('every step');
      const m = pair.measured!;
      const p = pair.predicted!;
      expect(pair.tightness).toBeCloseTo((p.end - p.start + 1) / (m.end - m.start + 1), 12);
      // dfl run's table: the row of L has the predicted interval, the paired run and the tightness.
      const line = table.find((l) => l.trimStart().startsWith(`${pair.L} `))!;
      expect(line).toContain(`[${p.start}, ${p.end}]`);
      expect(line).toContain(`[${m.start}, ${m.end}]`);
      expect(line).toContain(pair.tightness!.toFixed(2));
      // The Runs view and comparison panel.
      const row = rows.find((r) => r.L === pair.L)!;
      expect(row.measured).toMatchObject({ start: m.start, end: m.end, kind: m.kind });
      expect(row.tightness).toBe(pair.tightness);
      expect(formatPlateauRow(row)).toContain(`measured ${m.start}–${m.end}`);
      // The report's findings (L ≤ 4).
      if (pair.L <= 4) {
        const finding = findings.find((f) => f.label === `rank ${pair.L}`)!;
        expect(finding.text).toContain(`steps ${m.start}–${m.end}`);
        expect(finding.text).toContain(`tightness ${pair.tightness!.toFixed(2)} against every step`);
      }
    }
  });

  it('says tightness is against logged steps when the run did not log every step', async () => {
    const spec = { ...findPreset('paper-identity-depths').specs[2], log: { points: 200, scale: 'log' as const } };
    const result = await runExperiment(spec, { yieldToHost: async () => undefined });
    expect(pairPlateaus(result).every((p) => p.against === 'logged steps')).toBe(true);
    expect(summarize(result)).toContain('tightness against logged steps');
  });

  it('pairs every certified interval of a level the rank returns to with its own run, and keeps the longest as the primary row', () => {
    const predicted = { plateaus: [
      { L: 4, start: 2, end: 3, epsilon: 0.2, hypothesesMet: true }, // inside the initial drop: overlaps no run
      { L: 4, start: 1400, end: 1790, epsilon: 0.2, hypothesesMet: true },
      { L: 4, start: 90, end: 560, epsilon: 0.2, hypothesesMet: true },
    ] };
    const measured = { plateaus: [
      { L: 4, start: 79, end: 590, epsilon: 0.25, kind: 'plateau' as const },
      { L: 4, start: 1311, end: 1814, epsilon: 0.25, kind: 'plateau' as const },
    ] };
    const pairs = pairPlateaus({ predicted, measured });
    expect(pairs.map((p) => [p.predicted!.start, p.measured!.start])).toEqual([[90, 79], [1400, 1311]]);
    expect(pairs[1].tightness).toBeCloseTo(391 / 504, 12);
    expect(primaryPairs(pairs).get(4)!.predicted!.start).toBe(90);
    const rows = plateauRows({ predicted, measured });
    expect(rows.map((r) => r.measured!.start)).toEqual([79, 1311]);
  });
});

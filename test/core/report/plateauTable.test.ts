import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { formatInterval, formatPlateauRow, plateauMarkdown, plateauRows, resultCsv } from '../../../core/report/plateauTable';
import { trajectoryCsv } from '../../../core/report/trajectoryCsv';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';

// The plateau table of the side view, the comparison panel and the export: predicted against
// measured, one row per L, on a real run and on hand-made plateaus.

let result: RunResult;

beforeAll(async () => {
  result = await runExperiment(parseSpec({ n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 3000, log: { every: 5 } }));
});

const plateau = (L: number, start: number, end: number) => ({ L, start, end, epsilon: 0.1 });

describe('plateauRows', () => {
  it('gives one row per L, ascending, and agrees where the measured interval overlaps the predicted one', () => {
    const rows = plateauRows(result);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.L)).toEqual([...rows.map((r) => r.L)].sort((a, b) => a - b));
    for (const r of rows)
      if (r.predicted && r.measured) expect(r.agrees).toBe(r.measured.start <= r.predicted.end && r.predicted.start <= r.measured.end);
      else expect(r.agrees).toBeUndefined();
    // The spec meets the hypotheses: its predictions are certified and land on the measured runs.
    expect(rows.filter((r) => r.predicted && r.measured).every((r) => r.predicted!.hypothesesMet && r.agrees)).toBe(true);
  });

  it('marks an L predicted and not measured, and one measured apart from its prediction', () => {
    const rows = plateauRows({
      predicted: { plateaus: [{ ...plateau(1, 100, 200), hypothesesMet: true }, { ...plateau(2, 300, 400), hypothesesMet: false }] },
      measured: { plateaus: [{ ...plateau(1, 500, 600), kind: 'plateau' }] },
    } as unknown as RunResult);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ L: 1, agrees: false, measured: { start: 500, end: 600 } });
    expect(rows[1]).toMatchObject({ L: 2, predicted: { start: 300, end: 400, hypothesesMet: false } });
    expect(rows[1].measured).toBeUndefined();
  });
});

describe('the table as text', () => {
  it('writes intervals, crossings and the agreement mark', () => {
    expect(formatInterval(undefined)).toBe('—');
    expect(formatInterval({ start: 3, end: 9, kind: 'crossing' })).toBe('3–9 (crossing)');
    expect(formatPlateauRow({ L: 2, predicted: { start: 120, end: 340, hypothesesMet: true }, measured: { start: 131, end: 322 }, agrees: true })).toBe('L = 2: predicted 120–340, measured 131–322 ✓');
    expect(formatPlateauRow({ L: 1, predicted: { start: 1, end: 2, hypothesesMet: false } })).toBe('L = 1: predicted 1–2 (hypotheses not met), measured —');
  });

  it('writes Markdown with a row per L and a footnote when a prediction is not certified', () => {
    const md = plateauMarkdown(result);
    expect(md.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(plateauRows(result).length);
    expect(md).not.toContain('hypotheses do not hold');
    const uncertified = plateauMarkdown({ spec: result.spec, predicted: { plateaus: [{ ...plateau(1, 1, 2), hypothesesMet: false }] }, measured: { plateaus: [] } });
    expect(uncertified).toContain('| 1 | 1–2 * | — |  |');
    expect(uncertified).toContain('the theorem\'s hypotheses do not hold');
    expect(plateauMarkdown({ spec: result.spec, predicted: { plateaus: [] }, measured: { plateaus: [] } })).toBe(`_No plateaus predicted or measured (ε = ${result.spec.epsilon})._`);
  });

  it('exports the compact trajectory CSV without distances', () => {
    expect(resultCsv(result)).toBe(trajectoryCsv(result, { header: 'compact', distances: false }));
  });
});

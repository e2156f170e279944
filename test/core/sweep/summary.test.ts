import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../../core/csv';
import { expandSweep } from '../../../core/sweep/expand';
import { createMeasurer, measureRun } from '../../../core/sweep/measures';
import { cellJson, pointRow, resultFileName, summaryColumns, summaryJson, summaryJsonText, type SummaryRow } from '../../../core/sweep/summary';
import { runExperiment } from '../../../core/engine/runExperiment';
import { storeLines } from '../../../core/sweep/runStore';

const base = { n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.05, steps: 60, log: { points: 12 } };
const expanded = expandSweep({
  name: 'writers, "quoted", with commas',
  base,
  axes: { init: [{ kind: 'identity', alpha: 0.1 }, { kind: 'gaussian', alpha: 0.1, seed: 2 }], 'target.seed': { seeds: 3, from: 1 } },
  measures: { ranks: 2, theta: [0.5, 0.9] },
});
const columns = summaryColumns(expanded);

// Any cell a row may hold: numbers (not finite ones too), flags, text that needs quoting, null, a missing cell.
const cell = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, NaN, Infinity), fc.boolean(), fc.string(), fc.constantFrom('a,b', 'say "x"', 'two\nlines'), fc.constant(null), fc.constant(undefined));
const rowsArbitrary = fc.array(fc.tuple(fc.nat(1000), fc.array(cell, { minLength: columns.length, maxLength: columns.length })), { maxLength: 12 }).map((list) =>
  list.map(([run, cells]) => {
    const row: SummaryRow = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    row.run = run;
    row.init = expanded.points[run % expanded.points.length].values.init;
    return row;
  }),
);

describe('summary writers', () => {
  it('write summary.json as JSON.stringify of summaryJson, and summary.csv as the CSV of its rows, byte for byte', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        expect([...summaryJsonText(expanded, rows)].join('')).toBe(JSON.stringify(summaryJson(expanded, rows)));
        const sorted = [...rows].sort((a, b) => (a.run as number) - (b.run as number));
        const csv = csvText([columns, ...sorted.map((row) => columns.map((c) => row[c]))]);
        // summary.csv's lines come in the same pass: the JSON text is the same, and the CSV lines collected on the way.
        const csvLines: string[] = [];
        expect([...summaryJsonText(expanded, rows, (line) => csvLines.push(line))].join('')).toBe(JSON.stringify(summaryJson(expanded, rows)));
        expect(csvLines.join('')).toBe(csv);
      }),
      { numRuns: 200 },
    );
  });

  it('writes a cell as JSON.stringify does inside an object', () => {
    for (const value of [0, -0, 1.5e-300, 1e21, NaN, -Infinity, true, false, null, 'x"y', { a: [1, 2] }]) expect(cellJson(value)).toBe(JSON.stringify({ v: value }).slice(5, -1));
    expect(cellJson(undefined)).toBe('null');
  });

  it('makes a row with the cells of { run, hash, file, ...values, ...measures }, its keys in column order', async () => {
    // Spectral-path runs (no backend needed), with and without a ground truth.
    const runs = expandSweep({
      base,
      axes: { target: [base.target, { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1, seed: 1 }], 'init.alpha': [0.1, 0.3] },
      measures: { ranks: 2, theta: [0.5, 0.9] },
    });
    const measure = createMeasurer(runs.sweep.measures);
    for (const point of runs.points) {
      const result = await runExperiment(point.spec);
      const row = pointRow(point, result, measure);
      const spread = { run: point.index, hash: point.hash, file: resultFileName(point.hash), ...point.values, ...measureRun(result, runs.sweep.measures) };
      expect(row).toEqual(spread);
      expect(Object.keys(row)).toEqual(summaryColumns(runs));
      // The spread put the three null ground-truth cells of a target without one in another order;
      // null cells are never written to the store, so its line is the same.
      expect(storeLines([row])).toBe(storeLines([spread]));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../../../core/sweep/expand';
import { readStore, storeLines } from '../../../core/sweep/runStore';
import { resultFileName, summaryColumns, type SummaryRow } from '../../../core/sweep/summary';

const base = { n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.05, steps: 60 };
const expanded = expandSweep({ base, axes: { 'init.alpha': [0.1, 0.2], 'target.seed': { seeds: 3, from: 1 } }, measures: { ranks: 2 } });
const columns = summaryColumns(expanded);
const byHash = new Map(expanded.points.map((p) => [p.hash, p]));

// What a store line has always been: the row without its null cells, through JSON.stringify.
const lineAsDefined = (row: SummaryRow) => `${JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined)))}\n`;

const cell = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, NaN, Infinity), fc.boolean(), fc.string(), fc.constant(null), fc.constant(undefined));

describe('run store', () => {
  it('writes each row as JSON.stringify of its non-null cells, a line each', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: columns.length, maxLength: columns.length }), { maxLength: 8 }), (list) => {
        const rows = list.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i]])) as SummaryRow);
        expect(storeLines(rows)).toBe(rows.map(lineAsDefined).join(''));
      }),
      { numRuns: 200 },
    );
    expect(storeLines([{}, { a: null }])).toBe('{}\n{}\n');
  });

  it('reads back the rows it wrote, and rejects a torn last line', () => {
    const rows = expanded.points.map((p) => {
      const row: SummaryRow = Object.fromEntries(columns.map((c) => [c, null]));
      Object.assign(row, { run: p.index, hash: p.hash, file: resultFileName(p.hash), ...p.values, finalLoss: 0.25 * p.index, hypothesesMet: p.index % 2 === 0, 'measured.L1.kind': 'plateau' });
      return row;
    });
    const text = storeLines(rows);
    const reading = readStore(`${text}{"run":0,"ha`, expanded, byHash);
    expect(reading.rejected).toBe(1);
    expect([...reading.rows.values()]).toEqual(rows);
  });
});

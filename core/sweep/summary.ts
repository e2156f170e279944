import { csvText } from '../csv';
import type { RunResult } from '../result';
import type { ExpandedSweep, SweepPoint } from './expand';
import { createMeasurer, measureColumns, type Cell, type Measurer } from './measures';

/** One row of the summary: the run, its axis values, its measures. */
export type SummaryRow = Record<string, Cell | unknown>;

/** The summary's columns: run, hash, file, the axes, then the measures. */
export function summaryColumns(expanded: ExpandedSweep): string[] {
  return ['run', 'hash', 'file', ...expanded.axes, ...measureColumns(expanded.sweep.measures)];
}

/** Where a run's result lives in the output folder. */
export function resultFileName(hash: string): string {
  return `run-${hash}.json`;
}

/** The summary row of a finished run (nothing in it depends on timing or on how it was run). */
export function summaryRow(expanded: ExpandedSweep, point: SweepPoint, result: RunResult): SummaryRow {
  return pointRow(point, result, createMeasurer(expanded.sweep.measures));
}

/** `summaryRow` with the sweep's measurer (made once per sweep: it caches the step-count bounds). */
export function pointRow(point: Pick<SweepPoint, 'index' | 'hash' | 'values'>, result: Parameters<Measurer>[0], measure: Measurer): SummaryRow {
  return { run: point.index, hash: point.hash, file: resultFileName(point.hash), ...point.values, ...measure(result) };
}

/** summary.json: the sweep's description and its rows in grid order. */
export function summaryJson(expanded: ExpandedSweep, rows: readonly SummaryRow[]) {
  const columns = summaryColumns(expanded);
  return {
    name: expanded.sweep.name ?? null,
    total: expanded.points.length,
    done: rows.length,
    axes: expanded.axes,
    columns,
    // Every row with the columns in order: rows measured now and rows read back from the run store are written alike.
    rows: [...rows].sort((a, b) => (a.run as number) - (b.run as number)).map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
  };
}

/** summary.csv: a header line and one line per run, empty cells where a measure does not exist. */
export function summaryCsv(expanded: ExpandedSweep, rows: readonly SummaryRow[]): string {
  const columns = summaryColumns(expanded);
  const sorted = [...rows].sort((a, b) => (a.run as number) - (b.run as number));
  return csvText([columns, ...sorted.map((row) => columns.map((c) => row[c]))]);
}

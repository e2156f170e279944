import type { RunResult } from '../result';
import type { ExpandedSweep, SweepPoint } from './expand';
import { measureColumns, measureRun, type Cell } from './measures';

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
  return { run: point.index, hash: point.hash, file: resultFileName(point.hash), ...point.values, ...measureRun(result, expanded.sweep.measures) };
}

/** summary.json: the sweep's description and its rows in grid order. */
export function summaryJson(expanded: ExpandedSweep, rows: readonly SummaryRow[]) {
  return {
    name: expanded.sweep.name ?? null,
    total: expanded.points.length,
    done: rows.length,
    axes: expanded.axes,
    columns: summaryColumns(expanded),
    rows: [...rows].sort((a, b) => (a.run as number) - (b.run as number)),
  };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** summary.csv: a header line and one line per run, empty cells where a measure does not exist. */
export function summaryCsv(expanded: ExpandedSweep, rows: readonly SummaryRow[]): string {
  const columns = summaryColumns(expanded);
  const sorted = [...rows].sort((a, b) => (a.run as number) - (b.run as number));
  return [columns.map(csvCell).join(','), ...sorted.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\n') + '\n';
}

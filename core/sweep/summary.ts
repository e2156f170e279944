import { csvCell, csvText } from '../csv';
import type { RunResult } from '../result';
import type { ExpandedSweep, SweepPoint } from './expand';
import { createMeasurer, measureColumns, type Measurer } from './measures';

/** One row of the summary: the run, its axis values, its measures (cells, axis values of any JSON type). */
export type SummaryRow = Record<string, unknown>;

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
  // The cells of { run, hash, file, ...values, ...measures } written into a copy of a row with
  // every column (same keys, same order): a copy of one object is cheap, a spread of a row with
  // dozens of keys written one by one is not.
  const row = { ...rowTemplate(measure, point.values) };
  row.run = point.index;
  row.hash = point.hash;
  row.file = resultFileName(point.hash);
  for (const key in point.values) row[key] = point.values[key];
  return measure(result, row);
}

// Per measurer, the empty row of each list of axes (a sweep has one).
const templates = new WeakMap<Measurer, { axes: string; row: SummaryRow }>();

function rowTemplate(measure: Measurer, values: Record<string, unknown>): SummaryRow {
  const axes = Object.keys(values);
  const key = axes.join('\n');
  const known = templates.get(measure);
  if (known?.axes === key) return known.row;
  // From JSON text: V8 gives a parsed object fast properties, whatever the number of keys.
  const row = JSON.parse(JSON.stringify(Object.fromEntries(['run', 'hash', 'file', ...axes, ...measure.columns].map((c) => [c, null])))) as SummaryRow;
  templates.set(measure, { axes: key, row });
  return row;
}

/** The rows in grid order (those of one session come mostly in order already: sorting them is cheap). */
function byRun(rows: Iterable<SummaryRow>): SummaryRow[] {
  return [...rows].sort((a, b) => (a.run as number) - (b.run as number));
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
    rows: byRun(rows).map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
  };
}

/**
 * A cell as JSON.stringify writes it inside an object (numbers and flags without the general
 * serialiser: a summary of 10⁵ runs has millions of them).
 */
export function cellJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value) ?? 'null';
}

/**
 * `JSON.stringify(summaryJson(expanded, rows))` in pieces of a row each, the same text without
 * making an object per row (column names are never integer-like, so no key is reordered). Given
 * `csvLine`, the lines of summary.csv (a header, then one line per run, empty cells where a
 * measure does not exist) are handed to it on the way: each cell is read and its
 * number written once for both files (a sweep of 10⁴ runs has 6·10⁵ cells).
 */
export function* summaryJsonText(expanded: ExpandedSweep, rows: readonly SummaryRow[], csvLine?: (line: string) => void): Generator<string> {
  const columns = summaryColumns(expanded);
  const head = JSON.stringify({ name: expanded.sweep.name ?? null, total: expanded.points.length, done: rows.length, axes: expanded.axes, columns, rows: [] });
  yield `${head.slice(0, -2)}`; // up to and with the rows' "["
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c)}:`);
  csvLine?.(csvText([columns]));
  let first = true;
  for (const row of byRun(rows)) {
    let line = first ? '' : ',';
    first = false;
    let csv = '';
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i]];
      if (typeof value === 'number') {
        const text = String(value);
        line += keys[i] + (Number.isFinite(value) ? text : 'null');
        if (csvLine) csv += i === 0 ? text : `,${text}`;
      } else {
        line += keys[i] + cellJson(value);
        if (csvLine) csv += (i === 0 ? '' : ',') + (typeof value === 'boolean' ? String(value) : csvCell(value));
      }
    }
    csvLine?.(`${csv}\n`);
    yield `${line}}`;
  }
  yield ']}';
}

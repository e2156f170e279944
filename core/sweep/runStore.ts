import { canonicalJson } from './hash';
import type { ExpandedSweep, SweepPoint } from './expand';
import { cellJson, resultFileName, summaryColumns, type SummaryRow } from './summary';

// The run store of a sweep folder (docs/sweeps.md "Output"): one append-only JSON Lines file, a
// line per finished run holding its summary row. Appending a line costs what the row costs, so a
// sweep of 10⁵ runs writes one file, not 10⁵; a run killed mid-write leaves at most a torn last
// line, which the next reading drops. pandas reads it in one line: pd.read_json(f, lines=True).

/** The store of a whole sweep, in its output folder. */
export const RUN_STORE = 'runs.jsonl';

/** The store a shard of a Slurm array job appends to, in the folder's `sweep/`. */
export function shardStoreName(index: number, count: number): string {
  return `shard-${index}-of-${count}.jsonl`;
}

/**
 * The lines of finished runs: each row as one JSON object, null cells left out (a reader fills
 * them back in; in pandas they are NaN), each line ended by a newline.
 */
export function storeLines(rows: readonly SummaryRow[]): string {
  let text = '';
  for (const row of rows) text += storeLine(row);
  return text;
}

/** The line of one row (`storeLines`): JSON.stringify of the row without its null cells, written cell by cell. */
export function storeLine(row: SummaryRow): string {
  let line = '';
  for (const key in row) {
    const value = row[key];
    if (value === null || value === undefined) continue;
    let name = keyJson.get(key);
    if (name === undefined) {
      if (keyJson.size > 4096) keyJson.clear();
      keyJson.set(key, (name = `${JSON.stringify(key)}:`));
    }
    line += (line === '' ? '{' : ',') + name + cellJson(value);
  }
  return line === '' ? '{}\n' : `${line}}\n`;
}

// A key's JSON with its colon: a sweep has a few dozen columns, written on every line.
const keyJson = new Map<string, string>();

export interface StoreReading {
  /** Hash → the verified row of each finished run of these points. */
  rows: Map<string, SummaryRow>;
  /** Lines that did not verify (not JSON, another sweep's run, a wrong or missing cell): their runs run again. */
  rejected: number;
}

const isCell = (value: unknown) => value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';

/**
 * The rows of a store's text that belong to `points`, each verified: a JSON object whose hash is
 * one of the points', with that point's run index, file and axis values, and a cell (number,
 * boolean, string, or left out for null) for every measure column. A torn last line (a killed
 * writer) and anything else that does not verify is counted in `rejected`, never trusted.
 */
export function readStore(text: string, expanded: ExpandedSweep, points: ReadonlyMap<string, SweepPoint>, into: StoreReading = { rows: new Map(), rejected: 0 }): StoreReading {
  const columns = summaryColumns(expanded);
  const axes = new Set(expanded.axes);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      into.rejected++;
      continue;
    }
    const row = verifiedRow(parsed, columns, axes, points);
    if (row) into.rows.set(row.hash as string, row);
    else into.rejected++;
  }
  return into;
}

function verifiedRow(parsed: unknown, columns: readonly string[], axes: ReadonlySet<string>, points: ReadonlyMap<string, SweepPoint>): SummaryRow | undefined {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const line = parsed as Record<string, unknown>;
  const point = typeof line.hash === 'string' ? points.get(line.hash) : undefined;
  if (!point || line.run !== point.index || line.file !== resultFileName(point.hash)) return undefined;
  for (const key of Object.keys(line)) if (!columns.includes(key)) return undefined;
  const row: SummaryRow = {};
  for (const column of columns) {
    if (axes.has(column)) {
      if (canonicalJson(line[column]) !== canonicalJson(point.values[column])) return undefined;
      row[column] = point.values[column];
      continue;
    }
    const value = line[column] ?? null;
    if (!isCell(value)) return undefined;
    row[column] = value;
  }
  return row;
}

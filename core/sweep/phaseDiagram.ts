import { z } from 'zod';
import { InputError } from '../errors';
import { formatIssue } from '../spec/parseSpec';

// Phase diagrams of a sweep (docs/sweeps.md "Phase diagrams"): the summary's rows grouped by two
// axes (a heatmap) or by one axis and a line per value of another (a line plot), each cell or
// point aggregating every row that shares its axis values (seeds and the other axes) as mean,
// min and max. Pure data: the Lab's Sweep view and `dfl report DIR` draw the same figures from it.

/** summary.json as `dfl sweep` writes it (core/sweep/summary.ts summaryJson). */
export const sweepSummarySchema = z.object({
  name: z.string().nullable(),
  total: z.int().min(0),
  done: z.int().min(0),
  axes: z.array(z.string().min(1)).max(64),
  columns: z.array(z.string()).max(10_000),
  rows: z.array(
    z.looseObject({
      run: z.int().min(0),
      hash: z.string().regex(/^[0-9a-f]{16}$/),
      file: z.string().regex(/^run-[0-9a-f]{16}\.json$/),
    }),
  ).max(1_000_000),
});
export type SweepSummary = z.output<typeof sweepSummarySchema>;

/** summary.json's JSON, validated (dfl report, the extension); the InputError names the first wrong field. */
export function parseSweepSummary(value: unknown, file: string): SweepSummary {
  const parsed = sweepSummarySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputError(formatIssue(parsed.error.issues[0], value, file));
}

type Row = SweepSummary['rows'][number];

/** The measures a figure can show: the numeric and boolean columns that are not axes. */
export function figureMeasures(summary: SweepSummary): string[] {
  const skip = new Set(['run', 'hash', 'file', ...summary.axes]);
  return summary.columns.filter((c) => !skip.has(c) && summary.rows.some((r) => typeof r[c] === 'number' || typeof r[c] === 'boolean'));
}

/**
 * The theory's value of a measure, where the theory has one: a measured plateau's
 * start, end or length beside the certified prediction (Theorem 5.10); divergence beside the
 * contour η / bound = 1 of (4.1), which is sufficient for convergence, so it bounds the safe
 * side only; the measured order of learning beside where it is certified (Theorem 6.1); a
 * measured step count beside its certified lower bound (Proposition 4.3).
 */
function theoryMeasure(measure: string, columns: readonly string[]): { column: string; kind: 'value' | 'contour'; level?: number; label: string } | undefined {
  const has = (c: string) => columns.includes(c);
  let m = /^measured\.L(\d+)\.(start|end|length)$/.exec(measure);
  if (m && has(`predicted.L${m[1]}.${m[2]}`)) return { column: `predicted.L${m[1]}.${m[2]}`, kind: 'value', label: `certified prediction (Theorem 5.10), plateau ${m[2]} L = ${m[1]}` };
  if (measure === 'diverged' && has('stepSizeRatio')) return { column: 'stepSizeRatio', kind: 'contour', level: 1, label: 'η = bound (4.1): below it convergence is guaranteed' };
  if (measure === 'orderOfLearning' && has('orderCertified')) return { column: 'orderCertified', kind: 'value', label: 'order of learning certified (Theorem 6.1)' };
  m = /^stepsTo\.(i\d+\.theta[^.]+)$/.exec(measure);
  if (m && has(`predicted.stepsTo.${m[1]}.lower`)) return { column: `predicted.stepsTo.${m[1]}.lower`, kind: 'value', label: `certified lower bound (Proposition 4.3)` };
  return undefined;
}

/** One value of an axis, with the text that labels it. */
export interface AxisValue {
  key: string;
  value: unknown;
  label: string;
}

/** Aggregate of the rows in one cell: numbers (booleans count as 0/1); null where none has a value. */
export interface CellStats {
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Rows with a value / rows in the cell. */
  count: number;
  rows: number;
  /** The cell's runs (summary rows), in run order: clicking a cell opens the first. */
  runs: { run: number; file: string }[];
}

export interface PhaseDiagram {
  measure: string;
  x: { axis: string; values: AxisValue[] };
  y: { axis: string; values: AxisValue[] };
  /** cells[yi][xi]. */
  cells: CellStats[][];
  /** The same grid for the theory's column, where the theory has one. */
  theory?: { column: string; kind: 'value' | 'contour'; level?: number; label: string; cells: CellStats[][] };
  /** Axis values held fixed (rows with other values left out). */
  fixed: Record<string, unknown>;
}

export interface LinePlot {
  measure: string;
  x: { axis: string; values: AxisValue[] };
  /** One line per value of `line` (or one line when no line axis is given). */
  lines: { value: AxisValue | null; points: CellStats[] }[];
  theory?: { column: string; label: string; lines: { value: AxisValue | null; points: CellStats[] }[] };
  fixed: Record<string, unknown>;
}

const keyOf = (v: unknown) => JSON.stringify(v ?? null);

function label(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The distinct values of an axis in the rows, numbers ascending, others in first-seen order. */
export function axisValues(rows: readonly Row[], axis: string): AxisValue[] {
  const seen = new Map<string, unknown>();
  for (const r of rows) if (!seen.has(keyOf(r[axis]))) seen.set(keyOf(r[axis]), r[axis]);
  const values = [...seen.entries()].map(([key, value]) => ({ key, value, label: label(value) }));
  if (values.every((v) => typeof v.value === 'number')) values.sort((a, b) => (a.value as number) - (b.value as number));
  return values;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function stats(rows: readonly Row[], column: string): CellStats {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const v = numeric(r[column]);
    if (v === null) continue;
    sum += v;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    mean: count ? sum / count : null,
    min: count ? min : null,
    max: count ? max : null,
    count,
    rows: rows.length,
    runs: [...rows].sort((a, b) => a.run - b.run).map((r) => ({ run: r.run, file: r.file })),
  };
}

function checkAxis(summary: SweepSummary, axis: string, what: string): void {
  if (!summary.axes.includes(axis)) throw new InputError(`${what}: "${axis}" is not an axis of this sweep (axes: ${summary.axes.join(', ') || 'none'})`);
}

function checkMeasure(summary: SweepSummary, measure: string): void {
  if (!summary.columns.includes(measure) || summary.axes.includes(measure) || ['run', 'hash', 'file'].includes(measure))
    throw new InputError(`measure: "${measure}" is not a measure of this sweep (measures: ${figureMeasures(summary).slice(0, 12).join(', ')}${figureMeasures(summary).length > 12 ? ', …' : ''})`);
}

function filterFixed(summary: SweepSummary, fixed: Record<string, unknown>): Row[] {
  for (const axis of Object.keys(fixed)) checkAxis(summary, axis, 'fixed');
  return summary.rows.filter((r) => Object.entries(fixed).every(([axis, v]) => keyOf(r[axis]) === keyOf(v)));
}

function grid(rows: readonly Row[], xAxis: string, xs: AxisValue[], yAxis: string, ys: AxisValue[], column: string): CellStats[][] {
  const buckets = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${keyOf(r[yAxis])}\u0000${keyOf(r[xAxis])}`;
    const list = buckets.get(k);
    if (list) list.push(r);
    else buckets.set(k, [r]);
  }
  return ys.map((y) => xs.map((x) => stats(buckets.get(`${y.key}\u0000${x.key}`) ?? [], column)));
}

/** A heatmap of `measure` over two axes; every other axis (seeds included) is aggregated over. */
export function phaseDiagram(summary: SweepSummary, options: { x: string; y: string; measure: string; fixed?: Record<string, unknown> }): PhaseDiagram {
  checkAxis(summary, options.x, 'x');
  checkAxis(summary, options.y, 'y');
  if (options.x === options.y) throw new InputError(`x and y: pick two different axes (both "${options.x}")`);
  checkMeasure(summary, options.measure);
  const fixed = options.fixed ?? {};
  const rows = filterFixed(summary, fixed);
  const xs = axisValues(rows, options.x);
  const ys = axisValues(rows, options.y);
  const diagram: PhaseDiagram = { measure: options.measure, x: { axis: options.x, values: xs }, y: { axis: options.y, values: ys }, cells: grid(rows, options.x, xs, options.y, ys, options.measure), fixed };
  const theory = theoryMeasure(options.measure, summary.columns);
  if (theory) diagram.theory = { ...theory, cells: grid(rows, options.x, xs, options.y, ys, theory.column) };
  return diagram;
}

/** `measure` against one axis, one line per value of `line`, spread (min–max) over the rest. */
export function linePlot(summary: SweepSummary, options: { x: string; line?: string; measure: string; fixed?: Record<string, unknown> }): LinePlot {
  checkAxis(summary, options.x, 'x');
  if (options.line !== undefined) checkAxis(summary, options.line, 'line');
  if (options.line === options.x) throw new InputError(`x and line: pick two different axes (both "${options.x}")`);
  checkMeasure(summary, options.measure);
  const fixed = options.fixed ?? {};
  const rows = filterFixed(summary, fixed);
  const xs = axisValues(rows, options.x);
  const lineValues: (AxisValue | null)[] = options.line ? axisValues(rows, options.line) : [null];
  const linesOf = (column: string) => {
    if (!options.line) return [{ value: null, points: grid(rows, options.x, xs, options.x, xs, column).map((row, i) => row[i]) }];
    return grid(rows, options.x, xs, options.line, lineValues as AxisValue[], column).map((points, i) => ({ value: lineValues[i], points }));
  };
  const plot: LinePlot = { measure: options.measure, x: { axis: options.x, values: xs }, lines: linesOf(options.measure), fixed };
  const theory = theoryMeasure(options.measure, summary.columns);
  if (theory && theory.kind === 'value') plot.theory = { column: theory.column, label: theory.label, lines: linesOf(theory.column) };
  return plot;
}

/** Default figure of a sweep: the first two axes with more than one value and the first plateau length (else the first measure). */
export function defaultFigure(summary: SweepSummary): { x: string; y: string | undefined; measure: string | undefined } {
  const varied = summary.axes.filter((a) => axisValues(summary.rows, a).length > 1);
  const measures = figureMeasures(summary);
  const measure = measures.find((m) => /^measured\.L\d+\.length$/.test(m) && summary.rows.some((r) => typeof r[m] === 'number')) ?? measures[0];
  const axes = varied.length ? varied : summary.axes;
  return { x: axes[0], y: axes[1], measure };
}

/** A figure of a sweep: a heatmap of `measure` over `x` × `y` and the same measure against `x`, one line per `y`. */
export interface SweepFigure {
  x: string;
  y?: string;
  measure: string;
}

/**
 * The figures `dfl report DIR` draws for a sweep (and the Lab's Sweep view opens on): over the
 * first two varied axes, every measured plateau length that some run has, then divergence,
 * the early-stopping error and the final loss where they vary; at most `max`.
 */
export function sweepFigures(summary: SweepSummary, max = 8): SweepFigure[] {
  const { x, y } = defaultFigure(summary);
  if (x === undefined) return [];
  const varies = (m: string) => {
    const values = new Set(summary.rows.map((r) => numeric(r[m])).filter((v) => v !== null));
    return values.size > 1;
  };
  const measures = figureMeasures(summary);
  const chosen = [
    ...measures.filter((m) => /^measured\.L\d+\.length$/.test(m) && varies(m)),
    ...['diverged', 'minGroundTruthError', 'argminGroundTruthError', 'finalLoss'].filter((m) => measures.includes(m) && varies(m)),
  ];
  if (chosen.length === 0 && measures.length > 0) chosen.push(measures[0]);
  return chosen.slice(0, max).map((measure) => ({ x, ...(y !== undefined ? { y } : {}), measure }));
}

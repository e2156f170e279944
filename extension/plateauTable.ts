import { trajectoryCsv } from '../core/report/trajectoryCsv';
import type { RunResult } from '../core/result';

// The plateau table of a run: for each L, the predicted interval (Theorem 5.4) against the
// measured one. Pure: used by the side view, the comparison panel and the export.

export interface PlateauRow {
  L: number;
  predicted?: { start: number; end: number; hypothesesMet: boolean };
  measured?: { start: number; end: number };
  /** Both present: the measured interval overlaps the predicted one. */
  agrees?: boolean;
}

/** One row per L that is predicted or measured, ascending L. */
export function plateauRows(result: Pick<RunResult, 'predicted' | 'measured'>): PlateauRow[] {
  const rows = new Map<number, PlateauRow>();
  const row = (L: number) => rows.get(L) ?? rows.set(L, { L }).get(L)!;
  for (const p of result.predicted.plateaus) row(p.L).predicted = { start: p.start, end: p.end, hypothesesMet: p.hypothesesMet };
  for (const m of result.measured.plateaus) row(m.L).measured = { start: m.start, end: m.end };
  for (const r of rows.values()) if (r.predicted && r.measured) r.agrees = r.measured.start <= r.predicted.end && r.predicted.start <= r.measured.end;
  return [...rows.values()].sort((a, b) => a.L - b.L);
}

export function formatInterval(interval: { start: number; end: number } | undefined): string {
  return interval ? `${interval.start}–${interval.end}` : '—';
}

/** `L = 2: predicted 120–340, measured 131–322 ✓` */
export function formatPlateauRow(row: PlateauRow): string {
  const caveat = row.predicted && !row.predicted.hypothesesMet ? ' (hypotheses not met)' : '';
  const mark = row.agrees === undefined ? '' : row.agrees ? ' ✓' : ' ✗';
  return `L = ${row.L}: predicted ${formatInterval(row.predicted)}${caveat}, measured ${formatInterval(row.measured)}${mark}`;
}

/** The table as Markdown (tooltips, the comparison panel's source). */
export function plateauMarkdown(result: Pick<RunResult, 'predicted' | 'measured' | 'spec'>): string {
  const rows = plateauRows(result);
  if (rows.length === 0) return `_No plateaus predicted or measured (ε = ${result.spec.epsilon})._`;
  const lines = ['| L | predicted | measured | |', '|---:|---|---|:-:|'];
  for (const r of rows) {
    const caveat = r.predicted && !r.predicted.hypothesesMet ? ' *' : '';
    lines.push(`| ${r.L} | ${formatInterval(r.predicted)}${caveat} | ${formatInterval(r.measured)} | ${r.agrees === undefined ? '' : r.agrees ? '✓' : '✗'} |`);
  }
  if (rows.some((r) => r.predicted && !r.predicted.hypothesesMet)) lines.push('', '\\* the theorem\'s hypotheses do not hold for this spec');
  return lines.join('\n');
}

/** Steps, loss, effective rank and the singular values as CSV (the extension's export columns). */
export function resultCsv(result: Parameters<typeof trajectoryCsv>[0]): string {
  return trajectoryCsv(result, { header: 'compact', distances: false });
}

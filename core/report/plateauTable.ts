import { pairPlateaus } from '../plateaus/pairing';
import { trajectoryCsv } from './trajectoryCsv';
import type { RunResult } from '../result';

// The plateau table of a run: for each L, the predicted interval (Theorem 5.10) against the
// measured one. Pure: used by the side view, the comparison panel and the export.

export interface PlateauRow {
  L: number;
  predicted?: { start: number; end: number; hypothesesMet: boolean };
  measured?: { start: number; end: number; kind?: 'plateau' | 'crossing' };
  /** Both present: the measured interval overlaps the predicted one. */
  agrees?: boolean;
  /** Predicted over measured length (core/plateaus/pairing.ts). */
  tightness?: number;
}

/** One row per L that is predicted or measured, ascending L, paired by the rule of core/plateaus/pairing.ts. */
export function plateauRows(result: Pick<RunResult, 'predicted' | 'measured'> & Partial<Pick<RunResult, 'targetEffectiveRanks' | 'steps'>>): PlateauRow[] {
  return pairPlateaus(result).map(({ L, predicted: p, measured: m, tightness }) => ({
    L,
    predicted: p && { start: p.start, end: p.end, hypothesesMet: p.hypothesesMet },
    measured: m && { start: m.start, end: m.end, kind: m.kind },
    agrees: p && m ? m.start <= p.end && p.start <= m.end : undefined,
    tightness,
  }));
}

export function formatInterval(interval: { start: number; end: number; kind?: string } | undefined): string {
  return interval ? `${interval.start}–${interval.end}${interval.kind === 'crossing' ? ' (crossing)' : ''}` : '—';
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

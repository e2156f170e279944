import { axisValues, type CellStats, type PhaseDiagram, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { escapeHtml } from '../../core/text';
import { sequentialColor, type PlotTheme } from './colors';
import { fieldLabel } from '../../core/figures/fieldLabels';
import { linearTickLabels, linearTicks, logTickLabels, logTicks } from '../../core/figures/ticks';
import { formatNumber } from './format';

// What a sweep's SVG figures share (./phaseDiagramPlot.ts, ./sweepLinePlot.ts): parts and the
// standalone document, scales and ticks, number formats, the measures' descriptions. Only
// presentation attributes (no `style`): the page's CSP allows no inline styles.

export const esc = escapeHtml;
export const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

/** One drawn part of a figure: its SVG elements (no root) and its size in CSS pixels. */
export interface SvgPart {
  body: string;
  width: number;
  height: number;
}

/** A figure's part as a standalone `<svg>` (the Lab puts it in the page; the export nests it). */
export function svgElement(part: SvgPart, attributes: Record<string, string> = {}): string {
  const extra = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${part.width}" height="${part.height}" viewBox="0 0 ${part.width} ${part.height}"${extra}>${part.body}</svg>`;
}

/** Parts stacked into one standalone SVG document with a title (the report's figure, the Lab's export). */
export function figureDocument(title: string, parts: SvgPart[], theme: PlotTheme): string {
  const pad = 16;
  const head = title ? 34 : 0;
  const width = Math.max(...parts.map((p) => p.width), 200) + 2 * pad;
  const height = parts.reduce((h, p) => h + p.height + pad, head + pad);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(theme.fontFamily)}">`];
  out.push(`<rect width="100%" height="100%" fill="${esc(theme.background)}"/>`);
  if (title) out.push(`<text x="${pad}" y="${pad + 16}" fill="${esc(theme.foreground)}" font-size="16" font-weight="600">${esc(title)}</text>`);
  let y = head + pad;
  for (const p of parts) {
    out.push(`<svg x="${pad}" y="${y}" width="${p.width}" height="${p.height}" viewBox="0 0 ${p.width} ${p.height}">${p.body}</svg>`);
    y += p.height + pad;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// ---- names ----

/** What a summary column measures, in words (core's one table of names); '' for a column it does not know. */
export function measureDescription(measure: string): string {
  const name = fieldLabel(measure).name;
  return name === measure ? '' : name;
}

/** True when every value of the column is a boolean: cells show the fraction of runs where it holds. */
export function isFractionMeasure(summary: SweepSummary, column: string): boolean {
  let any = false;
  for (const r of summary.rows) {
    const v = r[column];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'boolean') return false;
    any = true;
  }
  return any;
}

// ---- scales ----

export interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  /** Position in [0, 1]. */
  t(v: number): number;
  ticks: number[];
}

/** A scale over `values`: log when they are positive and span a factor of `logFrom` or more. */
export function makeScale(values: number[], options: { fraction?: boolean; logFrom?: number; ticks?: number; pad?: number } = {}): Scale {
  if (options.fraction) return { lo: 0, hi: 1, log: false, t: (v) => v, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  const log = lo > 0 && hi / lo >= (options.logFrom ?? 30);
  if (log) {
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    const p = (b - a) * (options.pad ?? 0);
    const [la, lb] = [a - p, b + p];
    return { lo: 10 ** la, hi: 10 ** lb, log, t: (v) => (Math.log10(v) - la) / (lb - la), ticks: logTicks(10 ** la, 10 ** lb) };
  }
  if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) {
    // One value: it sits in the middle of a small range around it.
    const d = Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1;
    if (options.pad === undefined) return { lo, hi, log: false, t: () => 0.5, ticks: [lo] };
    lo -= d;
    hi += d;
  } else if (options.pad) {
    const p = (hi - lo) * options.pad;
    lo -= p;
    hi += p;
  }
  return { lo, hi, log: false, t: (v) => (v - lo) / (hi - lo), ticks: linearTicks(lo, hi, options.ticks ?? 5) };
}

export function fillOf(scale: Scale, v: number): [number, number, number] {
  return sequentialColor(Math.min(1, Math.max(0, scale.t(v))));
}

export const rgbText = ([r, g, b]: [number, number, number]) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
/** Rough text width at a font size (for margins: the SVG is laid out without measuring text). */
export const textWidth = (s: string, size: number) => [...s].length * size * 0.58;

/**
 * Axis values as drawn: numbers through d3-format (core/figures/ticks.ts) with the fewest
 * significant digits, 3 to 6, that keep them apart (0.0716, not 0.07155); others as they are.
 */
export function displayValues<T extends { value: unknown; label: string }>(values: readonly T[]): T[] {
  if (!values.every((v) => typeof v.value === 'number')) return [...values];
  for (let digits = 3; digits <= 6; digits++) {
    const labels = values.map((v) => formatNumber(v.value as number, digits));
    if (new Set(labels).size === labels.length) return values.map((v, i) => ({ ...v, label: labels[i] }));
  }
  return [...values];
}

/** Labels of a scale's ticks, one style for the whole axis (core/figures/ticks.ts). */
export function tickLabels(scale: Scale, fraction = false): string[] {
  if (fraction) return scale.ticks.map((v) => formatValue(v, true));
  return scale.log ? logTickLabels(scale.ticks) : linearTickLabels(scale.ticks);
}

export function formatValue(v: number | null, fraction = false): string {
  if (v === null) return '—';
  if (fraction) return `${Math.round(v * 100)}%`;
  return formatNumber(v);
}

/** The text of a cell's tooltip and readout: where it is, mean, min–max and n. */
export function cellText(d: Pick<PhaseDiagram, 'x' | 'y' | 'measure'>, xi: number, yi: number, cell: CellStats, fraction: boolean): string {
  const where = `${fieldLabel(d.y.axis).symbol} = ${d.y.values[yi].label}, ${fieldLabel(d.x.axis).symbol} = ${d.x.values[xi].label}`;
  if (cell.rows === 0) return `${where}: no runs`;
  if (cell.count === 0) return `${where}: ${d.measure} has no value in ${cell.rows === 1 ? 'the run' : `any of the ${cell.rows} runs`}`;
  const spread = cell.min === cell.max ? '' : `, min–max ${formatValue(cell.min, fraction)}–${formatValue(cell.max, fraction)}`;
  const n = cell.count === cell.rows ? `n = ${cell.count}` : `n = ${cell.count} of ${cell.rows} runs`;
  return `${where}: ${fraction ? 'fraction' : 'mean'} ${formatValue(cell.mean, fraction)}${spread}, ${n}`;
}

// ---- the phase diagram ----

function aggregatedAxes(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string[] {
  return summary.axes.filter((a) => !shown.includes(a) && !(a in fixed) && axisValues(summary.rows, a).length > 1);
}

export function fixedText(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string {
  const parts = Object.entries(fixed).map(([a, v]) => `${fieldLabel(a).symbol} = ${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`);
  const over = aggregatedAxes(summary, shown, fixed).map((a) => `${fieldLabel(a).symbol} (${axisValues(summary.rows, a).length})`);
  return [parts.length ? `fixed ${parts.join(', ')}` : '', over.length ? `aggregated over ${over.join(', ')}` : ''].filter(Boolean).join(' · ');
}


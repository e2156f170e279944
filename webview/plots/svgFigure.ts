import { axisValues, type CellStats, type PhaseDiagram, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { escapeHtml } from '../../core/text';
import { sequentialColor, type PlotTheme } from './colors';
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

/** What a summary column measures, in words (the column's own name is always shown with it). */
export function measureDescription(measure: string): string {
  let m = /^(measured|predicted)\.L(\d+)\.(start|end|length)$/.exec(measure);
  if (m) return `${m[1] === 'measured' ? 'measured ε-plateau' : 'predicted plateau (Theorem 5.10)'} ${m[3]} at L = ${m[2]}, steps`;
  if ((m = /^tightness\.L(\d+)$/.exec(measure))) return `predicted / measured plateau length at L = ${m[1]}`;
  if ((m = /^stepsTo\.i(\d+)\.theta(.+)$/.exec(measure))) return `first logged step with σ${m[1]} ≥ ${m[2]}·σ${m[1]}(Ŵ)`;
  if ((m = /^predicted\.stepsTo\.i(\d+)\.theta(.+)\.(lower|upper)$/.exec(measure))) return `certified ${m[3]} bound on the steps to σ${m[1]} ≥ ${m[2]}·σ${m[1]}(Ŵ) (Proposition 4.3)`;
  const words: Record<string, string> = {
    finalLoss: 'loss ½‖W − Ŵ‖² at the last step',
    finalErank: 'effective rank at the last step',
    hypothesesMet: 'hypotheses (4.1)–(4.6) met',
    orderOfLearning: 'learned in order (step counts non-decreasing in i)',
    orderCertifiedPairs: 'adjacent pairs whose order is certified',
    orderCertified: 'order of learning certified (Theorem 6.1)',
    groundTruthError: '‖W − W*‖_F at the last step',
    minGroundTruthError: 'smallest ‖W(k) − W*‖_F (early stopping)',
    argminGroundTruthError: 'step of the smallest ‖W(k) − W*‖_F',
    diverged: 'the run diverged',
    stoppedAt: 'step the run stopped at',
    stepSizeBound: 'step-size bound (4.1)',
    stepSizeRatio: 'η / bound (4.1)',
  };
  return words[measure] ?? '';
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

export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

export function linearTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  for (let e = e0; e <= e1; e++) for (const m of mults) {
    const v = +(m * 10 ** e).toPrecision(12);
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out.length >= 2 ? out : [lo, hi];
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

export function formatValue(v: number | null, fraction = false): string {
  if (v === null) return '—';
  if (fraction) return `${Math.round(v * 100)}%`;
  return formatNumber(v);
}

/** The text of a cell's tooltip and readout: where it is, mean, min–max and n. */
export function cellText(d: Pick<PhaseDiagram, 'x' | 'y' | 'measure'>, xi: number, yi: number, cell: CellStats, fraction: boolean): string {
  const where = `${d.y.axis} = ${d.y.values[yi].label}, ${d.x.axis} = ${d.x.values[xi].label}`;
  if (cell.rows === 0) return `${where}: no runs`;
  if (cell.count === 0) return `${where}: ${d.measure} has no value in ${cell.rows === 1 ? 'the run' : `any of the ${cell.rows} runs`}`;
  const spread = cell.min === cell.max ? '' : `, min–max ${formatValue(cell.min, fraction)}–${formatValue(cell.max, fraction)}`;
  const n = cell.count === cell.rows ? `n = ${cell.count}` : `n = ${cell.count} of ${cell.rows} runs`;
  return `${where}: ${fraction ? 'fraction' : 'mean'} ${formatValue(cell.mean, fraction)}${spread}, ${n}`;
}

// ---- the phase diagram ----

export function aggregatedAxes(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string[] {
  return summary.axes.filter((a) => !shown.includes(a) && !(a in fixed) && axisValues(summary.rows, a).length > 1);
}

export function fixedText(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string {
  const parts = Object.entries(fixed).map(([a, v]) => `${a} = ${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`);
  const over = aggregatedAxes(summary, shown, fixed).map((a) => `${a} (${axisValues(summary.rows, a).length})`);
  return [parts.length ? `fixed ${parts.join(', ')}` : '', over.length ? `aggregated over ${over.join(', ')}` : ''].filter(Boolean).join(' · ');
}


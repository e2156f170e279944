import { esc, f1, mathText, textWidth, type FigureTheme, type SvgPart } from './svg';
import { linearTickLabels, linearTicks, logTickLabels, logTicks, stepTickLabels } from './ticks';

// One static line plot as SVG: axes with titles and d3-formatted ticks, series, min–max
// ribbons, shaded x-intervals, horizontal reference lines labelled in the right margin (pushed
// apart so that labels never overlap), and a legend that names every mark. The report's run
// and comparison figures are made of these.

interface PanelAxis {
  title: string;
  log?: boolean;
  min?: number;
  max?: number;
  /** Step numbers (0, 1000, 2000; 10,000): the x axis of every trajectory. */
  steps?: boolean;
}

export interface PanelSeries {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  color: string;
  width?: number;
  dash?: string;
}

/** A filled band between two curves (seeds' min and max). */
export interface PanelRibbon {
  xs: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  color: string;
  opacity?: number;
}

/** A shaded interval of x (a predicted plateau). */
interface PanelBand {
  x0: number;
  x1: number;
  color: string;
  opacity?: number;
  label?: string;
}

/** A horizontal line, whole width or from x0 to x1, with a label in the right margin. */
export interface PanelRule {
  y: number;
  x0?: number;
  x1?: number;
  color: string;
  width?: number;
  dash?: string;
  label?: string;
}

export interface LegendEntry {
  kind: 'line' | 'dash' | 'band' | 'bar';
  color: string;
  label: string;
}

export interface PanelSpec {
  /** Unique in the page (clip paths are referenced by id). */
  id: string;
  width: number;
  height: number;
  title?: string;
  x: PanelAxis;
  y: PanelAxis;
  series: PanelSeries[];
  ribbons?: PanelRibbon[];
  bands?: PanelBand[];
  rules?: PanelRule[];
  legend?: LegendEntry[];
  theme: FigureTheme;
}

const FONT = 11;
const TITLE = 13;

interface Scale {
  lo: number;
  hi: number;
  ticks: number[];
  labels: string[];
  t(v: number): number;
}

function extent(values: Iterable<number>, log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && !(v > 0))) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : log ? [1, 10] : [0, 1];
}

/** An axis over `data` (or its given ends) with its ticks and their labels; `t` maps to [0, 1]. */
function scale(axis: PanelAxis, data: [number, number], count: number): Scale {
  let [lo, hi] = [axis.min ?? data[0], axis.max ?? data[1]];
  if (axis.log) {
    if (!(hi > lo)) [lo, hi] = [lo / 2, hi * 2];
    const decades = Math.log10(hi) - Math.log10(lo);
    // A whole decade at the bottom when the axis spans several (the paper's style; a given
    // minimum is a floor for noise, rounded down the same way); headroom at the top so that a
    // curve that converges to its largest value does not run along the frame.
    if (decades > 2) lo = 10 ** Math.floor(Math.log10(lo) + 1e-9);
    if (axis.max === undefined) hi *= 10 ** (0.06 * Math.max(1, Math.log10(hi) - Math.log10(lo)));
    const ticks = logTicks(lo, hi);
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    return { lo, hi, ticks, labels: logTickLabels(ticks), t: (v) => (Math.log10(v) - a) / (b - a || 1) };
  }
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const ticks = linearTicks(lo, hi, count).filter((v) => v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo));
  return { lo, hi, ticks, labels: axis.steps ? stepTickLabels(ticks) : linearTickLabels(ticks), t: (v) => (v - lo) / (hi - lo) };
}

/** Legend rows: entries flowed left to right, wrapped at `width`. */
function legendRows(entries: readonly LegendEntry[], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let row: LegendEntry[] = [];
  let used = 0;
  for (const e of entries) {
    const w = 26 + textWidth(e.label, FONT) + 14;
    if (row.length > 0 && used + w > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(e);
    used += w;
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Label positions (centre y) for rules: in order, at least `gap` apart, within [top, bottom]. */
export function spreadLabels(wanted: readonly number[], gap: number, top: number, bottom: number): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed = order.map((o) => Math.min(Math.max(o.y, top), bottom));
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  // Pushed past the bottom: shift the run back up, keeping the gaps.
  const over = placed.length ? placed[placed.length - 1] - bottom : 0;
  if (over > 0) for (let k = placed.length - 1; k >= 0; k--) placed[k] = k === placed.length - 1 ? placed[k] - over : Math.min(placed[k], placed[k + 1] - gap);
  const out = new Array<number>(wanted.length);
  order.forEach((o, k) => (out[o.i] = placed[k]));
  return out;
}

function pathOf(xs: ArrayLike<number>, ys: ArrayLike<number>, X: (v: number) => number, Y: (v: number) => number, log: boolean): string {
  const out: string[] = [];
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v) || (log && !(v > 0))) {
      pen = false;
      continue;
    }
    out.push(`${pen ? 'L' : 'M'}${f1(X(xs[i]))} ${f1(Y(v))}`);
    pen = true;
  }
  return out.join('');
}

/** Draws the panel; returns its SVG part. */
export function linePanel(spec: PanelSpec): SvgPart {
  const { theme, width, height } = spec;
  const legend = legendRows(spec.legend ?? [], width - 8);
  const head = (spec.title ? TITLE + 8 : 0) + legend.length * 16 + (legend.length ? 4 : 0);
  const xData = extent((function* () {
    for (const s of spec.series) for (let i = 0; i < s.xs.length; i++) yield s.xs[i];
  })(), !!spec.x.log);
  const yData = extent((function* () {
    for (const s of spec.series) for (let i = 0; i < s.ys.length; i++) yield s.ys[i];
    for (const r of spec.ribbons ?? []) for (let i = 0; i < r.xs.length; i++) yield* [r.lo[i], r.hi[i]];
    for (const r of spec.rules ?? []) yield r.y;
  })(), !!spec.y.log);
  const yScale0 = scale(spec.y, yData, Math.max(3, Math.round((height - head) / 45)));
  const yTickW = Math.max(...yScale0.labels.map((l) => textWidth(l, FONT)), 10);
  const ruleLabels = (spec.rules ?? []).filter((r) => r.label);
  // The same right margin with or without labels (at least one label's room), so that panels
  // side by side in a grid have plot areas of one width.
  const right = Math.max(56, ...ruleLabels.map((r) => textWidth(r.label!, FONT) + 10));
  const left = 18 + 6 + yTickW + 6;
  const top = head + 6;
  const bottom = 40;
  const plotW = Math.max(40, width - left - right);
  const plotH = Math.max(30, height - top - bottom);
  const xScale0 = scale(spec.x, xData, Math.max(2, Math.round(plotW / 85)));
  const X = (v: number) => left + xScale0.t(v) * plotW;
  const Y = (v: number) => top + (1 - yScale0.t(v)) * plotH;
  const out: string[] = [];
  const ink = esc(theme.foreground);
  const muted = esc(theme.muted);
  out.push(`<g font-family="${esc(theme.fontFamily)}" font-size="${FONT}">`);
  if (spec.title) out.push(`<text x="0" y="${TITLE}" fill="${ink}" font-size="${TITLE}" font-weight="bold">${mathText(spec.title)}</text>`);
  // Legend.
  legend.forEach((row, r) => {
    let x = 0;
    const y = (spec.title ? TITLE + 8 : 0) + 12 + r * 16;
    for (const e of row) {
      const c = esc(e.color);
      if (e.kind === 'band') out.push(`<rect x="${x}" y="${y - 8}" width="20" height="10" fill="${c}" opacity="0.3"/>`);
      else if (e.kind === 'bar') out.push(`<line x1="${x + 2}" y1="${y - 3}" x2="${x + 18}" y2="${y - 3}" stroke="${c}" stroke-width="4" stroke-linecap="round"/>`);
      else out.push(`<line x1="${x}" y1="${y - 3}" x2="${x + 20}" y2="${y - 3}" stroke="${c}" stroke-width="${e.kind === 'dash' ? 1.2 : 2}"${e.kind === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`);
      out.push(`<text x="${x + 25}" y="${y}" fill="${ink}">${mathText(e.label)}</text>`);
      x += 26 + textWidth(e.label, FONT) + 14;
    }
  });
  // Grid and ticks.
  xScale0.ticks.forEach((v, i) => {
    const x = X(v);
    out.push(`<line x1="${f1(x)}" y1="${f1(top)}" x2="${f1(x)}" y2="${f1(top + plotH)}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<line x1="${f1(x)}" y1="${f1(top + plotH)}" x2="${f1(x)}" y2="${f1(top + plotH + 4)}" stroke="${muted}"/>`);
    if (xScale0.labels[i]) out.push(`<text x="${f1(x)}" y="${f1(top + plotH + 16)}" fill="${muted}" text-anchor="middle">${esc(xScale0.labels[i])}</text>`);
  });
  yScale0.ticks.forEach((v, i) => {
    const y = Y(v);
    if (y < top - 0.5 || y > top + plotH + 0.5) return;
    out.push(`<line x1="${f1(left)}" y1="${f1(y)}" x2="${f1(left + plotW)}" y2="${f1(y)}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<line x1="${f1(left - 4)}" y1="${f1(y)}" x2="${f1(left)}" y2="${f1(y)}" stroke="${muted}"/>`);
    if (yScale0.labels[i]) out.push(`<text x="${f1(left - 6)}" y="${f1(y + 4)}" fill="${muted}" text-anchor="end">${esc(yScale0.labels[i])}</text>`);
  });
  // Axis titles.
  out.push(`<text x="${f1(left + plotW / 2)}" y="${f1(top + plotH + 33)}" fill="${ink}" text-anchor="middle">${mathText(spec.x.title)}</text>`);
  const yMid = top + plotH / 2;
  out.push(`<text x="12" y="${f1(yMid)}" fill="${ink}" text-anchor="middle" transform="rotate(-90 12 ${f1(yMid)})">${mathText(spec.y.title)}</text>`);
  // Data, clipped to the plot area.
  out.push(`<clipPath id="${esc(spec.id)}-clip"><rect x="${f1(left)}" y="${f1(top)}" width="${f1(plotW)}" height="${f1(plotH)}"/></clipPath>`);
  out.push(`<g clip-path="url(#${esc(spec.id)}-clip)">`);
  for (const b of spec.bands ?? []) {
    const x0 = X(Math.max(b.x0, xScale0.lo));
    const x1 = Math.max(X(Math.min(b.x1, xScale0.hi)), x0 + 1);
    out.push(`<rect x="${f1(x0)}" y="${f1(top)}" width="${f1(x1 - x0)}" height="${f1(plotH)}" fill="${esc(b.color)}" opacity="${b.opacity ?? 0.18}"/>`);
    if (b.label && x1 - x0 > textWidth(b.label, 10) + 4) out.push(`<text x="${f1((x0 + x1) / 2)}" y="${f1(top + 12)}" fill="${muted}" font-size="10" text-anchor="middle">${esc(b.label)}</text>`);
  }
  for (const r of spec.ribbons ?? []) {
    const up: string[] = [];
    const down: string[] = [];
    for (let i = 0; i < r.xs.length; i++) {
      if (!Number.isFinite(r.lo[i]) || !Number.isFinite(r.hi[i]) || (spec.y.log && !(r.lo[i] > 0))) continue;
      up.push(`${f1(X(r.xs[i]))} ${f1(Y(r.hi[i]))}`);
      down.push(`${f1(X(r.xs[i]))} ${f1(Y(r.lo[i]))}`);
    }
    if (up.length > 1) out.push(`<path d="M${up.join('L')}L${down.reverse().join('L')}Z" fill="${esc(r.color)}" opacity="${r.opacity ?? 0.22}"/>`);
  }
  for (const s of spec.series) {
    const d = pathOf(s.xs, s.ys, X, Y, !!spec.y.log);
    if (d) out.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${s.width ?? 1.5}" stroke-linejoin="round"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
  }
  const rules = (spec.rules ?? []).filter((r) => Number.isFinite(r.y) && (!spec.y.log || r.y > 0) && r.y >= Math.min(yScale0.lo, yScale0.hi) && r.y <= Math.max(yScale0.lo, yScale0.hi));
  for (const r of rules) {
    const x0 = r.x0 === undefined ? left : X(Math.max(r.x0, xScale0.lo));
    const x1 = r.x1 === undefined ? left + plotW : Math.max(X(Math.min(r.x1, xScale0.hi)), x0 + 1);
    out.push(`<line x1="${f1(x0)}" y1="${f1(Y(r.y))}" x2="${f1(x1)}" y2="${f1(Y(r.y))}" stroke="${esc(r.color)}" stroke-width="${r.width ?? 1}"${r.dash ? ` stroke-dasharray="${r.dash}"` : ''}${r.x0 !== undefined ? ' stroke-linecap="round"' : ''}/>`);
  }
  out.push('</g>');
  // Rule labels in the right margin, spread so that none overlaps another.
  const labelled = rules.filter((r) => r.label);
  const ys = spreadLabels(labelled.map((r) => Y(r.y)), FONT + 1, top + 4, top + plotH);
  labelled.forEach((r, i) => {
    if (Math.abs(ys[i] - Y(r.y)) > 2) out.push(`<line x1="${f1(left + plotW)}" y1="${f1(Y(r.y))}" x2="${f1(left + plotW + 5)}" y2="${f1(ys[i])}" stroke="${muted}" stroke-width="0.6"/>`);
    out.push(`<text x="${f1(left + plotW + 6)}" y="${f1(ys[i] + 4)}" fill="${muted}">${mathText(r.label!)}</text>`);
  });
  out.push(`<rect x="${f1(left)}" y="${f1(top)}" width="${f1(plotW)}" height="${f1(plotH)}" fill="none" stroke="${muted}" stroke-width="0.8"/>`);
  out.push('</g>');
  return { body: out.join(''), width, height };
}

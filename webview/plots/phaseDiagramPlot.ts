import { axisValues, linePlot, phaseDiagram, type CellStats, type LinePlot, type PhaseDiagram, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { escapeHtml } from '../../core/text';
import { relativeLuminance, sequentialColor, withAlpha, type PlotTheme } from './colors';
import { formatNumber } from './format';

// A sweep's figures drawn as SVG elements (docs/sweeps.md "Phase diagrams"): the phase diagram
// of a measure over two axes (a heatmap of the mean per cell, with a colour bar; the theory
// beside it on the same colour scale, or as the contour where η / bound crosses 1), and the
// measure against one axis with one line per value of another and the min–max band over the
// rest. The same markup is the Lab's Sweep view, the report's figure and the SVG export. Only
// presentation attributes (no `style`): the page's CSP allows no inline styles.

const esc = escapeHtml;
const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

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
  if (m) return `${m[1] === 'measured' ? 'measured ε-plateau' : 'predicted plateau (Theorem 5.4)'} ${m[3]} at L = ${m[2]}, steps`;
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

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
  /** Position in [0, 1]. */
  t(v: number): number;
  ticks: number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

function linearTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

function logTicks(lo: number, hi: number): number[] {
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
function makeScale(values: number[], options: { fraction?: boolean; logFrom?: number; ticks?: number; pad?: number } = {}): Scale {
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

function fillOf(scale: Scale, v: number): [number, number, number] {
  return sequentialColor(Math.min(1, Math.max(0, scale.t(v))));
}

const rgbText = ([r, g, b]: [number, number, number]) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
/** Rough text width at a font size (for margins: the SVG is laid out without measuring text). */
const textWidth = (s: string, size: number) => [...s].length * size * 0.58;

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

export interface PhaseDiagramOptions {
  x: string;
  y: string;
  measure: string;
  fixed?: Record<string, unknown>;
  /** Prefix of the SVG's ids (gradients, patterns): unique in the page. */
  id: string;
  /** Cells of the measured heatmap are focusable buttons (the Lab). */
  interactive?: boolean;
}

export interface DrawnPhaseDiagram extends SvgPart {
  diagram: PhaseDiagram;
  fraction: boolean;
}

/** Names of the axes a figure averages over (not shown, not held fixed). */
function aggregatedAxes(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string[] {
  return summary.axes.filter((a) => !shown.includes(a) && !(a in fixed) && axisValues(summary.rows, a).length > 1);
}

function fixedText(summary: SweepSummary, shown: string[], fixed: Record<string, unknown>): string {
  const parts = Object.entries(fixed).map(([a, v]) => `${a} = ${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`);
  const over = aggregatedAxes(summary, shown, fixed).map((a) => `${a} (${axisValues(summary.rows, a).length})`);
  return [parts.length ? `fixed ${parts.join(', ')}` : '', over.length ? `aggregated over ${over.join(', ')}` : ''].filter(Boolean).join(' · ');
}

/** The heatmap of `measure` over x × y, the theory beside it or on it, and the colour bar. */
export function drawPhaseDiagram(summary: SweepSummary, options: PhaseDiagramOptions, theme: PlotTheme): DrawnPhaseDiagram {
  const fixed = options.fixed ?? {};
  const d = phaseDiagram(summary, { x: options.x, y: options.y, measure: options.measure, fixed });
  const fraction = isFractionMeasure(summary, options.measure);
  const nx = d.x.values.length;
  const ny = d.y.values.length;
  const cw = Math.max(34, Math.min(112, Math.floor(460 / Math.max(1, nx))));
  const ch = Math.max(24, Math.min(72, Math.floor(300 / Math.max(1, ny))));
  const gridW = cw * nx;
  const gridH = ch * ny;
  const tick = 12;
  const yLabelW = Math.max(...d.y.values.map((v) => textWidth(v.label, tick)), 10);
  const left = Math.ceil(yLabelW + 8 + 22);
  const headH = 50;
  const panelTitleH = 22;
  const top = headH + panelTitleH;
  const xLabels = d.x.values.map((v) => v.label);
  const rotateX = xLabels.some((l) => textWidth(l, tick) > cw - 4);
  const xLabelH = rotateX ? Math.max(...xLabels.map((l) => textWidth(l, tick))) * 0.72 + 10 : 18;
  const bottom = xLabelH + 26;
  const theoryValue = d.theory?.kind === 'value' ? d.theory : undefined;
  const theoryContour = d.theory?.kind === 'contour' ? d.theory : undefined;
  const panelGap = 36;
  const panels = theoryValue ? 2 : 1;
  const panelX = (i: number) => left + i * (gridW + panelGap + left);
  const barX = panelX(panels - 1) + gridW + 28;
  const barW = 14;
  const colorTitle = fraction ? `${options.measure} (fraction of runs)` : options.measure;
  const scaleValues: number[] = [];
  for (const row of d.cells) for (const c of row) if (c.mean !== null) scaleValues.push(c.mean);
  if (theoryValue) for (const row of theoryValue.cells) for (const c of row) if (c.mean !== null) scaleValues.push(c.mean);
  const theoryFraction = theoryValue ? isFractionMeasure(summary, theoryValue.column) : false;
  const scale = makeScale(scaleValues, { fraction: fraction && (theoryFraction || !theoryValue) });
  const barTickW = Math.max(...[...scale.ticks, scale.lo, scale.hi].map((t) => textWidth(formatValue(t, fraction), 11)), 10);
  const legendY = top + gridH + bottom + 6;
  const out: string[] = [];
  const ink = theme.foreground;
  const muted = theme.muted;
  const cellStroke = theme.highContrast ? theme.foreground : theme.background;
  const id = options.id.replace(/[^A-Za-z0-9_-]/g, '-');
  const legend: string[] = [];

  // Defs: the hatching of cells without a value, the colour bar's gradient.
  const stops = Array.from({ length: 21 }, (_, i) => {
    const t = i / 20;
    return `<stop offset="${t}" stop-color="${rgbText(sequentialColor(1 - t))}"/>`;
  }).join('');
  out.push(
    `<defs><pattern id="${id}-nodata" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="7" height="7" fill="${esc(theme.background)}"/><line x1="0" y1="0" x2="0" y2="7" stroke="${esc(withAlpha(theme.foreground, theme.highContrast ? 0.8 : 0.35))}" stroke-width="2"/></pattern>` +
      `<linearGradient id="${id}-bar" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`,
  );
  out.push(`<g font-family="${esc(theme.fontFamily)}">`);
  // Header: the measure's name, what it is, what is fixed and what is averaged.
  out.push(`<text x="0" y="16" fill="${esc(ink)}" font-size="15" font-weight="600">${esc(options.measure)}<tspan fill="${esc(muted)}" font-weight="normal" font-size="13">${measureDescription(options.measure) ? `  ${esc(measureDescription(options.measure))}` : ''}</tspan></text>`);
  const context = fixedText(summary, [options.x, options.y], fixed);
  out.push(`<text x="0" y="36" fill="${esc(muted)}" font-size="12">${esc(`over ${options.x} × ${options.y}, ${fraction ? 'fraction of runs' : 'mean'} per cell${context ? ` · ${context}` : ''}`)}</text>`);

  const panel = (ox: number, title: string, cells: CellStats[][], measured: boolean, columnFraction: boolean) => {
    out.push(`<text x="${ox}" y="${headH + 15}" fill="${esc(ink)}" font-size="13" font-weight="600">${esc(title)}</text>`);
    out.push(`<g class="${measured ? 'sweep-cells' : 'sweep-theory-cells'}">`);
    cells.forEach((row, yi) =>
      row.forEach((cell, xi) => {
        // y grows upwards: the first value at the bottom.
        const x = ox + xi * cw;
        const y = top + (ny - 1 - yi) * ch;
        const text = cellText({ x: d.x, y: d.y, measure: measured ? d.measure : (d.theory?.column ?? d.measure) }, xi, yi, cell, columnFraction);
        const attrs = measured && options.interactive && cell.runs.length > 0 ? ` tabindex="0" role="button" aria-label="${esc(`${text}. Open run ${cell.runs[0].file}`)}"` : '';
        out.push(`<g class="sweep-cell" data-xi="${xi}" data-yi="${yi}"${attrs}>`);
        out.push(`<title>${esc(text)}${measured && cell.runs.length ? ` (click: open ${cell.runs[0].file})` : ''}</title>`);
        if (cell.mean === null) {
          const fill = cell.rows === 0 ? theme.background : `url(#${id}-nodata)`;
          out.push(`<rect x="${x}" y="${y}" width="${cw}" height="${ch}" fill="${fill}" stroke="${esc(theme.grid)}" stroke-width="1" data-value="none"/>`);
        } else {
          const rgb = fillOf(scale, cell.mean);
          out.push(`<rect x="${x}" y="${y}" width="${cw}" height="${ch}" fill="${rgbText(rgb)}" stroke="${esc(cellStroke)}" stroke-width="1" data-value="${cell.mean}"/>`);
          if (cw >= 34 && ch >= 18) {
            const dark = relativeLuminance(rgb) > 0.32;
            const label = formatValue(cell.mean, columnFraction);
            const size = textWidth(label, 12) > cw - 6 ? 10 : 12;
            out.push(`<text x="${x + cw / 2}" y="${y + ch / 2 + size * 0.36}" text-anchor="middle" font-size="${size}" fill="${dark ? '#111111' : '#ffffff'}" pointer-events="none">${esc(label)}</text>`);
          }
        }
        out.push('</g>');
      }),
    );
    out.push('</g>');
    out.push(`<rect x="${ox}" y="${top}" width="${gridW}" height="${gridH}" fill="none" stroke="${esc(theme.highContrast ? ink : theme.grid)}" stroke-width="1" pointer-events="none"/>`);
    // Axes: values and names.
    d.y.values.forEach((v, yi) => {
      const y = top + (ny - 1 - yi) * ch + ch / 2 + 4;
      out.push(`<text x="${ox - 6}" y="${f1(y)}" text-anchor="end" font-size="${tick}" fill="${esc(muted)}">${esc(v.label)}</text>`);
    });
    const yMid = top + gridH / 2;
    out.push(`<text x="${ox - yLabelW - 14}" y="${f1(yMid)}" text-anchor="middle" font-size="13" fill="${esc(ink)}" transform="rotate(-90 ${f1(ox - yLabelW - 14)} ${f1(yMid)})">${esc(d.y.axis)}</text>`);
    d.x.values.forEach((v, xi) => {
      const x = ox + xi * cw + cw / 2;
      const y = top + gridH + 15;
      if (rotateX) out.push(`<text x="${f1(x)}" y="${f1(y - 4)}" text-anchor="end" font-size="${tick}" fill="${esc(muted)}" transform="rotate(-45 ${f1(x)} ${f1(y - 4)})">${esc(v.label)}</text>`);
      else out.push(`<text x="${f1(x)}" y="${f1(y)}" text-anchor="middle" font-size="${tick}" fill="${esc(muted)}">${esc(v.label)}</text>`);
    });
    out.push(`<text x="${f1(ox + gridW / 2)}" y="${f1(top + gridH + xLabelH + 18)}" text-anchor="middle" font-size="13" fill="${esc(ink)}">${esc(d.x.axis)}</text>`);
  };

  panel(left, theoryValue ? 'measured' : `${fraction ? 'fraction of runs' : 'mean'} per cell`, d.cells, true, fraction);
  if (theoryValue) {
    panel(panelX(1), `theory: ${theoryValue.column}`, theoryValue.cells, false, theoryFraction);
    legend.push(`<tspan fill="${esc(ink)}">theory</tspan> = ${esc(theoryValue.label)}, same colour scale`);
  }
  if (theoryContour) {
    const level = theoryContour.level ?? 1;
    const side = (c: CellStats) => (c.mean === null ? undefined : c.mean >= level);
    const segs: string[] = [];
    const within: string[] = [];
    const X = (xi: number) => left + xi * cw;
    const Y = (yi: number) => top + (ny - yi) * ch; // bottom edge of row yi
    theoryContour.cells.forEach((row, yi) =>
      row.forEach((c, xi) => {
        const s = side(c);
        if (s === undefined) return;
        const right = row[xi + 1] ? side(row[xi + 1]) : undefined;
        if (right !== undefined && right !== s) segs.push(`M${X(xi + 1)} ${Y(yi + 1)}V${Y(yi)}`);
        const up = theoryContour.cells[yi + 1]?.[xi];
        const upSide = up ? side(up) : undefined;
        if (upSide !== undefined && upSide !== s) segs.push(`M${X(xi)} ${Y(yi + 1)}H${X(xi + 1)}`);
        // The level crossed inside the cell (the ratio differs over the aggregated axes).
        if (c.min !== null && c.max !== null && c.min < level && c.max >= level) within.push(`<rect x="${X(xi) + 3}" y="${Y(yi + 1) + 3}" width="${cw - 6}" height="${ch - 6}" fill="none" stroke="${esc(ink)}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
        // Cells past the level get a corner mark.
        if (s) out.push(`<path class="sweep-beyond" d="M${X(xi + 1) - 11} ${Y(yi + 1)}H${X(xi + 1)}V${Y(yi + 1) + 11}Z" fill="${esc(ink)}" opacity="0.85" pointer-events="none"/>`);
      }),
    );
    if (segs.length) {
      out.push(`<path class="sweep-contour" d="${segs.join('')}" fill="none" stroke="${esc(theme.background)}" stroke-width="6" stroke-linecap="round" pointer-events="none"/>`);
      out.push(`<path class="sweep-contour" d="${segs.join('')}" fill="none" stroke="${esc(ink)}" stroke-width="3" stroke-linecap="round" pointer-events="none"/>`);
    }
    out.push(...within);
    const beyond = theoryContour.cells.flat().filter((c) => c.mean !== null && c.mean >= level).length;
    const all = theoryContour.cells.flat().filter((c) => c.mean !== null).length;
    legend.push(
      `<tspan fill="${esc(ink)}">━ theory</tspan>: ${esc(`${theoryContour.column} = ${formatNumber(level)}, ${theoryContour.label}; ◢ marks ${theoryContour.column} ≥ ${formatNumber(level)} (${beyond} of ${all} cells)`)}` +
        (segs.length === 0 ? (beyond === 0 ? ' — no cell reaches it' : ' — every cell is past it') : ''),
    );
  }
  // Colour bar.
  out.push(`<text x="${barX}" y="${headH + 15}" fill="${esc(ink)}" font-size="12" font-weight="600">${esc(fraction ? 'fraction' : scale.log ? 'log scale' : '')}</text>`);
  out.push(`<rect class="sweep-colorbar" x="${barX}" y="${top}" width="${barW}" height="${gridH}" fill="url(#${id}-bar)" stroke="${esc(theme.grid)}"/>`);
  // The ends of the range are labelled too (the smallest and largest mean drawn).
  const barTicks = [...scale.ticks];
  if (!fraction && scale.hi > scale.lo) for (const end of [scale.lo, scale.hi]) if (barTicks.every((v) => Math.abs(scale.t(v) - scale.t(end)) > 0.12)) barTicks.push(end);
  for (const v of barTicks) {
    const t = scale.hi > scale.lo ? scale.t(v) : 0.5;
    const y = top + (1 - t) * gridH;
    out.push(`<line x1="${barX + barW}" y1="${f1(y)}" x2="${barX + barW + 4}" y2="${f1(y)}" stroke="${esc(muted)}"/>`);
    out.push(`<text x="${barX + barW + 7}" y="${f1(y + 4)}" font-size="11" fill="${esc(muted)}">${esc(formatValue(v, fraction))}</text>`);
  }
  const barNameX = barX + barW + 12 + barTickW + 8;
  out.push(`<text x="${f1(barNameX)}" y="${f1(top + gridH / 2)}" text-anchor="middle" font-size="12" fill="${esc(ink)}" transform="rotate(90 ${f1(barNameX)} ${f1(top + gridH / 2)})">${esc(colorTitle)}</text>`);
  // Legend: what no value, the theory and n mean.
  const flat = d.cells.flat();
  if (flat.some((c) => c.mean === null && c.rows > 0)) legend.push(`<tspan fill="${esc(ink)}">hatched</tspan>: ${esc(options.measure)} has no value in the cell's runs`);
  if (flat.some((c) => c.rows === 0)) legend.push(`<tspan fill="${esc(ink)}">empty</tspan>: no run in the sweep`);
  const counts = [...new Set(flat.map((c) => c.rows).filter((n) => n > 0))];
  legend.push(`${counts.length === 1 ? `${counts[0]} run${counts[0] > 1 ? 's' : ''}` : `${Math.min(...counts)}–${Math.max(...counts)} runs`} per cell; hover or focus a cell for mean, min–max and n`);
  if (options.interactive) out.push(`<rect class="sweep-focus" x="0" y="0" width="0" height="0" fill="none" stroke="${esc(theme.highContrast ? ink : theme.accent)}" stroke-width="3" visibility="hidden" pointer-events="none"/>`);
  legend.forEach((line, i) => out.push(`<text class="sweep-legend" x="0" y="${legendY + 14 + i * 17}" font-size="12" fill="${esc(muted)}">${line}</text>`));
  out.push('</g>');
  const width = Math.ceil(Math.max(barNameX + 12, ...legend.map((l) => textWidth(l.replace(/<[^>]+>/g, ''), 12) + 4)));
  const height = Math.ceil(legendY + 14 + legend.length * 17);
  return { body: out.join(''), width, height, diagram: d, fraction };
}

// ---- the line plot ----

export interface LinePlotOptions {
  x: string;
  line?: string;
  measure: string;
  fixed?: Record<string, unknown>;
  id: string;
}

export interface DrawnLinePlot extends SvgPart {
  plot: LinePlot;
}

/** `measure` against `x`, one line per value of `line`, the band from min to max over the other axes. */
export function drawLinePlot(summary: SweepSummary, options: LinePlotOptions, theme: PlotTheme): DrawnLinePlot {
  const fixed = { ...(options.fixed ?? {}) };
  delete fixed[options.x];
  const p = linePlot(summary, { x: options.x, ...(options.line ? { line: options.line } : {}), measure: options.measure, fixed });
  const fraction = isFractionMeasure(summary, options.measure);
  const xs = p.x.values;
  const numericX = xs.every((v) => typeof v.value === 'number');
  const xNums = numericX ? xs.map((v) => v.value as number) : xs.map((_, i) => i);
  const ys: number[] = [];
  for (const l of [...p.lines, ...(p.theory?.lines ?? [])]) for (const c of l.points) for (const v of [c.min, c.max, c.mean]) if (v !== null) ys.push(v);
  const xScale = makeScale(xNums, { logFrom: 10, pad: 0.04, ticks: 6 });
  const yScale = fraction ? makeScale([], { fraction: true }) : makeScale(ys, { logFrom: 30, pad: 0.06, ticks: 5 });
  const plotW = 470;
  const plotH = 250;
  const yTickW = Math.max(...yScale.ticks.map((t) => textWidth(formatValue(t, fraction), 11)), 10);
  const left = Math.ceil(yTickW + 36);
  const top = 50;
  const colors = theme.categorical;
  const lineName = (v: (typeof p.lines)[number]['value']) => (v ? `${options.line} = ${v.label}` : 'all runs');
  const legendItems = p.lines.map((l) => lineName(l.value));
  const legendX = left + plotW + 22;
  const legendW = Math.max(...legendItems.map((s) => textWidth(s, 12)), textWidth('theory (dashed)', 12)) + 30;
  const X = (v: number) => left + (xs.length === 1 ? 0.5 : xScale.t(v)) * plotW;
  const Y = (v: number) => top + (1 - (yScale.hi > yScale.lo ? yScale.t(v) : 0.5)) * plotH;
  const ink = theme.foreground;
  const muted = theme.muted;
  const out: string[] = [];
  const id = options.id.replace(/[^A-Za-z0-9_-]/g, '-');
  out.push(`<defs><clipPath id="${id}-clip"><rect x="${left}" y="${top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`);
  out.push(`<g font-family="${esc(theme.fontFamily)}">`);
  out.push(`<text x="0" y="16" fill="${esc(ink)}" font-size="15" font-weight="600">${esc(options.measure)} against ${esc(options.x)}${options.line ? `, one line per ${esc(options.line)}` : ''}</text>`);
  const context = fixedText(summary, [options.x, ...(options.line ? [options.line] : [])], fixed);
  out.push(`<text x="0" y="36" fill="${esc(muted)}" font-size="12">${esc(`${fraction ? 'fraction of runs' : 'mean'}; band: min–max${context ? ` · ${context}` : ''}`)}</text>`);
  // Grid and ticks.
  for (const v of yScale.ticks) {
    const y = Y(v);
    out.push(`<line x1="${left}" y1="${f1(y)}" x2="${left + plotW}" y2="${f1(y)}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<text x="${left - 6}" y="${f1(y + 4)}" text-anchor="end" font-size="11" fill="${esc(muted)}">${esc(formatValue(v, fraction))}</text>`);
  }
  xs.forEach((v, i) => {
    const x = X(xNums[i]);
    out.push(`<line x1="${f1(x)}" y1="${top}" x2="${f1(x)}" y2="${top + plotH}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<text x="${f1(x)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" fill="${esc(muted)}">${esc(v.label)}</text>`);
  });
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="${esc(theme.highContrast ? ink : theme.grid)}"/>`);
  out.push(`<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" font-size="13" fill="${esc(ink)}">${esc(options.x)}${xScale.log ? ' (log scale)' : ''}</text>`);
  const yName = `${options.measure}${fraction ? ' (fraction of runs)' : ''}${yScale.log ? ' (log scale)' : ''}`;
  const yMid = top + plotH / 2;
  out.push(`<text x="12" y="${yMid}" text-anchor="middle" font-size="13" fill="${esc(ink)}" transform="rotate(-90 12 ${yMid})">${esc(yName)}</text>`);
  // Bands, theory lines, lines with their points.
  const ok = (v: number | null): v is number => v !== null && (!yScale.log || v > 0);
  const runsOf = (points: CellStats[]) => {
    const runs: number[][] = [];
    let cur: number[] = [];
    points.forEach((c, i) => {
      if (ok(c.mean)) cur.push(i);
      else if (cur.length) {
        runs.push(cur);
        cur = [];
      }
    });
    if (cur.length) runs.push(cur);
    return runs;
  };
  out.push(`<g clip-path="url(#${id}-clip)">`);
  p.lines.forEach((l, li) => {
    const color = colors[li % colors.length];
    for (const run of runsOf(l.points)) {
      if (!run.some((i) => l.points[i].min !== l.points[i].max)) continue;
      const upper = run.map((i) => `${f1(X(xNums[i]))} ${f1(Y(l.points[i].max!))}`);
      const lower = run.map((i) => `${f1(X(xNums[i]))} ${f1(Y(Math.max(l.points[i].min!, yScale.log ? yScale.lo : -Infinity)))}`).reverse();
      if (run.length === 1) {
        const i = run[0];
        out.push(`<rect class="sweep-band" x="${f1(X(xNums[i]) - 4)}" y="${f1(Y(l.points[i].max!))}" width="8" height="${f1(Y(l.points[i].min!) - Y(l.points[i].max!))}" fill="${esc(withAlpha(color, 0.22))}"/>`);
      } else out.push(`<path class="sweep-band" d="M${upper.join('L')}L${lower.join('L')}Z" fill="${esc(withAlpha(color, 0.2))}"/>`);
    }
  });
  p.theory?.lines.forEach((l, li) => {
    const color = colors[li % colors.length];
    for (const run of runsOf(l.points)) {
      const d = run.map((i, k) => `${k ? 'L' : 'M'}${f1(X(xNums[i]))} ${f1(Y(l.points[i].mean!))}`).join('');
      out.push(`<path class="sweep-theory-line" d="${d}" fill="none" stroke="${esc(color)}" stroke-width="1.75" stroke-dasharray="6 4"/>`);
      for (const i of run) out.push(`<path d="M${f1(X(xNums[i]) - 4)} ${f1(Y(l.points[i].mean!))}h8" stroke="${esc(color)}" stroke-width="1.75"/>`);
    }
  });
  p.lines.forEach((l, li) => {
    const color = colors[li % colors.length];
    for (const run of runsOf(l.points)) {
      const d = run.map((i, k) => `${k ? 'L' : 'M'}${f1(X(xNums[i]))} ${f1(Y(l.points[i].mean!))}`).join('');
      if (run.length > 1) out.push(`<path class="sweep-line" d="${d}" fill="none" stroke="${esc(color)}" stroke-width="2.25" stroke-linejoin="round"/>`);
      for (const i of run) {
        const c = l.points[i];
        out.push(`<circle cx="${f1(X(xNums[i]))}" cy="${f1(Y(c.mean!))}" r="3.5" fill="${esc(color)}" stroke="${esc(theme.background)}" stroke-width="1"><title>${esc(`${lineName(l.value)}, ${options.x} = ${xs[i].label}: ${fraction ? 'fraction' : 'mean'} ${formatValue(c.mean, fraction)}${c.min !== c.max ? `, min–max ${formatValue(c.min, fraction)}–${formatValue(c.max, fraction)}` : ''}, n = ${c.count}`)}</title></circle>`);
      }
    }
  });
  out.push('</g>');
  // Legend.
  let ly = top + 6;
  out.push(`<text x="${legendX}" y="${ly + 4}" font-size="12" font-weight="600" fill="${esc(ink)}">${esc(options.line ?? 'runs')}</text>`);
  ly += 20;
  p.lines.forEach((l, li) => {
    const color = colors[li % colors.length];
    out.push(`<line x1="${legendX}" y1="${ly}" x2="${legendX + 20}" y2="${ly}" stroke="${esc(color)}" stroke-width="2.5"/><circle cx="${legendX + 10}" cy="${ly}" r="3.5" fill="${esc(color)}"/>`);
    out.push(`<text x="${legendX + 26}" y="${ly + 4}" font-size="12" fill="${esc(ink)}">${esc(lineName(l.value))}</text>`);
    ly += 18;
  });
  const missing = p.lines.some((l) => l.points.some((c) => c.mean === null));
  const notes: string[] = [];
  if (p.theory) notes.push(`dashed: theory, ${p.theory.column}`);
  notes.push('band: min–max over the rest');
  if (missing) notes.push('gaps: no value');
  ly += 6;
  for (const n of notes) {
    if (n.startsWith('dashed')) out.push(`<line x1="${legendX}" y1="${ly}" x2="${legendX + 20}" y2="${ly}" stroke="${esc(ink)}" stroke-width="1.75" stroke-dasharray="5 3"/>`);
    else if (n.startsWith('band')) out.push(`<rect x="${legendX}" y="${ly - 6}" width="20" height="12" fill="${esc(withAlpha(ink, 0.18))}"/>`);
    out.push(`<text x="${legendX + 26}" y="${ly + 4}" font-size="11.5" fill="${esc(muted)}">${esc(n)}</text>`);
    ly += 18;
  }
  out.push('</g>');
  const noteW = Math.max(...notes.map((n) => textWidth(n, 11.5)));
  const width = Math.ceil(legendX + Math.max(legendW, noteW + 30) + 4);
  const height = Math.ceil(Math.max(top + plotH + 44, ly + 4));
  return { body: out.join(''), width, height, plot: p };
}

import { fieldLabel } from '../../core/figures/fieldLabels';
import { htmlId } from '../../core/text';
import { linePlot, type CellStats, type LinePlot, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { withAlpha, type PlotTheme } from './colors';
import { displayValues, esc, f1, fixedText, formatValue, isFractionMeasure, makeScale, textWidth, tickLabels, type SvgPart } from './svgFigure';

// A sweep's line plot as SVG (docs/sweeps.md "Phase diagrams"): the measure against one axis,
// one line per value of another, the min–max band over the rest, the theory dashed.

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
  p.x.values = displayValues(p.x.values);
  const lineValues = displayValues(p.lines.flatMap((l) => (l.value ? [l.value] : [])));
  const shown = new Map(lineValues.map((v) => [v.key, v]));
  for (const l of [...p.lines, ...(p.theory?.lines ?? [])]) if (l.value) l.value = shown.get(l.value.key) ?? l.value;
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
  const yLabels = tickLabels(yScale, fraction);
  const yTickW = Math.max(...yLabels.map((t) => textWidth(t, 11)), 10);
  const left = Math.ceil(yTickW + 36);
  const top = 50;
  const colors = theme.categorical;
  // Names from core's one table (core/figures/fieldLabels.ts): "N = 3", "initial scale α".
  const lineName = (v: (typeof p.lines)[number]['value']) => (v && options.line ? `${fieldLabel(options.line).symbol} = ${v.label}` : 'all runs');
  const legendItems = p.lines.map((l) => lineName(l.value));
  const legendX = left + plotW + 22;
  const legendW = Math.max(...legendItems.map((s) => textWidth(s, 12)), textWidth('theory (dashed)', 12)) + 30;
  const X = (v: number) => left + (xs.length === 1 ? 0.5 : xScale.t(v)) * plotW;
  const Y = (v: number) => top + (1 - (yScale.hi > yScale.lo ? yScale.t(v) : 0.5)) * plotH;
  const ink = theme.foreground;
  const muted = theme.muted;
  const out: string[] = [];
  const id = htmlId(options.id);
  out.push(`<defs><clipPath id="${id}-clip"><rect x="${left}" y="${top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`);
  out.push(`<g font-family="${esc(theme.fontFamily)}">`);
  out.push(`<text x="0" y="16" fill="${esc(ink)}" font-size="15" font-weight="600">${esc(fieldLabel(options.measure).name)} against ${esc(fieldLabel(options.x).symbol)}${options.line ? `, one line per ${esc(fieldLabel(options.line).symbol)}` : ''}</text>`);
  const context = fixedText(summary, [options.x, ...(options.line ? [options.line] : [])], fixed);
  out.push(`<text x="0" y="36" fill="${esc(muted)}" font-size="12">${esc(`${fraction ? 'fraction of runs' : 'mean'}; band: min–max${context ? ` · ${context}` : ''}`)}</text>`);
  // Grid and ticks.
  yScale.ticks.forEach((v, i) => {
    const y = Y(v);
    out.push(`<line x1="${left}" y1="${f1(y)}" x2="${left + plotW}" y2="${f1(y)}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<text x="${left - 6}" y="${f1(y + 4)}" text-anchor="end" font-size="11" fill="${esc(muted)}">${esc(yLabels[i])}</text>`);
  });
  xs.forEach((v, i) => {
    const x = X(xNums[i]);
    out.push(`<line x1="${f1(x)}" y1="${top}" x2="${f1(x)}" y2="${top + plotH}" stroke="${esc(theme.grid)}"/>`);
    out.push(`<text x="${f1(x)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" fill="${esc(muted)}">${esc(v.label)}</text>`);
  });
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="${esc(theme.highContrast ? ink : theme.grid)}"/>`);
  out.push(`<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" font-size="13" fill="${esc(ink)}">${esc(fieldLabel(options.x).name)}${xScale.log ? ' (log scale)' : ''}</text>`);
  const yName = `${fieldLabel(options.measure).name}${fraction ? ' (fraction of runs)' : ''}${yScale.log ? ' (log scale)' : ''}`;
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
        out.push(`<circle cx="${f1(X(xNums[i]))}" cy="${f1(Y(c.mean!))}" r="3.5" fill="${esc(color)}" stroke="${esc(theme.background)}" stroke-width="1"><title>${esc(`${lineName(l.value)}, ${fieldLabel(options.x).symbol} = ${xs[i].label}: ${fraction ? 'fraction' : 'mean'} ${formatValue(c.mean, fraction)}${c.min !== c.max ? `, min–max ${formatValue(c.min, fraction)}–${formatValue(c.max, fraction)}` : ''}, n = ${c.count}`)}</title></circle>`);
      }
    }
  });
  out.push('</g>');
  // Legend.
  let ly = top + 6;
  out.push(`<text x="${legendX}" y="${ly + 4}" font-size="12" font-weight="600" fill="${esc(ink)}">${esc(options.line ? fieldLabel(options.line).name : 'runs')}</text>`);
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

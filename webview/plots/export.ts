import uPlot from 'uplot';
import type { RunResult } from '../../core/result';
import { trajectoryCsv } from '../../core/report/trajectoryCsv';
import { spreadLabels } from '../../core/figures/linePanel';
import { escapeHtml } from '../../core/text';
import { CHART_IDS, CHART_TITLES, type ChartId } from './chartIds';
import type { LabCharts, Primitive } from './charts';
import type { PlotTheme } from './colors';

// Exports: results as JSON and CSV; the plots as one SVG (series serialized from the data,
// decimated to min/max per pixel column, with the same overlays as the canvas) and as one PNG
// (the page's canvases composed on the theme's background).

/** Wide CSV: one row per logged step (core/report/trajectoryCsv.ts). */
export function resultToCsv(result: RunResult): string {
  return trajectoryCsv(result);
}

const esc = escapeHtml;

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

interface AxisInternals {
  _splits?: number[];
  _values?: (string | number | null)[];
}

/** One chart as an SVG group at (ox, oy), in CSS pixels. */
function chartSvg(u: uPlot, id: ChartId, overlays: { under: Primitive[]; over: Primitive[] }, theme: PlotTheme, ox: number, oy: number): string {
  const dpr = uPlot.pxRatio;
  const left = u.bbox.left / dpr;
  const top = u.bbox.top / dpr;
  const width = u.bbox.width / dpr;
  const height = u.bbox.height / dpr;
  const X = (v: number) => u.valToPos(v, 'x', true) / dpr;
  const Y = (v: number) => u.valToPos(v, 'y', true) / dpr;
  const xMin = u.scales.x.min ?? 0;
  const xMax = u.scales.x.max ?? 1;
  const clip = `clip-${id}`;
  const out: string[] = [];
  out.push(`<g transform="translate(${ox},${oy})" font-family="${esc(theme.fontFamily)}" font-size="11">`);
  out.push(`<text x="0" y="-8" fill="${esc(theme.foreground)}" font-size="13" font-weight="600">${esc(CHART_TITLES[id])}</text>`);
  out.push(`<clipPath id="${clip}"><rect x="${f1(left)}" y="${f1(top)}" width="${f1(width)}" height="${f1(height)}"/></clipPath>`);
  // Grid, ticks and tick labels from uPlot's own axis splits (the same as on the canvas).
  const [xAxis, yAxis] = u.axes as (uPlot.Axis & AxisInternals)[];
  (xAxis._splits ?? []).forEach((v, i) => {
    const x = X(v);
    if (x < left - 0.5 || x > left + width + 0.5) return;
    out.push(`<line x1="${f1(x)}" y1="${f1(top)}" x2="${f1(x)}" y2="${f1(top + height)}" stroke="${esc(theme.grid)}"/>`);
    const label = xAxis._values?.[i];
    if (label !== null && label !== undefined && label !== '') out.push(`<text x="${f1(x)}" y="${f1(top + height + 15)}" fill="${esc(theme.muted)}" text-anchor="middle">${esc(String(label))}</text>`);
  });
  (yAxis._splits ?? []).forEach((v, i) => {
    const y = Y(v);
    if (y < top - 0.5 || y > top + height + 0.5) return;
    out.push(`<line x1="${f1(left)}" y1="${f1(y)}" x2="${f1(left + width)}" y2="${f1(y)}" stroke="${esc(theme.grid)}"/>`);
    const label = yAxis._values?.[i];
    if (label !== null && label !== undefined && label !== '') out.push(`<text x="${f1(left - 6)}" y="${f1(y + 4)}" fill="${esc(theme.muted)}" text-anchor="end">${esc(String(label))}</text>`);
  });
  out.push(`<text x="${f1(left + width / 2)}" y="${f1(top + height + 32)}" fill="${esc(theme.muted)}" text-anchor="middle">step k</text>`);
  out.push(`<g clip-path="url(#${clip})">`);
  out.push(...primitivesSvg(overlays.under, X, Y, { left, top, width, height, xMin, xMax }, theme));
  // Series, decimated to first/min/max/last per pixel column.
  const data = u.data;
  const xs = data[0] as ArrayLike<number>;
  for (let s = 1; s < u.series.length; s++) {
    const series = u.series[s];
    if (series.show === false) continue;
    const ys = data[s] as ArrayLike<number | null | undefined>;
    // A colour as text; a function, gradient or pattern has none SVG could use.
    const stroke = typeof series.stroke === 'string' ? series.stroke : theme.foreground;
    const path: string[] = [];
    let pen = false;
    let column = NaN;
    let colPts: [number, number][] = [];
    const flush = () => {
      if (colPts.length === 0) return;
      const first = colPts[0];
      const last = colPts[colPts.length - 1];
      let lo = first;
      let hi = first;
      for (const p of colPts) {
        if (p[1] < lo[1]) lo = p;
        if (p[1] > hi[1]) hi = p;
      }
      const keep = [first, lo, hi, last].filter((p, i, a) => a.indexOf(p) === i).sort((a, b) => a[0] - b[0]);
      for (const [x, y] of keep) {
        path.push(`${pen ? 'L' : 'M'}${f1(x)} ${f1(y)}`);
        pen = true;
      }
      colPts = [];
    };
    for (let i = 0; i < xs.length; i++) {
      const v = ys[i];
      if (v === null || v === undefined || !Number.isFinite(v) || xs[i] < xMin || xs[i] > xMax) {
        flush();
        pen = false;
        continue;
      }
      const x = X(xs[i]);
      const y = Y(v);
      const c = Math.floor(x);
      if (c !== column) {
        flush();
        column = c;
      }
      colPts.push([x, y]);
    }
    flush();
    if (path.length === 0) continue;
    const dash = series.dash ? ` stroke-dasharray="${series.dash.join(' ')}"` : '';
    out.push(`<path d="${path.join('')}" fill="none" stroke="${esc(stroke)}" stroke-width="${series.width ?? 1}" stroke-linejoin="round"${dash}/>`);
  }
  out.push(...primitivesSvg(overlays.over, X, Y, { left, top, width, height, xMin, xMax }, theme));
  out.push('</g>');
  out.push(`<rect x="${f1(left)}" y="${f1(top)}" width="${f1(width)}" height="${f1(height)}" fill="none" stroke="${esc(theme.grid)}"/>`);
  out.push('</g>');
  return out.join('\n');
}

function primitivesSvg(
  primitives: Primitive[],
  X: (v: number) => number,
  Y: (v: number) => number,
  box: { left: number; top: number; width: number; height: number; xMin: number; xMax: number },
  theme: PlotTheme,
): string[] {
  const out: string[] = [];
  const cx = (x: number) => X(Math.min(Math.max(x, box.xMin), box.xMax));
  // As on the canvas (./primitives.ts): labels of close reference lines pushed apart.
  const labelled = primitives.filter((p): p is Extract<Primitive, { type: 'hline' }> => p.type === 'hline' && !!p.label && Number.isFinite(Y(p.y)));
  const spread = spreadLabels(labelled.map((p) => Y(p.y) - 3), 11, box.top + 11, box.top + box.height);
  const labelY = new Map(labelled.map((p, i) => [p, spread[i]]));
  for (const p of primitives) {
    const dash = 'dash' in p && p.dash ? ` stroke-dasharray="${p.dash.join(' ')}"` : '';
    switch (p.type) {
      case 'band': {
        if (p.x1 < box.xMin || p.x0 > box.xMax) break;
        const x0 = cx(p.x0);
        const x1 = Math.max(cx(p.x1), x0 + 1);
        out.push(`<rect x="${f1(x0)}" y="${f1(box.top)}" width="${f1(x1 - x0)}" height="${f1(box.height)}" fill="${esc(p.color)}"/>`);
        if (p.label && x1 - x0 > 18) out.push(`<text x="${f1((x0 + x1) / 2)}" y="${f1(box.top + 12)}" fill="${esc(theme.muted)}" font-size="10" text-anchor="middle">${esc(p.label)}</text>`);
        break;
      }
      case 'hline': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        const x0 = p.x0 !== undefined ? cx(p.x0) : box.left;
        const x1 = p.x1 !== undefined ? Math.max(cx(p.x1), x0 + 1) : box.left + box.width;
        const cap = p.x0 !== undefined ? ' stroke-linecap="round"' : '';
        out.push(`<line x1="${f1(x0)}" y1="${f1(y)}" x2="${f1(x1)}" y2="${f1(y)}" stroke="${esc(p.color)}" stroke-width="${p.width}"${dash}${cap}/>`);
        if (p.label) out.push(`<text x="${f1(box.left + box.width - 4)}" y="${f1(labelY.get(p) ?? y - 3)}" fill="${esc(theme.muted)}" font-size="10" text-anchor="end">${esc(p.label)}</text>`);
        break;
      }
      case 'vline': {
        if (p.x < box.xMin || p.x > box.xMax) break;
        const x = X(p.x);
        out.push(`<line x1="${f1(x)}" y1="${f1(box.top)}" x2="${f1(x)}" y2="${f1(box.top + box.height)}" stroke="${esc(p.color)}" stroke-width="${p.width}"${dash}/>`);
        break;
      }
      case 'tick': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        out.push(`<line x1="${f1(box.left + box.width - p.length)}" y1="${f1(y)}" x2="${f1(box.left + box.width)}" y2="${f1(y)}" stroke="${esc(p.color)}" stroke-width="2"/>`);
        break;
      }
    }
  }
  return out;
}

/** The four plots as one standalone SVG document (2 × 2 grid). */
export function chartsToSvg(charts: LabCharts, theme: PlotTheme, title: string): string {
  const plots = charts.plots();
  const cellW = Math.max(...[...plots.values()].map((u) => u.width), 300);
  const cellH = Math.max(...[...plots.values()].map((u) => u.height), 200) + 36;
  const pad = 24;
  const width = 2 * cellW + 3 * pad;
  const height = 2 * cellH + 2 * pad + 40;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<rect width="100%" height="100%" fill="${esc(theme.background)}"/>`);
  parts.push(`<text x="${pad}" y="28" fill="${esc(theme.foreground)}" font-family="${esc(theme.fontFamily)}" font-size="15" font-weight="600">${esc(title)}</text>`);
  CHART_IDS.forEach((id, i) => {
    const u = plots.get(id);
    if (!u) return;
    const ox = pad + (i % 2) * (cellW + pad);
    const oy = 40 + pad + Math.floor(i / 2) * (cellH + pad);
    parts.push(chartSvg(u, id, { under: charts.overlays(id, 'under'), over: charts.overlays(id, 'over') }, theme, ox, oy));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * The results area as a PNG: every canvas (plots, heatmaps, colour bar) and caption drawn where
 * it sits on the page, on the theme's background. Returns base64 without the data: prefix.
 */
export function resultsToPng(root: HTMLElement, theme: PlotTheme, title: string): string {
  const dpr = window.devicePixelRatio || 1;
  const box = root.getBoundingClientRect();
  const header = 36;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(box.width * dpr);
  canvas.height = Math.ceil((box.height + header) * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, box.width, box.height + header);
  ctx.fillStyle = theme.foreground;
  ctx.font = `600 15px ${theme.fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 12, header / 2);
  for (const c of root.querySelectorAll('canvas')) {
    const r = c.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    ctx.drawImage(c, r.left - box.left, r.top - box.top + header, r.width, r.height);
  }
  for (const el of root.querySelectorAll<HTMLElement>('figcaption, .plot-key, .heat-scale span, .scrub label')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    const style = getComputedStyle(el);
    ctx.fillStyle = style.color;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${theme.fontFamily}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(el.textContent ?? '', r.left - box.left, r.top - box.top + header + r.height / 2, r.width + 40);
  }
  return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
}

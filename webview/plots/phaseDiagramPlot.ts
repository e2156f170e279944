import { phaseDiagram, type CellStats, type PhaseDiagram, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { htmlId } from '../../core/text';
import { relativeLuminance, sequentialColor, withAlpha, type PlotTheme } from './colors';
import { formatNumber } from './format';
import { fieldLabel } from '../../core/figures/fieldLabels';
import { cellText, displayValues, esc, f1, fillOf, fixedText, formatValue, isFractionMeasure, makeScale, rgbText, textWidth, tickLabels, type SvgPart } from './svgFigure';

// A sweep's phase diagram drawn as SVG (docs/sweeps.md "Phase diagrams"): a measure over two
// axes, a heatmap of the mean per cell with a colour bar, and the theory beside it on the same
// colour scale or as the contour where η / bound crosses 1. The same markup is the Lab's Sweep
// view, the report's figure and the SVG export (the line plot: ./sweepLinePlot.ts).

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
/** The heatmap of `measure` over x × y, the theory beside it or on it, and the colour bar. */
export function drawPhaseDiagram(summary: SweepSummary, options: PhaseDiagramOptions, theme: PlotTheme): DrawnPhaseDiagram {
  const fixed = options.fixed ?? {};
  const d = phaseDiagram(summary, { x: options.x, y: options.y, measure: options.measure, fixed });
  d.x.values = displayValues(d.x.values);
  d.y.values = displayValues(d.y.values);
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
  // Names from core's one table (core/figures/fieldLabels.ts): `depth N`, not `depth`.
  const measureName = fieldLabel(options.measure).name;
  const colorTitle = fraction ? `${measureName} (fraction of runs)` : measureName;
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
  const id = htmlId(options.id);
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
  out.push(`<text x="0" y="16" fill="${esc(ink)}" font-size="15" font-weight="600">${esc(measureName)}<tspan fill="${esc(muted)}" font-weight="normal" font-size="13">${measureName !== options.measure ? `  (${esc(options.measure)})` : ''}</tspan></text>`);
  const context = fixedText(summary, [options.x, options.y], fixed);
  out.push(`<text x="0" y="36" fill="${esc(muted)}" font-size="12">${esc(`over ${fieldLabel(options.x).symbol} × ${fieldLabel(options.y).symbol}, ${fraction ? 'fraction of runs' : 'mean'} per cell${context ? ` · ${context}` : ''}`)}</text>`);

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
    out.push(`<text x="${ox - yLabelW - 14}" y="${f1(yMid)}" text-anchor="middle" font-size="13" fill="${esc(ink)}" transform="rotate(-90 ${f1(ox - yLabelW - 14)} ${f1(yMid)})">${esc(fieldLabel(d.y.axis).name)}</text>`);
    d.x.values.forEach((v, xi) => {
      const x = ox + xi * cw + cw / 2;
      const y = top + gridH + 15;
      if (rotateX) out.push(`<text x="${f1(x)}" y="${f1(y - 4)}" text-anchor="end" font-size="${tick}" fill="${esc(muted)}" transform="rotate(-45 ${f1(x)} ${f1(y - 4)})">${esc(v.label)}</text>`);
      else out.push(`<text x="${f1(x)}" y="${f1(y)}" text-anchor="middle" font-size="${tick}" fill="${esc(muted)}">${esc(v.label)}</text>`);
    });
    out.push(`<text x="${f1(ox + gridW / 2)}" y="${f1(top + gridH + xLabelH + 18)}" text-anchor="middle" font-size="13" fill="${esc(ink)}">${esc(fieldLabel(d.x.axis).name)}</text>`);
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
  // The scale's ticks in one style (tickLabels); the range's ends added above in the same style.
  const ends = scale.log ? (v: number) => formatNumber(v) : (v: number) => formatValue(v, fraction);
  const labelOf = new Map(scale.ticks.map((v, i) => [v, tickLabels(scale, fraction)[i]]));
  for (const v of barTicks) {
    const t = scale.hi > scale.lo ? scale.t(v) : 0.5;
    const y = top + (1 - t) * gridH;
    out.push(`<line x1="${barX + barW}" y1="${f1(y)}" x2="${barX + barW + 4}" y2="${f1(y)}" stroke="${esc(muted)}"/>`);
    out.push(`<text x="${barX + barW + 7}" y="${f1(y + 4)}" font-size="11" fill="${esc(muted)}">${esc(labelOf.get(v) ?? ends(v))}</text>`);
  }
  const barNameX = barX + barW + 12 + barTickW + 8;
  out.push(`<text x="${f1(barNameX)}" y="${f1(top + gridH / 2)}" text-anchor="middle" font-size="12" fill="${esc(ink)}" transform="rotate(90 ${f1(barNameX)} ${f1(top + gridH / 2)})">${esc(colorTitle)}</text>`);
  // Legend: what no value, the theory and n mean.
  const flat = d.cells.flat();
  if (flat.some((c) => c.mean === null && c.rows > 0)) legend.push(`<tspan fill="${esc(ink)}">hatched</tspan>: ${esc(measureName)} has no value in the cell's runs`);
  if (flat.some((c) => c.rows === 0)) legend.push(`<tspan fill="${esc(ink)}">empty</tspan>: no run in the sweep`);
  const counts = [...new Set(flat.map((c) => c.rows).filter((n) => n > 0))];
  legend.push(`${counts.length === 1 ? `${counts[0]} run${counts[0] > 1 ? 's' : ''}` : `${Math.min(...counts)}–${Math.max(...counts)} runs`} per cell${options.interactive ? '; hover or focus a cell for mean, min–max and n' : ''}`);
  if (options.interactive) out.push(`<rect class="sweep-focus" x="0" y="0" width="0" height="0" fill="none" stroke="${esc(theme.highContrast ? ink : theme.accent)}" stroke-width="3" visibility="hidden" pointer-events="none"/>`);
  legend.forEach((line, i) => out.push(`<text class="sweep-legend" x="0" y="${legendY + 14 + i * 17}" font-size="12" fill="${esc(muted)}">${line}</text>`));
  out.push('</g>');
  const width = Math.ceil(Math.max(barNameX + 12, ...legend.map((l) => textWidth(l.replace(/<[^>]+>/g, ''), 12) + 4)));
  const height = Math.ceil(legendY + 14 + legend.length * 17);
  return { body: out.join(''), width, height, diagram: d, fraction };
}

import { describe, expect, it } from 'vitest';
import { sweepSummarySchema, type SweepSummary } from '../../core/sweep/phaseDiagram';
import type { PlotTheme } from '../../webview/plots/colors';
import { drawPhaseDiagram } from '../../webview/plots/phaseDiagramPlot';
import { drawLinePlot } from '../../webview/plots/sweepLinePlot';
import { displayValues, figureDocument, isFractionMeasure } from '../../webview/plots/svgFigure';

// The sweep figures' SVG (pure string building; the browser tests check how it renders).

const theme: PlotTheme = { dark: true, highContrast: false, background: '#1e1e1e', foreground: '#cccccc', muted: 'rgba(204, 204, 204, 0.72)', grid: 'rgba(204, 204, 204, 0.09)', font: '11px sans-serif', fontFamily: 'sans-serif', accent: '#4cc9f0', accent2: '#ffb86b', failure: '#f14c4c', categorical: ['#4cc9f0', '#f72585', '#ffd166'] };
const hash = (i: number) => i.toString(16).padStart(16, '0');

// depth × alpha × seed; the L1 length is missing at depth 2, the step-size ratio crosses 1 at depth 4.
function summary(): SweepSummary {
  const rows = [];
  let run = 0;
  for (const depth of [2, 3, 4])
    for (const alpha of [0.05, 0.1])
      for (const seed of [1, 2]) {
        rows.push({ run, hash: hash(run), file: `run-${hash(run)}.json`, depth, 'init.alpha': alpha, 'target.seed': seed, 'measured.L1.length': depth === 2 ? null : depth * 100 * alpha + seed, 'predicted.L1.length': depth === 2 ? null : depth * 100 * alpha, diverged: false, stepSizeRatio: depth / 4, 'a<b': 1 });
        run++;
      }
  return sweepSummarySchema.parse({ name: 't', total: run, done: run, axes: ['depth', 'init.alpha', 'target.seed'], columns: ['run', 'hash', 'file', 'depth', 'init.alpha', 'target.seed', 'measured.L1.length', 'predicted.L1.length', 'diverged', 'stepSizeRatio', 'a<b'], rows });
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('phase diagram SVG', () => {
  it('draws one cell per grid point, hatches the cells without a value, and the theory beside on one scale', () => {
    const d = drawPhaseDiagram(summary(), { x: 'depth', y: 'init.alpha', measure: 'measured.L1.length', id: 't', interactive: true }, theme);
    const measured = d.body.slice(d.body.indexOf('class="sweep-cells"'), d.body.indexOf('class="sweep-theory-cells"'));
    expect(count(measured, /class="sweep-cell"/g)).toBe(6);
    expect(count(measured, /data-value="none"/g)).toBe(2);
    expect(count(measured, /fill="url\(#t-nodata\)"/g)).toBe(2);
    expect(count(measured, /tabindex="0" role="button"/g)).toBe(6);
    expect(count(d.body.slice(d.body.indexOf('class="sweep-theory-cells"')), /class="sweep-cell"/g)).toBe(6);
    expect(d.body).toContain('theory: predicted.L1.length');
    // Fields by their symbols from core's one table of names.
    expect(d.body).toContain('aggregated over target seed (2)');
    expect(d.body).toContain('initial scale α');
    expect(d.body).toContain('hover or focus a cell');
    expect(d.body).not.toMatch(/ style=/);
    expect(d.width).toBeGreaterThan(300);
  });

  it('draws the step-size contour for divergence where η / bound crosses 1', () => {
    const d = drawPhaseDiagram(summary(), { x: 'depth', y: 'init.alpha', measure: 'diverged', id: 't' }, theme);
    expect(isFractionMeasure(summary(), 'diverged')).toBe(true);
    expect(d.body).toContain('diverged (fraction of runs)');
    // A static figure says nothing about hovering.
    expect(d.body).not.toContain('hover');
    // The boundary between depth 3 (ratio 0.75) and depth 4 (ratio 1): one vertical segment per row.
    const contour = /class="sweep-contour" d="([^"]+)"/.exec(d.body)![1];
    expect(count(contour, /M/g)).toBe(2);
    expect(count(d.body, /class="sweep-beyond"/g)).toBe(2);
  });

  it('escapes names and composes a standalone document', () => {
    const d = drawPhaseDiagram(summary(), { x: 'depth', y: 'init.alpha', measure: 'a<b', id: 't' }, theme);
    expect(d.body).toContain('a&lt;b');
    expect(d.body).not.toContain('a<b');
    const l = drawLinePlot(summary(), { x: 'init.alpha', line: 'depth', measure: 'measured.L1.length', id: 'l' }, theme);
    expect(l.body).toContain('N = 3');
    expect(count(l.body, /class="sweep-theory-line"/g)).toBe(2);
    const doc = figureDocument('t: a<b', [d, l], theme);
    expect(doc).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(doc).toContain('t: a&lt;b');
  });

  it('labels axis values with d3-format, as few digits as keep them apart', () => {
    const values = (xs: number[]) => xs.map((value, i) => ({ key: String(i), value, label: String(value) }));
    expect(displayValues(values([0.07155, 0.1, 0.1397])).map((v) => v.label)).toEqual(['0.0716', '0.1', '0.14']);
    expect(displayValues(values([0.10004, 0.10006])).map((v) => v.label)).toEqual(['0.1', '0.1001']);
    expect(displayValues([{ key: 'a', value: 'identity', label: 'identity' }]).map((v) => v.label)).toEqual(['identity']);
  });
});

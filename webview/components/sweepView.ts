import { axisValues, defaultFigure, figureMeasures, type SweepSummary } from '../../core/sweep/phaseDiagram';
import type { WebviewMessageInput } from '../../core/protocol/messages';
import { slug } from '../../core/text';
import { readPlotTheme } from '../plots/colors';
import { drawPhaseDiagram, type DrawnPhaseDiagram } from '../plots/phaseDiagramPlot';
import { drawLinePlot } from '../plots/sweepLinePlot';
import { cellText, figureDocument, formatValue, measureDescription, svgElement, type SvgPart } from '../plots/svgFigure';
import { formNote, formRow, formSection } from '../ui/formLayout';
import { button, dropdown, type Choice, type Dropdown } from '../ui/toolkit';

// The Lab's Sweep view: a sweep folder's summary (the host's `sweep` message) as a phase diagram
// (webview/plots/phaseDiagramPlot.ts: the measure's mean per cell over two axes, the theory
// beside it or as a contour) and a line plot (one line per value of a third axis, min–max band).
// Pickers choose the axes, the measure, fixed values of the other axes and the lines. A cell
// (click, or Enter/Space on a focused cell; arrow keys move between cells) asks the host for its
// first run (`openSweepRun`); the Lab shows it in the Run view when `loadResult` answers.
// State is mirrored on <body data-sweep-measure> and on #sweep-view's data-x/-y/-line/-cells.

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const ALL = '__all__';
const NONE = '__none__';

const row = (label: string, field: HTMLElement, title?: string) => formRow(label, [field], title);
const heading = formSection;
const note = formNote;

/** A figure shrinks with a narrow column down to 520 px (or its own width), then the panel scrolls. */
function readableWidth(box: HTMLElement, width: number): void {
  const svg = box.querySelector('svg');
  if (svg) svg.style.minWidth = `${Math.min(width, 520)}px`;
}

interface Selection {
  x: string;
  y: string | undefined;
  measure: string;
  line: string | undefined;
  /** Axis → value key (JSON) of the values held fixed. */
  fixed: Record<string, string>;
}

export class SweepView {
  private summary: SweepSummary | undefined;
  private title = '';
  private selection: Selection | undefined;
  private pickers: { x: Dropdown; y: Dropdown; measure: Dropdown; line: Dropdown; fixed: Map<string, { field: Dropdown; row: HTMLElement }> } | undefined;
  private drawn: { heat?: DrawnPhaseDiagram; lines?: SvgPart } = {};
  private readonly root = $('sweep-view');

  constructor(private readonly post: (message: WebviewMessageInput) => void) {
    const heat = $('sweep-heatmap-body');
    heat.addEventListener('click', (event) => {
      const cell = this.cellOf(event.target);
      if (cell) this.open(cell.xi, cell.yi);
    });
    heat.addEventListener('keydown', (event) => this.onKey(event));
    heat.addEventListener('mouseover', (event) => {
      const cell = this.cellOf(event.target);
      if (cell) this.readout(cell.xi, cell.yi);
    });
    heat.addEventListener('focusin', (event) => {
      const cell = this.cellOf(event.target);
      if (!cell) return;
      this.readout(cell.xi, cell.yi);
      this.focusRing(cell.element);
    });
    heat.addEventListener('focusout', () => this.focusRing(undefined));
  }

  /** Shows a sweep: pickers for its axes and measures, the default figure. */
  show(title: string, summary: SweepSummary): void {
    this.summary = summary;
    this.title = title;
    const axes = summary.axes;
    $('sweep-title').textContent = `Sweep ${summary.name ?? title}`;
    const counts = axes.map((a) => `${a} (${axisValues(summary.rows, a).length})`);
    $('sweep-counts').textContent = `${title} · ${summary.done} of ${summary.total} runs done · ${summary.rows.length} rows · axes: ${counts.join(', ') || 'none'}`;
    const measures = figureMeasures(summary);
    const d = defaultFigure(summary);
    if (d.x === undefined || d.measure === undefined) {
      this.selection = undefined;
      this.pickers = undefined;
      $('sweep-controls').replaceChildren(heading('Figure'), note(d.x === undefined ? 'This sweep has no axes.' : 'This sweep has no numeric measure to draw.'));
      this.render();
      return;
    }
    this.selection = { x: d.x, y: d.y, measure: d.measure, line: d.y, fixed: {} };
    const axisChoices: Choice[] = axes.map((a) => ({ value: a, label: a }));
    const x = dropdown({ choices: axisChoices, value: d.x, ariaLabel: 'x axis', id: 'sweep-x' });
    const y = dropdown({ choices: axisChoices, value: d.y ?? axes[0], ariaLabel: 'y axis', id: 'sweep-y' });
    const measure = dropdown({ choices: measures.map((m) => ({ value: m, label: m })), value: d.measure, ariaLabel: 'measure', id: 'sweep-measure' });
    measure.element.classList.add('wide');
    const line = dropdown({ choices: this.lineChoices(d.x), value: d.y ?? NONE, ariaLabel: 'line plot: one line per', id: 'sweep-line' });
    const fixed = new Map<string, { field: Dropdown; row: HTMLElement }>();
    const fixedRows: HTMLElement[] = [];
    axes.forEach((axis, i) => {
      const values = axisValues(summary.rows, axis);
      const field = dropdown({ choices: [{ value: ALL, label: `all ${values.length} (aggregate)` }, ...values.map((v) => ({ value: v.key, label: v.label }))], value: ALL, ariaLabel: `fix ${axis}`, id: `sweep-fix-${i}` });
      field.element.dataset.axis = axis;
      const r = row(axis, field.element, `hold ${axis} at one value, or aggregate over all its values`);
      fixed.set(axis, { field, row: r });
      fixedRows.push(r);
      field.onChange(() => this.update('fixed'));
    });
    this.pickers = { x, y, measure, line, fixed };
    const exportSvg = button({ label: 'Export SVG', appearance: 'secondary', id: 'sweep-export-svg', title: 'the phase diagram and the line plot as one SVG' });
    exportSvg.onClick(() => this.exportSvg());
    const controls: HTMLElement[] = [heading('Phase diagram'), row('x axis', x.element), ...(axes.length > 1 ? [row('y axis', y.element)] : []), row('measure', measure.element), note('')];
    controls[controls.length - 1].id = 'sweep-measure-note';
    if (axes.length > 2 || axes.some((a) => axisValues(summary.rows, a).length > 1)) controls.push(heading('Other axes'), note('Each cell aggregates the runs that share its x and y values; fix an axis to show one of its values only.'), ...fixedRows);
    controls.push(heading('Line plot'), row('one line per', line.element), heading('Export'));
    const buttons = document.createElement('div');
    buttons.className = 'export-buttons';
    buttons.append(exportSvg.element);
    controls.push(buttons);
    $('sweep-controls').replaceChildren(...controls);
    x.onChange(() => this.onAxis('x'));
    y.onChange(() => this.onAxis('y'));
    measure.onChange(() => this.update('measure'));
    line.onChange(() => this.update('line'));
    this.update();
  }

  /** Redraws with the current theme (the page's theme changed). */
  redraw(): void {
    if (this.summary) this.render();
  }

  private lineChoices(x: string): Choice[] {
    return [...(this.summary?.axes ?? []).filter((a) => a !== x).map((a) => ({ value: a, label: a })), { value: NONE, label: 'none (one line)' }];
  }

  /** x and y stay different: picking the other's axis swaps them; the line axis follows y. */
  private onAxis(changed: 'x' | 'y'): void {
    const p = this.pickers;
    const s = this.selection;
    if (!p || !s) return;
    let { x, y } = s;
    const value = (changed === 'x' ? p.x : p.y).get();
    if (changed === 'x') {
      if (value === y) y = x;
      x = value;
    } else {
      if (value === x) x = y ?? x;
      y = value;
    }
    p.x.set(x);
    if (y !== undefined) p.y.set(y);
    p.line.setChoices(this.lineChoices(x));
    const line = s.line === s.y || s.line === x ? y : s.line;
    p.line.set(line ?? NONE);
    this.selection = { ...s, x, y, line };
    this.update();
  }

  /**
   * The selection from the pickers that changed (the toolkit's dropdowns take their value only
   * once connected, so the view keeps its own selection and reads a picker on its change).
   */
  private update(changed?: 'measure' | 'line' | 'fixed'): void {
    const p = this.pickers;
    const s = this.selection;
    if (p && s) {
      if (changed === 'measure') s.measure = p.measure.get() || s.measure;
      if (changed === 'line') s.line = p.line.get() === NONE ? undefined : p.line.get() || s.line;
      if (changed === 'fixed') {
        s.fixed = {};
        for (const [axis, { field }] of p.fixed) if (field.get() !== ALL && field.get() !== '') s.fixed[axis] = field.get();
      }
      for (const [axis, { row: r }] of p.fixed) r.hidden = axis === s.x || axis === s.y;
    }
    this.render();
  }

  private render(): void {
    const s = this.summary;
    const sel = this.selection;
    const heat = $('sweep-heatmap-body');
    const lines = $('sweep-lines-body');
    this.drawn = {};
    if (!s || !sel) {
      heat.replaceChildren();
      lines.replaceChildren();
      $('sweep-heatmap').hidden = true;
      $('sweep-lines').hidden = true;
      this.root.dataset.cells = '0';
      this.setReadout(s ? 'Nothing to draw.' : '');
      return;
    }
    const theme = readPlotTheme();
    const fixed = Object.fromEntries(Object.entries(sel.fixed).filter(([a]) => a !== sel.x && a !== sel.y).map(([a, key]) => [a, JSON.parse(key) as unknown]));
    const measureNote = document.getElementById('sweep-measure-note');
    if (measureNote) measureNote.textContent = measureDescription(sel.measure);
    try {
      if (sel.y !== undefined) {
        const drawn = drawPhaseDiagram(s, { x: sel.x, y: sel.y, measure: sel.measure, fixed, id: 'sweep-heat', interactive: true }, theme);
        this.drawn.heat = drawn;
        heat.innerHTML = svgElement(drawn, { class: 'sweep-svg', role: 'group', 'aria-label': `phase diagram of ${sel.measure} over ${sel.x} × ${sel.y}` });
        readableWidth(heat, drawn.width);
        $('sweep-heatmap').hidden = false;
      } else {
        heat.replaceChildren();
        $('sweep-heatmap').hidden = true;
      }
      const linesFixed = { ...fixed };
      if (sel.line) delete linesFixed[sel.line];
      const plot = drawLinePlot(s, { x: sel.x, ...(sel.line ? { line: sel.line } : {}), measure: sel.measure, fixed: linesFixed, id: 'sweep-lines' }, theme);
      this.drawn.lines = plot;
      lines.innerHTML = svgElement(plot, { class: 'sweep-svg', role: 'img', 'aria-label': `${sel.measure} against ${sel.x}${sel.line ? `, one line per ${sel.line}` : ''}` });
      readableWidth(lines, plot.width);
      $('sweep-lines').hidden = false;
      this.setReadout(sel.y !== undefined ? 'Click a cell, or focus it and press Enter, to open its first run in the Run view. Arrow keys move between cells.' : 'One axis: no phase diagram, the line plot only.');
    } catch (error) {
      heat.replaceChildren();
      lines.replaceChildren();
      this.setReadout((error as Error).message);
    }
    const d = this.drawn.heat?.diagram;
    this.root.dataset.x = sel.x;
    this.root.dataset.y = sel.y ?? '';
    this.root.dataset.line = sel.line ?? '';
    this.root.dataset.measure = sel.measure;
    this.root.dataset.cells = String(d ? d.cells.flat().length : 0);
    this.root.dataset.theory = d?.theory ? d.theory.kind : 'none';
    document.body.dataset.sweepMeasure = sel.measure;
  }

  private setReadout(text: string): void {
    $('sweep-readout').textContent = text;
  }

  private readout(xi: number, yi: number): void {
    const d = this.drawn.heat;
    const cell = d?.diagram.cells[yi]?.[xi];
    if (!d || !cell) return;
    const theory = d.diagram.theory?.cells[yi]?.[xi];
    const t = theory && d.diagram.theory && theory.mean !== null ? ` · theory ${d.diagram.theory.column} ${formatValue(theory.mean)}${theory.min !== theory.max ? ` (${formatValue(theory.min)}–${formatValue(theory.max)})` : ''}` : '';
    this.setReadout(`${cellText(d.diagram, xi, yi, cell, d.fraction)}${t}${cell.runs.length ? ` · Enter or click opens ${cell.runs[0].file}` : ''}`);
  }

  /** A ring over the focused cell, drawn last so that no neighbour covers it. */
  private focusRing(cell: Element | undefined): void {
    const ring = $('sweep-heatmap-body').querySelector('.sweep-focus');
    const rect = cell?.querySelector('rect');
    if (!ring) return;
    if (!rect) return void ring.setAttribute('visibility', 'hidden');
    for (const a of ['x', 'y', 'width', 'height']) ring.setAttribute(a, rect.getAttribute(a) ?? '0');
    ring.setAttribute('visibility', 'visible');
  }

  private cellOf(target: EventTarget | null): { xi: number; yi: number; element: Element } | undefined {
    const element = target instanceof Element ? target.closest('.sweep-cells .sweep-cell') : null;
    if (!element) return undefined;
    return { xi: Number(element.getAttribute('data-xi')), yi: Number(element.getAttribute('data-yi')), element };
  }

  private open(xi: number, yi: number): void {
    const cell = this.drawn.heat?.diagram.cells[yi]?.[xi];
    const run = cell?.runs[0];
    if (!run) return;
    this.root.dataset.opening = run.file;
    this.setReadout(`Opening ${run.file}…`);
    this.post({ type: 'openSweepRun', file: run.file });
  }

  private onKey(event: KeyboardEvent): void {
    const cell = this.cellOf(event.target);
    const d = this.drawn.heat?.diagram;
    if (!cell || !d) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.open(cell.xi, cell.yi);
      return;
    }
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const nx = d.x.values.length;
    const ny = d.y.values.length;
    // The next focusable cell in that direction (cells without runs are skipped).
    for (let xi = cell.xi + move[0], yi = cell.yi + move[1]; xi >= 0 && xi < nx && yi >= 0 && yi < ny; xi += move[0], yi += move[1]) {
      const next = $('sweep-heatmap-body').querySelector<SVGGElement>(`.sweep-cells .sweep-cell[data-xi="${xi}"][data-yi="${yi}"][tabindex]`);
      if (next) {
        next.focus();
        return;
      }
    }
  }

  /** The run view took over (a cell's run arrived). */
  opened(): void {
    delete this.root.dataset.opening;
  }

  private exportSvg(): void {
    const sel = this.selection;
    const parts = [this.drawn.heat, this.drawn.lines].filter((p): p is SvgPart => p !== undefined);
    if (!sel || parts.length === 0) return;
    const name = slug(`sweep-${this.summary?.name ?? this.title}-${sel.measure}`, 'sweep');
    this.post({ type: 'export', format: 'svg', fileName: `${name}.svg`, encoding: 'utf8', data: figureDocument(`${this.summary?.name ?? this.title}: ${sel.measure}`, parts, readPlotTheme()) });
  }
}

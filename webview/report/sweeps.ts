import { fieldLabel } from '../../core/figures/fieldLabels';
import type { ReportSweep } from '../../core/report/reportData';
import { axisValues } from '../../core/sweep/phaseDiagram';
import { slug } from '../../core/text';
import type { PlotTheme } from '../plots/colors';
import { drawPhaseDiagram } from '../plots/phaseDiagramPlot';
import { drawLinePlot } from '../plots/sweepLinePlot';
import { figureDocument, svgElement, type SvgPart } from '../plots/svgFigure';

// The report's sweep sections: per sweep folder its title and counts, and per figure of
// `sweepFigures` the phase diagram (with the theory) and the line plot (one line per y value),
// drawn by the Lab's own component. Each figure is an element with an id: `dfl report --figures`
// saves its SVG and a screenshot of that element.

export interface DrawnSweepFigure {
  name: string;
  /** The standalone SVG document of the figure. */
  svg: string;
  /** Id of the figure's element (its PNG is a screenshot of it). */
  element: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Appends one section per sweep to `main`; returns the figures drawn. */
export function renderSweeps(main: HTMLElement, sweeps: readonly ReportSweep[], theme: PlotTheme): DrawnSweepFigure[] {
  const drawn: DrawnSweepFigure[] = [];
  const names = new Set<string>();
  for (const sweep of sweeps) {
    const { summary } = sweep;
    const section = el('section', 'sweep');
    section.id = sweep.id;
    section.append(el('h2', undefined, `Sweep ${sweep.title}`));
    const axes = summary.axes.map((a) => `${a} (${axisValues(summary.rows, a).length} value${axisValues(summary.rows, a).length === 1 ? '' : 's'})`);
    section.append(el('p', 'sweep-counts', `${summary.done} of ${summary.total} runs done · ${summary.rows.length} rows in summary.json · axes: ${axes.join(', ') || 'none'}`));
    if (sweep.figures.length === 0) section.append(el('p', 'sweep-counts', 'No measure to draw: the summary has no numeric column that varies.'));
    main.append(section);
    for (const figure of sweep.figures) {
      let name = slug(`${sweep.id}-${figure.measure}`, 'sweep');
      for (let i = 2; names.has(name); i++) name = `${slug(`${sweep.id}-${figure.measure}`, 'sweep').slice(0, 56)}-${i}`;
      names.add(name);
      const box = el('figure', 'sweep-figure');
      box.id = `figure-${name}`;
      box.setAttribute('aria-label', `${figure.measure} over ${figure.x}${figure.y ? ` × ${figure.y}` : ''}`);
      const parts: SvgPart[] = [];
      if (figure.y !== undefined) parts.push(drawPhaseDiagram(summary, { x: figure.x, y: figure.y, measure: figure.measure, id: `${name}-heat` }, theme));
      parts.push(drawLinePlot(summary, { x: figure.x, ...(figure.y !== undefined ? { line: figure.y } : {}), measure: figure.measure, id: `${name}-lines` }, theme));
      const body = el('div', 'sweep-figure-body');
      // Markup built from escaped text only (phaseDiagramPlot.ts), presentation attributes, no script.
      body.innerHTML = parts.map((p) => svgElement(p, { class: 'sweep-svg', role: 'img', 'aria-label': `${figure.measure} over ${figure.x}${figure.y ? ` × ${figure.y}` : ''}` })).join('');
      box.append(body);
      section.append(box);
      drawn.push({ name, svg: figureDocument(`${sweep.title}: ${fieldLabel(figure.measure).name}`, parts, theme), element: box.id });
    }
  }
  return drawn;
}

import { formatRun, pairPlateaus } from '../../core/plateaus/pairing';
import { measureName, measureOf } from '../../core/rank/labels';
import 'uplot/dist/uPlot.min.css';
import '../lab.css';
import './report.css';
import { CHART_IDS, CHART_TITLES, LabCharts, type ChartId } from '../plots/charts';
import { readPlotTheme } from '../plots/colors';
import { chartsToSvg } from '../plots/export';
import type { ReportData } from '../../core/report/reportData';
import { slug } from '../../core/text';
import type { RunResult } from '../../core/result';
import { snapshotStrip } from '../components/snapshotStrip';
import { balancednessPlot } from './balancednessPlot';
import { renderSweeps, type DrawnSweepFigure } from './sweeps';

// The self-contained HTML report of `dfl report`: the Lab's own plots (LabCharts) for each
// result, drawn from data embedded in the page. No network, no host.

export type { ReportData };

declare global {
  interface Window {
    /**
     * For `dfl report --figures`: each figure as SVG, and the id of the element whose screenshot
     * is its PNG (a result's plots with their keys and plateau table; a sweep's figure).
     */
    dflFigures?: () => { name: string; svg: string; element: string }[];
  }
}


function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  children.forEach((c) => e.append(c));
  return e;
}

function plateauTable(result: RunResult): HTMLTableElement {
  const table = el('table', { className: 'plateaus' });
  const head = el('tr');
  const pairs = pairPlateaus(result);
  for (const h of ['L', measureOf(result.spec.effectiveRank), 'predicted', 'certified ε', 'measured', 'tightness']) head.append(el('th', { text: h }));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  result.targetEffectiveRanks.slice(0, 8).forEach((reference, i) => {
    const L = i + 1;
    // A level the rank returns to has a row per certified interval.
    const ofL = pairs.filter((p) => p.L === L);
    for (const pair of ofL.length > 0 ? ofL : [undefined]) {
      const pred = pair?.predicted;
      const row = el('tr');
      const cells = [
        String(L),
        reference.toFixed(3),
        pred ? `${pred.start}–${pred.end}${pred.hypothesesMet ? '' : ' (hyp. not met)'}` : '—',
        pred ? pred.epsilon.toFixed(3) : '—',
        formatRun(pair?.measured, '', '–', ''),
        pair?.tightness !== undefined ? `${pair.tightness.toFixed(2)}${pair.against === 'logged steps' ? ' (logged steps)' : ''}` : '—',
      ];
      cells.forEach((c) => row.append(el('td', { text: c })));
      if (pair?.measured?.kind === 'crossing') row.classList.add('crossing');
      body.append(row);
    }
  });
  table.append(body);
  return table;
}

function render(data: ReportData): { runs: { name: string; charts: LabCharts; label: string }[]; sweeps: DrawnSweepFigure[] } {
  document.title = data.title;
  const main = document.getElementById('report')!;
  main.append(el('h1', { text: data.title }));
  const drawn: { name: string; charts: LabCharts; label: string }[] = [];
  for (const section of data.sections) {
    const s = el('section', { className: 'preset' });
    s.append(el('h2', { text: section.heading }));
    if (section.claim) s.append(el('p', { className: 'claim' }, el('strong', { text: 'The paper: ' }), document.createTextNode(section.claim)));
    if (section.findings.length > 0) {
      const list = el('ul', { className: 'findings' });
      for (const f of section.findings) list.append(el('li', {}, el('strong', { text: `${f.label}: ` }), document.createTextNode(f.text)));
      s.append(el('p', { className: 'measured-heading', text: 'What this run measured:' }), list);
    }
    for (const { label, result } of section.results) {
      const run = el('div', { className: 'run' });
      run.append(el('h3', { text: `${label} — ${result.spec.n}×${result.spec.n}, N = ${result.spec.depth}, ${result.engine.path} path (${result.engine.backend})` }));
      const grid = el('div', { className: 'plot-grid' });
      const figures = {} as Record<ChartId, HTMLElement>;
      for (const id of CHART_IDS) {
        const figure = el('figure', { className: 'plot' }, el('figcaption', {}, el('span', { className: 'plot-title', text: CHART_TITLES[id] }), el('span', { className: 'plot-readout' })), el('div', { className: 'plot-body' }));
        figure.querySelector('.plot-readout')!.setAttribute('data-readout', '');
        figures[id] = figure;
        grid.append(figure);
      }
      run.append(grid, plateauTable(result));
      for (const extra of [snapshotStrip(result), balancednessPlot(result)]) if (extra) run.append(extra);
      s.append(run);
      main.append(s);
      const charts = new LabCharts(figures);
      charts.showResult(result, measureName(result.spec.effectiveRank));
      charts.redrawNow(true);
      const name = slug(`${section.id}-${label}`);
      run.id = `figure-${name}`;
      drawn.push({ name, charts, label: `${section.id} — ${label}` });
    }
    main.append(s);
  }
  const sweeps = renderSweeps(main, data.sweeps ?? [], readPlotTheme());
  return { runs: drawn, sweeps };
}

const source = document.getElementById('dfl-report-data');
const drawn = render(JSON.parse(source?.textContent ?? '{"title":"empty report","sections":[]}') as ReportData);
window.dflFigures = () => {
  const theme = readPlotTheme();
  return [...drawn.sweeps, ...drawn.runs.map(({ name, charts, label }) => ({ name, svg: chartsToSvg(charts, theme, label), element: `figure-${name}` }))];
};
document.body.dataset.state = 'done';

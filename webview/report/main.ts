import { formatRun, pairPlateaus } from '../../core/plateaus/pairing';
import { measureOf } from '../../core/rank/labels';
import '../lab.css';
import './report.css';
import { readPlotTheme } from '../plots/colors';
import { COMPARE_PANELS, compareGrid, comparePanel, compareRuns } from '../../core/figures/compare';
import { DEFAULT_PANEL_SIZE, RUN_PANELS, runGrid, runPanel, runTitle, type PanelSize } from '../../core/figures/runFigures';
import { figureDocument, PAPER_THEME, svgElement, type SvgPart } from '../../core/figures/svg';
import type { ReportComparison, ReportData } from '../../core/report/reportData';
import { slug } from '../../core/text';
import type { RunResult } from '../../core/result';
import { snapshotStrip } from '../components/snapshotStrip';
import { balancednessPlot } from './balancednessPlot';
import { renderSweeps, type DrawnSweepFigure } from './sweeps';

// The self-contained HTML report of `dfl report`: figures first (each preset's comparison, then
// each run's four panels, drawn by core/figures as SVG), then the plateau tables, the paper's
// claims and what the runs measured. Drawn from data embedded in the page; no network, no host.

export type { ReportData };

declare global {
  interface Window {
    /**
     * For `dfl report --figures`: every figure as a standalone SVG document, single panels at
     * `size` (CSS pixels) and grids of them (the CLI prints each to PDF and PNG).
     */
    dflFigures?: (size?: PanelSize) => { name: string; svg: string }[];
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

/** A figure in the page: its SVG inline, an accessible name, a caption. */
function figureElement(id: string, part: SvgPart, label: string, caption?: string): HTMLElement {
  const figure = el('figure', { className: 'report-figure' });
  figure.id = id;
  // Markup built by core/figures from escaped text only, presentation attributes, no script.
  figure.innerHTML = svgElement(part, { role: 'img', 'aria-label': label, class: 'report-svg' });
  if (caption) figure.append(el('figcaption', { text: caption }));
  return figure;
}

interface DrawnRun {
  name: string;
  label: string;
  result: RunResult;
}

interface DrawnComparison {
  name: string;
  comparison: ReturnType<typeof compareRuns>;
}

function comparisonRuns(data: ReportData, c: ReportComparison) {
  return c.members.map(([s, r]) => data.sections[s].results[r]);
}

function render(data: ReportData): { runs: DrawnRun[]; comparisons: DrawnComparison[]; sweeps: DrawnSweepFigure[] } {
  document.title = data.title;
  const main = document.getElementById('report')!;
  main.append(el('h1', { text: data.title }));
  const runs: DrawnRun[] = [];
  const comparisons: DrawnComparison[] = [];
  const drawComparison = (c: ReportComparison, into: HTMLElement) => {
    const comparison = compareRuns(comparisonRuns(data, c));
    const name = slug(c.id);
    // Each figure's own id prefix: clip paths are looked up by id in the whole page.
    into.append(figureElement(`figure-${name}`, compareGrid(comparison, PAPER_THEME, DEFAULT_PANEL_SIZE, name), `comparison: ${c.heading}`, `Compared: ${c.heading}.`));
    comparisons.push({ name, comparison });
  };
  for (const c of data.comparisons.filter((x) => x.section === undefined)) drawComparison(c, main);
  for (const section of data.sections) {
    const s = el('section', { className: 'preset' });
    s.id = `section-${slug(section.id)}`;
    s.append(el('h2', { text: section.heading }));
    if (section.description) s.append(el('p', { className: 'description', text: section.description }));
    for (const c of data.comparisons.filter((x) => x.section === section.id)) drawComparison(c, s);
    for (const { label, result } of section.results) {
      const name = slug(`${section.id}-${label}`);
      const run = el('div', { className: 'run' });
      run.append(figureElement(`figure-${name}`, runGrid(label, result, PAPER_THEME, DEFAULT_PANEL_SIZE, name), runTitle(label, result)));
      run.append(plateauTable(result));
      for (const extra of [snapshotStrip(result), balancednessPlot(result)]) if (extra) run.append(extra);
      s.append(run);
      runs.push({ name, label, result });
    }
    // The words come after the figures: the paper's claim, then what each run measured.
    if (section.claim) s.append(el('p', { className: 'claim' }, el('strong', { text: 'The paper: ' }), document.createTextNode(section.claim)));
    if (section.findings.length > 0) {
      const details = el('details', { className: 'findings-box' });
      details.append(el('summary', { text: `What the run${section.results.length > 1 ? 's' : ''} measured (${section.findings.length} findings)` }));
      const list = el('ul', { className: 'findings' });
      for (const f of section.findings) list.append(el('li', {}, el('strong', { text: `${f.label}: ` }), document.createTextNode(f.text)));
      details.append(list);
      s.append(details);
    }
    main.append(s);
  }
  const sweeps = renderSweeps(main, data.sweeps ?? [], readPlotTheme());
  return { runs, comparisons, sweeps };
}

const source = document.getElementById('dfl-report-data');
const data = JSON.parse(source?.textContent ?? '{"title":"empty report","sections":[],"comparisons":[]}') as ReportData;
const drawn = render(data);
window.dflFigures = (size: PanelSize = DEFAULT_PANEL_SIZE) => {
  const doc = (part: SvgPart) => figureDocument(part, PAPER_THEME);
  const out: { name: string; svg: string }[] = [];
  for (const { name, comparison } of drawn.comparisons) {
    out.push({ name, svg: doc(compareGrid(comparison, PAPER_THEME, size, name)) });
    for (const p of COMPARE_PANELS) out.push({ name: `${name}-${p}`, svg: doc(comparePanel(comparison, p, PAPER_THEME, size, `${name}-single`)) });
  }
  for (const { name, label, result } of drawn.runs) {
    out.push({ name, svg: doc(runGrid(label, result, PAPER_THEME, size, name)) });
    for (const p of RUN_PANELS) out.push({ name: `${name}-${p}`, svg: doc(runPanel(result, p, PAPER_THEME, size, `${name}-single`)) });
  }
  return [...out, ...drawn.sweeps.map(({ name, svg }) => ({ name, svg }))];
};
document.body.dataset.state = 'done';

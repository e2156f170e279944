import '../../webview/zodConfig';
import 'uplot/dist/uPlot.min.css';
import '../../webview/lab.css';
import './bench.css';
import * as tf from '@tensorflow/tfjs-core';
import { TfjsDynamics } from '../../core/engine/tfjsPath';
import { rankReferences } from '../../core/engine/reference';
import { parseSpec } from '../../core/spec/parseSpec';
import { buildTarget } from '../../core/targets/buildTarget';
import { activeWebglContext, selectBackend } from '../../webview/engine/backend';
import { CONFIG, DEPTH, median, pause, SMOKE, status } from './common';
import { timeBatch, type BatchRow } from './batchTiming';
import { timePlots, type PlotTimings } from './plotTiming';

// The browser benchmark page, dist/webview/bench.js, opened by
// bench/browser.mjs in headless Chromium: (a) selects the Lab's backend (webgl, CPU fallback)
// with the Lab's own selectBackend, (b) times the matrix path (TfjsDynamics, N = 3) on it and on
// tfjs's cpu backend, (c) times LabCharts redraws of a 100-series × 10,000-point trajectory,
// (d) times a sweep's small runs batched on the selected backend against one at a time (./batchTiming.ts).
// Results go to window.dflBench and a table; <body data-state> becomes 'done' (or 'error').
// `?smoke=1`: tiny sizes, for the test of the output contract.

export interface MatrixRow {
  backend: string;
  n: number;
  depth: number;
  stepsPerSecond: number;
  /** 3N − 3 products of n×n matrices per step, 2n³ flops each. */
  gflops: number;
  stepsPerWindow: number;
  windows: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

export interface BenchResult {
  mode: 'full' | 'smoke';
  userAgent: string;
  backend: { selected: string; fallback: string | null; renderer: string | null; webglVersion: number | null };
  matrix: MatrixRow[];
  /** stepsPerSecond of the selected backend over cpu's, per n. */
  ratios: { n: number; backend: string; ratioToCpu: number }[];
  /** The tfjs batched kernel on the selected backend (one row). */
  batch: BatchRow[];
  plots: PlotTimings;
  totalSeconds: number;
}

declare global {
  interface Window {
    dflBench?: BenchResult | { error: string };
  }
}

// ---------------------------------------------------------------------------------------------
// (b) The matrix path: gradient-descent steps per second.

/** The workload of bench/worker.ts: symmetric spectrum target, Gaussian init, N = 3. */
function matrixSpec(n: number) {
  return parseSpec({
    n,
    depth: DEPTH,
    target: { kind: 'spectrum', eigenvalues: [10, 6, 3, 1.5], seed: 1 },
    init: { kind: 'gaussian', alpha: 0.1, seed: 2 },
    stepSize: 0.005,
    steps: 1,
    log: { every: 1 },
    engine: 'matrix',
  });
}

async function timeMatrix(n: number): Promise<MatrixRow> {
  const spec = matrixSpec(n);
  const target = buildTarget(spec);
  const references = rankReferences(target, spec.effectiveRank);
  const tensorsBefore = tf.memory().numTensors;
  const dynamics = new TfjsDynamics(target, references, spec.init, spec.problem, DEPTH, spec.stepSize);
  // advance(k) only queues work on WebGL; the loss read-back (one scalar) waits for all of it.
  // The prefix products it computes are reused by the next step (TfjsDynamics' cache).
  const timeWindow = (k: number) => {
    const t0 = performance.now();
    dynamics.advance(k);
    const loss = dynamics.loss();
    const dt = performance.now() - t0;
    if (!Number.isFinite(loss)) throw new Error(`the loss is ${loss} at n = ${n} on ${tf.getBackend()}`);
    return dt;
  };
  try {
    timeWindow(CONFIG.warmup); // shader compilation, texture allocation, JIT
    let k = CONFIG.fixedSteps;
    if (!k) {
      // Steps per window so that one window lasts ≥ windowMs.
      k = 1;
      for (let dt = timeWindow(k); dt < CONFIG.windowMs; dt = timeWindow(k)) k = Math.max(k + 1, Math.ceil((k * 1.2 * CONFIG.windowMs) / Math.max(dt, 0.05)));
    }
    const rates: number[] = [];
    for (let i = 0; i < CONFIG.windows; i++) {
      await pause();
      rates.push((k * 1000) / timeWindow(k));
    }
    const stepsPerSecond = median(rates);
    return {
      backend: dynamics.backend,
      n,
      depth: DEPTH,
      stepsPerSecond,
      gflops: (stepsPerSecond * (3 * DEPTH - 3) * 2 * n ** 3) / 1e9,
      stepsPerWindow: k,
      windows: rates.length,
      tensorsBefore,
      tensorsAfter: -1,
    };
  } finally {
    dynamics.dispose();
  }
}

async function matrixRows(backend: 'webgl' | 'cpu'): Promise<MatrixRow[]> {
  if (backend === 'cpu') await selectBackend('cpu');
  const rows: MatrixRow[] = [];
  for (const n of CONFIG.sizes) {
    status(`matrix path, ${tf.getBackend()}, n = ${n}…`);
    await pause();
    const row = await timeMatrix(n);
    row.tensorsAfter = tf.memory().numTensors;
    rows.push(row);
  }
  return rows;
}

function webglInfo(): { renderer: string | null; webglVersion: number | null } {
  const gl = activeWebglContext();
  if (!gl) return { renderer: null, webglVersion: null };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  return { renderer, webglVersion: tf.env().getNumber('WEBGL_VERSION') };
}

function table(head: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'bench-table';
  const tr = (cells: (string | number)[], tag: 'th' | 'td') => {
    const row = document.createElement('tr');
    for (const c of cells) {
      const cell = document.createElement(tag);
      cell.textContent = String(c);
      row.append(cell);
    }
    return row;
  };
  t.append(tr(head, 'th'), ...rows.map((r) => tr(r, 'td')));
  return t;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3));

function show(main: HTMLElement, r: BenchResult): void {
  const section = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = 'Matrix path (N = 3, float32): steps per second';
  const note = document.createElement('p');
  note.className = 'bench-note';
  note.textContent = `backend ${r.backend.selected}${r.backend.fallback ? ` (${r.backend.fallback})` : ''}; WebGL renderer: ${r.backend.renderer ?? 'none'}`;
  const backends = [...new Set(r.matrix.map((m) => m.backend))];
  const matrix = table(
    ['backend', ...CONFIG.sizes.map((n) => `n = ${n}`)],
    [
      ...backends.map((b) => [b, ...CONFIG.sizes.map((n) => fmt(r.matrix.find((m) => m.backend === b && m.n === n)?.stepsPerSecond ?? NaN))]),
      [`${r.backend.selected} / cpu`, ...CONFIG.sizes.map((n) => `${fmt(r.ratios.find((x) => x.n === n)?.ratioToCpu ?? NaN)}×`)],
    ],
  );
  const h2 = document.createElement('h2');
  h2.textContent = `Plots: ${r.plots.series} series × ${r.plots.points} points (ms, median)`;
  const plots = table(
    ['draw', 'total', 'script', 'runs'],
    [
      ['first draw (reset)', fmt(r.plots.firstDrawMs), '', 1],
      ['full redraw', fmt(r.plots.fullRedraw.medianMs), fmt(r.plots.fullRedraw.scriptMedianMs), r.plots.fullRedraw.runs],
      [`after appending ${r.plots.appended} points`, fmt(r.plots.incremental.medianMs), fmt(r.plots.incremental.scriptMedianMs), r.plots.incremental.runs],
    ],
  );
  const h3 = document.createElement('h2');
  h3.textContent = 'A sweep of small runs (n = 16, N = 3): runs per second';
  const batch = table(
    ['backend', 'runs', 'steps', 'batched', 'one at a time', 'ratio', 'worst |Δσ| / tolerance (7.2)'],
    r.batch.map((b) => [b.backend, b.members, b.steps, fmt(b.batchedRunsPerSecond), fmt(b.singleRunsPerSecond), `${fmt(b.ratio)}×`, b.worstToleranceRatio.toPrecision(2)]),
  );
  section.append(h, note, matrix, h3, batch, h2, plots);
  main.prepend(section);
}

async function run(): Promise<void> {
  const start = performance.now();
  document.body.classList.add('vscode-dark');
  const main = document.createElement('main');
  const heading = document.createElement('h1');
  heading.textContent = `Deep Factorization Lab — browser benchmark${SMOKE ? ' (smoke)' : ''}`;
  const line = document.createElement('p');
  line.id = 'bench-status';
  line.className = 'bench-note';
  main.append(heading, line);
  document.body.append(main);

  status('selecting the backend…');
  const selected = await selectBackend('webgl');
  const backend = { selected: selected.backend, fallback: selected.fallback ?? null, ...webglInfo() };
  document.body.dataset.backend = selected.backend;
  const selectedRows = selected.backend === 'webgl' ? await matrixRows('webgl') : [];
  // On the selected backend, before the cpu rows switch to cpu.
  const batch = [await timeBatch(selected.backend)];
  const matrix = [...selectedRows, ...(await matrixRows('cpu'))];
  const ratios = CONFIG.sizes.map((n) => {
    const a = matrix.find((m) => m.backend === selected.backend && m.n === n)!;
    const c = matrix.find((m) => m.backend === 'cpu' && m.n === n)!;
    return { n, backend: selected.backend, ratioToCpu: a.stepsPerSecond / c.stepsPerSecond };
  });
  const plots = await timePlots(main);
  const result: BenchResult = { mode: SMOKE ? 'smoke' : 'full', userAgent: navigator.userAgent, backend, matrix, ratios, batch, plots, totalSeconds: (performance.now() - start) / 1000 };
  status(`done in ${result.totalSeconds.toFixed(1)} s`);
  show(main, result);
  window.dflBench = result;
  document.body.dataset.state = 'done';
}

run().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  status(`failed: ${message}`);
  window.dflBench = { error: message };
  document.body.dataset.state = 'error';
});

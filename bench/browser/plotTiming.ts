import type { TrajectoryPoint } from '../../core/result';
import { CHART_IDS, CHART_TITLES, LabCharts, type ChartId, type RunContext } from '../../webview/plots/charts';
import { TrajectoryStore } from '../../webview/plots/store';
import { EFFECTIVE_RANK_LABELS } from '../../core/rank/effectiveRank';
import { CONFIG, median, pause, status } from './common';
import type { BenchResult } from './main';

// ---------------------------------------------------------------------------------------------
// (c) The plots: a synthetic trajectory shaped like the Lab's (sigmoidal learning of a graded
// spectrum), fed into LabCharts in figures built as the report page builds them.

export function syntheticTrajectory(series: number, points: number) {
  const lambda = Array.from({ length: series }, (_, i) => 10 * 10 ** ((-3 * i) / Math.max(series - 1, 1)));
  const s0 = 1e-3;
  const rate = 4 / points;
  const entropyRank = (s: ArrayLike<number>) => {
    let total = 0;
    for (let i = 0; i < s.length; i++) total += s[i];
    let h = 0;
    for (let i = 0; i < s.length; i++) if (s[i] > 0) h -= (s[i] / total) * Math.log(s[i] / total);
    return Math.exp(h);
  };
  const point = (step: number): TrajectoryPoint => {
    const sigma = lambda.map((l) => l / (1 + (l / s0 - 1) * Math.exp(-rate * l * step)));
    let loss = 0;
    for (let i = 0; i < series; i++) loss += 0.5 * (lambda[i] - sigma[i]) ** 2;
    const distanceToBestRank = Array.from({ length: 8 }, (_, L) => {
      let d = 0;
      for (let i = 0; i < series; i++) d += (i <= L ? lambda[i] - sigma[i] : sigma[i]) ** 2;
      return Math.sqrt(d);
    });
    return { step, singularValues: sigma, effectiveRank: entropyRank(sigma), loss, distanceToBestRank };
  };
  const targetEffectiveRanks = Array.from({ length: 8 }, (_, L) => entropyRank(lambda.slice(0, L + 1)));
  return { lambda, point, targetEffectiveRanks };
}

export function buildFigures(main: HTMLElement): { figures: Record<ChartId, HTMLElement>; canvases: () => HTMLCanvasElement[] } {
  const grid = document.createElement('div');
  grid.className = 'plot-grid';
  const figures = {} as Record<ChartId, HTMLElement>;
  for (const id of CHART_IDS) {
    const figure = document.createElement('figure');
    figure.className = 'plot';
    const caption = document.createElement('figcaption');
    const title = document.createElement('span');
    title.className = 'plot-title';
    title.textContent = CHART_TITLES[id];
    const readout = document.createElement('span');
    readout.className = 'plot-readout';
    readout.setAttribute('data-readout', '');
    caption.append(title, readout);
    const body = document.createElement('div');
    body.className = 'plot-body';
    figure.append(caption, body);
    figures[id] = figure;
    grid.append(figure);
  }
  main.append(grid);
  return { figures, canvases: () => Array.from(grid.querySelectorAll('canvas')) };
}

export async function timePlots(main: HTMLElement): Promise<BenchResult['plots']> {
  const { series, points, appended, redraws } = CONFIG;
  const { figures, canvases } = buildFigures(main);
  const synthetic = syntheticTrajectory(series, points);
  const store = new TrajectoryStore(series, 8);
  for (let k = 0; k < points; k++) store.push(synthetic.point(k));
  const totalSteps = points + appended * (redraws + 1);
  const context: RunContext = {
    steps: totalSteps,
    targetSingularValues: synthetic.lambda,
    targetEffectiveRanks: synthetic.targetEffectiveRanks,
    predicted: [
      { L: 1, start: Math.round(points * 0.05), end: Math.round(points * 0.2), epsilon: 0.1, hypothesesMet: true },
      { L: 2, start: Math.round(points * 0.25), end: Math.round(points * 0.4), epsilon: 0.1, hypothesesMet: false },
    ],
    measured: [{ L: 1, start: Math.round(points * 0.06), end: Math.round(points * 0.22), epsilon: 0.1 }],
    measureLabel: EFFECTIVE_RANK_LABELS.entropy,
  };
  // uPlot commits a draw in a microtask; Chromium records 2D-canvas calls and rasterizes them on
  // a read-back (or the next frame). So: script part = call + microtasks, total = + read-back.
  const settle = async () => {
    await Promise.resolve();
    await Promise.resolve();
  };
  const rasterize = () => {
    for (const canvas of canvases()) canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
  };
  const timed = async (draw: () => void) => {
    const t0 = performance.now();
    draw();
    await settle();
    const t1 = performance.now();
    rasterize();
    return { total: performance.now() - t0, script: t1 - t0 };
  };

  const charts = new LabCharts(figures);
  status('plots: first draw…');
  await pause();
  const first = await timed(() => charts.reset(store, context));
  await pause(50);

  const full: { total: number; script: number }[] = [];
  for (let i = 0; i < redraws; i++) {
    status(`plots: full redraw ${i + 1}/${redraws}…`);
    await pause(20);
    full.push(await timed(() => charts.redrawNow(true)));
  }
  const sigmaPlot = charts.plots().get('sigma')!;
  const drawnPointsPerSeries = sigmaPlot.data[0].length;
  const incremental: { total: number; script: number }[] = [];
  let next = store.length;
  for (let i = 0; i < redraws; i++) {
    status(`plots: incremental draw ${i + 1}/${redraws}…`);
    await pause(20);
    for (let j = 0; j < appended; j++) store.push(synthetic.point(next++));
    // What requestDraw does on its animation frame once the store moved.
    incremental.push(await timed(() => charts.redrawNow()));
  }
  const result = {
    series,
    points,
    appended,
    plotWidthPx: Math.round(sigmaPlot.bbox.width / devicePixelRatio),
    drawnPointsPerSeries,
    firstDrawMs: first.total,
    fullRedraw: { medianMs: median(full.map((t) => t.total)), scriptMedianMs: median(full.map((t) => t.script)), runs: full.length },
    incremental: { medianMs: median(incremental.map((t) => t.total)), scriptMedianMs: median(incremental.map((t) => t.script)), runs: incremental.length },
  };
  // reset() builds the charts without counting a draw; every redrawNow above counts one.
  if (charts.draws !== 2 * redraws) throw new Error(`LabCharts drew ${charts.draws} times, expected ${2 * redraws}`);
  return result;
}

// ---------------------------------------------------------------------------------------------


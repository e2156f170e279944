import uPlot from 'uplot';
import type { Plateau } from '../../core/plateaus/measurePlateaus';
import type { RunMark } from '../../core/protocol/messages';
import type { PredictedPlateau } from '../../core/result';
import { CHART_HEIGHT, chartOptions, HIGHLIGHTED, MAX_REFERENCES, SIGMA_FLOOR } from './chartOptions';
import { readPlotTheme, singularValueColor, withAlpha, type PlotTheme } from './colors';
import { formatNumber, subscript } from './format';
import { renderKeys } from './keys';
import type { Primitive } from './primitives';
import { EFFECTIVE_RANK_LABELS } from '../../core/rank/effectiveRank';
import type { RunResult } from '../../core/result';
import { TrajectoryStore } from './store';
import { CHART_IDS, type ChartId, type RunContext } from './chartIds';

export { formatNumber, subscript } from './format';
export type { Primitive } from './primitives';

// The four live plots (uPlot, one canvas each): singular values, effective rank with predicted
// and measured plateaus, loss, and distances to the best rank-L approximations. Overlays are
// described once as primitives in data coordinates and drawn both on the canvas and in SVG.

/** Points per pixel column handed to uPlot at most (see `data`). */
const DISPLAY_POINTS_PER_PIXEL = 2;

interface ChartState {
  plot: uPlot;
  readout: HTMLElement | null;
  key: HTMLElement | null;
}

export class LabCharts {
  private readonly charts = new Map<ChartId, ChartState>();
  private store: TrajectoryStore | undefined;
  private context: RunContext | undefined;
  private theme: PlotTheme = readPlotTheme();
  private marker: number | null = null;
  /** What the run was opened to show (a claim's violation), drawn on every chart. */
  private mark: RunMark | null = null;
  private drawnVersion = -1;
  private frame = 0;
  private lastDraw = 0;
  private lastCost = 0;
  /** Draws so far (tests and the responsiveness check read it). */
  draws = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly figures: Record<ChartId, HTMLElement>) {
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(figures.sigma.parentElement ?? figures.sigma);
  }

  /** Shows a saved result, its whole trajectory at once; returns the store it is drawn from. */
  showResult(result: RunResult, measureLabel: string = EFFECTIVE_RANK_LABELS[result.spec.effectiveRank] ?? result.spec.effectiveRank): TrajectoryStore {
    const store = TrajectoryStore.forResult(result);
    this.reset(store, {
      steps: result.spec.steps,
      targetSingularValues: result.target.singularValues.slice(0, store.sigmaCount),
      targetEffectiveRanks: result.targetEffectiveRanks,
      predicted: result.predicted.plateaus,
      measured: result.measured.plateaus,
      measureLabel,
      measure: result.spec.effectiveRank,
    });
    return store;
  }

  /** Shows a new run (or a loaded result): rebuilds the charts for its series. */
  reset(store: TrajectoryStore, context: RunContext): void {
    this.store = store;
    this.context = context;
    this.marker = null;
    this.mark = null;
    this.rebuild();
  }

  setPlateaus(predicted: readonly PredictedPlateau[], measured: readonly Plateau[]): void {
    if (!this.context) return;
    this.context = { ...this.context, predicted, measured };
    this.redrawNow();
  }

  /** A vertical marker at a step on every chart (the scrub slider), or none. */
  setMarker(step: number | null): void {
    this.marker = step;
    this.charts.forEach(({ plot }) => plot.redraw(false, false));
    this.updateReadouts();
  }

  /** Marks a step (a vertical line) or an interval of steps (a band) on every chart, or nothing; cleared by the next run. */
  setMark(mark: RunMark | null): void {
    this.mark = mark;
    this.charts.forEach(({ plot }) => plot.redraw(false, false));
  }

  /** The categorical colour of rank L (plateaus, distances), for tables beside the plots. */
  colorOfRank(L: number): string {
    return this.theme.categorical[(L - 1) % this.theme.categorical.length];
  }

  /** Re-reads the theme's colours and rebuilds. */
  refreshTheme(): void {
    this.theme = readPlotTheme();
    this.rebuild();
  }

  /**
   * Asks for a redraw with the store's new points: at most once per animation frame, and no
   * sooner than three times the last draw's cost after it (so huge series never starve the
   * engine), which gives a steady rate.
   */
  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const now = performance.now();
      if (now - this.lastDraw < 3 * this.lastCost) {
        this.requestDraw();
        return;
      }
      this.redrawNow();
    });
  }

  /** Redraws now if the store changed. */
  redrawNow(force = false): void {
    const store = this.store;
    if (!store) return;
    if (!force && store.version === this.drawnVersion) {
      this.charts.forEach(({ plot }) => plot.redraw(false, false));
      return;
    }
    const t0 = performance.now();
    this.drawnVersion = store.version;
    for (const [id, { plot }] of this.charts) {
      const x = plot.scales.x;
      const zoomed = x.min !== undefined && x.max !== undefined && (x.min > 0.5 || x.max < (this.context?.steps ?? 0) - 0.5) && store.length > 1;
      plot.setData(this.data(id), !zoomed);
    }
    this.updateReadouts();
    this.lastDraw = performance.now();
    this.lastCost = this.lastDraw - t0;
    this.draws++;
  }

  /** The uPlot objects (exports read their canvases, scales and axes). */
  plots(): Map<ChartId, uPlot> {
    return new Map([...this.charts].map(([id, s]) => [id, s.plot]));
  }

  /** Overlays of one chart, in data coordinates. */
  overlays(id: ChartId, layer: 'under' | 'over'): Primitive[] {
    const ctx = this.context;
    if (!ctx) return [];
    const theme = this.theme;
    const out: Primitive[] = [];
    if (layer === 'under' && this.mark?.steps) out.push({ type: 'band', x0: this.mark.steps[0], x1: this.mark.steps[1], color: withAlpha(theme.failure, theme.dark ? 0.24 : 0.2), label: 'false' });
    if (layer === 'under' && id === 'erank') {
      for (const p of ctx.predicted)
        out.push({ type: 'band', x0: p.start, x1: p.end, color: withAlpha(theme.categorical[(p.L - 1) % theme.categorical.length], p.hypothesesMet ? (theme.dark ? 0.17 : 0.2) : 0.07), label: `L=${p.L}` });
    }
    if (layer === 'over') {
      if (id === 'erank') {
        const shown = new Set([...ctx.measured, ...ctx.predicted].map((p) => p.L));
        ctx.targetEffectiveRanks.slice(0, MAX_REFERENCES).forEach((r, i) => {
          if (i < 3 || shown.has(i + 1)) out.push({ type: 'hline', y: r, color: withAlpha(theme.foreground, 0.4), width: 1, dash: [4, 4], label: `Ŵ${subscript(i + 1)}` });
        });
        for (const p of ctx.measured) {
          const color = theme.categorical[(p.L - 1) % theme.categorical.length];
          // A crossing (docs/theory.md Definition 5.11) is drawn thin and dashed, a plateau as a bar.
          if (p.kind === 'crossing') out.push({ type: 'hline', y: ctx.targetEffectiveRanks[p.L - 1], x0: p.start, x1: p.end, color, width: 2, dash: [2, 3] });
          else out.push({ type: 'hline', y: ctx.targetEffectiveRanks[p.L - 1], x0: p.start, x1: p.end, color, width: 4 });
        }
      }
      if (id === 'sigma') {
        const count = Math.min(this.store?.sigmaCount ?? 0, ctx.targetSingularValues.length);
        for (let i = 0; i < count; i++) {
          const s = ctx.targetSingularValues[i];
          if (!(s > SIGMA_FLOOR * ctx.targetSingularValues[0])) continue;
          const color = singularValueColor(theme, i, this.store?.sigmaCount ?? count);
          if (i < HIGHLIGHTED) out.push({ type: 'hline', y: s, color: withAlpha(color, 0.45), width: 1, dash: [2, 5] });
          out.push({ type: 'tick', y: s, color, length: 10 });
        }
      }
      if (this.mark?.step !== undefined) out.push({ type: 'vline', x: this.mark.step, color: theme.failure, width: 2 });
      if (this.marker !== null) out.push({ type: 'vline', x: this.marker, color: theme.foreground, width: 1, dash: [3, 3] });
    }
    return out;
  }

  /**
   * The columns handed to uPlot. Past DISPLAY_POINTS_PER_PIXEL points per pixel column of the
   * plot the logged steps are thinned to an even stride (first and last kept): a 10,000-step run
   * with 100 series would otherwise cost ~1M segments per redraw. Trajectories are smooth at
   * that resolution; the store, exports and readouts keep every point.
   */
  private data(id: ChartId): uPlot.AlignedData {
    const s = this.store!;
    const width = this.charts.get(id)?.plot.bbox.width ?? 0;
    const limit = Math.max(500, Math.ceil((DISPLAY_POINTS_PER_PIXEL * (width || 800 * uPlot.pxRatio)) / uPlot.pxRatio));
    const thin = <T>(column: T[]): T[] => {
      if (column.length <= limit) return column;
      const stride = column.length / limit;
      const out: T[] = [];
      for (let i = 0; i < limit; i++) out.push(column[Math.floor(i * stride)]);
      out.push(column[column.length - 1]);
      return out;
    };
    switch (id) {
      case 'sigma':
        return [thin(s.steps), ...s.sigma.map(thin)] as uPlot.AlignedData;
      case 'erank':
        return [thin(s.steps), thin(s.erank)];
      case 'loss':
        return [thin(s.steps), thin(s.loss)] as uPlot.AlignedData;
      case 'distance':
        return [thin(s.steps), ...s.distance.map(thin), ...(s.hasGroundTruth ? [thin(s.groundTruth)] : [])] as uPlot.AlignedData;
    }
  }

  private rebuild(): void {
    this.charts.forEach(({ plot }) => plot.destroy());
    this.charts.clear();
    if (!this.store || !this.context) return;
    for (const id of CHART_IDS) {
      const figure = this.figures[id];
      const body = figure.querySelector<HTMLElement>('.plot-body')!;
      body.replaceChildren();
      const plot = new uPlot(this.options(id, body.clientWidth || 400), this.data(id), body);
      this.charts.set(id, { plot, readout: figure.querySelector('[data-readout]'), key: figure.querySelector('[data-key]') });
    }
    this.renderKeys();
    this.drawnVersion = this.store.version;
    this.updateReadouts();
  }

  private resize(): void {
    for (const [id, { plot }] of this.charts) {
      const body = this.figures[id].querySelector<HTMLElement>('.plot-body')!;
      const width = Math.floor(body.clientWidth);
      if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height: CHART_HEIGHT });
    }
  }

  private options(id: ChartId, width: number): uPlot.Options {
    return chartOptions(id, width, {
      theme: this.theme,
      context: this.context!,
      store: this.store!,
      overlays: (layer) => this.overlays(id, layer),
      onCursor: () => this.updateReadout(id),
    });
  }

  private renderKeys(): void {
    renderKeys(this.figures, this.theme, this.store!, this.context!);
  }

  private updateReadouts(): void {
    CHART_IDS.forEach((id) => this.updateReadout(id));
  }

  private updateReadout(id: ChartId): void {
    const state = this.charts.get(id);
    const store = this.store;
    if (!state?.readout || !store || store.length === 0) {
      if (state?.readout) state.readout.textContent = '';
      return;
    }
    const cursor = state.plot.cursor.idx;
    const index = cursor ?? (this.marker !== null ? store.indexOf(this.marker) : store.length - 1);
    const p = store.points[index];
    if (!p) return;
    let text = `k = ${p.step}`;
    switch (id) {
      case 'sigma':
        text += ` · ${p.singularValues.slice(0, 3).map((s, i) => `σ${subscript(i + 1)} ${formatNumber(s)}`).join(' · ')}`;
        break;
      case 'erank':
        text += ` · ${formatNumber(p.effectiveRank, 4)}`;
        break;
      case 'loss':
        text += ` · ${formatNumber(p.loss)}`;
        break;
      case 'distance':
        // Every L drawn (up to 8), not only the first three.
        text += ` · ${p.distanceToBestRank.slice(0, store.distanceCount).map((d, l) => `L=${l + 1} ${formatNumber(d)}`).join(' · ')}`;
        break;
    }
    state.readout.textContent = text;
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.charts.forEach(({ plot }) => plot.destroy());
    this.charts.clear();
  }
}


import uPlot from 'uplot';
import type { Plateau } from '../../core/plateaus/measurePlateaus';
import type { PredictedPlateau } from '../../core/result';
import { readPlotTheme, singularValueColor, withAlpha, type PlotTheme } from './colors';
import type { TrajectoryStore } from './store';

// The four live plots (uPlot, one canvas each): singular values, effective rank with predicted
// and measured plateaus, loss, and distances to the best rank-L approximations. Overlays are
// described once as primitives in data coordinates and drawn both on the canvas and in SVG.

export const CHART_IDS = ['sigma', 'erank', 'loss', 'distance'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const CHART_TITLES: Record<ChartId, string> = {
  sigma: 'Singular values σᵢ(W(k))',
  erank: 'Effective rank',
  loss: 'Loss ½‖W − Ŵ‖²',
  distance: 'Distance ‖W(k) − Ŵ_L‖_F',
};

/** What the plots know about the run besides its trajectory. */
export interface RunContext {
  steps: number;
  targetSingularValues: readonly number[];
  targetEffectiveRanks: readonly number[];
  predicted: readonly PredictedPlateau[];
  measured: readonly Plateau[];
  measureLabel: string;
}

/** Overlay primitives in data coordinates (x: step, y: the chart's y scale). */
export type Primitive =
  | { type: 'band'; x0: number; x1: number; color: string; label?: string }
  | { type: 'hline'; y: number; x0?: number; x1?: number; color: string; width: number; dash?: number[]; label?: string }
  | { type: 'vline'; x: number; color: string; width: number; dash?: number[] }
  | { type: 'tick'; y: number; color: string; length: number };

/** Singular values drawn thicker (the leading target components). */
const HIGHLIGHTED = 8;
/** Reference lines erank(Ŵ_L) drawn for L = 1… up to this. */
const MAX_REFERENCES = 8;
const CHART_HEIGHT = 230;
/** The singular-value plot shows values down to this fraction of σ₁ (float32 noise below). */
const SIGMA_FLOOR = 1e-7;
/** Points per pixel column handed to uPlot at most (see `data`). */
const DISPLAY_POINTS_PER_PIXEL = 2;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10⁻³ for decades, '' for the minor ticks of a log axis. */
export function formatDecade(v: number | null): string {
  if (v === null || !(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  if (Math.abs(v / 10 ** e - 1) > 1e-9) return '';
  if (e >= 0 && e <= 3) return String(10 ** e);
  if (e === -1) return '0.1';
  return `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** Labels of a log axis: the decades, or 1-2-5 steps too when the range holds under two decades. */
export function logTicks(splits: (number | null)[]): string[] {
  const decades = splits.map(formatDecade);
  if (decades.filter(Boolean).length >= 2) return decades;
  return splits.map((v) => {
    if (v === null || !(v > 0)) return '';
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6) ? formatNumber(v) : '';
  });
}

/** Compact numbers for ticks and readouts: 1.5k, 0.0031, 2.4e-7. */
export function formatNumber(v: number, digits = 3): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 && a < 1e7 && Number.isInteger(v)) return `${+(v / 1000).toPrecision(digits)}k`;
  if (a >= 1e-3 && a < 1e5) return String(+v.toPrecision(digits));
  return v.toExponential(digits - 1).replace('e+', 'e');
}

function stepTicks(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) => (v >= 10000 && v % 1000 === 0 ? `${v / 1000}k` : String(v)));
}

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

  /** Shows a new run (or a loaded result): rebuilds the charts for its series. */
  reset(store: TrajectoryStore, context: RunContext): void {
    this.store = store;
    this.context = context;
    this.marker = null;
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
    const theme = this.theme;
    const ctx = this.context!;
    const store = this.store!;
    const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({
      stroke: theme.muted,
      font: theme.font,
      labelFont: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1, size: 4 },
      ...extra,
    });
    const xAxis = axis({ values: stepTicks, label: 'step k', labelSize: 14, labelGap: 0, size: 34, space: 60 });
    const logAxis = axis({ values: (_u, splits) => logTicks(splits), size: 50, space: 16 });
    const series: uPlot.Series[] = [{ label: 'step' }];
    let y: uPlot.Scale = { distr: 3, log: 10 };
    let yAxis = logAxis;
    switch (id) {
      case 'sigma': {
        for (let i = 0; i < store.sigmaCount; i++)
          series.push({ label: `σ${i + 1}`, stroke: singularValueColor(theme, i, store.sigmaCount), width: i < HIGHLIGHTED ? 1.75 : 1, points: { show: false }, spanGaps: false });
        const targets = ctx.targetSingularValues.filter((v) => v > SIGMA_FLOOR * (ctx.targetSingularValues[0] ?? 0)).slice(0, store.sigmaCount);
        y = {
          distr: 3,
          log: 10,
          range: (_u, min, max) => {
            const hi = Math.max(max ?? -Infinity, ...targets.slice(0, 1));
            // Values below SIGMA_FLOOR·σ₁ are rounding noise (exact zeros of the target).
            const lo = Math.max(Math.min(min ?? Infinity, ...targets.slice(-1)), SIGMA_FLOOR * hi);
            return uPlot.rangeLog(lo > 0 && Number.isFinite(lo) ? lo : 1e-3, hi > 0 && Number.isFinite(hi) ? hi : 1, 10, true);
          },
        };
        break;
      }
      case 'erank': {
        series.push({ label: ctx.measureLabel, stroke: theme.foreground, width: 2, points: { show: false } });
        // Zoomed on the plateaus: the initial drop from erank ≈ n leaves through the top.
        const refMax = Math.max(...ctx.targetEffectiveRanks.slice(0, MAX_REFERENCES), 1);
        const cap = Math.max(1.6 * refMax, refMax + 1.5);
        y = { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.min(Math.max(max ?? 1, refMax) * 1.08, cap)] };
        yAxis = axis({ size: 48, space: 28, values: (_u, splits) => splits.map((v) => formatNumber(v)) });
        break;
      }
      case 'loss':
        series.push({ label: 'loss', stroke: theme.accent2, width: 2, points: { show: false }, spanGaps: false });
        break;
      case 'distance':
        for (let l = 0; l < store.distanceCount; l++)
          series.push({ label: `L=${l + 1}`, stroke: theme.categorical[l % theme.categorical.length], width: 1.75, points: { show: false }, spanGaps: false });
        if (store.hasGroundTruth) series.push({ label: '‖W − W*‖', stroke: theme.foreground, width: 1.5, dash: [6, 4], points: { show: false }, spanGaps: false });
        break;
    }
    return {
      width,
      height: CHART_HEIGHT,
      pxAlign: false,
      legend: { show: false },
      padding: [10, 14, 0, 0],
      cursor: { sync: { key: 'lab' }, points: { show: false }, drag: { x: true, y: false }, focus: { prox: -1 } },
      scales: { x: { time: false, range: () => [0, Math.max(1, ctx.steps)] }, y },
      axes: [xAxis, yAxis],
      series,
      hooks: {
        drawClear: [(u) => drawPrimitives(u, this.overlays(id, 'under'), theme)],
        draw: [(u) => drawPrimitives(u, this.overlays(id, 'over'), theme)],
        setCursor: [() => this.updateReadout(id)],
      },
    };
  }

  private renderKeys(): void {
    const theme = this.theme;
    const store = this.store!;
    const swatch = (color: string, label: string, kind: 'line' | 'band' | 'bar' | 'dash' = 'line') => {
      const item = document.createElement('span');
      item.className = 'key-item';
      const mark = document.createElement('i');
      mark.className = `key-${kind}`;
      // CSSOM assignment (allowed by the CSP, unlike style attributes in markup).
      mark.style.setProperty('--key-color', color);
      item.append(mark, document.createTextNode(label));
      return item;
    };
    const keys: Record<ChartId, HTMLElement[]> = {
      sigma: [swatch(singularValueColor(theme, 0, store.sigmaCount), 'σ₁'), swatch(singularValueColor(theme, store.sigmaCount - 1, store.sigmaCount), `σ${subscript(store.sigmaCount)}`), swatch(theme.muted, 'target', 'dash')],
      erank: [swatch(theme.foreground, this.context!.measureLabel), swatch(withAlpha(theme.categorical[0], 0.35), 'predicted', 'band'), swatch(theme.categorical[0], 'measured', 'bar'), swatch(theme.muted, `${this.context!.measureLabel} of Ŵ_L`, 'dash')],
      loss: [],
      distance: [
        ...Array.from({ length: store.distanceCount }, (_, l) => swatch(theme.categorical[l % theme.categorical.length], `L=${l + 1}`)),
        ...(store.hasGroundTruth ? [swatch(theme.foreground, '‖W − W*‖', 'dash')] : []),
      ],
    };
    for (const id of CHART_IDS) {
      const figure = this.figures[id];
      let key = figure.querySelector<HTMLElement>('.plot-key');
      if (!key) {
        key = document.createElement('div');
        key.className = 'plot-key';
        figure.querySelector('figcaption')?.after(key);
      }
      key.replaceChildren(...keys[id]);
    }
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
        text += ` · ${p.distanceToBestRank.slice(0, 3).map((d, l) => `L=${l + 1} ${formatNumber(d)}`).join(' · ')}`;
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

export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

/** Draws overlay primitives on a uPlot canvas, clipped to the plotting area. */
function drawPrimitives(u: uPlot, primitives: Primitive[], theme: PlotTheme): void {
  if (primitives.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = uPlot.pxRatio;
  const xMin = u.scales.x.min ?? 0;
  const xMax = u.scales.x.max ?? 1;
  const X = (x: number) => u.valToPos(Math.min(Math.max(x, xMin), xMax), 'x', true);
  const Y = (y: number) => u.valToPos(y, 'y', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${Math.round(10 * dpr)}px ${theme.fontFamily}`;
  for (const p of primitives) {
    ctx.setLineDash([]);
    switch (p.type) {
      case 'band': {
        if (p.x1 < xMin || p.x0 > xMax) break;
        const x0 = X(p.x0);
        const x1 = Math.max(X(p.x1), x0 + dpr);
        ctx.fillStyle = p.color;
        ctx.fillRect(x0, top, x1 - x0, height);
        if (p.label && x1 - x0 > 18 * dpr) {
          ctx.fillStyle = theme.muted;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'top';
          ctx.fillText(p.label, (x0 + x1) / 2, top + 3 * dpr);
        }
        break;
      }
      case 'hline': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        ctx.strokeStyle = p.color;
        ctx.lineWidth = p.width * dpr;
        ctx.lineCap = p.x0 !== undefined ? 'round' : 'butt';
        ctx.setLineDash((p.dash ?? []).map((d) => d * dpr));
        ctx.beginPath();
        ctx.moveTo(p.x0 !== undefined ? X(p.x0) : left, y);
        ctx.lineTo(p.x1 !== undefined ? Math.max(X(p.x1), X(p.x0 ?? p.x1) + dpr) : left + width, y);
        ctx.stroke();
        if (p.label) {
          ctx.fillStyle = theme.muted;
          ctx.textAlign = 'right';
          ctx.textBaseline = 'bottom';
          ctx.fillText(p.label, left + width - 4 * dpr, y - 2 * dpr);
        }
        break;
      }
      case 'vline': {
        if (p.x < xMin || p.x > xMax) break;
        const x = X(p.x);
        ctx.strokeStyle = p.color;
        ctx.lineWidth = p.width * dpr;
        ctx.setLineDash((p.dash ?? []).map((d) => d * dpr));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        break;
      }
      case 'tick': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        ctx.strokeStyle = p.color;
        ctx.lineWidth = 2 * dpr;
        ctx.beginPath();
        ctx.moveTo(left + width - p.length * dpr, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        break;
      }
    }
  }
  ctx.restore();
}

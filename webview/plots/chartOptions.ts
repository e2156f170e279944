import uPlot from 'uplot';
import type { ChartId, RunContext } from './chartIds';
import { singularValueColor, type PlotTheme } from './colors';
import { linearTickLabels } from '../../core/figures/ticks';
import { measureSymbol } from '../../core/rank/labels';
import { logTicks, stepTicks } from './format';
import { drawPrimitives, type Primitive } from './primitives';
import type { TrajectoryStore } from './store';

// The uPlot options of each chart (defaults of the theme, overridden per chart): axes, scales,
// series and the hooks that draw the overlays.

/** Singular values drawn thicker (the leading target components). */
export const HIGHLIGHTED = 8;
/** Reference lines erank(Ŵ_L) drawn for L = 1… up to this. */
export const MAX_REFERENCES = 8;
export const CHART_HEIGHT = 230;
/** The singular-value plot shows values down to this fraction of σ₁ (float32 noise below). */
export const SIGMA_FLOOR = 1e-7;

/** The y-axis titles (canvas text: Unicode sub- and superscripts only). */
const Y_TITLES: Record<ChartId, (ctx: RunContext) => string> = {
  sigma: () => 'σᵢ(W(k))',
  erank: (ctx) => (ctx.measure ? `${measureSymbol(ctx.measure)}(W(k))` : 'effective rank'),
  loss: () => '½‖W(k) − Ŵ‖²',
  distance: () => '‖W(k) − Ŵ_L‖',
};

export interface ChartInputs {
  theme: PlotTheme;
  context: RunContext;
  store: TrajectoryStore;
  overlays: (layer: 'under' | 'over') => Primitive[];
  onCursor: () => void;
}

export function chartOptions(id: ChartId, width: number, { theme, context: ctx, store, overlays, onCursor }: ChartInputs): uPlot.Options {
  const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({
    stroke: theme.muted,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    ...extra,
  });
  const xAxis = axis({ values: stepTicks, label: 'step k', labelSize: 14, labelGap: 0, size: 34, space: 60 });
  // Every y axis says what it measures (the mathematical names of the report's figures).
  const yTitle = { labelSize: 16, labelGap: 2, label: Y_TITLES[id](ctx) };
  const logAxis = axis({ values: (_u, splits) => logTicks(splits), size: 50, space: 16, ...yTitle });
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
      yAxis = axis({ size: 48, space: 28, values: (_u, splits) => linearTickLabels(splits), ...yTitle });
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
      drawClear: [(u) => drawPrimitives(u, overlays('under'), theme)],
      draw: [(u) => drawPrimitives(u, overlays('over'), theme)],
      setCursor: [onCursor],
    },
  };
}

import { measureSymbol } from '../rank/labels';
import type { RunResult } from '../result';
import { measureAxisTitle } from './fieldLabels';
import { linePanel, type LegendEntry, type PanelRule, type PanelSeries } from './linePanel';
import { gridPart, type FigureTheme, type SvgPart } from './svg';
import { formatNumber } from './ticks';

// A run's four publication panels, drawn from its result: singular values, effective rank
// with the predicted intervals and measured plateaus, loss, distances to Ŵ_L; and the 2 × 2
// grid of them. Static text only (no "hover"): these are the files of `dfl report --figures`.

export const RUN_PANELS = ['sigma', 'erank', 'loss', 'distance'] as const;
export type RunPanel = (typeof RUN_PANELS)[number];

export interface PanelSize {
  width: number;
  height: number;
}

export const DEFAULT_PANEL_SIZE: PanelSize = { width: 480, height: 330 };

/** Singular values drawn at most (the rest are below the plot's floor or add nothing). */
const MAX_SIGMAS = 32;
/** Leading singular values named one by one in the legend; the tail shares one entry. */
const MAX_NAMED = 6;
/** Values below this fraction of σ₁(Ŵ) are the target's zeros (rounding noise below). */
const FLOOR = 1e-7;

export const sub = (n: number | string) => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** The leading target singular values that are not zero: the ones named in legends. */
function namedCount(result: RunResult): number {
  const s = result.target.singularValues;
  const nonzero = s.filter((v) => v > FLOOR * (s[0] ?? 0)).length;
  return Math.max(1, Math.min(MAX_NAMED, nonzero, result.singularValues[0]?.length ?? 0));
}

function column<T>(rows: readonly (readonly T[])[], i: number): T[] {
  return rows.map((r) => r[i]);
}

/** One panel of a run. */
export function runPanel(result: RunResult, panel: RunPanel, theme: FigureTheme, size: PanelSize = DEFAULT_PANEL_SIZE, id = 'run'): SvgPart {
  const xs = result.steps;
  const x = { title: 'step k', steps: true, min: 0, max: Math.max(1, result.spec.steps) };
  const cat = (i: number) => theme.categorical[i % theme.categorical.length];
  const base = { id: `${id}-${panel}`, width: size.width, height: size.height, theme, x };
  switch (panel) {
    case 'sigma': {
      const count = Math.min(MAX_SIGMAS, result.singularValues[0]?.length ?? 0);
      const named = namedCount(result);
      const s1 = Math.max(result.target.singularValues[0] ?? 0, ...column(result.singularValues, 0).filter(Number.isFinite));
      const series: PanelSeries[] = [];
      // The tail first, so that the named values are drawn over it.
      for (let i = count - 1; i >= 0; i--) series.push({ xs, ys: column(result.singularValues, i), color: i < named ? cat(i) : theme.muted, width: i < named ? 1.8 : 0.8 });
      const rules: PanelRule[] = [];
      for (let i = 0; i < named; i++) {
        const v = result.target.singularValues[i];
        if (v > FLOOR * s1) rules.push({ y: v, color: cat(i), dash: '3 3', width: 0.9, label: `σ${sub(i + 1)}(Ŵ)` });
      }
      const legend: LegendEntry[] = Array.from({ length: named }, (_, i) => ({ kind: 'line' as const, color: cat(i), label: `σ${sub(i + 1)}` }));
      if (count > named) legend.push({ kind: 'line', color: theme.muted, label: count - named === 1 ? `σ${sub(count)}` : `σ${sub(named + 1)}…σ${sub(count)}` });
      legend.push({ kind: 'dash', color: theme.muted, label: 'σᵢ(Ŵ), target' });
      const lows = result.singularValues.flatMap((r) => r.slice(0, count)).filter((v) => v > FLOOR * s1);
      const min = lows.length ? Math.min(...lows) : FLOOR * s1;
      return linePanel({ ...base, title: 'Singular values', y: { title: 'σᵢ(W(k))', log: true, min: Math.max(min, FLOOR * s1) }, series, rules, legend });
    }
    case 'erank': {
      const symbol = measureSymbol(result.spec.effectiveRank);
      const refs = result.targetEffectiveRanks.slice(0, 8);
      const shown = new Set([...result.measured.plateaus, ...result.predicted.plateaus].map((p) => p.L));
      const refMax = Math.max(1, ...refs.filter((_, i) => i < 3 || shown.has(i + 1)));
      const rules: PanelRule[] = [];
      refs.forEach((r, i) => {
        if (i < 3 || shown.has(i + 1)) rules.push({ y: r, color: theme.muted, dash: '4 4', width: 0.8, label: `${symbol}(Ŵ${sub(i + 1)})` });
      });
      for (const p of result.measured.plateaus) {
        const y = result.targetEffectiveRanks[p.L - 1];
        rules.push(p.kind === 'crossing' ? { y, x0: p.start, x1: p.end, color: cat(p.L - 1), width: 2, dash: '2 3' } : { y, x0: p.start, x1: p.end, color: cat(p.L - 1), width: 4 });
      }
      const bands = result.predicted.plateaus.map((p) => ({ x0: p.start, x1: p.end, color: cat(p.L - 1), opacity: p.hypothesesMet ? 0.18 : 0.07, label: `L = ${p.L}` }));
      const legend: LegendEntry[] = [
        { kind: 'line', color: theme.foreground, label: `${symbol}(W(k))` },
        { kind: 'band', color: cat(0), label: 'predicted plateau (Thm 5.10)' },
        { kind: 'bar', color: cat(0), label: `measured ε-plateau, ε = ${formatNumber(result.spec.epsilon)}` },
        { kind: 'dash', color: theme.muted, label: `${symbol}(Ŵ_L)` },
      ];
      // Runs the rank passes through at speed are drawn dashed (docs/theory.md Definition 5.11).
      if (result.measured.plateaus.some((p) => p.kind === 'crossing')) legend.splice(3, 0, { kind: 'dash', color: cat(0), label: 'crossing (Def. 5.11)' });
      // The initial drop from about n leaves through the top: the plateaus are what is read here.
      const max = Math.min(Math.max(...result.effectiveRank.filter(Number.isFinite), refMax) * 1.08, Math.max(1.6 * refMax, refMax + 1.5));
      return linePanel({ ...base, title: 'Effective rank', y: { title: measureAxisTitle(result.spec.effectiveRank), min: 0, max }, series: [{ xs, ys: result.effectiveRank, color: theme.foreground, width: 1.8 }], bands, rules, legend });
    }
    case 'loss':
      return linePanel({ ...base, title: 'Loss', y: { title: '½‖W(k) − Ŵ‖_F^2', log: true }, series: [{ xs, ys: result.loss, color: cat(1), width: 1.8 }], legend: [{ kind: 'line', color: cat(1), label: 'L(W(k)) = ½‖W(k) − Ŵ‖_F^2' }] });
    case 'distance': {
      const count = Math.min(8, result.distanceToBestRank[0]?.length ?? 0);
      const series: PanelSeries[] = Array.from({ length: count }, (_, l) => ({ xs, ys: column(result.distanceToBestRank, l), color: cat(l), width: 1.6 }));
      const legend: LegendEntry[] = Array.from({ length: count }, (_, l) => ({ kind: 'line' as const, color: cat(l), label: `L = ${l + 1}` }));
      if (result.groundTruthError) {
        series.push({ xs, ys: result.groundTruthError, color: theme.foreground, width: 1.4, dash: '6 4' });
        legend.push({ kind: 'dash', color: theme.foreground, label: '‖W(k) − W*‖_F' });
      }
      return linePanel({ ...base, title: 'Distance to Ŵ_L', y: { title: '‖W(k) − Ŵ_L‖_F', log: true }, series, legend });
    }
  }
}

/** The run's title, each fact once: "N = 3: 20×20, spectral path (float64)". */
export function runTitle(label: string, result: RunResult): string {
  const depth = `N = ${result.spec.depth}`;
  const facts = [`${result.spec.n}×${result.spec.n}`, label.includes(depth) ? '' : depth, `${result.engine.path} path (${result.engine.precision})`].filter(Boolean);
  return `${label}: ${facts.join(', ')}`;
}

/** The four panels in a 2 × 2 grid under the run's title. */
export function runGrid(label: string, result: RunResult, theme: FigureTheme, size: PanelSize = DEFAULT_PANEL_SIZE, id = 'run'): SvgPart {
  return gridPart(
    RUN_PANELS.map((p) => runPanel(result, p, theme, size, id)),
    { columns: 2, title: runTitle(label, result), theme, gap: 16 },
  );
}

import type { ChartId, RunContext } from './chartIds';
import { singularValueColor, withAlpha, type PlotTheme } from './colors';
import { subscript } from './format';
import type { TrajectoryStore } from './store';

// The key under each chart's caption (what each line, band and dash means), in DOM over the canvas.

/** Leading singular values named one by one (the target's non-zero ones, at most this many). */
const NAMED_SIGMAS = 6;

export function renderKeys(figures: Record<ChartId, HTMLElement>, theme: PlotTheme, store: TrajectoryStore, context: RunContext): void {
  const measureLabel = context.measureLabel;
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
  // Every line named: σ₁…σ_r of the target's non-zero values one by one, the tail as one range.
  const sigmaKeys = () => {
    const count = store.sigmaCount;
    const s = context.targetSingularValues;
    const named = Math.max(1, Math.min(NAMED_SIGMAS, count, s.filter((v) => v > 1e-7 * (s[0] ?? 0)).length));
    const items = Array.from({ length: named }, (_, i) => swatch(singularValueColor(theme, i, count), `σ${subscript(i + 1)}`));
    if (count > named) items.push(swatch(singularValueColor(theme, Math.round((named + count - 1) / 2), count), count - named === 1 ? `σ${subscript(count)}` : `σ${subscript(named + 1)}…σ${subscript(count)}`));
    items.push(swatch(theme.muted, 'σᵢ(Ŵ), target', 'dash'));
    return items;
  };
  const keys: Record<ChartId, HTMLElement[]> = {
    sigma: sigmaKeys(),
    erank: [swatch(theme.foreground, measureLabel), swatch(withAlpha(theme.categorical[0], 0.35), 'predicted', 'band'), swatch(theme.categorical[0], 'measured', 'bar'), swatch(theme.muted, `${measureLabel} of Ŵ_L`, 'dash')],
    loss: [],
    distance: [
      ...Array.from({ length: store.distanceCount }, (_, l) => swatch(theme.categorical[l % theme.categorical.length], `L=${l + 1}`)),
      ...(store.hasGroundTruth ? [swatch(theme.foreground, '‖W − W*‖', 'dash')] : []),
    ],
  };
  for (const id of Object.keys(figures) as ChartId[]) {
    const figure = figures[id];
    let key = figure.querySelector<HTMLElement>('.plot-key');
    if (!key) {
      key = document.createElement('div');
      key.className = 'plot-key';
      figure.querySelector('figcaption')?.after(key);
    }
    key.replaceChildren(...keys[id]);
  }
}

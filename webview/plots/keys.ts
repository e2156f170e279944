import type { ChartId } from './charts';
import { singularValueColor, withAlpha, type PlotTheme } from './colors';
import { subscript } from './format';
import type { TrajectoryStore } from './store';

// The key under each chart's caption (what each line, band and dash means), in DOM over the canvas.

export function renderKeys(figures: Record<ChartId, HTMLElement>, theme: PlotTheme, store: TrajectoryStore, measureLabel: string): void {
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

import { bestRankApproximation, nearestRank, type RankReferences } from '../../core/engine/reference';
import { formatNumber, subscript } from '../plots/charts';
import { readPlotTheme } from '../plots/colors';
import { drawColorbar, drawHeatmap, maxAbs } from '../plots/heatmap';
import type { TrajectoryStore } from '../plots/store';

// The three heatmaps under the plots: the target Ŵ, the iterate W(k) at the shown step (from the
// run's snapshots) and the best rank-L Ŵ_L nearest the iterate's effective rank (core builds it).

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class Heatmaps {
  private n = 0;
  private target: Float64Array | undefined;
  private references: RankReferences | undefined;
  /** Ŵ_L by L (built on demand). */
  private readonly best = new Map<number, Float64Array>();
  private scale = 0;
  /** What each panel shows now (redrawn only on change). */
  private readonly drawn = new Map<string, string>();
  /** Changes with every run or shown result, so that each redraws its panels. */
  private generation = 0;

  /** A new run or result of size n; without `target` the target panels stay empty. */
  reset(n: number, target?: Float64Array, references?: RankReferences): void {
    this.generation++;
    this.n = n;
    this.target = target;
    this.references = target ? references : undefined;
    this.best.clear();
    this.drawn.clear();
    this.scale = target ? maxAbs(target) : 0;
  }

  /** Shows the heatmaps of logged point `index` of `store`; returns false without one. */
  show(store: TrajectoryStore, index: number): boolean {
    const point = store.points[index];
    if (!point) return false;
    $('step-output').textContent = `k = ${point.step}`;
    const theme = readPlotTheme();
    const { n, scale } = this;
    // Each panel is redrawn only when what it shows changes (this runs once per frame).
    const changed = (panel: string, what: string | number | undefined) => {
      const key = `${this.generation}:${theme.background}:${what}`;
      if (this.drawn.get(panel) === key) return false;
      this.drawn.set(panel, key);
      return true;
    };
    if (changed('target', this.target ? 'target' : 'none')) {
      drawHeatmap($('heat-target'), this.target, n, scale, theme);
      drawColorbar($('heat-colorbar'), theme);
      $('heat-max').textContent = scale > 0 ? `+${formatNumber(scale)}` : '';
      $('heat-min').textContent = scale > 0 ? `−${formatNumber(scale)}` : '';
    }
    const snapshot = store.snapshotAt(point.step);
    if (changed('iterate', snapshot?.step)) {
      drawHeatmap($('heat-iterate'), snapshot?.data, n, scale, theme);
      $('heat-iterate-caption').textContent = snapshot ? `Iterate W(k), k = ${snapshot.step}` : 'Iterate W(k)';
    }
    const refs = this.references;
    const L = refs ? nearestRank(refs, point.effectiveRank) : 1;
    if (changed('best', refs ? L : 'none')) {
      drawHeatmap($('heat-best'), refs ? this.bestRank(refs, L) : undefined, n, scale, theme);
      $('heat-best-caption').textContent = refs ? `Best rank-${L} Ŵ${subscript(L)} (nearest erank)` : 'Best rank-L Ŵ_L';
    }
    return true;
  }

  private bestRank(references: RankReferences, L: number): Float64Array {
    let m = this.best.get(L);
    if (!m) this.best.set(L, (m = bestRankApproximation(references, L, this.n)));
    return m;
  }

  drawEmpty(): void {
    const theme = readPlotTheme();
    for (const id of ['heat-target', 'heat-iterate', 'heat-best']) drawHeatmap($(id), undefined, 0, 0, theme);
    drawColorbar($('heat-colorbar'), theme);
  }
}

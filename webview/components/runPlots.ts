import { rankReferences, type RankReferences } from '../../core/engine/reference';
import { EFFECTIVE_RANK_LABELS } from '../../core/rank/effectiveRank';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { buildTarget } from '../../core/targets/buildTarget';
import type { Target } from '../../core/targets/target';
import { MAX_HEATMAP_SNAPSHOT_N } from '../engine/runner';
import type { LabCharts } from '../plots/charts';
import { MAX_PLOTTED_DISTANCES, MAX_PLOTTED_SINGULAR_VALUES, TrajectoryStore } from '../plots/store';
import type { Heatmaps } from './heatmaps';
import { setRunTitle } from './runSummary';

// What the plots, the heatmaps and the title start from: a live run (its store fills as points
// arrive) or a saved result (its store holds the whole trajectory).

/** Sets the plots and heatmaps up for a live run; returns the store its points go to. */
export function startRunPlots(charts: LabCharts, heatmaps: Heatmaps, spec: ExperimentSpec, target: Target): TrajectoryStore {
  const references = rankReferences(target, spec.effectiveRank);
  const sigmaCount = Math.min(spec.n, MAX_PLOTTED_SINGULAR_VALUES);
  const store = new TrajectoryStore(sigmaCount, Math.min(references.values.length, MAX_PLOTTED_DISTANCES));
  charts.reset(store, {
    steps: spec.steps,
    targetSingularValues: Array.from(references.targetSingularValues.subarray(0, sigmaCount)),
    targetEffectiveRanks: references.effectiveRanks,
    predicted: [],
    measured: [],
    measureLabel: EFFECTIVE_RANK_LABELS[spec.effectiveRank],
    measure: spec.effectiveRank,
  });
  if (spec.n <= MAX_HEATMAP_SNAPSHOT_N) heatmaps.reset(spec.n, target.matrix().data, references);
  else heatmaps.reset(spec.n);
  setRunTitle(spec, target.description);
  return store;
}

/** Sets the plots up for a saved result and, when its target can be rebuilt here, Ŵ and Ŵ_L. */
export function showResultPlots(charts: LabCharts, heatmaps: Heatmaps, result: RunResult): TrajectoryStore {
  const store = charts.showResult(result);
  heatmaps.reset(result.spec.n);
  const kind = result.spec.target.kind;
  if (result.spec.n <= MAX_HEATMAP_SNAPSHOT_N && kind !== 'file' && kind !== 'mnist') {
    try {
      const target = buildTarget(result.spec);
      const references: RankReferences = rankReferences(target, result.spec.effectiveRank);
      heatmaps.reset(result.spec.n, target.matrix().data, references);
    } catch {
      // Leave the target panels empty.
    }
  }
  setRunTitle(result.spec, result.target.description);
  return store;
}

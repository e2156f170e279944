import type { Plateau } from '../../core/plateaus/measurePlateaus';
import type { PredictedPlateau } from '../../core/result';
import type { EffectiveRankMeasure } from '../../core/spec/schema';

// The four live plots' names and what they know about a run, apart from the plots themselves
// (./charts.ts), which their options (./chartOptions.ts) and keys (./keys.ts) read.

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
  /** The measure itself, for the y axis's symbol (r*(W(k)) for the nuclear rank). */
  measure?: EffectiveRankMeasure;
}

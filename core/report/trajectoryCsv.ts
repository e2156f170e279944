import { csvText } from '../csv';
import type { RunResult } from '../result';

// The one CSV of a trajectory: a row per logged step with the loss, the effective rank, the
// singular values and (by default) the distances to Ŵ_L and the ground-truth error. Written by
// the Lab's CSV export and the extension's Export Results…; non-finite values are empty cells (core/csv.ts writes it).

export interface TrajectoryCsvOptions {
  /**
   * Column names: `lab` (default) `effective_rank_<measure>`, `sigma_1`, `distance_L1`…;
   * `compact` `effectiveRank`, `sigma1`… (the extension's export, read by existing scripts).
   */
  header?: 'lab' | 'compact';
  /** Include ‖W(k) − Ŵ_L‖_F and ‖W(k) − W*‖_F (default true). */
  distances?: boolean;
}

type TrajectoryFields = Pick<RunResult, 'spec' | 'steps' | 'loss' | 'effectiveRank' | 'singularValues' | 'singularValuesKept' | 'distanceToBestRank' | 'groundTruthError'>;

/** A finite number, else an empty cell. */
const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

export function trajectoryCsv(result: TrajectoryFields, options: TrajectoryCsvOptions = {}): string {
  const compact = options.header === 'compact';
  const withDistances = options.distances ?? true;
  const k = result.singularValuesKept;
  const L = withDistances ? (result.distanceToBestRank[0]?.length ?? 0) : 0;
  const groundTruth = withDistances ? result.groundTruthError : undefined;
  const header = [
    'step',
    'loss',
    compact ? 'effectiveRank' : `effective_rank_${result.spec.effectiveRank}`,
    ...Array.from({ length: k }, (_, i) => (compact ? `sigma${i + 1}` : `sigma_${i + 1}`)),
    ...Array.from({ length: L }, (_, l) => `distance_L${l + 1}`),
    ...(groundTruth ? ['ground_truth_error'] : []),
  ];
  const rows = result.steps.map((step, i) => {
    const sigma = result.singularValues[i] ?? [];
    const distances = result.distanceToBestRank[i] ?? [];
    const row = [step, result.loss[i], result.effectiveRank[i], ...Array.from({ length: k }, (_, j) => sigma[j]), ...Array.from({ length: L }, (_, l) => distances[l])];
    if (groundTruth) row.push(groundTruth[i]);
    return row.map(finite);
  });
  return csvText([header, ...rows]);
}

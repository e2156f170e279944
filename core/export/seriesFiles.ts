import { effectiveRankOf } from '../rank/effectiveRank';
import type { RunResult } from '../result';
import { effectiveRankMeasures, type EffectiveRankMeasure } from '../spec/schema';
import { encodeNpy } from '../targets/files/npyWriter';

// Everything a run logged, as .npy files beside the replay files (docs/replay.md "Every logged
// series"): each series written from the result's own numbers, so that numpy.load gives back
// exactly the float64 values of the result JSON.

/** Columns of plateaus-measured.npy and plateaus-predicted.npy. */
const MEASURED_PLATEAU_COLUMNS = ['L', 'start', 'end', 'epsilon', 'crossing'] as const;
const PREDICTED_PLATEAU_COLUMNS = ['L', 'start', 'end', 'epsilon', 'hypothesesMet'] as const;

export interface SeriesIndex {
  /** The measure of `effectiveRank` (the spec's). */
  measure: EffectiveRankMeasure;
  stopped: RunResult['stopped'];
  /** File names, each one row per logged step (steps.npy) unless said otherwise. */
  series: {
    loss: string;
    effectiveRank: string;
    /** steps × L: ‖W(k) − Ŵ_L‖_F, L = 1…. */
    distanceToBestRank: string;
    groundTruthError?: string;
    /** steps × (N − 1). */
    balancedness?: string;
    /** One per L: the measure of Ŵ_L. */
    targetEffectiveRanks: string;
    /** The target's singular values (not per step). */
    targetSingularValues: string;
    /**
     * Every measure per logged step: the spec's is `effectiveRank` itself; the others are computed
     * from sv.npy, and only when it holds every singular value (n ≤ 256).
     */
    measures: Partial<Record<EffectiveRankMeasure, string>>;
  };
  /** The plateaus as in the result (kind, ε, hypothesesMet, reasons), and as numeric tables. */
  plateaus: {
    measured: RunResult['measured']['plateaus'];
    predicted: RunResult['predicted']['plateaus'];
    missing?: RunResult['predicted']['missing'];
    notMet?: RunResult['predicted']['notMet'];
    /** k × 5, columns MEASURED_PLATEAU_COLUMNS (crossing: 1, plateau: 0, not recorded: NaN). */
    measuredFile: string;
    /** k × 5, columns PREDICTED_PLATEAU_COLUMNS (hypothesesMet: 1 or 0). */
    predictedFile: string;
    columns: { measured: readonly string[]; predicted: readonly string[] };
  };
}

const rows = (table: readonly (readonly number[])[], width: number) => ({ values: table.flat(), shape: [table.length, width] });

/** The series files of a result and their part of index.json. */
export function seriesFiles(result: RunResult): { index: SeriesIndex; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const points = result.steps.length;
  const vector = (name: string, values: readonly number[]) => {
    files.set(name, encodeNpy(values, [values.length]));
    return name;
  };
  const matrix = (name: string, table: readonly (readonly number[])[], width: number) => {
    const m = rows(table, width);
    files.set(name, encodeNpy(m.values, m.shape));
    return name;
  };
  const measure = result.spec.effectiveRank;
  const measures: Partial<Record<EffectiveRankMeasure, string>> = { [measure]: 'effective-rank.npy' };
  if (result.singularValuesKept === result.spec.n)
    for (const m of effectiveRankMeasures) if (m !== measure) measures[m] = vector(`rank-${m}.npy`, result.singularValues.map((sv) => effectiveRankOf[m](sv)));
  const series: SeriesIndex['series'] = {
    loss: vector('loss.npy', result.loss),
    effectiveRank: vector('effective-rank.npy', result.effectiveRank),
    distanceToBestRank: matrix('distance-to-best-rank.npy', result.distanceToBestRank, result.distanceToBestRank[0]?.length ?? 0),
    targetEffectiveRanks: vector('target-effective-ranks.npy', result.targetEffectiveRanks),
    targetSingularValues: vector('target-sv.npy', result.target.singularValues),
    measures,
  };
  if (result.groundTruthError) series.groundTruthError = vector('ground-truth-error.npy', result.groundTruthError);
  if (result.balancedness && result.balancedness.length === points) series.balancedness = matrix('balancedness.npy', result.balancedness, result.balancedness[0]?.length ?? 0);
  const measured = result.measured.plateaus.map((p) => [p.L, p.start, p.end, p.epsilon, p.kind === undefined ? NaN : p.kind === 'crossing' ? 1 : 0]);
  const predicted = result.predicted.plateaus.map((p) => [p.L, p.start, p.end, p.epsilon, p.hypothesesMet ? 1 : 0]);
  const plateaus: SeriesIndex['plateaus'] = {
    measured: result.measured.plateaus,
    predicted: result.predicted.plateaus,
    ...(result.predicted.missing ? { missing: result.predicted.missing } : {}),
    ...(result.predicted.notMet ? { notMet: result.predicted.notMet } : {}),
    measuredFile: matrix('plateaus-measured.npy', measured, MEASURED_PLATEAU_COLUMNS.length),
    predictedFile: matrix('plateaus-predicted.npy', predicted, PREDICTED_PLATEAU_COLUMNS.length),
    columns: { measured: MEASURED_PLATEAU_COLUMNS, predicted: PREDICTED_PLATEAU_COLUMNS },
  };
  return { index: { measure, stopped: result.stopped, series, plateaus }, files };
}

import { measurePlateaus, type Plateau } from '../core/plateaus/measurePlateaus';
import { effectiveRankOf } from '../core/rank/effectiveRank';
import type { PredictedPlateau } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { predictPlateaus } from '../core/theory/predictPlateaus';
import { simulateSpectral } from './simulate';

/** One exact ε-run of the every-step recursion and the prediction inside it, if any. */
interface EvaluatedRun extends Plateau {
  predicted?: PredictedPlateau;
  tightness?: number;
}

export interface Evaluation {
  spec: ExperimentSpec;
  runs: EvaluatedRun[];
  predictions: PredictedPlateau[];
  /** Steps of predictions with hypothesesMet where the exact measure leaves the certified ε. */
  violations: string[];
}

/** The measure of Ŵ_L for L = 1…(positive eigenvalues, at most 32), as the engine computes it. */
export function references(spec: ExperimentSpec, lambda: Float64Array): number[] {
  const measure = effectiveRankOf[spec.effectiveRank];
  const out: number[] = [];
  for (let L = 1; L <= Math.min(32, lambda.length) && lambda[L - 1] > 1e-12 * lambda[0] && lambda[L - 1] > 0; L++) out.push(measure(lambda.subarray(0, L)));
  return out;
}

/**
 * Runs the exact recursion at every step and compares: every step of every prediction with
 * hypothesesMet must lie within its certified ε (a violation otherwise); each exact ε-run
 * (Definition 5.2) gets the longest prediction for its L that lies inside it and its tightness
 * (every predicted step inside it over its length).
 */
export function evaluatePredictions(spec: ExperimentSpec): Evaluation {
  const run = simulateSpectral(spec);
  const steps = Array.from({ length: run.lastStep + 1 }, (_, k) => k);
  const refs = references(spec, run.lambda);
  const predictions = predictPlateaus(spec);
  const violations: string[] = [];
  for (const p of predictions) {
    if (!p.hypothesesMet) continue;
    if (p.epsilon > spec.epsilon) violations.push(`L = ${p.L}: certified ε ${p.epsilon} > ε ${spec.epsilon}`);
    for (let k = p.start; k <= Math.min(p.end, run.lastStep); k++) {
      const gap = Math.abs(run.rank[k] - refs[p.L - 1]);
      if (!(gap <= p.epsilon)) {
        violations.push(`L = ${p.L}, step ${k} of [${p.start}, ${p.end}]: |r − r(Ŵ_L)| = ${gap} > ${p.epsilon}`);
        break;
      }
    }
  }
  // A run can hold several certified intervals of its L (separated by a cell that is not certified):
  // its tightness counts the steps of all of them, which are disjoint.
  const runs: EvaluatedRun[] = measurePlateaus(steps, run.rank, refs, spec.epsilon).map((m) => {
    const inside = predictions.filter((p) => p.L === m.L && m.start <= p.start && Math.min(p.end, run.lastStep) <= m.end);
    if (inside.length === 0) return { ...m };
    const covered = inside.reduce((sum, p) => sum + Math.min(p.end, run.lastStep) - p.start + 1, 0);
    const predicted = inside.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    return { ...m, predicted, tightness: covered / (m.end - m.start + 1) };
  });
  return { spec, runs, predictions, violations };
}

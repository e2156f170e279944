import { MAX_TRACKED_RANK } from '../engine/reference';
import { effectiveRankOf } from '../rank/effectiveRank';
import { measureOf, measureSymbol } from '../rank/labels';
import type { PredictedPlateau } from '../result';
import type { EffectiveRankMeasure, ExperimentSpec } from '../spec/schema';
import { componentEnclosure, singularValueBoundsOver, type ComponentEnclosure } from './enclosure';
import { ipow } from './flowTime';
import { checkHypotheses } from './hypotheses';
import { certifiedRankRange, type RankRange } from './rankRanges';
import type { Target } from '../targets/target';

/** A predicted plateau (docs/theory.md Theorem 5.10). */
export type PlateauPrediction = PredictedPlateau;

/**
 * The values of the scalar recursion of a spectrum spec, descending, padded with zeros to n: its
 * eigenvalues for identity init, their absolute values (Ŵ's singular values) for aligned init
 * (docs/theory.md Theorem 2.2).
 */
export function specEigenvalues(spec: ExperimentSpec): Float64Array | undefined {
  if (spec.target.kind !== 'spectrum') return undefined;
  const values = new Float64Array(spec.n);
  values.set(spec.init.kind === 'aligned' ? spec.target.eigenvalues.map(Math.abs) : spec.target.eigenvalues);
  return values.sort().reverse();
}

/** Steps of a geometric grid (ratio 1.01) on [1, steps]: cells for the decaying bounds. */
function geometricSteps(steps: number): number[] {
  const out = [0];
  for (let k = 1; k <= steps; k = Math.max(k + 1, Math.floor(k * 1.01))) out.push(k);
  return out;
}

/** At most this many cells: a coarser partition is still certified (5.14), only looser. */
const MAX_CELLS = 8000;

/** The certified range of the measure over consecutive cells of steps [start, end]. */
export interface CertifiedCell {
  start: number;
  end: number;
  range: RankRange | undefined;
}

/** One enclosure per distinct eigenvalue, with its multiplicity. */
export interface SpectrumEnclosure {
  groups: ComponentEnclosure[];
  count: Float64Array;
}

/** Groups equal eigenvalues (they follow the same recursion) and encloses each group. */
export function spectrumEnclosure(spec: ExperimentSpec, eigenvalues: ArrayLike<number>, enclose: typeof componentEnclosure = componentEnclosure): SpectrumEnclosure {
  const lambda = Float64Array.from(eigenvalues).sort().reverse();
  const groups: ComponentEnclosure[] = [];
  const count: number[] = [];
  for (let i = 0; i < lambda.length; i++) {
    if (i > 0 && lambda[i] === lambda[i - 1]) count[count.length - 1]++;
    else {
      groups.push(enclose(lambda[i], spec.init.alpha, spec.depth, spec.stepSize, spec.steps));
      count.push(1);
    }
  }
  return { groups, count: Float64Array.from(count) };
}

/**
 * The certified range of the measure on a partition of [0, steps] into cells (docs/theory.md
 * Theorem 5.9 and (5.14)): cell boundaries at the steps where a growing component's bound changes
 * and on a geometric grid for the decaying ones.
 */
export function certifiedCells(spec: ExperimentSpec, enclosure: SpectrumEnclosure, measure: EffectiveRankMeasure = spec.effectiveRank): CertifiedCell[] {
  const steps = spec.steps;
  const points = new Set<number>(geometricSteps(steps));
  for (const g of enclosure.groups) for (const k of g.changes) if (k >= 0 && k <= steps) points.add(k);
  let starts = [...points].sort((a, b) => a - b);
  if (starts.length > MAX_CELLS) {
    const every = starts.length / MAX_CELLS;
    starts = Array.from({ length: MAX_CELLS }, (_, i) => starts[Math.floor(i * every)]);
  }
  const G = enclosure.groups.length;
  const box = { lo: new Float64Array(G), hi: new Float64Array(G), count: enclosure.count };
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] - 1 : steps;
    enclosure.groups.forEach((g, j) => ([box.lo[j], box.hi[j]] = singularValueBoundsOver(g, start, end)));
    return { start, end, range: certifiedRankRange(measure, box) };
  });
}

/** Why a rank L has no predicted interval, in words with the numbers. */
interface MissingPrediction {
  L: number;
  reason: string;
}

/** Predictions with the reasons for the ranks that have none (what `dfl run` prints under its table). */
export interface ExplainedPredictions {
  plateaus: PlateauPrediction[];
  /** One entry per L = 1…ranks without a prediction. */
  missing: MissingPrediction[];
  /** The hypotheses of Theorem 5.10 that fail for this spec (empty when all hold). */
  notMet: string[];
}

const num = (x: number) => String(+x.toPrecision(4));

/**
 * The theory's predicted ε-plateaus (docs/theory.md Theorem 5.10): for each L with a gap
 * λ_L > λ_{L+1} among the growing components, every maximal run of consecutive steps whose
 * certified range of the spec's measure lies within ε of the measure of Ŵ_L (ordered by L, then
 * by step: the rank can return to a level after leaving it), from the per-step
 * enclosure of Theorem 5.9. Computed from formulas and certified bounds only; no simulation.
 *
 * For identity init and a symmetric target (`eigenvalues` its eigenvalues), or aligned init and
 * any square target (`eigenvalues` its singular values, Theorem 2.2), and estimation; other specs
 * get no predictions. `hypothesesMet` is false when the step size breaks (4.1), (4.5) or (4.6).
 */
export function predictPlateaus(spec: ExperimentSpec, eigenvalues: ArrayLike<number> | undefined = specEigenvalues(spec)): PlateauPrediction[] {
  return explainPredictions(spec, eigenvalues, 0).plateaus;
}

/**
 * `predictPlateaus`, and for every L = 1…ranks without a prediction the reason: the hypothesis of
 * Theorem 5.10 that fails (identity init, estimation, a symmetric target: Theorem 2.1), or for
 * that L a component that does not grow (λ_L ≤ α^N, Theorem 4.1), no gap (λ_L = λ_{L+1}), or no
 * step whose certified range comes within ε. `asymmetry` (‖Ŵ − Ŵᵀ‖_F/‖Ŵ‖_F) is quoted for a
 * non-symmetric target.
 */
export function explainPredictions(spec: ExperimentSpec, eigenvalues: ArrayLike<number> | undefined, ranks: number, asymmetry?: number): ExplainedPredictions {
  const notMet: string[] = [];
  if (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') notMet.push(`identity init W_j(0) = αI (Theorem 2.1) or init aligned with Ŵ (Theorem 2.2); this run's init is ${spec.init.kind}`);
  if (spec.problem.kind !== 'estimation')
    notMet.push(`the estimation problem (loss ½‖W − Ŵ‖²); this run is ${spec.problem.kind}${spec.problem.kind === 'sensing' ? ` with m = ${spec.problem.measurements}` : ` with ${spec.problem.observed} of the entries`}`);
  if (!eigenvalues) notMet.push(`a symmetric target with identity init (Theorem 2.1; or init aligned with Ŵ, Theorem 2.2); this one is not${asymmetry !== undefined ? ` (‖Ŵ − Ŵᵀ‖_F/‖Ŵ‖_F = ${num(asymmetry)})` : ''}`);
  const all = (reason: string) => Array.from({ length: ranks }, (_, i) => ({ L: i + 1, reason }));
  if (notMet.length > 0) return { plateaus: [], missing: all(`Theorem 5.10 assumes ${notMet.join('; and ')}`), notMet: notMet.map((h) => `Theorem 5.10 assumes ${h}`) };
  const lambdaIn = eigenvalues!;
  const hypotheses = checkHypotheses(spec, lambdaIn);
  const lambda = Float64Array.from(lambdaIn).sort().reverse();
  const n = lambda.length;
  const N = spec.depth;
  const x0 = N === 1 ? spec.init.alpha : ipow(spec.init.alpha, N);
  let growing = 0;
  while (growing < n && lambda[growing] > x0) growing++;
  const maxL = Math.min(growing, MAX_TRACKED_RANK);
  const cells = maxL === 0 ? [] : certifiedCells(spec, spectrumEnclosure(spec, lambda));
  const measure = effectiveRankOf[spec.effectiveRank];
  const predictions: PlateauPrediction[] = [];
  const missing: MissingPrediction[] = [];
  const threshold = N === 1 ? `α = ${num(spec.init.alpha)}` : `α^N = ${num(x0)}`;
  for (let L = 1; L <= Math.max(maxL, ranks); L++) {
    if (L > maxL) {
      if (L > n) missing.push({ L, reason: `L = ${L} exceeds n = ${n}` });
      else if (L > MAX_TRACKED_RANK) missing.push({ L, reason: `only L ≤ ${MAX_TRACKED_RANK} are predicted` });
      else missing.push({ L, reason: `λ_${L} = ${num(lambda[L - 1])} ≤ ${threshold}: component ${L} does not grow (Theorem 4.1), so W never passes Ŵ_${L}` });
      continue;
    }
    if (L < n && !(lambda[L - 1] > lambda[L])) {
      missing.push({ L, reason: `λ_${L} = λ_${L + 1} = ${num(lambda[L])}: no gap, so Ŵ_${L} is not unique (Theorem 5.10 needs λ_${L} > λ_${L + 1})` });
      continue;
    }
    const reference = measure(lambda.subarray(0, L));
    let run: PlateauPrediction | undefined;
    let closest = Infinity;
    const before = predictions.length;
    for (const cell of cells) {
      const r = cell.range;
      const deviation = r ? Math.max(r.upper - reference, reference - r.lower, 0) : Infinity;
      closest = Math.min(closest, deviation);
      if (!(deviation <= spec.epsilon)) {
        if (run) predictions.push(run);
        run = undefined;
        continue;
      }
      if (run) {
        run.end = cell.end;
        run.epsilon = Math.max(run.epsilon, deviation);
      } else run = { L, start: cell.start, end: cell.end, epsilon: deviation, hypothesesMet: hypotheses.met };
    }
    if (run) predictions.push(run);
    if (predictions.length === before && L <= ranks) {
      const separation = N === 1 ? ' (N = 1: every component converges at the same rate, Remark 4.2)' : '';
      const near = Number.isFinite(closest) ? `; the closest certified range is ${num(closest)} away` : '; no step is certified';
      missing.push({ L, reason: `no step's certified range of ${measureSymbol(spec.effectiveRank)} lies within ε = ${spec.epsilon} of ${measureOf(spec.effectiveRank, `Ŵ_${L}`)} = ${num(reference)}${near}${separation}` });
    }
  }
  return { plateaus: predictions, missing: missing.filter((m) => m.L <= ranks), notMet: hypotheses.reasons };
}

/** `explainPredictions` for a built target (the asymmetry of a non-symmetric one measured). */
export function predictionsForTarget(spec: ExperimentSpec, target: Pick<Target, 'eigenvalues' | 'matrix'>, ranks: number, values: ArrayLike<number> | undefined = target.eigenvalues): ExplainedPredictions {
  let asymmetry: number | undefined;
  if (!values) {
    const { data, rows } = target.matrix();
    let skew = 0;
    let norm = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < rows; j++) {
        const d = data[i * rows + j] - data[j * rows + i];
        skew += d * d;
        norm += data[i * rows + j] ** 2;
      }
    asymmetry = norm > 0 ? Math.sqrt(skew / norm) : 0;
  }
  return explainPredictions(spec, values, ranks, asymmetry);
}

import { MAX_TRACKED_RANK } from '../engine/reference';
import { effectiveRankOf } from '../rank/effectiveRank';
import type { PredictedPlateau } from '../result';
import type { EffectiveRankMeasure, ExperimentSpec } from '../spec/schema';
import { componentEnclosure, singularValueBoundsOver, type ComponentEnclosure } from './enclosure';
import { ipow } from './flowTime';
import { checkHypotheses } from './hypotheses';
import { certifiedRankRange, type RankRange } from './rankRanges';

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
  if (!eigenvalues || (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') || spec.problem.kind !== 'estimation') return [];
  const hypotheses = checkHypotheses(spec, eigenvalues);
  const lambda = Float64Array.from(eigenvalues).sort().reverse();
  const n = lambda.length;
  const N = spec.depth;
  const x0 = N === 1 ? spec.init.alpha : ipow(spec.init.alpha, N);
  let growing = 0;
  while (growing < n && lambda[growing] > x0) growing++;
  const maxL = Math.min(growing, MAX_TRACKED_RANK);
  if (maxL === 0) return [];
  const cells = certifiedCells(spec, spectrumEnclosure(spec, lambda));
  const measure = effectiveRankOf[spec.effectiveRank];
  const predictions: PlateauPrediction[] = [];
  for (let L = 1; L <= maxL; L++) {
    if (L < n && !(lambda[L - 1] > lambda[L])) continue; // no gap: Ŵ_L is not unique
    const reference = measure(lambda.subarray(0, L));
    let run: PlateauPrediction | undefined;
    for (const cell of cells) {
      const r = cell.range;
      const deviation = r ? Math.max(r.upper - reference, reference - r.lower, 0) : Infinity;
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
  }
  return predictions;
}

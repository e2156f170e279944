import { MAX_TRACKED_RANK } from '../engine/reference';
import { entropyRank } from '../rank/effectiveRank';
import type { PredictedPlateau } from '../result';
import type { ExperimentSpec } from '../spec/schema';
import { ipow } from './flowTime';
import { checkHypotheses } from './hypotheses';
import { entropyRankRange } from './erankBounds';
import { stepCountBounds } from './stepBounds';

/** A predicted plateau with the δ it was certified for (docs/theory.md Theorem 5.4). */
export interface PlateauPrediction extends PredictedPlateau {
  /** Top L components are within (1 − δ) of their targets, the others below δ of theirs. */
  delta: number;
}

/** δ candidates, log-spaced: ε(δ) and the interval both grow with δ, so the search keeps the longest valid one. */
const DELTAS = Array.from({ length: 48 }, (_, i) => 1e-5 * Math.pow(0.45 / 1e-5, i / 47));

/** Descending eigenvalues of a spectrum spec, padded with zeros to n. */
export function specEigenvalues(spec: ExperimentSpec): Float64Array | undefined {
  if (spec.target.kind !== 'spectrum') return undefined;
  const values = new Float64Array(spec.n);
  values.set(spec.target.eigenvalues);
  return values.sort().reverse();
}

/**
 * The theory's predicted ε-plateaus (docs/theory.md Theorem 5.4): for each L with a gap
 * λ_L > λ_{L+1} among the components that grow (λ > α^N), the interval
 * [max_{i≤L} K_i⁺(1−δ), min_{i>L} K_i⁻(δ) − 1] of steps, from the certified step-count bounds of
 * Proposition 4.3, with δ the largest for which the certified erank range of Lemma 5.3 stays
 * within the spec's ε of erank(Ŵ_L). Computed from formulas and bounds only; no simulation.
 *
 * Only for the entropy effective rank, identity init, a symmetric target and estimation; other
 * specs get no predictions. `hypothesesMet` is false when the step size breaks (4.1)–(4.6).
 */
export function predictPlateaus(spec: ExperimentSpec, eigenvalues: ArrayLike<number> | undefined = specEigenvalues(spec)): PlateauPrediction[] {
  if (!eigenvalues || spec.init.kind !== 'identity' || spec.problem.kind !== 'estimation' || spec.effectiveRank !== 'entropy') return [];
  const hypotheses = checkHypotheses(spec, eigenvalues);
  const lambda = Float64Array.from(eigenvalues).sort().reverse();
  const n = lambda.length;
  const N = spec.depth;
  const alpha = spec.init.alpha;
  const eta = spec.stepSize;
  const aN = ipow(alpha, N);
  const start = N === 1 ? alpha : aN; // x(0)
  let growing = 0;
  while (growing < n && lambda[growing] > start) growing++;

  // |x_i| stays in a known interval whatever the step; see Theorem 4.1 and (4.5)–(4.6).
  const staticBox = (i: number): [number, number] => {
    const l = lambda[i];
    if (l > 0) return [Math.min(l, start), Math.max(l, start)];
    if (N >= 2) return [0, aN];
    return [0, Math.max(alpha, -l)];
  };

  // Step-count bounds per δ, once for all L: start(L) = max_{i≤L} K_i⁺(1−δ) is a prefix maximum
  // and end(L) = min_{i>L} K_i⁻(δ) − 1 a suffix minimum over the growing components.
  const maxL = Math.min(growing, MAX_TRACKED_RANK);
  const starts = DELTAS.map((delta) => {
    const out = new Float64Array(maxL + 1);
    for (let i = 0; i < maxL; i++) out[i + 1] = Math.max(out[i], stepCountBounds(lambda[i], alpha, N, eta, 1 - delta).upper);
    return out;
  });
  const ends = DELTAS.map((delta) => {
    const out = new Float64Array(growing + 1).fill(spec.steps);
    for (let i = growing - 1; i >= 0; i--) out[i] = Math.min(out[i + 1], stepCountBounds(lambda[i], alpha, N, eta, delta).lower - 1);
    return out;
  });

  const predictions: PlateauPrediction[] = [];
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let L = 1; L <= maxL; L++) {
    if (L < n && !(lambda[L - 1] > lambda[L])) continue; // no gap: Ŵ_L is not unique
    const reference = entropyRank(lambda.subarray(0, L));
    let best: PlateauPrediction | undefined;
    DELTAS.forEach((delta, d) => {
      const from = starts[d][L];
      const to = ends[d][L];
      if (!(from <= to) || !Number.isFinite(from)) return;
      if (best && to - from <= best.end - best.start) return;
      for (let i = 0; i < n; i++) {
        if (i < L) [lo[i], hi[i]] = [(1 - delta) * lambda[i], lambda[i]];
        else if (i < growing) [lo[i], hi[i]] = [start, delta * lambda[i]];
        else [lo[i], hi[i]] = staticBox(i);
      }
      const range = entropyRankRange(lo, hi, L);
      if (!range) return;
      const epsilon = Math.max(range.upper - reference, reference - range.lower);
      if (!(epsilon <= spec.epsilon)) return;
      best = { L, start: from, end: to, epsilon, hypothesesMet: hypotheses.met, delta };
    });
    if (best) predictions.push(best);
  }
  return predictions;
}

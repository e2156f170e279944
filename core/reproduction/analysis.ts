import { nuclearNormComplete } from '../baselines/svt';
import { problemData } from '../engine/matrixPath';
import { fromEigen } from '../linalg/dense';
import { singularValues } from '../linalg/decompositions';
import { entropyRank } from '../rank/effectiveRank';
import { reachStep } from '../report/assess';
import { flowTimeLaw } from '../report/flowTimeLaw';
import type { RunResult } from '../result';
import { buildTarget } from '../targets/buildTarget';
import { pairPlateaus, primaryPairs } from '../plateaus/pairing';
import { measureName, measureOf, measureSymbol } from '../rank/labels';

// The numbers docs/reproduction.md quotes, computed from saved results (scripts/reproduce.mjs
// bundles this file and writes the page from what these functions return). The baselines
// (truncated SVD, nuclear-norm minimization) regenerate the target and the mask from the spec.

type Plateau = { start: number; end: number };

export function longestPlateau(result: RunResult, L: number): Plateau | undefined {
  return result.measured.plateaus.filter((p) => p.L === L).reduce<Plateau | undefined>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), undefined);
}

export function minimumOf(series: readonly number[], steps: readonly number[]): { value: number; step: number } {
  let best = 0;
  for (let i = 1; i < series.length; i++) if (series[i] < series[best]) best = i;
  return { value: series[best], step: steps[best] };
}

/**
 * Per run: for L = 1…4 the measured run and the predicted interval as every view pairs them
 * (core/plateaus/pairing.ts, docs/theory.md §5.5); `inside` when the prediction lies in that run.
 */
export function depthTable(results: RunResult[]) {
  return results.map((r) => {
    const pairs = primaryPairs(pairPlateaus(r));
    return {
      depth: r.spec.depth,
      ranks: [1, 2, 3, 4].map((L) => {
        const pair = pairs.get(L);
        const predicted = pair?.predicted;
        const measured = pair?.measured ?? longestPlateau(r, L);
        // Logged steps only resolve a run's ends to the neighbouring logged steps: the prediction is
        // inside when it starts after the logged step before the run and ends before the one after.
        const m = pair?.measured;
        const at = m ? [r.steps.indexOf(m.start), r.steps.indexOf(m.end)] : [-1, -1];
        const before = at[0] > 0 ? r.steps[at[0] - 1] : -1;
        const after = at[1] >= 0 && at[1] + 1 < r.steps.length ? r.steps[at[1] + 1] : Infinity;
        const inside = Boolean(predicted && m && before < predicted.start && predicted.end < after);
        return { L, measured, predicted, inside, tightness: inside ? pair?.tightness : undefined };
      }),
    };
  });
}

/** MNIST per depth: rank-1 and rank-2 phases, closest approach to Ŵ_1 and Ŵ_2 relative to ‖Ŵ_L‖_F. */
export function mnistTable(results: RunResult[]) {
  return results.map((r) => {
    const closest = (L: number) => {
      const m = minimumOf(r.distanceToBestRank.map((row) => row[L - 1]), r.steps);
      const norm = Math.sqrt(r.target.singularValues.slice(0, L).reduce((a, s) => a + s * s, 0));
      return { relative: m.value / norm, step: m.step };
    };
    return { depth: r.spec.depth, rank1: longestPlateau(r, 1), rank2: longestPlateau(r, 2), closest1: closest(1), closest2: closest(2), snapshots: r.snapshots?.steps ?? [] };
  });
}

/** ‖W(K) − W*‖_F / ‖W*‖_F at the last step. */
export function finalRelativeError(r: RunResult): number {
  const g = r.groundTruthError;
  if (!g) return NaN;
  const w = buildTarget(r.spec).groundTruth!();
  let s = 0;
  for (const x of w.data) s += x * x;
  return g[g.length - 1] / Math.sqrt(s);
}

export function sensingTable(results: RunResult[]) {
  return results.map((r) => {
    const rank = r.spec.target.kind === 'lowRankPlusNoise' ? r.spec.target.rank : 1;
    return {
      depth: r.spec.depth,
      relativeError: finalRelativeError(r),
      plateauAtRank: longestPlateau(r, rank),
      targetErank: r.targetEffectiveRanks[rank - 1],
      finalErank: r.effectiveRank[r.effectiveRank.length - 1],
      sigma: r.singularValues[r.singularValues.length - 1].slice(0, rank + 1),
    };
  });
}

/**
 * Denoising: ‖Ŵ_L − W*‖_F for L ≤ 6 (Ŵ_L keeps the L largest positive eigenvalues), the smallest
 * error along the run, and the rule "stop in the middle of the longest certified predicted
 * plateau that ends before the last step", which uses the predictions alone.
 */
export function denoiseRow(r: RunResult) {
  const target = buildTarget(r.spec);
  const truth = target.groundTruth!();
  const eig = target.eigenvalues!;
  const vectors = target.eigenvectors();
  const truncated = [1, 2, 3, 4, 5, 6].map((L) => {
    const w = fromEigen(vectors, Float64Array.from(eig, (x, i) => (i < L && x > 0 ? x : 0)));
    let e = 0;
    for (let i = 0; i < w.data.length; i++) e += (w.data[i] - truth.data[i]) ** 2;
    return Math.sqrt(e);
  });
  const g = r.groundTruthError!;
  // The last plateau runs to the end of the run (convergence to Ŵ₊, noise included): not a stop.
  const certified = r.predicted.plateaus.filter((p) => p.hypothesesMet && p.epsilon <= r.spec.epsilon && p.end < r.spec.steps);
  type Plateau = (typeof certified)[number];
  /** The logged step nearest the geometric middle √(start · end) of a plateau, and the error there. */
  const stopOn = (p: Plateau | undefined) => {
    if (!p) return undefined;
    const middle = 0.5 * Math.log(Math.max(p.start, 1) * p.end);
    let index = 0;
    r.steps.forEach((k, i) => {
      if (Math.abs(Math.log(Math.max(k, 1)) - middle) < Math.abs(Math.log(Math.max(r.steps[index], 1)) - middle)) index = i;
    });
    return { L: p.L, start: p.start, end: p.end, step: r.steps[index], error: g[index] };
  };
  // Rule A, predictions only: the longest plateau in log time (end / start). By (3.4) the plateau
  // between learning λ_L and λ_{L+1} spans τ_{L+1}/τ_L ≈ λ_L/λ_{L+1}: the largest relative gap of
  // Ŵ's spectrum, whatever the scale of λ (in steps the plateaus among the small noise eigenvalues
  // are the longest, τ ∝ 1/λ). Near λ = 0 noise eigenvalues have large ratios too, which misleads it.
  const logLength = (p: Plateau) => Math.log(p.end / Math.max(p.start, 1));
  const rule = stopOn(certified.reduce<Plateau | undefined>((a, b) => (!a || logLength(b) > logLength(a) ? b : a), undefined));
  // Rule B, Ŵ's spectrum for L, the predictions for when: a PSD signal plus symmetric noise has
  // only noise below 0, and symmetric noise reaches as far up as down, so ν = −λ_min(Ŵ) estimates
  // the top of the noise; L = #{λ_i > ν}, stopped on that L's certified plateau. W* is not used.
  const edge = Math.max(0, -Math.min(...eig));
  const signalRank = eig.filter((x) => x > edge).length;
  // The longest of L's certified intervals (a level can hold several, docs/theory.md §5.5).
  const edgeRule = stopOn(certified.filter((p) => p.L === signalRank).reduce<Plateau | undefined>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), undefined));
  const bestTruncated = truncated.reduce((a, e, i) => (e < a.error ? { L: i + 1, error: e } : a), { L: 1, error: truncated[0] });
  const spec = r.spec.target.kind === 'lowRankPlusNoise' ? r.spec.target : undefined;
  return { noise: spec?.noise ?? NaN, seed: spec?.seed ?? NaN, truncated, bestTruncated, alongRun: minimumOf(g, r.steps), final: g[g.length - 1], rule, edgeRule, noiseEdge: edge, signalRank };
}

/**
 * Random init: order of learning and balancedness. σ_i "reaches" s_i/2 at the first logged step
 * with σ_i ≥ s_i/2 (i ≤ 4). One that is there at step 0 is *already at scale* (the init put it
 * there: it was not learned, so it has no place in an order); the others are *in order* when
 * they reach it largest first, *out of order* when a smaller one gets there before a larger
 * one, and *not reached* when one never does within the run.
 */
export function randomInitRow(r: RunResult) {
  const reach = [0, 1, 2, 3].map((i) => reachStep(r, i));
  const atScale = reach.flatMap((k, i) => (k === 0 ? [i + 1] : []));
  const learned = reach.filter((k) => k > 0);
  const order: 'in order' | 'out of order' | 'not reached' = reach.some((k) => k < 0) ? 'not reached' : learned.every((k, i) => i === 0 || k >= learned[i - 1]) ? 'in order' : 'out of order';
  const d1 = r.distanceToBestRank.map((row) => row[0]);
  const b = r.balancedness;
  return {
    alpha: r.spec.init.alpha,
    seed: r.spec.init.kind === 'identity' ? NaN : (r.spec.init.seed ?? NaN),
    measure: r.spec.effectiveRank,
    reach,
    atScale,
    order,
    inOrder: order === 'in order',
    plateaus: [1, 2, 3].map((L) => longestPlateau(r, L)),
    closest1: minimumOf(d1, r.steps).value / r.target.singularValues[0],
    balancedness: b && b.length > 0 ? { first: Math.max(...b[0]), last: Math.max(...b[b.length - 1]), max: Math.max(...b.flat()) } : undefined,
  };
}

/**
 * The measure the results were computed with, as the page names it: `measureOf` of its label
 * (core/rank/labels.ts), or every one with its runs when they differ, so no page names a measure
 * its numbers were not computed with.
 */
export function measureLabel(results: RunResult[], argument = 'Ŵ_L'): { symbol: string; of: string; name: string; single: boolean } {
  const measures = [...new Set(results.map((r) => r.spec.effectiveRank))];
  return {
    symbol: measures.map(measureSymbol).join(' / '),
    of: measures.map((m) => measureOf(m, argument)).join(' / '),
    name: measures.map(measureName).join(' / '),
    single: measures.length === 1,
  };
}

/** Median, smallest and largest of a list (NaN-free). */
export function spread(values: number[]): { min: number; median: number; max: number; count: number } {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = v.length / 2;
  return { min: v[0], median: v.length % 2 ? v[Math.floor(mid)] : (v[mid - 1] + v[mid]) / 2, max: v[v.length - 1], count: v.length };
}

/** Sensing over seeds, per depth: the spread of the final error, and how many runs recover W* (< 2 %) with a plateau at its rank. */
export function sensingSeedsTable(results: RunResult[]) {
  const rows = sensingTable(results);
  return [...new Set(rows.map((r) => r.depth))].map((depth) => {
    const mine = rows.filter((r) => r.depth === depth);
    return {
      depth,
      runs: mine.length,
      error: spread(mine.map((r) => r.relativeError)),
      finalRank: spread(mine.map((r) => r.finalErank)),
      recovered: mine.filter((r) => r.relativeError < 0.02).length,
      withPlateau: mine.filter((r) => r.plateauAtRank).length,
    };
  });
}

/** Completion: error to W* and final entropy rank per run; nuclear-norm minimization per mask. */
export function completionTable(results: RunResult[]) {
  const runs = results.map((r) => ({
    observed: r.spec.problem.kind === 'completion' ? r.spec.problem.observed : NaN,
    depth: r.spec.depth,
    relativeError: finalRelativeError(r),
    erank: r.effectiveRank[r.effectiveRank.length - 1],
  }));
  const baselines: { observed: number; relativeError: number; erank: number; iterations: number; converged: boolean; residual: number }[] = [];
  for (const r of results) {
    if (r.spec.problem.kind !== 'completion') continue;
    const observed = r.spec.problem.observed;
    if (baselines.some((b) => b.observed === observed)) continue;
    const target = buildTarget(r.spec);
    const problem = problemData(r.spec.problem, target);
    if (problem.kind !== 'completion') continue;
    const solved = nuclearNormComplete(target.matrix(), problem.mask);
    const truth = target.groundTruth!();
    let e = 0;
    let s = 0;
    for (let i = 0; i < truth.data.length; i++) {
      e += (solved.matrix.data[i] - truth.data[i]) ** 2;
      s += truth.data[i] ** 2;
    }
    baselines.push({ observed, relativeError: Math.sqrt(e / s), erank: entropyRank(singularValues(solved.matrix)), iterations: solved.iterations, converged: solved.converged, residual: solved.residual });
  }
  return { runs, baselines: baselines.sort((a, b) => a.observed - b.observed) };
}

export function flowTimeTable(results: RunResult[]) {
  return results.map((r) => ({ depth: r.spec.depth, alpha: r.spec.init.alpha, stepSize: r.spec.stepSize, rows: flowTimeLaw(r) }));
}

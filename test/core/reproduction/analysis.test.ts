import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  completionTable,
  denoiseRow,
  depthTable,
  finalRelativeError,
  flowTimeTable,
  longestPlateau,
  measureLabel,
  minimumOf,
  mnistTable,
  randomInitRow,
  sensingSeedsTable,
  sensingTable,
  spread,
} from '../../../core/reproduction/analysis';
import type { RunResult } from '../../../core/result';
import type { ExperimentSpec } from '../../../core/spec/schema';
import { buildTarget } from '../../../core/targets/buildTarget';
import { tinyRun } from '../../helpers/tinyRuns';

// The numbers docs/reproduction.md quotes (core/reproduction/analysis.ts), on tiny real runs and
// on results edited by hand where a table's rule needs a particular case.

let estimation: RunResult;
let noisy: RunResult;
beforeAll(async () => {
  [estimation, noisy] = await Promise.all([tinyRun({ record: { balancedness: true } }), tinyRun({ target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0.2, seed: 3 } })]);
});

const frobenius = (values: ArrayLike<number>) => Math.sqrt(Array.from(values).reduce((s, x) => s + x * x, 0));
/** ‖W*‖_F of a spec's target, from its ground truth matrix. */
const truthNorm = (spec: ExperimentSpec) => frobenius(buildTarget(spec).groundTruth!().data);
/** `noisy` whose last error to W* is `relative` · ‖W*‖_F. */
function withFinalError(r: RunResult, relative: number, depth = r.spec.depth): RunResult {
  const g = [...r.groundTruthError!];
  g[g.length - 1] = relative * truthNorm(r.spec);
  return { ...r, spec: { ...r.spec, depth }, groundTruthError: g };
}
const plateau = (L: number, start: number, end: number) => ({ L, start, end, epsilon: 0.1, kind: 'plateau' as const });

describe('longestPlateau and minimumOf', () => {
  it('longestPlateau keeps the longest measured run at L (the first of equal ones), undefined when there is none', () => {
    const r = { ...estimation, measured: { plateaus: [plateau(1, 0, 5), plateau(2, 3, 30), plateau(1, 10, 40), plateau(1, 50, 80)] } };
    expect(longestPlateau(r, 1)).toEqual(plateau(1, 10, 40));
    expect(longestPlateau(r, 2)).toEqual(plateau(2, 3, 30));
    expect(longestPlateau(r, 3)).toBeUndefined();
  });

  it('minimumOf gives the smallest value and the step of its first occurrence', () => {
    expect(minimumOf([3, 1, 2, 1], [0, 10, 20, 30])).toEqual({ value: 1, step: 10 });
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 30 }), (series) => {
        const steps = series.map((_, i) => 7 * i);
        const m = minimumOf(series, steps);
        expect(m.value).toBe(Math.min(...series));
        expect(m.step).toBe(7 * series.indexOf(Math.min(...series)));
      }),
    );
  });
});

describe('spread and measureLabel', () => {
  it('spread gives min, median (mean of the middle two for an even count) and max of the finite values', () => {
    expect(spread([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, count: 3 });
    expect(spread([4, NaN, 1, 2, Infinity, 3])).toEqual({ min: 1, median: 2.5, max: 4, count: 4 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 25 }), (values) => {
        const s = spread([...values]);
        const below = values.filter((x) => x < s.median).length;
        const above = values.filter((x) => x > s.median).length;
        expect(s.min).toBeLessThanOrEqual(s.median);
        expect(s.median).toBeLessThanOrEqual(s.max);
        // A median has at most half the values strictly on either side.
        expect(below).toBeLessThanOrEqual(values.length / 2);
        expect(above).toBeLessThanOrEqual(values.length / 2);
      }),
    );
  });

  it('measureLabel names one measure, or each with a slash when the runs used several', () => {
    expect(measureLabel([estimation, noisy])).toEqual({ symbol: 'erank', of: 'erank(Ŵ_L)', name: 'entropy rank', single: true });
    const stable = { ...estimation, spec: { ...estimation.spec, effectiveRank: 'stable' as const } };
    expect(measureLabel([estimation, stable, estimation], 'W')).toEqual({ symbol: 'erank / rF', of: 'erank(W) / rF(W)', name: 'entropy rank / stable rank ‖W‖F²/‖W‖₂²', single: false });
  });
});

describe('depthTable', () => {
  // Logged steps 0, 10, …, 50; the measured run 20–40 is known only to lie within (10, 50).
  const made = (predicted: { start: number; end: number }) =>
    ({
      ...estimation,
      steps: [0, 10, 20, 30, 40, 50],
      targetEffectiveRanks: [1, 1.8],
      measured: { plateaus: [plateau(1, 20, 40)] },
      predicted: { plateaus: [{ L: 1, ...predicted, epsilon: 0.05, hypothesesMet: true }] },
    }) as RunResult;

  it('counts a prediction inside the measured run to the logging resolution, with its tightness', () => {
    const [row] = depthTable([made({ start: 15, end: 45 })]);
    expect(row.depth).toBe(2);
    const rank1 = row.ranks[0];
    expect(rank1).toMatchObject({ L: 1, measured: plateau(1, 20, 40), inside: true });
    // Tightness: predicted length over the run's length (31 / 21 steps, inclusive).
    expect(rank1.tightness).toBeCloseTo(31 / 21, 12);
    expect(row.ranks.map((r) => r.L)).toEqual([1, 2, 3, 4]);
    expect(row.ranks[1]).toMatchObject({ measured: undefined, predicted: undefined, inside: false, tightness: undefined });
  });

  it('is not inside when the prediction reaches the logged step before or after the run', () => {
    expect(depthTable([made({ start: 10, end: 45 })])[0].ranks[0]).toMatchObject({ inside: false, tightness: undefined });
    expect(depthTable([made({ start: 15, end: 50 })])[0].ranks[0].inside).toBe(false);
  });
});

describe('the per-experiment tables', () => {
  it('mnistTable: closest approach to Ŵ_L relative to ‖Ŵ_L‖_F = √(s_1² + … + s_L²)', () => {
    const [row] = mnistTable([estimation]);
    for (const [L, norm] of [
      [1, 3],
      [2, Math.sqrt(10)],
    ] as const) {
      const d = estimation.distanceToBestRank.map((r) => r[L - 1]);
      const closest = L === 1 ? row.closest1 : row.closest2;
      expect(closest.relative).toBeCloseTo(Math.min(...d) / norm, 14);
      expect(closest.step).toBe(estimation.steps[d.indexOf(Math.min(...d))]);
    }
    expect(row.rank2).toEqual(estimation.measured.plateaus.find((p) => p.L === 2));
    expect(row.rank1).toBeUndefined();
    expect(row.snapshots).toEqual([]);
  });

  it('finalRelativeError is the last error to W* over ‖W*‖_F, NaN without a ground truth', () => {
    expect(finalRelativeError(estimation)).toBeNaN();
    expect(finalRelativeError(withFinalError(noisy, 0.0375))).toBeCloseTo(0.0375, 14);
    const g = noisy.groundTruthError!;
    expect(finalRelativeError(noisy)).toBeCloseTo(g[g.length - 1] / truthNorm(noisy.spec), 14);
  });

  it('sensingTable reads the plateau, erank and σ_1…σ_{r+1} at the target rank', () => {
    const [row] = sensingTable([{ ...noisy, measured: { plateaus: [plateau(1, 30, 200), plateau(2, 1, 5)] } }]);
    expect(row.plateauAtRank).toEqual(plateau(1, 30, 200));
    expect(row.targetErank).toBe(noisy.targetEffectiveRanks[0]);
    expect(row.finalErank).toBe(noisy.effectiveRank[noisy.effectiveRank.length - 1]);
    expect(row.sigma).toEqual(noisy.singularValues[noisy.singularValues.length - 1].slice(0, 2));
  });

  it('sensingSeedsTable groups by depth, counting recoveries (< 2 %) and runs with a plateau at the rank', () => {
    const withPlateau = (r: RunResult) => ({ ...r, measured: { plateaus: [plateau(1, 10, 100)] } });
    const noPlateau = (r: RunResult) => ({ ...r, measured: { plateaus: [] } });
    const rows = sensingSeedsTable([
      withPlateau(withFinalError(noisy, 0.01, 2)),
      noPlateau(withFinalError(noisy, 0.05, 2)),
      withPlateau(withFinalError(noisy, 0.019, 2)),
      withPlateau(withFinalError(noisy, 0.3, 3)),
    ]);
    expect(rows.map((r) => [r.depth, r.runs, r.recovered, r.withPlateau])).toEqual([
      [2, 3, 2, 2],
      [3, 1, 0, 1],
    ]);
    expect(rows[0].error.median).toBeCloseTo(0.019, 12);
    expect(rows[0].error.max).toBeCloseTo(0.05, 12);
  });

  it('randomInitRow: already at scale at step 0, learned in order, not reached', () => {
    const rows = (spectra: number[][]) =>
      randomInitRow({ ...estimation, steps: [0, 10, 20, 30], target: { description: 'made', singularValues: [8, 4, 2, 1] }, singularValues: spectra, distanceToBestRank: [[4], [3], [1], [2]], balancedness: [[0.5, 0.25], [0.75, 1.5], [0.125, 0.25], [0.25, 0.5]] });
    const inOrder = rows([
      [0.1, 2, 0.1, 0.1],
      [5, 2, 0.1, 0.1],
      [8, 3, 1.5, 0.6],
      [8, 4, 2, 1],
    ]);
    expect(inOrder).toMatchObject({ reach: [10, 0, 20, 20], atScale: [2], order: 'in order', inOrder: true });
    // ‖W − Ŵ_1‖_F at its smallest (1) over s_1 (8); balancedness over every step and factor pair.
    expect(inOrder.closest1).toBe(1 / 8);
    expect(inOrder.balancedness).toEqual({ first: 0.5, last: 0.5, max: 1.5 });
    expect(inOrder.alpha).toBe(0.05);
    expect(inOrder.seed).toBeNaN();
    const outOfOrder = rows([
      [0.1, 0.1, 0.1, 0.1],
      [0.1, 3, 0.1, 0.1],
      [5, 3, 1.5, 0.6],
      [8, 4, 2, 1],
    ]);
    expect(outOfOrder).toMatchObject({ reach: [20, 10, 20, 20], atScale: [], order: 'out of order', inOrder: false });
    const never = rows([
      [0.1, 0.1, 0.1, 0.1],
      [5, 0.1, 0.1, 0.1],
      [8, 3, 1.5, 0.1],
      [8, 4, 2, 0.2],
    ]);
    expect(never.order).toBe('not reached');
  });

  it('denoiseRow: the noise edge −λ_min(Ŵ), the signal rank above it, and the best along the run', () => {
    const row = denoiseRow(noisy);
    const eigenvalues = Array.from(buildTarget(noisy.spec).eigenvalues!);
    expect(row.noiseEdge).toBe(Math.max(0, -Math.min(...eigenvalues)));
    expect(row.signalRank).toBe(eigenvalues.filter((x) => x > row.noiseEdge).length);
    const g = noisy.groundTruthError!;
    expect(row.alongRun).toEqual({ value: Math.min(...g), step: noisy.steps[g.indexOf(Math.min(...g))] });
    expect(row.final).toBe(g[g.length - 1]);
    expect(row.truncated).toHaveLength(6);
    expect(row.bestTruncated.error).toBe(Math.min(...row.truncated));
    expect(row.truncated[row.bestTruncated.L - 1]).toBe(row.bestTruncated.error);
    // n = 3: keeping L ≥ 3 components keeps every positive one, so the error no longer changes.
    expect(row.truncated[3]).toBe(row.truncated[2]);
    expect(row.truncated[5]).toBe(row.truncated[2]);
    expect([row.noise, row.seed]).toEqual([0.2, 3]);
  });

  it('completionTable: one nuclear-norm baseline per observed fraction, sorted; with every entry observed it returns Ŵ', () => {
    const completion = (observed: number): RunResult => ({ ...noisy, spec: { ...noisy.spec, problem: { kind: 'completion', observed, seed: 1 } } });
    const table = completionTable([completion(1), completion(0.7), completion(1), estimation]);
    expect(table.runs.map((r) => r.observed)).toEqual([1, 0.7, 1, NaN]);
    expect(table.runs[0].relativeError).toBeCloseTo(finalRelativeError(noisy), 14);
    expect(table.baselines.map((b) => b.observed)).toEqual([0.7, 1]);
    const full = table.baselines[1];
    // Every entry observed: the minimizer is Ŵ itself, at its error to W*.
    const target = buildTarget(noisy.spec);
    const hat = target.matrix().data;
    const truth = target.groundTruth!().data;
    const expected = frobenius(Array.from(hat, (x, i) => x - truth[i])) / frobenius(truth);
    expect(full.relativeError).toBeCloseTo(expected, 3);
    expect(Number.isFinite(table.baselines[0].relativeError)).toBe(true);
  });

  it('flowTimeTable: per run its depth, α, η and the law (3.4), N = 2: τ_L = ln(λ_L/α²)/(2λ_L)', () => {
    const [row] = flowTimeTable([estimation]);
    expect(row).toMatchObject({ depth: 2, alpha: 0.05, stepSize: 0.05 });
    const law = (lambda: number) => Math.round(Math.log(lambda / 0.05 ** 2) / (2 * lambda) / 0.05);
    expect(row.rows.map((r) => [r.L, r.law.start])).toEqual([
      [1, law(3)],
      [2, law(1)],
    ]);
  });
});

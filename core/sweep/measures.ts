import { pairPlateaus, primaryPairs } from '../plateaus/pairing';
import type { RunResult } from '../result';
import type { RecordedRun } from '../trajectory/recorder';
import { specEigenvalues } from '../theory/predictPlateaus';
import { stepCountBounds, type StepCountBounds } from '../theory/stepCountBounds';
import { checkHypotheses, stepSizeBound } from '../theory/hypotheses';
import type { MeasureOptions } from './schema';
import { seedlessKey } from '../spec/seedlessKey';

/** One cell of the summary: numbers, flags, or null where a measure does not exist for a run. */
export type Cell = number | boolean | string | null;

const thetaName = (theta: number) => `theta${theta}`;

/** The measure columns of a sweep, in order (they depend on the options only, not on the runs). */
export function measureColumns(options: MeasureOptions): string[] {
  const on = new Set(options.include);
  const columns: string[] = [];
  const ranks = Array.from({ length: options.ranks }, (_, i) => i + 1);
  if (on.has('loss')) columns.push('finalLoss');
  if (on.has('erank')) columns.push('finalErank');
  if (on.has('plateaus')) {
    columns.push('hypothesesMet');
    for (const L of ranks)
      columns.push(`measured.L${L}.start`, `measured.L${L}.end`, `measured.L${L}.length`, `measured.L${L}.kind`, `predicted.L${L}.start`, `predicted.L${L}.end`, `predicted.L${L}.length`, `tightness.L${L}`);
  }
  if (on.has('stepsTo'))
    for (const theta of options.theta)
      for (const i of ranks) columns.push(`stepsTo.i${i}.${thetaName(theta)}`, `predicted.stepsTo.i${i}.${thetaName(theta)}.lower`, `predicted.stepsTo.i${i}.${thetaName(theta)}.upper`);
  if (on.has('order')) columns.push('orderOfLearning', 'orderCertifiedPairs', 'orderCertified');
  if (on.has('groundTruth')) columns.push('groundTruthError', 'minGroundTruthError', 'argminGroundTruthError');
  if (on.has('divergence')) columns.push('diverged', 'stoppedAt', 'stepSizeBound', 'stepSizeRatio');
  return columns;
}

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);
const length = (p: { start: number; end: number }) => p.end - p.start + 1;

/**
 * What a row reads of a run: its result, or the typed columns it was recorded in (a sweep measures
 * its rows from those and makes no result it does not keep).
 */
interface RunColumns {
  result: Pick<RunResult, 'spec' | 'target' | 'stopped' | 'predicted' | 'measured' | 'targetEffectiveRanks'>;
  steps: ArrayLike<number>;
  loss: ArrayLike<number>;
  effectiveRank: ArrayLike<number>;
  groundTruthError: ArrayLike<number> | undefined;
  /** σ_{i+1}(W) at logged step k, or 0 past the kept ones. */
  singularValue(k: number, i: number): number;
}

function columnsOf(run: RunResult | RecordedRun): RunColumns {
  if ('trajectory' in run) {
    const t = run.trajectory;
    return { result: run.head, steps: t.steps, loss: t.loss, effectiveRank: t.effectiveRanks, groundTruthError: t.groundTruthError, singularValue: (k, i) => (i < t.keep ? t.singularValue(k, i) : 0) };
  }
  return { result: run, steps: run.steps, loss: run.loss, effectiveRank: run.effectiveRank, groundTruthError: run.groundTruthError, singularValue: (k, i) => run.singularValues[k][i] ?? 0 };
}

/** First logged step with σ_i(W(k)) ≥ θ·σ_i(Ŵ), or null if the run never got there. */
function stepsToReach(run: RunColumns, i: number, theta: number): number | null {
  const goal = theta * (run.result.target.singularValues[i] ?? NaN);
  if (!(goal > 0)) return null;
  for (let k = 0; k < run.steps.length; k++) if (run.singularValue(k, i) >= goal) return run.steps[k];
  return null;
}

/**
 * The measures of one run, as `measureRun` computes them; made by `createMeasurer`. With `into`,
 * the cells are written into that row (and it is returned): a summary row made from
 * `columns` holds every cell of the run in column order, without copying them.
 */
export type Measurer = ((run: RunResult | RecordedRun, into?: Record<string, unknown>) => Record<string, Cell>) & {
  /** The measure columns, in order (`measureColumns`). */
  readonly columns: readonly string[];
};

/**
 * The measures of one run (docs/sweeps.md): everything comes from the result as `dfl run` writes
 * it (its measured and predicted plateaus, logged singular values, losses) and, for the
 * step counts, from the certified bounds of Proposition 4.3 where the theory applies.
 */
export function measureRun(result: RunResult, options: MeasureOptions): Record<string, Cell> {
  return createMeasurer(options)(result);
}

/**
 * `measureRun` for the runs of one sweep. The step-count bounds of Proposition 4.3 depend on
 * (λ_i, α, N, η, θ) only, and a sweep repeats them over seeds and targets with the same spectrum:
 * they are computed once per distinct key (they cost more than the rest of a row together).
 */
export function createMeasurer(options: MeasureOptions): Measurer {
  const known = new Map<string, StepCountBounds>();
  const boundsOf = (lambda: number, alpha: number, depth: number, stepSize: number, theta: number): StepCountBounds => {
    const key = `${lambda} ${alpha} ${depth} ${stepSize} ${theta}`;
    let b = known.get(key);
    if (!b) known.set(key, (b = stepCountBounds(lambda, alpha, depth, stepSize, theta)));
    return b;
  };
  // The same for what the row takes from the spec alone (hypotheses, the sorted spectrum): runs
  // that differ only in the target's seed (its eigenvectors) or the init's (none of these read
  // it) share it.
  const facts = new Map<string, SpecFacts>();
  const factsOf = (spec: RunResult['spec']): SpecFacts => {
    if (spec.target.kind !== 'spectrum') return specFacts(spec);
    if (facts.size > 65536) facts.clear();
    const key = seedlessKey(spec);
    let f = facts.get(key);
    if (!f) facts.set(key, (f = specFacts(spec)));
    return f;
  };
  const plan = measurePlan(options);
  const measure = (run: RunResult | RecordedRun, into?: Record<string, unknown>) => {
    const columns = columnsOf(run);
    return measureWith(columns, options, plan, factsOf(columns.result.spec), boundsOf, (into ?? {}) as Record<string, Cell>);
  };
  return Object.assign(measure, { columns: measureColumns(options) });
}

interface SpecFacts {
  eigenvalues: Float64Array | undefined;
  hypothesesMet: boolean;
  /** Step-count bounds by θ's index and i, filled as rows ask for them. */
  bounds: ({ lower: number | null; upper: number | null } | undefined)[][];
}

function specFacts(spec: RunResult['spec']): SpecFacts {
  const eigenvalues = specEigenvalues(spec);
  return { eigenvalues, hypothesesMet: checkHypotheses(spec, eigenvalues).met, bounds: [] };
}

/** What every row of a sweep asks for, and its column names, worked out once per sweep. */
interface MeasurePlan {
  on: Set<string>;
  ranks: number[];
  /** Per L: measured start, end, length, kind; predicted start, end, length; tightness. */
  plateauColumns: string[][];
  /** Per θ's index and i − 1: stepsTo, its predicted lower and upper bound. */
  stepsToColumns: string[][][];
}

function measurePlan(options: MeasureOptions): MeasurePlan {
  const ranks = Array.from({ length: options.ranks }, (_, i) => i + 1);
  return {
    on: new Set(options.include),
    ranks,
    plateauColumns: ranks.map((L) => [
      `measured.L${L}.start`, `measured.L${L}.end`, `measured.L${L}.length`, `measured.L${L}.kind`,
      `predicted.L${L}.start`, `predicted.L${L}.end`, `predicted.L${L}.length`, `tightness.L${L}`,
    ]),
    stepsToColumns: options.theta.map((theta) =>
      ranks.map((i) => {
        const name = `i${i}.${thetaName(theta)}`;
        return [`stepsTo.${name}`, `predicted.stepsTo.${name}.lower`, `predicted.stepsTo.${name}.upper`];
      }),
    ),
  };
}

function measureWith(run: RunColumns, options: MeasureOptions, plan: MeasurePlan, facts: SpecFacts, boundsOf: typeof stepCountBounds, row: Record<string, Cell>): Record<string, Cell> {
  const { on, ranks } = plan;
  const { result } = run;
  const { spec } = result;
  const last = run.loss.length - 1;
  const { eigenvalues } = facts;
  const theoryApplies = (spec.init.kind === 'identity' || spec.init.kind === 'aligned') && spec.problem.kind === 'estimation' && eigenvalues !== undefined;
  if (on.has('loss')) row.finalLoss = finite(run.loss[last]);
  if (on.has('erank')) row.finalErank = finite(run.effectiveRank[last]);
  if (on.has('plateaus')) {
    row.hypothesesMet = facts.hypothesesMet;
    // The one pairing rule of every plateau table (docs/theory.md §5.5).
    // One column per L: the longest certified interval when a level holds several.
    const pairs = primaryPairs(pairPlateaus({ predicted: result.predicted, measured: result.measured, targetEffectiveRanks: result.targetEffectiveRanks, steps: run.steps }));
    for (const L of ranks) {
      const { predicted, measured, tightness } = pairs.get(L) ?? {};
      const names = plan.plateauColumns[L - 1];
      row[names[0]] = measured?.start ?? null;
      row[names[1]] = measured?.end ?? null;
      row[names[2]] = measured ? length(measured) : null;
      row[names[3]] = measured?.kind ?? null;
      row[names[4]] = predicted?.start ?? null;
      row[names[5]] = predicted?.end ?? null;
      row[names[6]] = predicted ? length(predicted) : null;
      row[names[7]] = tightness ?? null;
    }
  }
  const descending = theoryApplies ? eigenvalues : undefined; // specEigenvalues sorts them descending
  const bounds = (i: number, t: number) => {
    if (!theoryApplies || (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned')) return undefined;
    const byI = (facts.bounds[t] ??= []);
    if (i in byI) return byI[i];
    const lambda = descending![i - 1];
    if (!(lambda > 0)) return (byI[i] = undefined);
    const b = boundsOf(lambda, spec.init.alpha, spec.depth, spec.stepSize, options.theta[t]);
    return (byI[i] = { lower: finite(b.lower), upper: finite(b.upper) });
  };
  // The first θ's step counts, which the order columns read too.
  let firstSteps: (number | null)[] | undefined;
  if (on.has('stepsTo'))
    options.theta.forEach((theta, t) => {
      if (t === 0) firstSteps = [];
      for (const i of ranks) {
        const names = plan.stepsToColumns[t][i - 1];
        const b = bounds(i, t);
        const reached = stepsToReach(run, i - 1, theta);
        if (t === 0) firstSteps!.push(reached);
        row[names[0]] = reached;
        row[names[1]] = b?.lower ?? null;
        row[names[2]] = b?.upper ?? null;
      }
    });
  if (on.has('order')) {
    // Measured: the first θ's step counts are non-decreasing in i over the components that got there.
    const theta = options.theta[0];
    const reached = (firstSteps ?? ranks.map((i) => stepsToReach(run, i - 1, theta))).filter((k): k is number => k !== null);
    row.orderOfLearning = reached.length < 2 ? null : reached.every((k, j) => j === 0 || reached[j - 1] <= k);
    // Certified (Theorem 6.1 via Proposition 4.3): K_i⁺(θ) < K_{i+1}⁻(θ) for adjacent i.
    let certified = 0;
    let pairs = 0;
    for (const i of ranks.slice(0, -1)) {
      const a = bounds(i, 0);
      const b = bounds(i + 1, 0);
      if (!a || !b) continue;
      pairs++;
      if (a.upper !== null && b.lower !== null && a.upper < b.lower) certified++;
    }
    row.orderCertifiedPairs = theoryApplies ? certified : null;
    row.orderCertified = theoryApplies && pairs > 0 ? certified === pairs : null;
  }
  if (on.has('groundTruth')) {
    const g = run.groundTruthError;
    if (g && g.length > 0) {
      let best = 0;
      for (let k = 1; k < g.length; k++) if (g[k] < g[best]) best = k;
      row.groundTruthError = finite(g[g.length - 1]);
      row.minGroundTruthError = finite(g[best]);
      row.argminGroundTruthError = run.steps[best];
    } else row.groundTruthError = row.minGroundTruthError = row.argminGroundTruthError = null;
  }
  if (on.has('divergence')) {
    const top = eigenvalues ? eigenvalues.reduce((a, b) => Math.max(a, b), -Infinity) : result.target.singularValues[0];
    const bound = stepSizeBound(top, spec.depth);
    row.diverged = result.stopped.kind === 'diverged';
    row.stoppedAt = result.stopped.step;
    row.stepSizeBound = finite(bound);
    row.stepSizeRatio = finite(spec.stepSize / bound);
  }
  return row;
}

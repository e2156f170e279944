import { Environment } from '@marcbachmann/cel-js';
import { effectiveRankOf } from '../rank/effectiveRank';
import type { RunResult } from '../result';
import { effectiveRankMeasures } from '../spec/schema';
import { asymptoticTime, flowTime } from '../theory/flowTime';
import { checkHypotheses, stepSizeBound } from '../theory/hypotheses';
import { specEigenvalues } from '../theory/predictPlateaus';

// The names a claim's expressions see (docs/claims.md lists each): the spec, the target, every
// logged series of the run, its plateaus, and a few functions. CEL integers are BigInts; steps,
// indices and counts are ints, everything measured is a double.

export interface VocabularyEntry {
  name: string;
  /** CEL type. */
  type: string;
  description: string;
}

const PLATEAU = 'map<string, dyn>';

/** Every variable, in the order docs/claims.md lists them. */
export const claimVariables: readonly VocabularyEntry[] = [
  { name: 'n', type: 'int', description: 'matrix size' },
  { name: 'depth', type: 'int', description: 'number of factors N' },
  { name: 'alpha', type: 'double', description: 'initialization scale α' },
  { name: 'stepSize', type: 'double', description: 'step size η' },
  { name: 'steps', type: 'int', description: 'steps asked for (spec.steps)' },
  { name: 'epsilon', type: 'double', description: 'ε of the measured plateaus' },
  { name: 'measure', type: 'string', description: 'the spec\'s effective-rank measure ("entropy", "stable", "nuclear", "numerical")' },
  { name: 'init', type: 'string', description: 'init kind ("identity", "gaussian", "orthogonal", "aligned")' },
  { name: 'targetKind', type: 'string', description: 'target kind ("spectrum", "lowRankPlusNoise", …)' },
  { name: 'problem', type: 'string', description: 'problem kind ("estimation", "sensing", "completion")' },
  { name: 'eigenvalues', type: 'list<double>', description: 'target eigenvalues, descending (symmetric targets; empty otherwise)' },
  { name: 'spectrum', type: 'list<double>', description: 'target singular values s_1 ≥ s_2 ≥ …' },
  { name: 'targetRanks', type: 'list<double>', description: 'effective rank of Ŵ_L, L = 1, 2, … (index L − 1)' },
  { name: 'stepSizeBound', type: 'double', description: 'the bound (4.1) 1/(N λ_max^{2−2/N}) (1 for N = 1)' },
  { name: 'hypothesesMet', type: 'bool', description: 'the hypotheses of Theorems 4.1/5.10 hold (identity or aligned init, estimation, (4.1), (4.5), (4.6))' },
  { name: 'points', type: 'list<int>', description: 'indices 0 … T−1 of the logged steps (quantify over them)' },
  { name: 'step', type: 'list<int>', description: 'step number of each logged point' },
  { name: 'loss', type: 'list<double>', description: 'loss ½‖W − Ŵ‖²_F (or the problem\'s loss) per logged point' },
  { name: 'sigma', type: 'list<list<double>>', description: 'singular values of W per logged point, descending: sigma[i][c]' },
  { name: 'erank', type: 'list<double>', description: 'the spec\'s effective-rank measure per logged point' },
  { name: 'entropyRank', type: 'list<double>', description: 'entropy effective rank per logged point' },
  { name: 'stableRank', type: 'list<double>', description: 'stable rank per logged point' },
  { name: 'nuclearRank', type: 'list<double>', description: 'nuclear rank per logged point' },
  { name: 'numericalRank', type: 'list<double>', description: 'numerical rank per logged point' },
  { name: 'distance', type: 'list<list<double>>', description: '‖W − Ŵ_L‖_F per logged point: distance[i][L − 1]' },
  { name: 'groundTruthError', type: 'list<double>', description: '‖W − W*‖_F per logged point (empty without a ground truth)' },
  { name: 'components', type: 'list<int>', description: 'indices 0 … of the stored singular values (quantify over them)' },
  { name: 'measured', type: `list<${PLATEAU}>`, description: 'measured plateaus: {L, start, end, epsilon, kind}' },
  { name: 'predicted', type: `list<${PLATEAU}>`, description: 'predicted plateaus (Theorem 5.10): {L, start, end, epsilon, hypothesesMet}' },
  { name: 'diverged', type: 'bool', description: 'the run stopped because it diverged' },
  { name: 'lastStep', type: 'int', description: 'the last step simulated' },
];

/** Every function besides CEL's own (size, double, int, all, exists, exists_one, map, filter, …). */
export const claimFunctions: readonly VocabularyEntry[] = [
  { name: 'abs', type: 'abs(double): double', description: 'absolute value' },
  { name: 'sqrt', type: 'sqrt(double): double', description: 'square root' },
  { name: 'log', type: 'log(double): double', description: 'natural logarithm' },
  { name: 'exp', type: 'exp(double): double', description: 'exponential' },
  { name: 'pow', type: 'pow(double, double): double', description: 'power' },
  { name: 'min', type: 'min(list<double>): double', description: 'smallest entry (of a non-empty list)' },
  { name: 'max', type: 'max(list<double>): double', description: 'largest entry (of a non-empty list)' },
  { name: 'sum', type: 'sum(list<double>): double', description: 'sum of the entries' },
  { name: 'argmin', type: 'argmin(list<double>): int', description: 'index of the first smallest entry' },
  { name: 'argmax', type: 'argmax(list<double>): int', description: 'index of the first largest entry' },
  { name: 'range', type: 'range(int): list<int>', description: 'the integers 0 … k−1' },
  { name: 'reachStep', type: 'reachStep(int, double): int', description: 'first logged step at which sigma[i][c] ≥ θ·spectrum[c] (−1 if never)' },
  { name: 'atScale', type: 'atScale(int, double): bool', description: 'sigma[0][c] ≥ θ·spectrum[c] already at step 0 (the init put it there; nothing to learn)' },
  { name: 'learnedInOrder', type: 'learnedInOrder(int, double): bool', description: 'of the top k components, those not at scale reach θ·spectrum[c] largest first, and every one reaches it (docs/reproduction.md\'s rule)' },
  { name: 'flowTime', type: 'flowTime(int, double): double', description: 'gradient-flow time (3.1)–(3.3) for eigenvalue c to reach θ·λ_c from α^N' },
  { name: 'leadingOrderTime', type: 'leadingOrderTime(int): double', description: 'the leading-order time (3.4) of eigenvalue c' },
];

const ints = (values: readonly number[]): bigint[] => values.map((v) => BigInt(v));
const range = (k: number): bigint[] => Array.from({ length: Math.max(0, k) }, (_, i) => BigInt(i));
const nonEmpty = (name: string, values: readonly number[]) => {
  if (values.length === 0) throw new Error(`${name}() of an empty list`);
  return values;
};
const firstIndex = (values: readonly number[], better: (a: number, b: number) => boolean): bigint => {
  nonEmpty('argmin/argmax', values);
  let best = 0;
  for (let i = 1; i < values.length; i++) if (better(values[i], values[best])) best = i;
  return BigInt(best);
};

/**
 * The CEL environment of claims: the variables and functions above, and mixed int/double
 * arithmetic (`erank[i] + 1`), which plain CEL refuses. `current` is the run the functions read
 * (set before each evaluation; evaluation is synchronous). With `dynamicNames`, undeclared names
 * are accepted as `dyn`: the explainer evaluates parts of an expression with the quantifiers'
 * variables bound.
 */
export function claimEnvironment(current: { result?: RunResult }, dynamicNames = false, variants: readonly string[] = []): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: dynamicNames, homogeneousAggregateLiterals: false });
  for (const v of claimVariables) env.registerVariable(v.name, v.type);
  // A variant's run: the same names under its own (its fields are dyn: checked when evaluated).
  for (const name of variants) env.registerVariable(name, 'map<string, dyn>');
  const run = () => {
    if (!current.result) throw new Error('no run to read');
    return current.result;
  };
  const component = (c: bigint, list: readonly number[], what: string) => {
    const i = Number(c);
    if (!(i >= 0 && i < list.length)) throw new Error(`${what}: component ${i} does not exist (there are ${list.length})`);
    return i;
  };
  env
    .registerFunction('abs(double): double', (x: number) => Math.abs(x))
    .registerFunction('sqrt(double): double', (x: number) => Math.sqrt(x))
    .registerFunction('log(double): double', (x: number) => Math.log(x))
    .registerFunction('exp(double): double', (x: number) => Math.exp(x))
    .registerFunction('pow(double, double): double', (x: number, y: number) => Math.pow(x, y))
    .registerFunction('min(list<double>): double', (l: number[]) => Math.min(...nonEmpty('min', l)))
    .registerFunction('max(list<double>): double', (l: number[]) => Math.max(...nonEmpty('max', l)))
    .registerFunction('sum(list<double>): double', (l: number[]) => l.reduce((s, x) => s + x, 0))
    .registerFunction('argmin(list<double>): int', (l: number[]) => firstIndex(l, (a, b) => a < b))
    .registerFunction('argmax(list<double>): int', (l: number[]) => firstIndex(l, (a, b) => a > b))
    .registerFunction('range(int): list<int>', (k: bigint) => range(Number(k)))
    .registerFunction('reachStep(int, double): int', (c: bigint, theta: number) => {
      const r = run();
      return BigInt(reachStepOf(r, component(c, r.target.singularValues, 'reachStep'), theta));
    })
    .registerFunction('atScale(int, double): bool', (c: bigint, theta: number) => reachStepOf(run(), component(c, run().target.singularValues, 'atScale'), theta) === 0)
    .registerFunction('learnedInOrder(int, double): bool', (k: bigint, theta: number) => {
      const r = run();
      const reach = Array.from({ length: Math.min(Number(k), r.target.singularValues.length) }, (_, c) => reachStepOf(r, c, theta));
      const learned = reach.filter((s) => s > 0);
      return reach.every((s) => s >= 0) && learned.every((s, i) => i === 0 || s >= learned[i - 1]);
    })
    .registerFunction('flowTime(int, double): double', (c: bigint, theta: number) => {
      const r = run();
      const lambda = sortedEigenvalues(r);
      return flowTime(lambda[component(c, lambda, 'flowTime')], r.spec.init.alpha, r.spec.depth, theta);
    })
    .registerFunction('leadingOrderTime(int): double', (c: bigint) => {
      const r = run();
      const lambda = sortedEigenvalues(r);
      return asymptoticTime(lambda[component(c, lambda, 'leadingOrderTime')], r.spec.init.alpha, r.spec.depth);
    });
  for (const op of ['+', '-', '*', '/'] as const) {
    const apply = (a: number, b: number) => (op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(Number(a), b));
  }
  return env;
}

/** First logged step with σ_c ≥ θ·s_c, −1 if none (docs/reproduction.md's "reaches"). */
function reachStepOf(r: RunResult, c: number, theta: number): number {
  const at = r.singularValues.findIndex((row) => row[c] >= theta * r.target.singularValues[c]);
  return at < 0 ? -1 : r.steps[at];
}

/** Eigenvalues of a symmetric target, descending (else the singular values). */
function sortedEigenvalues(result: RunResult): number[] {
  const eigen = specEigenvalues(result.spec);
  return eigen ? Array.from(eigen).sort((a, b) => b - a) : result.target.singularValues;
}

/** The variables of one run. */
export function claimVariablesOf(result: RunResult): Record<string, unknown> {
  const { spec } = result;
  const eigen = specEigenvalues(spec);
  const eigenvalues = eigen ? Array.from(eigen).sort((a, b) => b - a) : [];
  const lambdaMax = eigen ? Math.max(...eigen) : result.target.singularValues[0] ?? 0;
  const ranks = Object.fromEntries(effectiveRankMeasures.map((m) => [m, result.singularValues.map((row) => effectiveRankOf[m](row))]));
  const plateau = (p: RunResult['measured']['plateaus'][number]) => ({ L: BigInt(p.L), start: BigInt(p.start), end: BigInt(p.end), epsilon: p.epsilon, kind: p.kind ?? 'plateau' });
  return {
    n: BigInt(spec.n),
    depth: BigInt(spec.depth),
    alpha: spec.init.alpha,
    stepSize: spec.stepSize,
    steps: BigInt(spec.steps),
    epsilon: spec.epsilon,
    measure: spec.effectiveRank,
    init: spec.init.kind,
    targetKind: spec.target.kind,
    problem: spec.problem.kind,
    eigenvalues,
    spectrum: result.target.singularValues,
    targetRanks: result.targetEffectiveRanks,
    stepSizeBound: stepSizeBound(lambdaMax, spec.depth),
    hypothesesMet: checkHypotheses(spec, eigen).met,
    points: range(result.steps.length),
    step: ints(result.steps),
    loss: result.loss,
    sigma: result.singularValues,
    erank: result.effectiveRank,
    entropyRank: ranks.entropy,
    stableRank: ranks.stable,
    nuclearRank: ranks.nuclear,
    numericalRank: ranks.numerical,
    distance: result.distanceToBestRank,
    groundTruthError: result.groundTruthError ?? [],
    components: range(result.singularValuesKept),
    measured: result.measured.plateaus.map(plateau),
    predicted: result.predicted.plateaus.map((p) => ({ ...plateau(p), hypothesesMet: p.hypothesesMet })),
    diverged: result.stopped.kind === 'diverged',
    lastStep: BigInt(result.stopped.step),
  };
}

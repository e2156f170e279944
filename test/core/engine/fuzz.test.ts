// Engine fuzzing: arbitrary VALID experiment specs with small sizes, written as plain
// JSON, through the real parser and into runExperiment on every engine path. Whatever the spec
// (step sizes far past the bound, subnormal or huge α, eigenvalues or matrix entries up to
// ±Number.MAX_VALUE, zero steps, a cancellation at any point), a run must end with a result
// whose trajectory is consistent and finite, in bounded time, without leaking a tensor.

import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { InputError } from '../../../core/errors';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../../../node/platform';
import { parseHostMessage } from '../../../core/protocol/messages';
import type { RunResult } from '../../../core/result';
import { parseSpec, parseSpecText } from '../../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../../core/spec/schema';
import { logSchedule } from '../../../core/trajectory/logSchedule';
import { buildTarget } from '../../../core/targets/buildTarget';
import type { Target } from '../../../core/targets/target';
import { isSymmetric } from '../../../core/linalg/dense';
import { ENGINE_HANG_BOUND_MS, HangError, HangGuard, describeInput, fuzzParameters, stopWatchdog } from '../../fuzzBudget';

const MAX_N = 12;
const MAX_DEPTH = 5;
const MAX_STEPS = 300;

// ---------------------------------------------------------------------------------------------
// Numbers: mostly the ordinary range, sometimes the extremes a hand-written spec may hold.

const logUniform = (lo: number, hi: number) =>
  fc.double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true }).map((e) => Math.min(hi, Math.max(lo, 10 ** e)));
/** Finite doubles of every size, ±0 and subnormals included. */
const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const extremes = [Number.MIN_VALUE, 2.2250738585072014e-308, 1e-300, 1e-30, 1e30, 1e300, Number.MAX_VALUE];
/** Positive: a typical range, else an extreme or any positive double. */
const positive = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 8, arbitrary: logUniform(lo, hi) },
    { weight: 1, arbitrary: fc.constantFrom(...extremes) },
    { weight: 1, arbitrary: fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }) },
  );
/** Target entries and eigenvalues: ordinary ones, with zeros and exact ties. */
const moderate = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -5, max: 10, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 1, 2) },
);
/** ... or, for one target in five, any finite double among them (tiny, subnormal, up to ±MAX_VALUE). */
const entries = (length: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(moderate, { minLength: length, maxLength: length }) },
    { weight: 1, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: moderate }, { weight: 1, arbitrary: anyFinite }), { minLength: length, maxLength: length }) },
  );
const seed = fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

// ---------------------------------------------------------------------------------------------
// Specs as a user would write them: plain JSON, optional fields sometimes left out.

type Json = Record<string, unknown>;

function targetFor(n: number): fc.Arbitrary<Json> {
  const matrix = fc.boolean().chain((symmetric) =>
    entries(n * n).map((flat) => {
      const rows = Array.from({ length: n }, (_, i) => flat.slice(i * n, (i + 1) * n));
      if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) rows[i][j] = rows[j][i];
      return { kind: 'matrix', data: rows };
    }),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('spectrum'), eigenvalues: fc.integer({ min: 1, max: n }).chain(entries), seed }),
    fc.record({
      kind: fc.constant('lowRankPlusNoise'),
      rank: fc.integer({ min: 1, max: n }),
      noise: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: logUniform(1e-4, 2) }, { weight: 1, arbitrary: fc.constantFrom(...extremes) }),
      seed,
      symmetric: maybe(fc.boolean()),
    }),
    matrix,
  );
}

const initJson = fc.oneof(
  fc.record({ kind: fc.constant('identity'), alpha: positive(1e-3, 1.5) }),
  fc.record({ kind: fc.constantFrom('gaussian', 'orthogonal'), alpha: positive(1e-3, 1.5), seed }),
);

function problemFor(n: number): fc.Arbitrary<Json | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant({ kind: 'estimation' }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('sensing'), measurements: fc.integer({ min: 1, max: n * n }), seed }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('completion'), observed: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.constant(Number.MIN_VALUE)), seed }),
    },
  );
}

/** Below the bound (4.1), around it, far past it (divergence), or anything positive. */
const stepSizeJson = fc.oneof(
  { weight: 5, arbitrary: logUniform(1e-4, 0.1) },
  { weight: 3, arbitrary: logUniform(0.1, 100) },
  { weight: 1, arbitrary: positive(1e-4, 1) },
);

const logJson = fc.oneof(
  fc.constant(undefined),
  fc.record({ points: fc.integer({ min: 2, max: 500 }), scale: maybe(fc.constantFrom('log', 'linear')) }),
  fc.record({ every: fc.integer({ min: 1, max: 400 }) }),
);

const stepsJson = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 6, arbitrary: fc.integer({ min: 0, max: MAX_STEPS }) });

/** A valid experiment spec as plain JSON: every target kind that needs no file, every init, problem and option. */
const smallSpecJson: fc.Arbitrary<Json> = fc.integer({ min: 1, max: MAX_N }).chain((n) =>
  fc.record({
    name: maybe(fc.string({ unit: 'binary', maxLength: 12 })),
    description: maybe(fc.string({ maxLength: 12 })),
    n: fc.constant(n),
    depth: fc.integer({ min: 1, max: MAX_DEPTH }),
    target: targetFor(n),
    init: initJson,
    problem: problemFor(n),
    stepSize: stepSizeJson,
    steps: stepsJson,
    log: logJson,
    effectiveRank: maybe(fc.constantFrom('entropy', 'stable', 'nuclear', 'numerical')),
    epsilon: maybe(fc.oneof(fc.constantFrom(0.05, 0.1, 0.2), logUniform(1e-6, 1e3))),
    // A forced spectral path is refused where it does not apply (most inits): kept rarer.
    engine: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constant('auto') },
      { weight: 3, arbitrary: fc.constant('matrix') },
      { weight: 1, arbitrary: fc.constant('spectral') },
    ),
  }),
);

// ---------------------------------------------------------------------------------------------
// How a case is run: on which backend, and whether and where it is cancelled.

/** cpu always; wasm (the extension host's default) and native (OpenBLAS) where they load. */
const BACKENDS: readonly NodeBackend[] = ['cpu', ...NODE_BACKENDS.filter((b) => b !== 'cpu')];

type Cancel =
  | { kind: 'none' }
  /** The signal is aborted before the run starts. */
  | { kind: 'before' }
  /** Aborted from onPoint when the k-th logged point (0-based) arrives. */
  | { kind: 'atPoint'; k: number }
  /** Aborted from the k-th onProgress call: lands wherever the chunking puts it. */
  | { kind: 'onProgress'; k: number };

const cancelArb: fc.Arbitrary<Cancel> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'before' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('atPoint' as const), k: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('onProgress' as const), k: fc.integer({ min: 1, max: 6 }) }) },
);

const caseArb = fc.record({ spec: smallSpecJson, backend: fc.constantFrom(...BACKENDS), cancel: cancelArb, chunkMilliseconds: fc.constantFrom(1, 5, 30) });
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// What every run must satisfy.

/** Whether the exact spectral path applies (runExperiment's selectPath, restated). */
function spectralApplies(spec: ExperimentSpec, target: Target): boolean {
  // A spectrum target is V diag(λ) Vᵀ by construction; the others are symmetric when their
  // entries are (lowRankPlusNoise with symmetric: false is, by accident, when n = 1).
  const symmetric = spec.target.kind === 'spectrum' || isSymmetric(target.matrix());
  return spec.init.kind === 'identity' && spec.problem.kind === 'estimation' && symmetric;
}

/**
 * Whether `error` is the documented refusal of a target whose entries overflow float64 arithmetic
 * (core/targets/buildTarget.ts), and the spec's target really is one: a spectrum or an inline matrix whose
 * squares sum past float64, or noise so large (≥ 1e300 here) that the entries do.
 */
function targetTooLarge(spec: ExperimentSpec, error: unknown): boolean {
  if (!(error instanceof InputError) || !/: (entries too large \(|entry \(\d+, \d+\) is -?Infinity$)/.test(error.message)) return false;
  const t = spec.target;
  if (t.kind === 'matrix') return !Number.isFinite(t.data.flat().reduce((s, x) => s + x * x, 0));
  if (t.kind === 'spectrum') return !Number.isFinite(t.eigenvalues.reduce((s, x) => s + x * x, 0));
  return t.kind === 'lowRankPlusNoise' && t.noise >= 1e300;
}

const allFinite = (xs: readonly number[]) => xs.every(Number.isFinite);

function checkResult(c: Case, spec: ExperimentSpec, target: Target, result: RunResult, backend: NodeBackend): void {
  const path = spec.engine !== 'matrix' && spectralApplies(spec, target) ? 'spectral' : 'matrix';
  expect(result.engine.path).toBe(path);
  expect(result.engine.backend).toBe(path === 'spectral' ? 'float64' : backend);

  // The stop: one of the documented kinds, at a step of the run.
  const { stopped } = result;
  expect(['completed', 'diverged', 'cancelled']).toContain(stopped.kind);
  expect(stopped.reason.length).toBeGreaterThan(0);
  expect(Number.isInteger(stopped.step) && stopped.step >= 0 && stopped.step <= spec.steps).toBe(true);

  // The trajectory: a prefix of the log schedule, kept whatever stopped the run.
  const schedule = logSchedule(spec.steps, spec.log);
  const m = result.steps.length;
  expect(result.steps).toEqual(schedule.slice(0, m));
  for (const series of [result.singularValues, result.effectiveRank, result.loss, result.distanceToBestRank]) expect(series).toHaveLength(m);
  if (spec.target.kind === 'lowRankPlusNoise' && m > 0) expect(result.groundTruthError).toHaveLength(m);
  else expect(result.groundTruthError).toBeUndefined();
  if (m > 0) expect(stopped.step).toBeGreaterThanOrEqual(result.steps[m - 1]);
  if (stopped.kind === 'completed') {
    expect(result.steps).toEqual(schedule);
    expect(stopped.step).toBe(spec.steps);
  } else if (stopped.kind === 'diverged') {
    // Found at a logged step (which is not recorded) or between two.
    expect(m).toBeLessThan(schedule.length);
    expect(stopped.step).toBeLessThanOrEqual(schedule[m]);
  } else if (m < schedule.length) {
    // Cancelled between two logged steps.
    expect(stopped.step).toBeLessThan(schedule[m]);
  } else {
    // Cancelled by an abort that came with the last logged point (the engine may observe it
    // before it returns): every step was done.
    expect(stopped.step).toBe(spec.steps);
  }
  if (stopped.kind === 'diverged') expect(stopped.reason).toMatch(/^loss /);
  if (stopped.kind === 'cancelled') expect(c.cancel.kind).not.toBe('none');

  // Cancellations: the point that asked for it is kept, and the run does not complete. (The
  // engine may have the next logged step in flight when the signal is aborted, so a cancelled
  // run may hold one point more than asked.)
  if (stopped.kind === 'cancelled') expect(m, 'step 0 is recorded before any cancellation').toBeGreaterThanOrEqual(1);
  if (c.cancel.kind === 'before' && schedule.length > 1) expect(stopped.kind).not.toBe('completed');
  if (c.cancel.kind === 'atPoint') {
    const k = c.cancel.k;
    if (stopped.kind === 'cancelled') expect(m).toBeGreaterThanOrEqual(k + 1);
    if (schedule.length > k + 2) expect(stopped.kind).not.toBe('completed');
  }

  // Every recorded number is finite (a non-finite loss or singular value is a divergence and is
  // not recorded), singular values are descending and ≥ 0, effective ranks lie in [0, n].
  const keep = Math.min(spec.n, 256);
  expect(result.singularValuesKept).toBe(keep);
  result.singularValues.forEach((row) => {
    expect(row).toHaveLength(keep);
    expect(allFinite(row)).toBe(true);
    row.forEach((s, i) => {
      expect(s).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(s).toBeLessThanOrEqual(row[i - 1]);
    });
  });
  expect(allFinite(result.loss), 'every loss is finite').toBe(true);
  expect(result.loss.every((l) => l >= 0)).toBe(true);
  expect(allFinite(result.effectiveRank)).toBe(true);
  expect(result.effectiveRank.every((r) => r >= 0 && r <= spec.n * (1 + 1e-12))).toBe(true);
  const L = result.targetEffectiveRanks.length;
  result.distanceToBestRank.forEach((row) => expect(row.length === L && allFinite(row)).toBe(true));
  expect(allFinite(result.groundTruthError ?? [])).toBe(true);

  // Plateaus lie within the run.
  for (const p of result.measured.plateaus) {
    expect(result.steps).toContain(p.start);
    expect(result.steps).toContain(p.end);
    expect(p.start).toBeLessThanOrEqual(p.end);
  }
  for (const p of result.predicted.plateaus) expect(Number.isFinite(p.start) && Number.isFinite(p.end) && p.start <= p.end && p.epsilon <= spec.epsilon).toBe(true);

  // The result survives what happens to it next: JSON (saved runs, postMessage) and the Lab's
  // validator of results. A NaN or Infinity anywhere would come back as null and be refused.
  const sent = JSON.parse(JSON.stringify(result));
  expect(sent).toEqual(result);
  const loaded = parseHostMessage({ type: 'loadResult', result: sent });
  expect(loaded.type).toBe('loadResult');
}

// ---------------------------------------------------------------------------------------------
// One case: parse, build, run, check. The runner is injectable so that the negative tests below
// can show each check failing on a deliberately broken stand-in.

type Runner = typeof runExperiment;

interface Tally {
  spectral: number;
  matrix: number;
  completed: number;
  diverged: number;
  cancelled: number;
  refusedTarget: number;
  refusedSpectral: number;
  /** Matrix-path runs per backend. */
  backends: Record<string, number>;
}

const emptyTally = (): Tally => ({ spectral: 0, matrix: 0, completed: 0, diverged: 0, cancelled: 0, refusedTarget: 0, refusedSpectral: 0, backends: {} });

/** Runs one case, throwing on the first check that fails. */
async function runCase(c: Case, tally: Tally, run: Runner = runExperiment): Promise<void> {
  // 1. The real parser accepts what the arbitrary writes, and its output is a fixed point.
  const spec = parseSpecText(JSON.stringify(c.spec), 'fuzz.dfl.json');
  expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  let target: Target | undefined;
  try {
    target = buildTarget(spec);
  } catch (error) {
    if (!targetTooLarge(spec, error)) throw error;
  }

  // 2. The run, on the case's backend, with its cancellation.
  const accelerators = await useNodeBackend(c.backend);
  const controller = new AbortController();
  if (c.cancel.kind === 'before') controller.abort();
  let points = 0;
  let progress = 0;
  const before = tf.memory().numTensors;
  let result: RunResult | undefined;
  try {
    result = await run(spec, {
      accelerators,
      signal: controller.signal,
      chunkMilliseconds: c.chunkMilliseconds,
      onPoint: () => {
        if (c.cancel.kind === 'atPoint' && points === c.cancel.k) controller.abort();
        points++;
      },
      onProgress: () => {
        if (c.cancel.kind === 'onProgress' && ++progress === c.cancel.k) controller.abort();
      },
    });
  } catch (error) {
    // The documented refusals of a parsed spec at run time, each one InputError line: a target
    // too large for float64 arithmetic, a forced spectral path where it does not apply.
    // Anything else is a crash.
    const refused = target
      ? error instanceof InputError && spec.engine === 'spectral' && !spectralApplies(spec, target) && /^spec\.engine: the spectral path needs/.test(error.message)
      : targetTooLarge(spec, error);
    if (!refused) throw error;
    expect((error as Error).message).not.toMatch(/\n/);
    tally[target ? 'refusedSpectral' : 'refusedTarget']++;
  }
  // 3. No tensor outlives its run, whatever ended it (a crash, rethrown above, is reported as itself).
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`tensor leak: ${before} tensors before the run, ${after} after`);
  if (!target) expect(result, 'runExperiment ran a target that buildTarget refused').toBeUndefined();
  if (result && target) {
    checkResult(c, spec, target, result, c.backend);
    expect(points).toBe(result.steps.length);
    tally[result.engine.path]++;
    tally[result.stopped.kind]++;
    if (result.engine.path === 'matrix') tally.backends[c.backend] = (tally.backends[c.backend] ?? 0) + 1;
  }
}

/** The property over all cases, each timed by `guard`; the first failure is printed in full. */
function engineProperty(guard: HangGuard, tally: Tally, seed: number, run: Runner = runExperiment) {
  let printed = false;
  return fc.asyncProperty(caseArb, async (c) => {
    try {
      await guard.runAsync(c, () => runCase(c, tally, run));
    } catch (error) {
      // Before shrinking starts (it may be slow): the case as generated, and what failed.
      if (!printed) console.error(`engine fuzz (seed ${seed}): first failing case ${describeInput(c)}\n${(error as Error).stack ?? String(error)}`);
      printed = true;
      throw error;
    }
  });
}

const { seed: SEED, numRuns: RUNS } = fuzzParameters(20260509, 400);
/** The whole run's budget, far above its ~10 s here (vitest's own limit is 120 s per test). */
const BUDGET_MS = Math.max(100_000, RUNS * 700);

afterAll(stopWatchdog);

describe('runExperiment on arbitrary valid small specs', () => {
  it(`ends every run cleanly, in bounded time, without leaking tensors (seed ${SEED})`, async () => {
    const guard = new HangGuard('runExperiment (valid small specs)', ENGINE_HANG_BOUND_MS);
    const tally = emptyTally();
    await useNodeBackend('cpu');
    const tensorsAtStart = tf.memory().numTensors;

    await fc.assert(engineProperty(guard, tally, SEED), {
      seed: SEED,
      numRuns: RUNS,
      // The fast-check side of the hang bound: a case whose promise does not settle in time fails
      // even if the guard never gets to measure it, and so does a whole run over its budget.
      plugins: [fc.timeout(ENGINE_HANG_BOUND_MS), fc.interruptAfterTimeLimit(BUDGET_MS, { failOnInterrupt: true })],
    });

    expect(tf.memory().numTensors).toBe(tensorsAtStart);
    expect(guard.cases).toBe(RUNS);
    // The arbitrary reaches what it is meant to: both paths, every stop kind, every backend.
    for (const key of ['spectral', 'matrix', 'completed', 'diverged', 'cancelled'] as const) expect(tally[key], key).toBeGreaterThan(0);
    for (const b of BACKENDS) expect(tally.backends[b] ?? 0, `matrix-path runs on ${b}`).toBeGreaterThan(0);
    const refused = tally.refusedTarget + tally.refusedSpectral;
    guard.report(
      `seed ${SEED}; ${tally.spectral} spectral, ${tally.matrix} matrix (${BACKENDS.map((b) => `${b} ${tally.backends[b] ?? 0}`).join(', ')}); ` +
        `${tally.completed} completed, ${tally.diverged} diverged, ${tally.cancelled} cancelled, ` +
        `${refused} refused (${tally.refusedTarget} target too large, ${tally.refusedSpectral} forced spectral path)`,
    );
  }, BUDGET_MS + 30_000);
});

// ---------------------------------------------------------------------------------------------
// Negative tests: the checks above fail on deliberately broken stand-ins of runExperiment.

describe('the engine fuzzer catches (negative tests, broken stand-ins)', () => {
  const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const few = { seed: 5, numRuns: 20, endOnFailure: true } as const;
  const property = (run: Runner, boundMs = ENGINE_HANG_BOUND_MS) => engineProperty(new HangGuard('stand-in', boundMs), emptyTally(), few.seed, run);
  /** fast-check's failure report with the error it caught (fast-check 4 keeps it as `cause`). */
  const failure = async (check: Promise<unknown>): Promise<string> => {
    try {
      await check;
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      return `${(error as Error).message}\n${cause ? `${cause.name}: ${cause.message}` : ''}`;
    }
    throw new Error('the property passed on a broken stand-in');
  };

  it('a run that leaks a tensor', async () => {
    const spy = quiet();
    const leaked: tf.Tensor[] = [];
    const leaky: Runner = async (spec, options) => {
      const result = await runExperiment(spec, options);
      leaked.push(tf.scalar(1)); // not disposed by the run
      return result;
    };
    expect(await failure(fc.assert(property(leaky), few))).toMatch(/tensor leak: \d+ tensors before the run, \d+ after/);
    tf.dispose(leaked);
    spy.mockRestore();
  });

  it('a run that never ends (fast-check timeout) and one that ends too late (hang bound)', async () => {
    const spy = quiet();
    const stuck: Runner = () => new Promise(() => undefined);
    expect(await failure(fc.assert(property(stuck), { ...few, plugins: [fc.timeout(100)] }))).toMatch(/timeout/i);
    await stopWatchdog(); // the stuck case never disarms it
    const slow: Runner = async (spec, options) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return runExperiment(spec, options);
    };
    expect(await failure(fc.assert(property(slow, 50), few))).toMatch(/HangError: stand-in: one case took \d+ ms, above the hang bound of 50 ms\. Input: \{.*"spec":/);
    spy.mockRestore();
  });

  it('an exception other than a documented refusal, and a non-finite number in the trajectory', async () => {
    const spy = quiet();
    const crashing: Runner = async () => {
      throw new TypeError('Cannot read properties of undefined');
    };
    expect(await failure(fc.assert(property(crashing), few))).toMatch(/TypeError: Cannot read properties of undefined/);
    const nan: Runner = async (spec, options) => {
      const result = await runExperiment(spec, options);
      if (result.loss.length > 0) result.loss[result.loss.length - 1] = NaN;
      return result;
    };
    expect(await failure(fc.assert(property(nan), few))).toMatch(/AssertionError: every loss is finite: expected false to be true/);
    spy.mockRestore();
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: bugs this fuzzer found, as unit cases.

describe('found by the engine fuzzer', () => {
  it('a target whose squares overflow float64 is refused in one line, not taken as symmetric', async () => {
    // Was: isSymmetric's tolerance 0·‖Ŵ‖_F = 0·∞ = NaN took this non-symmetric matrix as
    // symmetric, with eigenvalues [1, 1], and the run went down the spectral path on them.
    const spec = parseSpec({ n: 2, depth: 2, target: { kind: 'matrix', data: [[1, 1e200], [0, 1]] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10 });
    const message = 'spec.target.data: entries too large (largest |entry| 1.00e+200; the sum of their squares overflows float64)';
    expect(() => buildTarget(spec)).toThrow(new InputError(message));
    await expect(runExperiment(spec)).rejects.toThrow(message);
    // Was: a TypeError from ml-matrix's eigendecomposition (the fuzzer's shrunk case).
    const data = Array.from({ length: 10 }, () => new Array(10).fill(0));
    data[7][3] = 2.067455200333405e301;
    data[8][6] = 1;
    expect(() => buildTarget({ n: 10, target: { kind: 'matrix', data } })).toThrow(InputError);
    // Large entries whose squares still add up stay exact: not symmetric, no eigenvalues.
    expect(buildTarget({ n: 2, target: { kind: 'matrix', data: [[1, 1e150], [0, 1]] } }).eigenvalues).toBeUndefined();
    expect(Array.from(buildTarget({ n: 2, target: { kind: 'matrix', data: [[1e150, 0], [0, 1]] } }).eigenvalues!)).toEqual([1e150, 1]);
  });
});

describe('HangGuard', () => {
  it('fails a synchronous case over its bound with the input, and passes the body through otherwise', () => {
    let clock = 0;
    const guard = new HangGuard('clocked', 2_000, () => clock);
    expect(guard.run('fast', () => ((clock += 5), 42))).toBe(42);
    expect(() => guard.run('quick failure', () => ((clock += 5), JSON.parse('{')))).toThrow(SyntaxError);
    expect(() => guard.run({ bytes: [1, 2] }, () => (clock += 2_001))).toThrow('clocked: one case took 2001 ms, above the hang bound of 2000 ms. Input: {"bytes":[1,2]}');
    // A slow case that also threw reports the hang, not its own error.
    expect(() => guard.run('slow failure', () => ((clock += 3_000), JSON.parse('{')))).toThrow(HangError);
    expect([guard.cases, guard.failed, guard.hangs, guard.slowestMs]).toEqual([4, 2, 2, 3_000]);
    expect(guard.slowest).toBe('"slow failure"');
    expect(guard.summary()).toBe('fuzz clocked: 4 cases, 2 failed, 2 over the hang bound; slowest 3000.0 ms (bound 2000 ms)');
  });
});

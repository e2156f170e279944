import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordExperiment, runExperiment } from '../../../core/engine/runExperiment';
import type { RunResult } from '../../../core/result';
import { experimentSpecSchema, type ExperimentSpecInput } from '../../../core/spec/schema';
import { createMeasurer, measureColumns, measureRun } from '../../../core/sweep/measures';
import { sweepSchema, type MeasureOptions } from '../../../core/sweep/schema';

// Hand-built runs: the trajectory is written out here, so every cell has an answer known without
// running anything. The spec is n = 4, N = 2, identity init, target eigenvalues (4, 1, 0, 0).

const options = (measures: Record<string, unknown> = {}): MeasureOptions => sweepSchema.parse({ base: {}, measures }).measures;

const specInput: ExperimentSpecInput = {
  n: 4,
  depth: 2,
  target: { kind: 'spectrum', eigenvalues: [4, 1] },
  init: { kind: 'identity', alpha: 0.1 },
  stepSize: 0.01,
  steps: 30,
};

type Run = RunResult;

/** A run of the spec above (with overrides) logged at steps 0, 10, 20, 30. */
function handRun(over: { spec?: Partial<ExperimentSpecInput>; run?: Partial<Run> } = {}): Run {
  const spec = experimentSpecSchema.parse({ ...specInput, ...over.spec });
  return {
    spec,
    engine: { path: 'spectral', backend: 'hand', precision: 'float64' },
    target: { description: 'hand-built', singularValues: [4, 1, 0, 0] },
    steps: [0, 10, 20, 30],
    // σ_1 reaches θλ_1 = 2 (θ = 0.5) at step 20 and 3.6 (θ = 0.9) at step 30; σ_2 reaches 0.5 at
    // step 20 and 0.9 at step 30.
    singularValues: [
      [0.01, 0.01, 0.01, 0.01],
      [1.5, 0.2, 0.01, 0.01],
      [2.5, 0.6, 0.01, 0.01],
      [3.9, 0.9, 0.01, 0.01],
    ],
    singularValuesKept: 4,
    effectiveRank: [4, 2.5, 2.1, 2.01],
    loss: [8.5, 3, 1, 0.2],
    distanceToBestRank: [[1], [1], [1], [1]],
    groundTruthError: [5, 1, 0.5, 0.7],
    targetEffectiveRanks: [1, 2],
    predicted: { plateaus: [] },
    measured: { plateaus: [] },
    stopped: { kind: 'completed', reason: 'done', step: 30 },
    elapsedSeconds: 0,
    ...over.run,
  };
}

describe('measureColumns', () => {
  it('lists the columns of each group in order (ranks 1, θ = 0.5)', () => {
    expect(measureColumns(options({ ranks: 1 }))).toEqual([
      'finalLoss',
      'finalErank',
      'hypothesesMet',
      'measured.L1.start', 'measured.L1.end', 'measured.L1.length', 'measured.L1.kind',
      'predicted.L1.start', 'predicted.L1.end', 'predicted.L1.length', 'tightness.L1',
      'stepsTo.i1.theta0.5', 'predicted.stepsTo.i1.theta0.5.lower', 'predicted.stepsTo.i1.theta0.5.upper',
      'orderOfLearning', 'orderCertifiedPairs', 'orderCertified',
      'groundTruthError', 'minGroundTruthError', 'argminGroundTruthError',
      'diverged', 'stoppedAt', 'stepSizeBound', 'stepSizeRatio',
    ]);
  });

  it('has 2 + (1 + 8R) + 3RT + 3 + 3 + 4 columns for R ranks and T values of θ, all distinct (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 8 }), (R, percents) => {
        const columns = measureColumns(options({ ranks: R, theta: percents.map((p) => p / 100) }));
        expect(columns).toHaveLength(2 + 1 + 8 * R + 3 * R * percents.length + 3 + 3 + 4);
        expect(new Set(columns).size).toBe(columns.length);
      }),
    );
  });

  it('keeps only the included groups, in the fixed group order whatever the order of include', () => {
    expect(measureColumns(options({ include: ['divergence', 'loss'] }))).toEqual(['finalLoss', 'diverged', 'stoppedAt', 'stepSizeBound', 'stepSizeRatio']);
    expect(measureColumns(options({ include: ['stepsTo'], ranks: 2, theta: [0.5, 0.9] })).filter((c) => c.startsWith('stepsTo'))).toEqual([
      'stepsTo.i1.theta0.5', 'stepsTo.i2.theta0.5', 'stepsTo.i1.theta0.9', 'stepsTo.i2.theta0.9',
    ]);
  });
});

describe('measureRun on hand-built trajectories', () => {
  it('reads the final loss and effective rank, and null for a value that is not finite', () => {
    const row = measureRun(handRun(), options({ include: ['loss', 'erank'] }));
    expect(row).toEqual({ finalLoss: 0.2, finalErank: 2.01 });
    const blown = measureRun(handRun({ run: { loss: [1, 2, 1e30, NaN], effectiveRank: [4, 3, 2, Infinity] } }), options({ include: ['loss', 'erank'] }));
    expect(blown).toEqual({ finalLoss: null, finalErank: null });
  });

  it('finds the first logged step at which σ_i reaches θσ_i(Ŵ), or null where it never does', () => {
    const row = measureRun(handRun(), options({ include: ['stepsTo'], ranks: 4, theta: [0.5, 0.9] }));
    expect(row['stepsTo.i1.theta0.5']).toBe(20);
    expect(row['stepsTo.i2.theta0.5']).toBe(20);
    expect(row['stepsTo.i1.theta0.9']).toBe(30);
    // 0.9 ≥ 0.9·1 holds with equality: reaching the threshold counts.
    expect(row['stepsTo.i2.theta0.9']).toBe(30);
    // σ_3(Ŵ) = 0: nothing to reach.
    expect(row['stepsTo.i3.theta0.5']).toBeNull();
    expect(row['stepsTo.i4.theta0.9']).toBeNull();
    // σ_1 never gets to 0.99·4 = 3.96 (it ends at 3.9).
    expect(measureRun(handRun(), options({ include: ['stepsTo'], ranks: 1, theta: [0.99] }))['stepsTo.i1.theta0.99']).toBeNull();
  });

  it('reads the order of learning from the first θ: in order, out of order, or null below two components', () => {
    const only = options({ include: ['order'], ranks: 2 });
    expect(measureRun(handRun(), only).orderOfLearning).toBe(true);
    // σ_2 reaches 0.5 at step 10, before σ_1 reaches 2 at step 20.
    const early = handRun({ run: { singularValues: [[0.01, 0.01, 0, 0], [1.5, 0.6, 0, 0], [2.5, 0.7, 0, 0], [3.9, 0.9, 0, 0]] } });
    expect(measureRun(early, only).orderOfLearning).toBe(false);
    // Only σ_1 gets there: one step count, no order.
    const one = handRun({ run: { singularValues: [[0.01, 0.01, 0, 0], [1.5, 0.1, 0, 0], [2.5, 0.2, 0, 0], [3.9, 0.3, 0, 0]] } });
    expect(measureRun(one, only).orderOfLearning).toBeNull();
    // The same answer whether the step counts were measured for their own columns or not.
    expect(measureRun(early, options({ include: ['stepsTo', 'order'], ranks: 2 })).orderOfLearning).toBe(false);
  });

  it('takes the last and the smallest ground-truth error and the first step of the smallest', () => {
    const row = measureRun(handRun(), options({ include: ['groundTruth'] }));
    expect(row).toEqual({ groundTruthError: 0.7, minGroundTruthError: 0.5, argminGroundTruthError: 20 });
    const tie = measureRun(handRun({ run: { groundTruthError: [1, 0.5, 0.5, 2] } }), options({ include: ['groundTruth'] }));
    expect(tie).toEqual({ groundTruthError: 2, minGroundTruthError: 0.5, argminGroundTruthError: 10 });
    const none = measureRun(handRun({ run: { groundTruthError: undefined } }), options({ include: ['groundTruth'] }));
    expect(none).toEqual({ groundTruthError: null, minGroundTruthError: null, argminGroundTruthError: null });
  });

  it('reports divergence and the step-size bound (4.1) η ≤ 1/(Nλ_max^{2−2/N})', () => {
    const divergence = options({ include: ['divergence'] });
    // N = 2, λ_max = 4: 1/(2·4) = 0.125, and η/0.125 = 0.08.
    const row = measureRun(handRun(), divergence);
    expect(row.diverged).toBe(false);
    expect(row.stoppedAt).toBe(30);
    expect(row.stepSizeBound).toBeCloseTo(0.125, 15);
    expect(row.stepSizeRatio).toBeCloseTo(0.08, 15);
    // N = 3, λ_max = 8: 8^{4/3} = 16, so 1/48.
    const deep = measureRun(handRun({ spec: { depth: 3, target: { kind: 'spectrum', eigenvalues: [8, 1] } }, run: { stopped: { kind: 'diverged', reason: 'loss blew up', step: 17 } } }), divergence);
    expect(deep.diverged).toBe(true);
    expect(deep.stoppedAt).toBe(17);
    expect(deep.stepSizeBound).toBeCloseTo(1 / 48, 14);
    expect(deep.stepSizeRatio).toBeCloseTo(0.48, 13);
    // Without a spectrum in the spec the bound comes from the target's top singular value: 1/(2·5).
    const dense = measureRun(
      handRun({ spec: { target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0 } }, run: { target: { description: 'dense', singularValues: [5, 2, 0, 0] } } }),
      divergence,
    );
    expect(dense.stepSizeBound).toBeCloseTo(0.1, 15);
    // Depth 1: the bound is 1 whatever the target.
    expect(measureRun(handRun({ spec: { depth: 1 } }), divergence).stepSizeBound).toBe(1);
  });

  it('says whether the hypotheses of the theorems hold: identity init, estimation, η within (4.1)', () => {
    const plateaus = options({ include: ['plateaus'], ranks: 1 });
    expect(measureRun(handRun(), plateaus).hypothesesMet).toBe(true);
    // η = 0.2 > 0.125.
    expect(measureRun(handRun({ spec: { stepSize: 0.2 } }), plateaus).hypothesesMet).toBe(false);
    expect(measureRun(handRun({ spec: { init: { kind: 'gaussian', alpha: 0.1 } } }), plateaus).hypothesesMet).toBe(false);
    expect(measureRun(handRun({ spec: { problem: { kind: 'completion', observed: 0.5 } } }), plateaus).hypothesesMet).toBe(false);
  });

  it('pairs a measured plateau with the prediction it overlaps: ends, lengths (inclusive), kind, tightness', () => {
    const run = handRun({
      run: {
        measured: { plateaus: [{ L: 1, start: 5, end: 14, epsilon: 0.1, kind: 'plateau' }] },
        predicted: { plateaus: [{ L: 1, start: 6, end: 12, epsilon: 0.05, hypothesesMet: true }, { L: 2, start: 20, end: 29, epsilon: 0.05, hypothesesMet: true }] },
      },
    });
    const row = measureRun(run, options({ include: ['plateaus'], ranks: 3 }));
    expect(row).toMatchObject({
      'measured.L1.start': 5, 'measured.L1.end': 14, 'measured.L1.length': 10, 'measured.L1.kind': 'plateau',
      'predicted.L1.start': 6, 'predicted.L1.end': 12, 'predicted.L1.length': 7, 'tightness.L1': 0.7,
      // A prediction without a measured run: no tightness.
      'measured.L2.start': null, 'measured.L2.length': null, 'measured.L2.kind': null,
      'predicted.L2.start': 20, 'predicted.L2.end': 29, 'predicted.L2.length': 10, 'tightness.L2': null,
    });
    for (const c of ['measured.L3.start', 'measured.L3.end', 'measured.L3.length', 'measured.L3.kind', 'predicted.L3.start', 'predicted.L3.end', 'predicted.L3.length', 'tightness.L3']) expect(row[c], c).toBeNull();
  });

  it('gives no tightness to a prediction that does not overlap the measured run', () => {
    const run = handRun({
      run: {
        measured: { plateaus: [{ L: 1, start: 0, end: 4, epsilon: 0.1, kind: 'crossing' }] },
        predicted: { plateaus: [{ L: 1, start: 10, end: 19, epsilon: 0.05, hypothesesMet: true }] },
      },
    });
    const row = measureRun(run, options({ include: ['plateaus'], ranks: 1 }));
    expect(row).toMatchObject({ 'measured.L1.length': 5, 'measured.L1.kind': 'crossing', 'predicted.L1.length': 10, 'tightness.L1': null });
  });

  it('leaves the predicted step counts and certified order null where the theory does not apply', () => {
    const row = measureRun(handRun({ spec: { init: { kind: 'gaussian', alpha: 0.1 } } }), options({ include: ['stepsTo', 'order'], ranks: 2 }));
    // The measured step counts do not need the theory.
    expect(row['stepsTo.i1.theta0.5']).toBe(20);
    expect(row['predicted.stepsTo.i1.theta0.5.lower']).toBeNull();
    expect(row['predicted.stepsTo.i1.theta0.5.upper']).toBeNull();
    expect(row.orderCertifiedPairs).toBeNull();
    expect(row.orderCertified).toBeNull();
  });
});

/** First k with w_k^N ≥ θλ for w_{k+1} = w_k + ηw_k^{N−1}(λ − w_k^N), w_0 = α (docs/theory.md §2), in float64. */
function referenceStepCount(lambda: number, alpha: number, N: number, eta: number, theta: number, limit: number): number {
  let w = alpha;
  for (let k = 0; k <= limit; k++) {
    if (Math.pow(w, N) >= theta * lambda) return k;
    w += eta * Math.pow(w, N - 1) * (lambda - Math.pow(w, N));
  }
  throw new Error('not reached');
}

describe('measureRun: certified step counts (Proposition 4.4) and order (Theorem 6.1)', () => {
  it('encloses the step count of the scalar recursion between the predicted bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.double({ min: 0.02, max: 0.3, noNaN: true }),
        fc.integer({ min: 2, max: 4 }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (lambda, alpha, N, theta, fraction) => {
          // η a fraction of the bound (4.1), so Proposition 4.4 applies.
          const eta = fraction / (N * Math.pow(lambda, 2 - 2 / N));
          const K = referenceStepCount(lambda, alpha, N, eta, theta, 1e7);
          const spec: ExperimentSpecInput = { ...specInput, n: 1, depth: N, target: { kind: 'spectrum', eigenvalues: [lambda] }, init: { kind: 'identity', alpha }, stepSize: eta };
          // The logged trajectory holds the step just before K and K itself.
          const run = handRun({
            spec,
            run: { target: { description: 'scalar', singularValues: [lambda] }, steps: [0, Math.max(0, K - 1), K].filter((k, i, a) => i === 0 || k > a[i - 1]) },
          });
          const w = (k: number) => {
            let x = alpha;
            for (let j = 0; j < k; j++) x += eta * Math.pow(x, N - 1) * (lambda - Math.pow(x, N));
            return Math.pow(x, N);
          };
          run.singularValues = run.steps.map((k) => [w(k)]);
          const row = measureRun(run, options({ include: ['stepsTo'], ranks: 1, theta: [theta] }));
          const name = `i1.theta${theta}`;
          expect(row[`stepsTo.${name}`]).toBe(K);
          expect(row[`predicted.stepsTo.${name}.lower`]).toBeLessThanOrEqual(K);
          expect(row[`predicted.stepsTo.${name}.upper`]).toBeGreaterThanOrEqual(K);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('certifies the order of well-separated eigenvalues, and never of equal ones', () => {
    const order = options({ include: ['order'], ranks: 2 });
    // λ = (4, 1): at θ = 0.5 the second component needs far more steps than the first.
    const apart = measureRun(handRun(), order);
    expect(apart.orderCertifiedPairs).toBe(1);
    expect(apart.orderCertified).toBe(true);
    // Equal eigenvalues have the same bounds, and lower ≤ upper: K_1⁺ < K_2⁻ cannot hold.
    const equal = measureRun(handRun({ spec: { target: { kind: 'spectrum', eigenvalues: [2, 2] } } }), order);
    expect(equal.orderCertifiedPairs).toBe(0);
    expect(equal.orderCertified).toBe(false);
    // λ_3 = λ_4 = 0 have no bounds: only the pair (1, 2) counts, so the four ranks certify as two.
    expect(measureRun(handRun(), options({ include: ['order'], ranks: 4 }))).toMatchObject({ orderCertifiedPairs: 1, orderCertified: true });
    // One rank: no pair to certify.
    expect(measureRun(handRun(), options({ include: ['order'], ranks: 1 }))).toMatchObject({ orderCertifiedPairs: 0, orderCertified: null });
  });
});

describe('createMeasurer', () => {
  it('writes the cells of measureRun in column order, into a given row when there is one', () => {
    const all = options({ ranks: 2, theta: [0.5, 0.9] });
    const measure = createMeasurer(all);
    expect(measure.columns).toEqual(measureColumns(all));
    const run = handRun();
    const row = measure(run);
    expect(Object.keys(row)).toEqual(measureColumns(all));
    const into: Record<string, unknown> = { run: 7 };
    expect(measure(run, into)).toBe(into);
    expect(into).toEqual({ run: 7, ...row });
  });

  it('gives each run its own cells though it caches what runs share (property over a sequence of specs)', () => {
    const all = options({ ranks: 2, theta: [0.5] });
    const specs = fc.record({
      alpha: fc.constantFrom(0.05, 0.1, 0.2),
      stepSize: fc.constantFrom(0.01, 0.02, 0.2),
      depth: fc.constantFrom(2, 3),
      seed: fc.nat(3),
      second: fc.constantFrom(1, 2, 3),
    });
    fc.assert(
      fc.property(fc.array(specs, { minLength: 1, maxLength: 6 }), (list) => {
        const measure = createMeasurer(all);
        for (const s of list) {
          const run = handRun({ spec: { depth: s.depth, stepSize: s.stepSize, init: { kind: 'identity', alpha: s.alpha }, target: { kind: 'spectrum', eigenvalues: [4, s.second], seed: s.seed } } });
          expect(measure(run)).toEqual(measureRun(run, all));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('measures a recorded run (typed columns) as its result', async () => {
    const spec = experimentSpecSchema.parse({ ...specInput, steps: 2000, log: { every: 5 } });
    const all = options({ ranks: 2, theta: [0.5, 0.9] });
    const measure = createMeasurer(all);
    const [recorded, result] = [await recordExperiment(spec), await runExperiment(spec)];
    expect(measure(recorded)).toEqual(measure(result));
    // A real spectral run of this spec reaches both components: the row is not all null.
    expect(measure(result)['stepsTo.i2.theta0.9']).toEqual(expect.any(Number));
  });
});

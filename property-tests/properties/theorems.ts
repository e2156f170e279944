import { runExperiment } from '../../core/engine/runExperiment';
import { singularValues } from '../../core/linalg/decompositions';
import { measurePlateaus } from '../../core/plateaus/measurePlateaus';
import { entropyRank } from '../../core/rank/effectiveRank';
import { buildTarget } from '../../core/targets/buildTarget';
import { entropyRankRange } from '../../core/theory/erankBounds';
import { ipow } from '../../core/theory/flowTime';
import { checkHypotheses } from '../../core/theory/hypotheses';
import { matrixPathTolerance } from '../../core/theory/float32Tolerance';
import { specEigenvalues } from '../../core/theory/predictPlateaus';
import { theorySpec } from '../arbitraries/theorySpec';
import { simulateSpectral } from '../simulate';
import { fullMatrixGradientDescent } from '../reference';
import { fail, type TheoryProperty } from './types';

const hypothesesMet = (spec: Parameters<typeof checkHypotheses>[0]) => checkHypotheses(spec, specEigenvalues(spec)).met;


/** Claim 1: the spectral reduction is exact (float64). */
export const spectralEqualsFullGradientDescent: TheoryProperty = {
  name: 'spectral-equals-full-gd',
  claim: 'Full-matrix gradient descent equals the spectral recursion (Theorem 2.1), float64',
  arbitrary: () => theorySpec({ maxN: 6, maxDepth: 4, maxSteps: 150 }),
  check(spec, { record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    // Rounding seeds imbalance that a non-positive eigenvalue amplifies (Remark 7.3): compare at
    // the last step where the rounding model (7.3)–(7.7), with float64's u = 2⁻⁵³, is valid.
    const horizon = Math.min(spec.steps, 150);
    const model = matrixPathTolerance({ ...spec, steps: horizon }, specEigenvalues(spec)!, [horizon], 2 ** -53);
    const steps = Math.min(horizon, model.validThrough);
    if (steps < horizon) record('validFraction', steps / horizon);
    // Both sides round: the full product (n×n matrix products) and the scalar recursion itself,
    // which is the same model with n = 1.
    const drift = (size: number) => matrixPathTolerance({ ...spec, n: size, steps }, specEigenvalues(spec)!, [steps], 2 ** -53).tolerance[0];
    const tolerance = drift(spec.n) + drift(1);
    const full = singularValues(fullMatrixGradientDescent(buildTarget(spec).matrix(), spec.depth, spec.init.alpha, spec.stepSize, steps));
    let last = new Float64Array(0);
    simulateSpectral({ ...spec, steps }, (k, _w, x) => {
      if (k === steps) last = Float64Array.from(x, Math.abs).sort().reverse();
    });
    full.forEach((s, i) => {
      if (Math.abs(s - last[i]) > tolerance) fail(`σ_${i + 1} after ${steps} steps: full GD ${s}, spectral ${last[i]}, tolerance ${tolerance}`);
    });
    record('tolerance', tolerance);
    return 'passed';
  },
};

/** Claim 1, float32: the matrix path on tfjs within the derived tolerance (7.5). */
export const matrixPathWithinTolerance: TheoryProperty = {
  name: 'matrix-path-float32',
  claim: 'The float32 matrix path stays within the derived tolerance of the exact path (Proposition 7.2)',
  arbitrary: () => theorySpec({ maxN: 16, maxDepth: 4, maxSteps: 400, breakProbability: 0 }),
  async check(spec, { record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const short = { ...spec, steps: Math.min(spec.steps, 400), log: { points: 30, scale: 'log' as const } };
    const exact = await runExperiment(short);
    const float32 = await runExperiment({ ...short, engine: 'matrix' });
    const { tolerance, validThrough } = matrixPathTolerance(short, specEigenvalues(short)!, exact.steps);
    if (validThrough < short.steps) record('validFraction', validThrough / short.steps);
    exact.singularValues.forEach((row, t) =>
      row.forEach((s, i) => {
        if (exact.steps[t] > validThrough) return;
        const err = Math.abs(s - float32.singularValues[t][i]);
        if (!(err <= tolerance[t])) fail(`step ${exact.steps[t]}, σ_${i + 1}: |${s} − ${float32.singularValues[t][i]}| = ${err} > tolerance ${tolerance[t]}`);
      }),
    );
    return 'passed';
  },
};

/** Claim 2: monotone, no overshoot; non-positive components decay. */
export const monotoneComponents: TheoryProperty = {
  name: 'monotone-no-overshoot',
  claim: 'Positive components increase monotonically without overshoot; non-positive ones decay towards 0 for N ≥ 2 (Theorem 4.1)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const N = spec.depth;
    const aN = N === 1 ? spec.init.alpha : ipow(spec.init.alpha, N);
    let previous: Float64Array | undefined;
    simulateSpectral(spec, (k, _w, x) => {
      const lambda = specEigenvalues(spec)!;
      for (let i = 0; i < x.length; i++) {
        const l = lambda[i];
        if (previous) {
          const up = x[i] - previous[i];
          if (l > aN && up < -1e-15 * l) fail(`component λ = ${l} decreased at step ${k}: ${previous[i]} → ${x[i]}`);
          if (l <= aN && N >= 2 && up > 1e-15 * Math.max(aN, Math.abs(l))) fail(`component λ = ${l} increased at step ${k}`);
        }
        if (l > 0 && l > aN && x[i] > l * (1 + 1e-12)) fail(`component λ = ${l} overshot to ${x[i]} at step ${k}`);
        if (l <= 0 && N >= 2 && x[i] < 0) fail(`component λ = ${l} changed sign at step ${k}`);
      }
      previous = Float64Array.from(x);
    });
    return 'passed';
  },
};

const THETAS = [0.01, 0.1, 0.5, 0.9, 0.99];

/** Claim 3: measured step counts inside the certified bounds. */
export const stepCountsWithinBounds: TheoryProperty = {
  name: 'step-count-bounds',
  claim: 'Measured step counts K_i(θ) lie inside the certified bounds (Proposition 4.3)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const lambda = specEigenvalues(spec)!;
    const N = spec.depth;
    const first = Array.from(lambda, () => THETAS.map(() => -1));
    simulateSpectral(spec, (k, _w, x) => {
      for (let i = 0; i < x.length && lambda[i] > 0; i++)
        THETAS.forEach((theta, t) => {
          if (first[i][t] < 0 && x[i] >= theta * lambda[i]) first[i][t] = k;
        });
    });
    for (let i = 0; i < lambda.length && lambda[i] > 0; i++)
      THETAS.forEach((theta, t) => {
        const k = first[i][t];
        const b = theory.stepCountBounds(lambda[i], spec.init.alpha, N, spec.stepSize, theta);
        if (k < 0) {
          if (b.upper <= spec.steps) fail(`λ = ${lambda[i]}, θ = ${theta}: never reached in ${spec.steps} steps, but K⁺ = ${b.upper}`);
          return;
        }
        if (k < b.lower || k > b.upper) fail(`λ = ${lambda[i]}, θ = ${theta}: K = ${k} outside [${b.lower}, ${b.upper}]`);
        if (k > 0) record('boundWidth/K', (b.upper - b.lower) / k);
      });
    return 'passed';
  },
};

/** Claim 4: the erank is within ε on each predicted interval, which lies inside one measured plateau. */
export const plateausHold: TheoryProperty = {
  name: 'plateau-erank',
  claim: 'On each predicted interval the erank stays within its certified ε of erank(Ŵ_L), and the interval lies inside one measured ε-plateau (Theorem 5.4)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    const predictions = theory.predictPlateaus(spec);
    if (!hypothesesMet(spec)) {
      if (predictions.some((p) => p.hypothesesMet)) fail('a spec that breaks the hypotheses claims hypothesesMet');
      return 'hypothesis-not-met';
    }
    const run = simulateSpectral(spec);
    const steps = Array.from({ length: run.lastStep + 1 }, (_, k) => k);
    const lambda = run.lambda;
    const references = predictions.map((p) => entropyRank(lambda.subarray(0, p.L)));
    const measured = measurePlateaus(steps, run.erank, references, spec.epsilon);
    predictions.forEach((p, index) => {
      if (!p.hypothesesMet) fail(`L = ${p.L}: hypotheses hold but the prediction says they do not`);
      if (p.epsilon > spec.epsilon) fail(`L = ${p.L}: certified ε ${p.epsilon} exceeds the spec's ε ${spec.epsilon}`);
      const end = Math.min(p.end, run.lastStep);
      for (let k = p.start; k <= end; k++) {
        const gap = Math.abs(run.erank[k] - references[index]);
        if (gap > p.epsilon) fail(`L = ${p.L}, step ${k} in [${p.start}, ${p.end}]: |erank − erank(Ŵ_L)| = ${gap} > ε = ${p.epsilon}`);
      }
      const containing = measured.find((m) => m.L === index + 1 && m.start <= p.start && end <= m.end);
      if (!containing) fail(`L = ${p.L}: predicted [${p.start}, ${p.end}] is not inside one measured ε-plateau`);
      // Coverage: the predicted length over the measured plateau's (both clipped to the run).
      record('coverage', (end - p.start + 1) / (containing.end - containing.start + 1));
      record('predictedSteps', end - p.start + 1);
      record('measuredSteps', containing.end - containing.start + 1);
    });
    record('predictions', predictions.length);
    return 'passed';
  },
};

/** Claim 5: intervals ordered and disjoint; the final erank in the certified range around erank(Ŵ₊). */
export const intervalsOrdered: TheoryProperty = {
  name: 'intervals-ordered',
  claim: 'Predicted intervals are disjoint and ordered in L, and the final erank lies in the certified range of the learned spectrum (Corollary 5.5)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const predictions = theory.predictPlateaus(spec);
    for (let i = 1; i < predictions.length; i++)
      if (!(predictions[i].start > predictions[i - 1].end && predictions[i].L > predictions[i - 1].L))
        fail(`intervals L = ${predictions[i - 1].L} [${predictions[i - 1].start}, ${predictions[i - 1].end}] and L = ${predictions[i].L} [${predictions[i].start}, ${predictions[i].end}] overlap or are out of order`);
    // Final step: every growing component whose certified K⁺(1 − δ) has passed is in [(1−δ)λ, λ].
    const run = simulateSpectral(spec);
    const lambda = run.lambda;
    const N = spec.depth;
    const alpha = spec.init.alpha;
    const x0 = N === 1 ? alpha : ipow(alpha, N);
    const delta = 0.01;
    const lo = new Float64Array(lambda.length);
    const hi = new Float64Array(lambda.length);
    let top = 0;
    for (let i = 0; i < lambda.length; i++) {
      const l = lambda[i];
      if (l > x0) {
        const done = theory.stepCountBounds(l, alpha, N, spec.stepSize, 1 - delta).upper <= run.lastStep;
        if (done && top === i) {
          [lo[i], hi[i]] = [(1 - delta) * l, l];
          top++;
        } else [lo[i], hi[i]] = [x0, l];
      } else if (l > 0) [lo[i], hi[i]] = [l, x0];
      else [lo[i], hi[i]] = [0, N >= 2 ? x0 : Math.max(alpha, -l)];
    }
    if (top === 0) return 'passed';
    const range = entropyRankRange(lo, hi, top);
    const final = run.erank[run.lastStep];
    if (range && !(range.lower - 1e-12 <= final && final <= range.upper + 1e-12)) fail(`final erank ${final} outside the certified range [${range.lower}, ${range.upper}]`);
    return 'passed';
  },
};

/** Claim 6: larger components stay ahead; learning in order where the bounds certify it. */
export const largerStayAhead: TheoryProperty = {
  name: 'order-of-learning',
  claim: 'If λ_i > λ_j > 0 then w_i(k) ≥ w_j(k) at every step (Theorem 6.1); K_i(θ) ≤ K_j(θ) whenever K_i⁺(θ) ≤ K_j⁻(θ) (Corollary 6.2)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const lambda = specEigenvalues(spec)!;
    let positive = 0;
    while (positive < lambda.length && lambda[positive] > 0) positive++;
    const theta = 0.5;
    const first = new Array<number>(positive).fill(-1);
    simulateSpectral(spec, (k, w, x) => {
      for (let i = 0; i + 1 < positive; i++)
        if (lambda[i] > lambda[i + 1] && w[i] < w[i + 1]) fail(`step ${k}: w for λ = ${lambda[i]} is ${w[i]} < ${w[i + 1]} for λ = ${lambda[i + 1]}`);
      for (let i = 0; i < positive; i++) if (first[i] < 0 && x[i] >= theta * lambda[i]) first[i] = k;
    });
    for (let i = 0; i + 1 < positive; i++) {
      const a = theory.stepCountBounds(lambda[i], spec.init.alpha, spec.depth, spec.stepSize, theta);
      const b = theory.stepCountBounds(lambda[i + 1], spec.init.alpha, spec.depth, spec.stepSize, theta);
      const certified = a.upper <= b.lower;
      record('certifiedPairs', certified ? 1 : 0);
      if (certified && first[i] >= 0 && first[i + 1] >= 0 && first[i] > first[i + 1]) fail(`K(θ) out of order although certified: ${first[i]} > ${first[i + 1]}`);
    }
    return 'passed';
  },
};

export const theorems: TheoryProperty[] = [
  spectralEqualsFullGradientDescent,
  matrixPathWithinTolerance,
  monotoneComponents,
  stepCountsWithinBounds,
  plateausHold,
  intervalsOrdered,
  largerStayAhead,
];

import { runExperiment } from '../../core/engine/runExperiment';
import { singularValues } from '../../core/linalg/decompositions';
import { measurePlateaus } from '../../core/plateaus/measurePlateaus';
import { buildTarget } from '../../core/targets/buildTarget';
import { certifiedRankRange } from '../../core/theory/rankRanges';
import { ipow } from '../../core/theory/flowTime';
import { checkHypotheses } from '../../core/theory/hypotheses';
import { certifiedCells, specEigenvalues, spectrumEnclosure } from '../../core/theory/predictPlateaus';
import { references as referencesOf } from '../evaluation';
import { theorySpec } from '../arbitraries/theorySpec';
import { simulateSpectral } from '../simulate';
import { fullMatrixGradientDescent } from '../reference';
import { alignedEqualsFullGradientDescent, alignedMatrixPath } from './aligned';
import { matrixPathTolerance } from '../../core/theory/float32Tolerance';
import { checkFloat32WithinTolerance } from './float32Tolerance';
import { fail, type TheoryProperty } from './types';

const hypothesesMet = (spec: Parameters<typeof checkHypotheses>[0]) => checkHypotheses(spec, specEigenvalues(spec)).met;

/** Claim 1: the spectral reduction is exact (float64). */
const spectralEqualsFullGradientDescent: TheoryProperty = {
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
const matrixPathWithinTolerance: TheoryProperty = {
  name: 'matrix-path-float32',
  claim: 'The float32 matrix path stays within the derived tolerance of the exact path (Proposition 7.2)',
  arbitrary: () => theorySpec({ maxN: 16, maxDepth: 4, maxSteps: 400, breakProbability: 0 }),
  async check(spec, { record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const short = { ...spec, steps: Math.min(spec.steps, 400), log: { points: 30, scale: 'log' as const } };
    const exact = await runExperiment(short);
    const float32 = await runExperiment({ ...short, engine: 'matrix' });
    checkFloat32WithinTolerance(short, specEigenvalues(short)!, exact, float32, record);
    return 'passed';
  },
};

/** Claim 2: monotone, no overshoot; non-positive components decay. */
const monotoneComponents: TheoryProperty = {
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
  claim: 'Measured step counts K_i(θ) lie inside the certified bounds (Proposition 4.4)',
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

/** The maximal run of steps around `k` with |rank − reference| ≤ ε (undefined if k is outside). */
function maximalRun(rank: ArrayLike<number>, reference: number, epsilon: number, k: number): { start: number; end: number } | undefined {
  const inside = (i: number) => Math.abs(rank[i] - reference) <= epsilon;
  if (!(k < rank.length && inside(k))) return undefined;
  let [start, end] = [k, k];
  while (start > 0 && inside(start - 1)) start--;
  while (end + 1 < rank.length && inside(end + 1)) end++;
  return { start, end };
}

/** Claim 4: the measure is within its certified ε on each predicted interval, which lies inside one measured ε-run. */
export const plateausHold: TheoryProperty = {
  name: 'plateau-rank',
  claim: 'On each predicted interval the effective rank (every measure) stays within its certified ε of that of Ŵ_L, and the interval lies inside one maximal ε-run (Theorem 5.10)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    const predictions = theory.predictPlateaus(spec);
    if (!hypothesesMet(spec)) {
      if (predictions.some((p) => p.hypothesesMet)) fail('a spec that breaks the hypotheses claims hypothesesMet');
      return 'hypothesis-not-met';
    }
    const run = simulateSpectral(spec);
    const steps = Array.from({ length: run.lastStep + 1 }, (_, k) => k);
    const references = referencesOf(spec, run.lambda);
    const measured = measurePlateaus(steps, run.rank, references, spec.epsilon);
    const measure = spec.effectiveRank;
    predictions.forEach((p) => {
      if (!p.hypothesesMet) fail(`L = ${p.L}: hypotheses hold but the prediction says they do not`);
      if (p.epsilon > spec.epsilon) fail(`L = ${p.L}: certified ε ${p.epsilon} exceeds the spec's ε ${spec.epsilon}`);
      const end = Math.min(p.end, run.lastStep);
      for (let k = p.start; k <= end; k++) {
        const gap = Math.abs(run.rank[k] - references[p.L - 1]);
        if (gap > p.epsilon) fail(`L = ${p.L}, step ${k} in [${p.start}, ${p.end}]: |${measure} rank − that of Ŵ_L| = ${gap} > ε = ${p.epsilon}`);
      }
      // Theorem 5.10 puts the interval inside one maximal run of steps within ε; that run is a
      // measured run of Definition 5.2 unless it ends inside the initial drop (a crossing there).
      const containing = measured.find((m) => m.L === p.L && m.start <= p.start && end <= m.end) ?? maximalRun(run.rank, references[p.L - 1], spec.epsilon, p.start);
      if (!containing || !(end <= containing.end)) fail(`L = ${p.L}: predicted [${p.start}, ${p.end}] is not inside one maximal ε-run`);
      // Coverage: the predicted length over the measured run's (both clipped to the run).
      record('coverage', (end - p.start + 1) / (containing.end - containing.start + 1));
      record('predictedSteps', end - p.start + 1);
      record('measuredSteps', containing.end - containing.start + 1);
    });
    // Per measured ε-run of 20 steps or more, per measure: whether it contains a prediction, and its
    // tightness, the predicted steps inside it (intervals of its L, disjoint) over its length, 0
    // without one: the figures of scripts/check-predictions.mjs.
    for (const m of measured) {
      if (m.end - m.start + 1 < 20) continue;
      const inside = predictions.filter((p) => p.L === m.L && m.start <= p.start && Math.min(p.end, run.lastStep) <= m.end);
      record(`predictedShare/${measure}`, inside.length > 0 ? 1 : 0);
      record(`tightness/${measure}`, inside.reduce((s, p) => s + Math.min(p.end, run.lastStep) - p.start + 1, 0) / (m.end - m.start + 1));
    }
    record('predictions', predictions.length);
    return 'passed';
  },
};

/** Claim 4′: the per-step enclosure holds at every step, and so does the certified range of each cell. */
export const enclosuresHold: TheoryProperty = {
  name: 'enclosure-every-step',
  claim: 'At every step each product eigenvalue lies in its certified enclosure (Theorem 5.9) and the effective rank (every measure) in the certified range of its cell ((5.14), Lemmas 5.3–5.8)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const lambda = specEigenvalues(spec)!;
    const enclosure = spectrumEnclosure(spec, lambda, theory.componentEnclosure);
    const cells = certifiedCells(spec, enclosure);
    // Equal eigenvalues follow the same recursion: one check per group, at its first index.
    const firstIndex: number[] = [];
    for (let i = 0; i < lambda.length; i++) if (i === 0 || lambda[i] !== lambda[i - 1]) firstIndex.push(i);
    let cell = 0;
    let certifiedSteps = 0;
    let widthSum = 0;
    const run = simulateSpectral(spec, (k, _w, x) => {
      enclosure.groups.forEach((g, j) => {
        const v = x[firstIndex[j]];
        const [lo, hi] = g.bounds(k);
        if (!(lo <= v && v <= hi)) fail(`step ${k}, λ = ${g.lambda}: x = ${v} outside the enclosure [${lo}, ${hi}]`);
        if (g.growing && lo > 0) widthSum += (hi - lo) / g.lambda;
      });
    });
    for (let k = 0; k <= run.lastStep; k++) {
      while (cells[cell].end < k) cell++;
      const range = cells[cell].range;
      if (!range) continue;
      certifiedSteps++;
      const r = run.rank[k];
      if (!(range.lower <= r && r <= range.upper)) fail(`step ${k}: ${spec.effectiveRank} rank ${r} outside the certified range [${range.lower}, ${range.upper}] of cell [${cells[cell].start}, ${cells[cell].end}]`);
    }
    record(`certifiedSteps/${spec.effectiveRank}`, certifiedSteps / (run.lastStep + 1));
    record('meanRelativeWidth', widthSum / Math.max(1, (run.lastStep + 1) * enclosure.groups.length));
    return 'passed';
  },
};

/** Claim 5: intervals of disjoint ε-bands disjoint; the final rank in the certified range of the learned spectrum. */
const intervalsOrdered: TheoryProperty = {
  name: 'intervals-ordered',
  claim: 'Predicted intervals whose ε-bands are disjoint are disjoint, and the final effective rank lies in the certified range of the learned spectrum (Corollary 5.5)',
  arbitrary: ({ maxN }) => theorySpec({ maxN }),
  check(spec, { theory, record }) {
    if (!hypothesesMet(spec)) return 'hypothesis-not-met';
    const predictions = theory.predictPlateaus(spec);
    const references = referencesOf(spec, specEigenvalues(spec)!);
    for (let i = 0; i < predictions.length; i++)
      for (let j = i + 1; j < predictions.length; j++) {
        const [a, b] = [predictions[i], predictions[j]];
        if (!(a.L < b.L || (a.L === b.L && a.end < b.start))) fail(`predictions out of order: L = ${a.L} [${a.start}, ${a.end}] before L = ${b.L} [${b.start}, ${b.end}] (by L, then disjoint in steps)`);
        const bandsApart = Math.abs(references[a.L - 1] - references[b.L - 1]) > a.epsilon + b.epsilon;
        const overlap = a.start <= b.end && b.start <= a.end;
        if (bandsApart && overlap) fail(`intervals L = ${a.L} [${a.start}, ${a.end}] and L = ${b.L} [${b.start}, ${b.end}] overlap although their ε-bands are disjoint`);
        if (j === i + 1 && a.L < b.L) record('orderedInSteps', a.end < b.start ? 1 : 0);
        if (j === i + 1 && a.L === b.L) record('severalPerL', 1);
      }
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
    const range = certifiedRankRange(spec.effectiveRank, { lo, hi, count: new Float64Array(lambda.length).fill(1) });
    const final = run.rank[run.lastStep];
    if (range && !(range.lower - 1e-12 <= final && final <= range.upper + 1e-12)) fail(`final ${spec.effectiveRank} rank ${final} outside the certified range [${range.lower}, ${range.upper}]`);
    return 'passed';
  },
};

/** Claim 6: larger components stay ahead; learning in order where the bounds certify it. */
const largerStayAhead: TheoryProperty = {
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
  alignedEqualsFullGradientDescent,
  matrixPathWithinTolerance,
  alignedMatrixPath,
  monotoneComponents,
  stepCountsWithinBounds,
  enclosuresHold,
  plateausHold,
  intervalsOrdered,
  largerStayAhead,
];

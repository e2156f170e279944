import { initialFactors } from '../../core/engine/matrixPath';
import { runExperiment } from '../../core/engine/runExperiment';
import { recursionValues } from '../../core/engine/spectralPath';
import { singularValues } from '../../core/linalg/decompositions';
import { buildTarget } from '../../core/targets/buildTarget';
import { checkHypotheses } from '../../core/theory/hypotheses';
import { certifiedRankRange } from '../../core/theory/rankRanges';
import { alignedSpec, symmetricTwin } from '../arbitraries/alignedSpec';
import { fullMatrixGradientDescentFrom } from '../reference';
import { matrixPathTolerance } from '../../core/theory/float32Tolerance';
import { checkFloat32WithinTolerance } from './float32Tolerance';
import { fail, type TheoryProperty } from './types';

const FLOAT64 = 2 ** -53;

/** Theorem 2.2, float64: plain gradient descent from the aligned factors equals the recursion with λ = σ. */
export const alignedEqualsFullGradientDescent: TheoryProperty = {
  name: 'aligned-equals-full-gd',
  claim: 'From aligned init (random R_j) on a non-symmetric target, full-matrix gradient descent equals the scalar recursion on its singular values (Theorem 2.2), float64',
  arbitrary: () => alignedSpec({ maxN: 6, maxDepth: 4, maxSteps: 150 }),
  check(spec, { record }) {
    const target = buildTarget(spec);
    const sigma = recursionValues(spec, target)!;
    if (!checkHypotheses(spec, sigma).met) return 'hypothesis-not-met';
    const horizon = Math.min(spec.steps, 150);
    const model = matrixPathTolerance({ ...spec, steps: horizon }, sigma, [horizon], FLOAT64);
    const steps = Math.min(horizon, model.validThrough);
    if (steps < horizon) record('validFraction', steps / horizon);
    // Both sides round: the full products (the n×n model) and the scalar recursion (n = 1).
    const drift = (size: number) => matrixPathTolerance({ ...spec, n: size, steps }, sigma, [steps], FLOAT64).tolerance[0];
    // Plus the two SVDs this comparison takes and the symmetric one does not: Ŵ's (the recursion's
    // λ = σ, carried one-for-one where a component settles at it) and W(k)'s; a backward-stable SVD
    // is within n·u·‖·‖₂ of the exact values, u = 2⁻⁵³ (docs/theory.md Proposition 7.2's rounding model).
    const sigmaMax = Math.max(...Array.from(sigma, Math.abs));
    const tolerance = drift(spec.n) + drift(1) + 2 * spec.n * FLOAT64 * Math.max(sigmaMax, 1);
    const full = singularValues(fullMatrixGradientDescentFrom(target.matrix(), initialFactors(spec.init, spec.n, spec.depth, target), spec.stepSize, steps));
    const x = Float64Array.from(sigma, () => spec.init.alpha);
    for (let k = 0; k < steps; k++)
      for (let i = 0; i < x.length; i++) {
        const p = x[i] ** (spec.depth - 1);
        x[i] += spec.stepSize * p * (sigma[i] - p * x[i]);
      }
    const exact = Array.from(x, (w) => Math.abs(w ** spec.depth)).sort((a, b) => b - a);
    full.forEach((s, i) => {
      if (!(Math.abs(s - exact[i]) <= tolerance)) fail(`σ_${i + 1} after ${steps} steps: full GD ${s}, recursion ${exact[i]}, tolerance ${tolerance}`);
    });
    record('tolerance', tolerance);
    return 'passed';
  },
};

/**
 * Theorem 2.2 on the engine: the float32 matrix path from aligned init stays within the derived
 * tolerance of the spectral path; the predictions equal (within a step) those of the symmetric
 * target with the same singular values; and no certified prediction is contradicted by the
 * float32 run beyond its tolerance (the measure's certified range over σ ± tolerance meets the
 * ε-band at every logged step of the interval).
 */
export const alignedMatrixPath: TheoryProperty = {
  name: 'aligned-matrix-path',
  claim: 'Aligned init, non-symmetric target: the float32 matrix path within the tolerance of the spectral path (Proposition 7.2), predictions those of the symmetric target with the same σ (Theorem 2.2), none contradicted beyond the tolerance',
  arbitrary: () => alignedSpec({ maxN: 8, maxDepth: 4, maxSteps: 300 }),
  async check(spec, { record }) {
    const short = { ...spec, steps: Math.min(spec.steps, 300), log: { points: 40, scale: 'log' as const } };
    const target = buildTarget(short);
    const sigma = recursionValues(short, target)!;
    if (!checkHypotheses(short, sigma).met) return 'hypothesis-not-met';
    const exact = await runExperiment(short, { target });
    if (exact.engine.path !== 'spectral') fail(`aligned init took the ${exact.engine.path} path`);
    const float32 = await runExperiment({ ...short, engine: 'matrix' }, { target });
    const { tolerance, validThrough } = checkFloat32WithinTolerance(short, sigma, exact, float32, record);
    const twin = await runExperiment({ ...symmetricTwin(short), log: short.log });
    const a = exact.predicted.plateaus;
    const b = twin.predicted.plateaus;
    const near = (x: number, y: number) => Math.abs(x - y) <= 1;
    if (a.length !== b.length || a.some((p, i) => p.L !== b[i].L || !near(p.start, b[i].start) || !near(p.end, b[i].end)))
      fail(`predictions differ from the symmetric target's: ${JSON.stringify(a.map((p) => [p.L, p.start, p.end]))} against ${JSON.stringify(b.map((p) => [p.L, p.start, p.end]))}`);
    record('predictions', a.length);
    for (const p of a) {
      if (!p.hypothesesMet) fail(`L = ${p.L}: hypotheses hold but the prediction says they do not`);
      const reference = exact.targetEffectiveRanks[p.L - 1];
      float32.steps.forEach((k, t) => {
        if (k < p.start || k > p.end || k > validThrough) return;
        const row = float32.singularValues[t];
        const lo = Float64Array.from(row, (s) => Math.max(0, s - tolerance[t]));
        const hi = Float64Array.from(row, (s) => s + tolerance[t]);
        const range = certifiedRankRange(short.effectiveRank, { lo, hi, count: new Float64Array(row.length).fill(1) });
        if (range && (range.upper < reference - p.epsilon || range.lower > reference + p.epsilon))
          fail(`L = ${p.L}, step ${k} in [${p.start}, ${p.end}]: the float32 ${short.effectiveRank} rank range [${range.lower}, ${range.upper}] over σ ± ${tolerance[t]} misses ${reference} ± ${p.epsilon}`);
      });
    }
    return 'passed';
  },
};

import fc from 'fast-check';
import { parseSpec } from '../../core/spec/parseSpec';
import { effectiveRankMeasures, type ExperimentSpec } from '../../core/spec/schema';
import { ipow } from '../../core/theory/flowTime';
import { stepSizeBound } from '../../core/theory/hypotheses';
import { stepCountBounds } from '../../core/theory/stepCountBounds';

/** Constraints of `wideSpec`, with their defaults. */
export interface WideSpecConstraints {
  /** Smallest and largest n (default 5 and 120). */
  minN?: number;
  maxN?: number;
  /** Smallest and largest depth N (default 2 and 6). */
  minDepth?: number;
  maxDepth?: number;
  /** Largest number of simulated steps (default 200 000). */
  maxSteps?: number;
}

/**
 * Identity-initialized spectrum specs over a wider range than `theorySpec`, for the acceptance
 * figures of scripts/check-predictions.mjs: every measure, N 2–6, n 5–120, the factors' α 1e-4–0.6
 * (not the product's), zero and negative eigenvalues, near-ties, η up to 0.99 of the tightest of
 * (4.1), (4.5), (4.6), ε 0.02–0.3. Steps cover the learning of the smallest growing component,
 * capped at `maxSteps` (then the late runs are simply not simulated).
 */
export function wideSpec(constraints: WideSpecConstraints = {}): fc.Arbitrary<ExperimentSpec> {
  const { minN = 5, maxN = 120, minDepth = 2, maxDepth = 6, maxSteps = 200_000 } = constraints;
  return fc
    .record({
      n: fc.integer({ min: minN, max: maxN }),
      depth: fc.integer({ min: minDepth, max: maxDepth }),
      top: fc.double({ min: 1, max: 10, noNaN: true }),
      ratios: fc.array(fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0.2, max: 0.9, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 0.97, max: 0.999, noNaN: true }) }), { minLength: 0, maxLength: 6 }),
      negatives: fc.array(fc.double({ min: -5, max: -0.1, noNaN: true }), { maxLength: 3 }),
      logAlpha: fc.double({ min: Math.log10(1e-4), max: Math.log10(0.6), noNaN: true }),
      stepRatio: fc.double({ min: 0.1, max: 0.99, noNaN: true }),
      epsilon: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
      effectiveRank: fc.constantFrom(...effectiveRankMeasures),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map((c) => {
      const N = c.depth;
      const positives = [c.top];
      for (const r of c.ratios) positives.push(positives[positives.length - 1] * r);
      // The factors' α, lowered where needed so that the smallest eigenvalue still grows (λ > α^N).
      const alpha = Math.min(10 ** c.logAlpha, Math.pow(0.5 * positives[positives.length - 1], 1 / N));
      const eigenvalues = [...positives, ...c.negatives].slice(0, c.n);
      const mostNegative = Math.min(0, ...eigenvalues);
      const bound = Math.min(stepSizeBound(c.top, N), 1 / (ipow(alpha, N - 2) * (ipow(alpha, N) - mostNegative)));
      const stepSize = bound * c.stepRatio;
      const learn = stepCountBounds(positives[positives.length - 1], alpha, N, stepSize, 0.999).upper;
      const steps = Math.max(10, Math.min(maxSteps, Math.ceil(1.3 * (Number.isFinite(learn) ? learn : maxSteps))));
      return parseSpec({
        n: c.n,
        depth: N,
        target: { kind: 'spectrum', eigenvalues, seed: c.seed },
        init: { kind: 'identity', alpha },
        stepSize,
        steps,
        log: { every: 1 },
        epsilon: +c.epsilon.toFixed(3),
        effectiveRank: c.effectiveRank,
      });
    });
}

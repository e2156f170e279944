import fc from 'fast-check';
import { parseSpec } from '../../core/spec/parseSpec';
import { effectiveRankMeasures, type ExperimentSpec } from '../../core/spec/schema';
import { ipow } from '../../core/theory/flowTime';
import { stepCountBounds } from '../../core/theory/stepCountBounds';
import { stepSizeBound } from '../../core/theory/hypotheses';

/** Constraints of `theorySpec`, with their defaults. */
export interface TheorySpecConstraints {
  /** Smallest and largest n (default 2 and 200). */
  minN?: number;
  maxN?: number;
  /** Smallest and largest depth N (default 1 and 6). */
  minDepth?: number;
  maxDepth?: number;
  /** Largest number of simulated steps (default 150 000). */
  maxSteps?: number;
  /** Probability that the step size breaks the hypothesis (default 0.15). */
  breakProbability?: number;
}

/**
 * Identity-initialized specs with symmetric spectrum targets: distinct positive eigenvalues
 * with gaps or near-ties, zeros and negatives, depths 1…6, product initializations 1e-4…1e-1,
 * step sizes up to the bound (4.1) and, sometimes, beyond it, every effective-rank measure. Steps
 * cover the learning of the smallest growing component.
 */
export function theorySpec(constraints: TheorySpecConstraints = {}): fc.Arbitrary<ExperimentSpec> {
  const { minN = 2, maxN = 200, minDepth = 1, maxDepth = 6, maxSteps = 150_000, breakProbability = 0.15 } = constraints;
  return fc
    .record({
      n: fc.integer({ min: minN, max: maxN }),
      depth: fc.integer({ min: minDepth, max: maxDepth }),
      top: fc.double({ min: 1, max: 10, noNaN: true }),
      ratios: fc.array(fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0.2, max: 0.9, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 0.97, max: 0.999, noNaN: true }) }), { minLength: 0, maxLength: 5 }),
      negatives: fc.array(fc.double({ min: -5, max: -0.1, noNaN: true }), { maxLength: 3 }),
      logProductInit: fc.double({ min: -4, max: -1, noNaN: true }),
      stepRatio: fc.double({ min: 0.1, max: 1, noNaN: true }),
      // Weighted choice, not a biased number: fast-check skews integers towards small values.
      breaks: breakProbability > 0 ? fc.oneof({ weight: Math.round(1000 * breakProbability), arbitrary: fc.constant(true) }, { weight: 1000 - Math.round(1000 * breakProbability), arbitrary: fc.constant(false) }) : fc.constant(false),
      breakRatio: fc.double({ min: 1.05, max: 2.5, noNaN: true }),
      epsilon: fc.constantFrom(0.05, 0.1, 0.2),
      effectiveRank: fc.constantFrom(...effectiveRankMeasures),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map((c) => {
      const positives = [c.top];
      for (const r of c.ratios) positives.push(positives[positives.length - 1] * r);
      const eigenvalues = [...positives, ...c.negatives].slice(0, c.n);
      const N = c.depth;
      const productInit = Math.min(10 ** c.logProductInit, 0.5 * positives[positives.length - 1]);
      const alpha = N === 1 ? productInit : Math.pow(productInit, 1 / N);
      // The tightest of the hypotheses (4.1), (4.5), (4.6).
      let bound = stepSizeBound(c.top, N);
      const mostNegative = Math.min(0, ...eigenvalues, eigenvalues.length < c.n ? 0 : 0);
      if (N >= 2) bound = Math.min(bound, 1 / (ipow(alpha, N - 2) * (ipow(alpha, N) - mostNegative)));
      const stepSize = bound * (c.breaks ? c.breakRatio : c.stepRatio);
      const smallest = positives[positives.length - 1];
      const learn = stepCountBounds(smallest, alpha, N, Math.min(stepSize, bound), 0.999).upper;
      const steps = Math.max(10, Math.min(maxSteps, Math.ceil(1.3 * (Number.isFinite(learn) ? learn : maxSteps))));
      return parseSpec({
        n: c.n,
        depth: N,
        target: { kind: 'spectrum', eigenvalues, seed: c.seed },
        init: { kind: 'identity', alpha },
        stepSize,
        steps,
        log: { every: 1 },
        epsilon: c.epsilon,
        effectiveRank: c.effectiveRank,
      });
    });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../core/engine/runExperiment';
import { checkHypotheses } from '../core/theory/hypotheses';
import { specEigenvalues } from '../core/theory/predictPlateaus';
import { referenceSingularValues } from '../test/helpers/specs';
import { theorySpec } from './arbitraries/theorySpec';

// `dfl run`'s engine on identity-initialized symmetric specs it has never seen
// (n 5…200, N 1…6, zero and negative eigenvalues) agrees with an independent float64 recursion
// to 1e-6 relative to σ₁ at every logged step. (The float32 matrix path on the same kind of
// specs is the property `matrix-path-float32`.)
describe('runExperiment on the spectral path', () => {
  it('agrees with an independent float64 recursion at every logged step', async () => {
    await fc.assert(
      fc.asyncProperty(theorySpec({ minN: 5, maxN: 200, maxSteps: 20_000, breakProbability: 0 }), async (generated) => {
        const spec = { ...generated, log: { points: 200, scale: 'log' as const } };
        fc.pre(checkHypotheses(spec, specEigenvalues(spec)).met);
        const result = await runExperiment(spec);
        expect(result.engine.path).toBe('spectral');
        const target = spec.target as { eigenvalues: number[] };
        const expected = referenceSingularValues(target.eigenvalues, spec.n, spec.depth, spec.init.alpha, spec.stepSize, result.steps);
        result.singularValues.forEach((row, t) => {
          const scale = Math.max(expected[t][0], Number.MIN_VALUE);
          row.forEach((s, i) => expect(Math.abs(s - expected[t][i])).toBeLessThanOrEqual(1e-6 * scale));
        });
      }),
      { numRuns: 40, seed: 424242 },
    );
  });
});

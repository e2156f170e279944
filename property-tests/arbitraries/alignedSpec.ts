import fc from 'fast-check';
import { multiply, transpose, zeros } from '../../core/linalg/dense';
import { randomOrthogonal } from '../../core/linalg/decompositions';
import { createRng } from '../../core/random';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import { checkHypotheses } from '../../core/theory/hypotheses';
import { specEigenvalues } from '../../core/theory/predictPlateaus';
import { theorySpec, type TheorySpecConstraints } from './theorySpec';

/** Constraints of `alignedSpec`: those of `theorySpec` (defaults n ≤ 8, N 1…4, 300 steps). */
export type AlignedSpecConstraints = TheorySpecConstraints;

/**
 * Aligned initialization on a non-symmetric target (docs/theory.md Theorem 2.2): Ŵ = U diag(σ) Vᵀ
 * with Haar-random U and V, σ the absolute values of a `theorySpec` spectrum (zeros and near-ties
 * included), an inline matrix target; the factors' rotations R_j Haar-random from the init seed.
 * The step size is scaled under the hypotheses (4.1), (4.5), (4.6) for σ when the spectrum's
 * choice breaks them. `symmetricTwin` gives the spec with the same singular values as a spectrum
 * target and identity init (from the description, so a replayed counterexample keeps it).
 */
export function alignedSpec(constraints: AlignedSpecConstraints = {}): fc.Arbitrary<ExperimentSpec> {
  const { maxN = 8, maxDepth = 4, maxSteps = 300 } = constraints;
  return fc
    .record({
      base: theorySpec({ minN: 2, maxN, minDepth: 1, maxDepth, maxSteps, breakProbability: 0, ...constraints }),
      vectors: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      rotations: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ base, vectors, rotations }) => {
      const n = base.n;
      const sigma = Array.from(specEigenvalues(base)!, Math.abs).sort((a, b) => b - a);
      let symmetric = parseSpec({ ...base, init: { kind: 'identity', alpha: base.init.alpha }, target: { kind: 'spectrum', eigenvalues: sigma, seed: 1 } });
      const check = () => checkHypotheses(symmetric, specEigenvalues(symmetric));
      for (let i = 0; i < 40 && !check().met; i++) symmetric = { ...symmetric, stepSize: symmetric.stepSize * 0.7 };
      const rng = createRng(vectors);
      const u = randomOrthogonal(n, rng);
      const v = randomOrthogonal(n, rng);
      const us = zeros(n, n);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) us.data[r * n + c] = u.data[r * n + c] * sigma[c];
      const w = multiply(us, transpose(v));
      const data = Array.from({ length: n }, (_, r) => Array.from(w.data.subarray(r * n, (r + 1) * n)));
      return parseSpec({
        ...symmetric,
        description: `${PREFIX}${JSON.stringify(sigma)}`,
        target: { kind: 'matrix', data },
        init: { kind: 'aligned', alpha: base.init.alpha, seed: rotations },
      });
    });
}

const PREFIX = 'U diag(σ) Vᵀ, Haar-random U and V, σ = ';

/** The identity-init spectrum spec with the singular values an `alignedSpec` was built from. */
export function symmetricTwin(spec: ExperimentSpec): ExperimentSpec {
  if (!spec.description?.startsWith(PREFIX)) throw new Error('not an alignedSpec');
  const sigma = JSON.parse(spec.description.slice(PREFIX.length)) as number[];
  return parseSpec({ ...spec, description: undefined, target: { kind: 'spectrum', eigenvalues: sigma, seed: 1 }, init: { kind: 'identity', alpha: spec.init.alpha } });
}

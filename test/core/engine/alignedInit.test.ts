import { describe, expect, it } from 'vitest';
import { initialFactors } from '../../../core/engine/matrixPath';
import { runExperiment, selectPath } from '../../../core/engine/runExperiment';
import { singularBasis } from '../../../core/engine/reference';
import { multiply, transpose } from '../../../core/linalg/dense';
import { parseSpec } from '../../../core/spec/parseSpec';
import { buildTarget } from '../../../core/targets/buildTarget';

// Aligned initialization (docs/theory.md Theorem 2.2) on a non-symmetric target.
const data = [
  [3, 1, 0, 0.5],
  [0, 2, 1, 0],
  [0.2, 0, 1.5, 0],
  [1, 0, 0, 0.1],
];
const spec = parseSpec({ n: 4, depth: 3, target: { kind: 'matrix', data }, init: { kind: 'aligned', alpha: 0.3, seed: 7 }, stepSize: 0.01, steps: 400, log: { every: 1 }, effectiveRank: 'nuclear', epsilon: 0.1 });

describe('aligned initialization', () => {
  it('starts from W(0) = α^N U Vᵀ and takes the spectral path on a non-symmetric target', () => {
    const target = buildTarget(spec);
    expect(target.eigenvalues).toBeUndefined();
    expect(selectPath(spec, target)).toBe('spectral');
    const factors = initialFactors(spec.init, 4, 3, target);
    const product = multiply(factors[2], multiply(factors[1], factors[0]));
    const { left, right } = singularBasis(target);
    const expected = multiply(left(), transpose(right()));
    product.data.forEach((x, i) => expect(x).toBeCloseTo(0.027 * expected.data[i], 14));
  });

  it('predicts from the singular values: the same intervals as the symmetric target with those values, all with hypothesesMet', async () => {
    const aligned = await runExperiment(spec, { yieldToHost: async () => undefined });
    const sigma = singularBasis(buildTarget(spec)).values;
    const symmetric = await runExperiment({ ...spec, target: { kind: 'spectrum', eigenvalues: Array.from(sigma), seed: 1 }, init: { kind: 'identity', alpha: 0.3 } }, { yieldToHost: async () => undefined });
    expect(aligned.predicted.plateaus.length).toBeGreaterThan(0);
    expect(aligned.predicted.plateaus.every((p) => p.hypothesesMet)).toBe(true);
    expect(aligned.predicted.plateaus).toEqual(symmetric.predicted.plateaus);
    aligned.singularValues.forEach((row, t) => row.forEach((s, i) => expect(s).toBeCloseTo(symmetric.singularValues[t][i], 12)));
  });
});

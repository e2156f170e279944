import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absDescending } from '../../../core/engine/spectralPath';
import { runExperiment } from '../../../core/engine/runExperiment';
import { singularValues } from '../../../core/linalg/decompositions';
import { buildTarget } from '../../../core/targets/buildTarget';
import { fullMatrixGradientDescent, referenceSingularValues, spectrumSpec } from '../../helpers/specs';


describe('spectral path', () => {
  it('equals full-matrix float64 gradient descent (docs/theory.md §6 claim 1)', async () => {
    const spec = spectrumSpec({ n: 6, depth: 3, eigenvalues: [3, 2, 1, -0.5], stepSize: 0.01, steps: 300, log: { every: 300 } });
    const result = await runExperiment(spec);
    const full = fullMatrixGradientDescent(buildTarget(spec).matrix(), 3, 0.1, 0.01, 300);
    const expected = singularValues(full);
    result.singularValues[1].forEach((s, i) => expect(Math.abs(s - expected[i])).toBeLessThan(1e-12));
  });

  it('agrees with an independent float64 recursion at every logged step', async () => {
    const spec = spectrumSpec({ n: 30, depth: 4, eigenvalues: [5, 4, 2, 0, -1, 0.3], init: { kind: 'identity', alpha: 0.3 }, stepSize: 0.005, steps: 3000 });
    const result = await runExperiment(spec);
    const expected = referenceSingularValues([5, 4, 2, 0, -1, 0.3], 30, 4, 0.3, 0.005, result.steps);
    result.singularValues.forEach((row, t) => row.forEach((s, i) => expect(Math.abs(s - expected[t][i])).toBeLessThan(1e-12 * 5)));
  });

  it('learns the positive part for N ≥ 2 and the whole target for N = 1', async () => {
    const deep = await runExperiment(spectrumSpec({ n: 4, depth: 2, eigenvalues: [2, -1], init: { kind: 'identity', alpha: 0.5 }, stepSize: 0.05, steps: 4000 }));
    expect(deep.singularValues.at(-1)![0]).toBeCloseTo(2, 6);
    expect(deep.singularValues.at(-1)![1]).toBeLessThan(0.05);
    const shallow = await runExperiment(spectrumSpec({ n: 4, depth: 1, eigenvalues: [2, -1], init: { kind: 'identity', alpha: 0.5 }, stepSize: 0.05, steps: 4000 }));
    expect(shallow.singularValues.at(-1)!.slice(0, 2)).toEqual([expect.closeTo(2, 6), expect.closeTo(1, 6)]);
  });

  it('records loss, distances to Ŵ_L and their consistency', async () => {
    const result = await runExperiment(spectrumSpec({ steps: 3000, log: { every: 100 } }));
    const last = result.distanceToBestRank.at(-1)!;
    expect(result.targetEffectiveRanks).toHaveLength(4);
    // At the end W ≈ Ŵ = Ŵ_4, so ‖W − Ŵ_4‖ ≈ √(2·loss) and ‖W − Ŵ_1‖ ≈ ‖(6, 3, 1.5)‖.
    expect(last[3]).toBeCloseTo(Math.sqrt(2 * result.loss.at(-1)!), 10);
    expect(last[0]).toBeCloseTo(Math.hypot(6, 3, 1.5), 2);
  });
});

describe('absDescending', () => {
  it('is |x| sorted descending, the array of Float64Array.from(x, Math.abs).sort().reverse()', () => {
    const reference = (x: Float64Array) => Float64Array.from(x, Math.abs).sort().reverse();
    fc.assert(
      fc.property(fc.float64Array({ maxLength: 80 }), (x) => {
        expect(absDescending(x)).toEqual(reference(x));
      }),
      { seed: 7, numRuns: 500 },
    );
    // Almost sorted, the case it is fast for, with ties and signed zeros.
    const x = Float64Array.from([4, -3.5, 3.5, 0, -0, 1e-300, -2, 2]);
    expect(Array.from(absDescending(x))).toEqual(Array.from(reference(x)));
  });
});

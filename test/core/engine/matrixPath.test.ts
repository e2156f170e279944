import { describe, expect, it } from 'vitest';
import { runExperiment, selectPath } from '../../../core/engine/runExperiment';
import { InputError } from '../../../core/errors';
import { parseSpec } from '../../../core/spec/parseSpec';
import { buildTarget } from '../../../core/targets/buildTarget';
import { matrixPathTolerance } from '../../../core/theory/float32Tolerance';
import { expectNoTensorLeak, nodeBackends, withBackend } from '../../helpers/backends';
import { spectrumSpec } from '../../helpers/specs';

describe.each(nodeBackends)('matrix path on %s', (backend) => {
  it('matches the exact spectral path within the derived float32 tolerance', () =>
    withBackend(backend, async (accelerators) => {
      const spec = spectrumSpec({ n: 12, depth: 3, eigenvalues: [4, 2, 1, 0.5], stepSize: 0.01, steps: 800, log: { points: 40 } });
      const exact = await runExperiment(spec, { accelerators });
      const float32 = await runExperiment({ ...spec, engine: 'matrix' }, { accelerators });
      expect(float32.engine).toEqual({ path: 'matrix', backend, precision: 'float32', blas: backend === 'native' ? expect.stringMatching(/^(OpenBLAS|builtin C kernel)/) : `none (tfjs ${backend})`, lapack: expect.stringMatching(/^(LAPACK dgesdd|none \(TypeScript)/) });
      expect(float32.steps).toEqual(exact.steps);
      const { tolerance, validThrough } = matrixPathTolerance(spec, buildTarget(spec).eigenvalues!, exact.steps);
      expect(validThrough).toBe(spec.steps);
      exact.singularValues.forEach((row, t) =>
        row.forEach((s, i) => expect(Math.abs(s - float32.singularValues[t][i])).toBeLessThanOrEqual(tolerance[t])),
      );
      // The tolerance is not vacuous: it stays far below the values it guards.
      expect(Math.max(...tolerance)).toBeLessThan(1e-2 * 4);
    }));

  it('with a negative eigenvalue, matches within the tolerance while its model is valid', () =>
    withBackend(backend, async (accelerators) => {
      const spec = spectrumSpec({ n: 12, depth: 3, eigenvalues: [4, 2, 1, -1], stepSize: 0.01, steps: 800, log: { points: 40 } });
      const exact = await runExperiment(spec, { accelerators });
      const float32 = await runExperiment({ ...spec, engine: 'matrix' }, { accelerators });
      const { tolerance, validThrough } = matrixPathTolerance(spec, buildTarget(spec).eigenvalues!, exact.steps);
      expect(validThrough).toBeGreaterThan(100);
      const checked = exact.steps.filter((k) => k <= validThrough).length;
      expect(checked).toBeGreaterThan(20);
      for (let t = 0; t < checked; t++)
        exact.singularValues[t].forEach((s, i) => expect(Math.abs(s - float32.singularValues[t][i])).toBeLessThanOrEqual(tolerance[t]));
    }));

  it.each([
    ['identity init, N = 1', { depth: 1, init: { kind: 'identity', alpha: 0.1 }, engine: 'matrix' }],
    ['gaussian init', { init: { kind: 'gaussian', alpha: 0.1, seed: 2 } }],
    ['orthogonal init', { init: { kind: 'orthogonal', alpha: 0.1, seed: 2 } }],
    ['matrix sensing', { init: { kind: 'gaussian', alpha: 0.1, seed: 2 }, problem: { kind: 'sensing', measurements: 60, seed: 3 } }],
    ['matrix completion', { init: { kind: 'gaussian', alpha: 0.1, seed: 2 }, problem: { kind: 'completion', observed: 0.5, seed: 3 } }],
  ])('runs %s without leaking tensors and lowers the loss', (_, overrides) =>
    withBackend(backend, (accelerators) =>
      expectNoTensorLeak(async () => {
        const spec = parseSpec({ n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [2, 1], seed: 1 }, stepSize: 0.05, steps: 300, log: { every: 50 }, ...overrides });
        const result = await runExperiment(spec, { accelerators });
        expect(result.engine.path).toBe('matrix');
        expect(result.stopped.kind).toBe('completed');
        expect(result.loss.at(-1)!).toBeLessThan(0.5 * result.loss[0]);
      }),
    ),
  );

  it('stops a diverging run with the trajectory kept', () =>
    withBackend(backend, (accelerators) =>
      expectNoTensorLeak(async () => {
        const result = await runExperiment(spectrumSpec({ n: 6, engine: 'matrix', stepSize: 1, steps: 500, log: { every: 1 } }), { accelerators });
        expect(result.stopped.kind).toBe('diverged');
        expect(result.stopped.reason).toMatch(/loss .* above the bound/);
        expect(result.steps.length).toBeGreaterThan(0);
        expect(result.steps.at(-1)!).toBeLessThan(result.stopped.step + 1);
        expect(result.singularValues.flat().every(Number.isFinite)).toBe(true);
      }),
    ),
  );
});

describe('runExperiment', () => {
  it('diverges on the spectral path too, keeping the trajectory', async () => {
    const result = await runExperiment(spectrumSpec({ stepSize: 0.5, steps: 2000 }));
    expect(result.stopped.kind).toBe('diverged');
    expect(result.stopped.reason).toContain('above the bound');
    expect(result.steps.length).toBeGreaterThan(1);
  });

  it('can be cancelled, keeping what was recorded', async () => {
    const controller = new AbortController();
    let progressCalls = 0;
    const result = await runExperiment(spectrumSpec({ n: 2000, steps: 200_000, log: { every: 1000 } }), {
      signal: controller.signal,
      chunkMilliseconds: 1,
      onProgress: () => {
        if (++progressCalls === 3) controller.abort();
      },
    });
    expect(result.stopped.kind).toBe('cancelled');
    expect(result.stopped.step).toBeLessThan(200_000);
    expect(result.steps.length).toBeGreaterThan(0);
  });

  it('streams each logged point as it is recorded', async () => {
    const points: number[] = [];
    const result = await runExperiment(spectrumSpec({ steps: 100, log: { every: 10 } }), { onPoint: (p) => points.push(p.step) });
    expect(points).toEqual(result.steps);
  });

  it('takes the spectral path only where it is exact', () => {
    const spec = spectrumSpec();
    expect(selectPath(spec, buildTarget(spec))).toBe('spectral');
    const gaussian = spectrumSpec({ init: { kind: 'gaussian', alpha: 0.1, seed: 1 } });
    expect(selectPath(gaussian, buildTarget(gaussian))).toBe('matrix');
    const forced = spectrumSpec({ engine: 'spectral', init: { kind: 'gaussian', alpha: 0.1, seed: 1 } });
    expect(() => selectPath(forced, buildTarget(forced))).toThrow(InputError);
    // Known from the spec alone, so refused when it is parsed, before any target is built.
    expect(() => spectrumSpec({ n: 5000, engine: 'matrix' })).toThrow(/too large for the matrix path/);
  });
});

describe('float32 tolerance model', () => {
  it('declares itself invalid where a negative eigenvalue makes the balanced path a saddle', () => {
    // λ = −5 makes the imbalance modes grow by 1 + ηw^{N−2}(w^N + 5) per step (Remark 7.3).
    const spec = spectrumSpec({ n: 7, depth: 4, eigenvalues: [1, 0.98, 0.2, -5], init: { kind: 'identity', alpha: 0.56 }, stepSize: 0.25, steps: 108 });
    const { validThrough } = matrixPathTolerance(spec, buildTarget(spec).eigenvalues!, [0, 108]);
    expect(validThrough).toBeLessThan(108);
    const tame = spectrumSpec({ n: 7, depth: 4, eigenvalues: [1, 0.98, 0.2], init: { kind: 'identity', alpha: 0.56 }, stepSize: 0.25, steps: 108 });
    expect(matrixPathTolerance(tame, buildTarget(tame).eigenvalues!, [0, 108]).validThrough).toBe(108);
  });
});

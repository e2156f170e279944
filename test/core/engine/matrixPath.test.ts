import { describe, expect, it } from 'vitest';
import { initialFactors, problemData } from '../../../core/engine/matrixPath';
import { runExperiment, selectPath } from '../../../core/engine/runExperiment';
import { InputError } from '../../../core/errors';
import { zeros, type DenseMatrix } from '../../../core/linalg/dense';
import { parseSpec } from '../../../core/spec/parseSpec';
import { buildTarget } from '../../../core/targets/buildTarget';
import type { Target } from '../../../core/targets/target';
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

// The module's own pieces, on the tfjs cpu backend: the initial factors of docs/theory.md §1 and
// Theorem 2.2, the problems' data, and one step of (1.2) checked by hand.

/** Plain float64 row-major products, written here so that no product of core checks core. */
function mul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const n = a.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) out[i * n + j] += a.data[i * n + l] * b.data[l * n + j];
  return { rows: n, cols: n, data: out };
}
const tr = (a: DenseMatrix): DenseMatrix => ({ rows: a.cols, cols: a.rows, data: Float64Array.from({ length: a.data.length }, (_, e) => a.data[(e % a.rows) * a.cols + Math.floor(e / a.rows)]) });
const scaled = (a: DenseMatrix, s: number): DenseMatrix => ({ ...a, data: a.data.map((x) => x * s) });
const distanceToIdentity = (a: DenseMatrix) => Math.max(...Array.from(a.data, (x, e) => Math.abs(x - (e % (a.cols + 1) === 0 ? 1 : 0))));

describe('initialFactors', () => {
  it('identity: N copies of αI', () => {
    const factors = initialFactors({ kind: 'identity', alpha: 0.3 }, 3, 4);
    expect(factors).toHaveLength(4);
    for (const f of factors) expect(Array.from(f.data)).toEqual([0.3, 0, 0, 0, 0.3, 0, 0, 0, 0.3]);
  });

  it('gaussian: entries of standard deviation α/√n, the same for the same seed', () => {
    const n = 40;
    const factors = initialFactors({ kind: 'gaussian', alpha: 2, seed: 5 }, n, 2);
    const all = factors.flatMap((f) => Array.from(f.data));
    const sd = Math.sqrt(all.reduce((s, x) => s + x * x, 0) / all.length);
    // 3200 draws: the sample standard deviation is within ~2.5 % of α/√n at 2σ; 5 % is allowed.
    expect(Math.abs(sd / (2 / Math.sqrt(n)) - 1)).toBeLessThan(0.05);
    expect(initialFactors({ kind: 'gaussian', alpha: 2, seed: 5 }, n, 2)[1].data).toEqual(factors[1].data);
    expect(initialFactors({ kind: 'gaussian', alpha: 2, seed: 6 }, n, 2)[1].data).not.toEqual(factors[1].data);
  });

  it('orthogonal: each factor is α times an orthogonal matrix, and they differ', () => {
    const alpha = 0.5;
    const factors = initialFactors({ kind: 'orthogonal', alpha, seed: 1 }, 5, 3);
    for (const f of factors) expect(distanceToIdentity(scaled(mul(tr(f), f), 1 / alpha ** 2))).toBeLessThan(1e-14);
    expect(Math.max(...Array.from(factors[0].data, (x, e) => Math.abs(x - factors[1].data[e])))).toBeGreaterThan(0.1);
  });

  it('aligned: W₁ = αVᵀ, W_j = αI between, W_N = αU, so W(0) = α^N·UVᵀ, the polar factor of Ŵ (Theorem 2.2)', () => {
    const target = buildTarget({ n: 3, target: { kind: 'matrix', data: [[2, 1, 0], [0, 1, 3], [1, 0, 1]] } });
    expect(target.eigenvalues).toBeUndefined();
    const alpha = 0.5;
    const factors = initialFactors({ kind: 'aligned', alpha }, 3, 3, target);
    expect(distanceToIdentity(scaled(factors[1], 1 / alpha))).toBe(0);
    const product = scaled(mul(factors[2], mul(factors[1], factors[0])), 1 / alpha ** 3);
    // Ŵ = (UVᵀ)(VΣVᵀ): UVᵀ is orthogonal and (UVᵀ)ᵀŴ = VΣVᵀ symmetric positive definite, which
    // fixes UVᵀ for an invertible Ŵ.
    expect(distanceToIdentity(mul(tr(product), product))).toBeLessThan(1e-13);
    const p = mul(tr(product), target.matrix());
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(p.data[i * 3 + j]).toBeCloseTo(p.data[j * 3 + i], 12);
    for (let i = 0; i < 3; i++) expect(p.data[i * 4]).toBeGreaterThan(0);
    expect(() => initialFactors({ kind: 'aligned', alpha }, 3, 3)).toThrow(/needs the target/);
  });
});

describe('problemData', () => {
  const target = buildTarget(spectrumSpec({ n: 30 }));

  it('estimation: Ŵ in float32', () => {
    const data = problemData({ kind: 'estimation' }, target);
    expect(data).toEqual({ kind: 'estimation', hat: Float32Array.from(target.matrix().data) });
  });

  it('completion: a 0/1 mask observing about the requested fraction, fixed by the seed', () => {
    const data = problemData({ kind: 'completion', observed: 0.3, seed: 4 }, target);
    if (data.kind !== 'completion') throw new Error('not completion');
    expect(data.mask.every((x) => x === 0 || x === 1)).toBe(true);
    // 900 Bernoulli(0.3) draws: standard deviation 0.015 of the fraction; 4σ allowed.
    const fraction = data.mask.reduce((s, x) => s + x, 0) / data.mask.length;
    expect(Math.abs(fraction - 0.3)).toBeLessThan(0.06);
    expect(problemData({ kind: 'completion', observed: 0.3, seed: 4 }, target)).toEqual(data);
    const all = problemData({ kind: 'completion', observed: 1, seed: 4 }, target);
    expect(all.kind === 'completion' && all.mask.every((x) => x === 1)).toBe(true);
  });

  it('sensing: m rows of n² Gaussian entries of variance 1/m, and a refusal past the operator limit', () => {
    const data = problemData({ kind: 'sensing', measurements: 50, seed: 2 }, target);
    if (data.kind !== 'sensing') throw new Error('not sensing');
    expect(data.operator).toHaveLength(50 * 900);
    expect(data.measurements).toBe(50);
    // 45 000 draws: the sample variance is within ~1 % of 1/m; 5 % is allowed.
    const variance = data.operator.reduce((s, x) => s + x * x, 0) / data.operator.length;
    expect(Math.abs(variance * 50 - 1)).toBeLessThan(0.05);
    // A stand-in 1000×1000 zero target (a spectrum target that size takes seconds to build):
    // 68 measurements need 6.8e7 operator entries, past MAX_SENSING_ENTRIES = 2²⁶ ≈ 6.7e7.
    const big: Target = { n: 1000, matrix: () => zeros(1000, 1000), eigenvalues: undefined, eigenvectors: () => zeros(1000, 1000), description: 'zeros' };
    expect(() => problemData({ kind: 'sensing', measurements: 68, seed: 2 }, big)).toThrow(/limit 67108864/);
    expect(problemData({ kind: 'sensing', measurements: 1, seed: 2 }, big).kind).toBe('sensing');
  });
});

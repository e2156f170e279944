import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamics, engineLibraries, recordExperiment, runExperiment, stableStepHint } from '../../../core/engine/runExperiment';
import { rankReferences } from '../../../core/engine/reference';
import type { Blas, SingularValueRoutine } from '../../../core/linalg/accelerators';
import { runResultSchema } from '../../../core/result';
import { buildTarget } from '../../../core/targets/buildTarget';
import { useNodeBackend } from '../../../node/platform';
import { referenceSingularValues, spectrumSpec } from '../../helpers/specs';

// Small runs end to end: what a result holds, at which steps, how a run stops, and that a spec
// gives the same numbers each time. The matrix path runs on the tfjs cpu backend here; its
// agreement with the exact path on every backend is test/core/engine/matrixPath.test.ts.

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const stubBlas: Blas = { description: 'stub BLAS, 1 thread', sgemm: () => undefined, sgemv: () => undefined };
const stubSvd: SingularValueRoutine = { description: 'stub LAPACK', singularValues: () => false };

describe('runExperiment', () => {
  it('records a small spectral run: the result’s shape, its logged steps, and the singular values of the scalar recursion (2.1)', async () => {
    const spec = spectrumSpec({ n: 6, depth: 3, eigenvalues: [2, 1, 0.5], stepSize: 0.05, steps: 100, log: { every: 10 } });
    const result = await runExperiment(spec);
    expect(runResultSchema.safeParse(result).success).toBe(true);
    expect(result.engine).toEqual({ path: 'spectral', backend: 'float64', precision: 'float64', ...engineLibraries('spectral', 'float64') });
    expect(result.steps).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(result.stopped).toEqual({ kind: 'completed', reason: 'all steps done', step: 100 });
    expect(result.loss).toHaveLength(11);
    expect(result.singularValues.every((row) => row.length === 6)).toBe(true);
    expect(result.target.singularValues).toEqual([2, 1, 0.5, 0, 0, 0]);
    // An independent float64 recursion (test/helpers/specs.ts) gives the same values.
    const expected = referenceSingularValues([2, 1, 0.5], 6, 3, 0.1, 0.05, result.steps);
    result.singularValues.forEach((row, t) => row.forEach((s, i) => expect(Math.abs(s - expected[t][i])).toBeLessThan(1e-12)));
    // ½‖W − Ŵ‖² = ½Σ(w_i³ − λ_i)² in the eigenbasis: at step 0, w = α = 0.1.
    expect(result.loss[0]).toBeCloseTo(0.5 * [2, 1, 0.5, 0, 0, 0].reduce((s, l) => s + (0.001 - l) ** 2, 0), 12);
    expect(result.loss.at(-1)!).toBeLessThan(result.loss[0]);
  });

  it('logs the steps of `points`, linear or logarithmic, always with 0 and the last', async () => {
    const linear = await runExperiment(spectrumSpec({ n: 4, steps: 100, log: { points: 5, scale: 'linear' } }));
    expect(linear.steps).toEqual([0, 25, 50, 75, 100]);
    const log = await runExperiment(spectrumSpec({ n: 4, steps: 1000, log: { points: 4 } }));
    // Geometric from 1 to 1000 over 2 intervals: 1, √1000 ≈ 32, then the last step.
    expect(log.steps).toEqual([0, 1, 32, 1000]);
  });

  it('reports divergence for a huge step size, keeping the steps before it, with the step-size bound (4.1) in the reason', async () => {
    const spec = spectrumSpec({ n: 4, depth: 2, eigenvalues: [10], init: { kind: 'identity', alpha: 1 }, stepSize: 1, steps: 200, log: { every: 1 } });
    const result = await runExperiment(spec);
    expect(result.stopped.kind).toBe('diverged');
    // (4.1): η ≤ 1/(N λ_max^{2−2/N}) = 1/(2·10) = 0.05.
    expect(result.stopped.reason).toContain('step size 1 is above the bound 0.0500');
    expect(result.stopped.step).toBeLessThan(200);
    expect(result.steps.at(-1)!).toBeLessThan(result.stopped.step);
    expect(result.loss.every(Number.isFinite)).toBe(true);
  });

  it('gives the same result for the same seed (matrix path, Gaussian init) and another for another seed', async () => {
    const spec = (seed: number) => spectrumSpec({ n: 5, depth: 2, eigenvalues: [1, 0.5], init: { kind: 'gaussian', alpha: 0.3, seed }, stepSize: 0.1, steps: 60, log: { every: 20 } });
    const strip = ({ elapsedSeconds: _, ...rest }: Awaited<ReturnType<typeof runExperiment>>) => rest;
    const a = await runExperiment(spec(4));
    const b = await runExperiment(spec(4));
    expect(a.engine.path).toBe('matrix');
    expect(strip(a)).toEqual(strip(b));
    const c = await runExperiment(spec(5));
    expect(c.loss[0]).not.toBe(a.loss[0]);
  });

  it('keeps the requested snapshots: W(k) at those steps, whose singular values are the logged ones', async () => {
    const spec = spectrumSpec({ n: 4, depth: 2, eigenvalues: [2, 1], stepSize: 0.1, steps: 50, log: { every: 25 }, record: { snapshots: [10, 25] } });
    const result = await runExperiment(spec);
    // Requested steps join the schedule.
    expect(result.steps).toEqual([0, 10, 25, 50]);
    expect(result.snapshots!.steps).toEqual([10, 25]);
    expect(result.snapshots!.reasons).toEqual(['requested', 'requested']);
    // Identity init on a symmetric Ŵ keeps W(k) symmetric positive semidefinite: its trace is the
    // sum of its singular values.
    result.snapshots!.matrices.forEach((m, i) => {
      const trace = m.reduce((s, row, r) => s + row[r], 0);
      const t = result.steps.indexOf(result.snapshots!.steps[i]);
      expect(trace).toBeCloseTo(result.singularValues[t].reduce((s, x) => s + x, 0), 12);
    });
    expect(result.snapshots!.bestRank.map((b) => b.L)).toEqual([1, 2]);
  });

  it('reports progress with steps that only grow, up to the last', async () => {
    const seen: number[] = [];
    await runExperiment(spectrumSpec({ n: 4, steps: 300, log: { every: 100 } }), { onProgress: (p) => seen.push(p.step), chunkMilliseconds: 0 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s, i) => i === 0 || s >= seen[i - 1])).toBe(true);
    expect(seen.at(-1)).toBe(300);
  });
});

describe('recordExperiment', () => {
  it('holds the same trajectory in its columns as runExperiment’s result', async () => {
    const spec = spectrumSpec({ n: 4, steps: 40, log: { every: 10 } });
    const { head, trajectory } = await recordExperiment(spec);
    const result = await runExperiment(spec);
    expect(Array.from(trajectory.steps)).toEqual(result.steps);
    expect(head.stopped).toEqual(result.stopped);
    expect(head.engine).toEqual(result.engine);
  });
});

describe('engineLibraries', () => {
  it('names what ran the products and the singular values', () => {
    expect(engineLibraries('spectral', 'float64', { blas: stubBlas })).toEqual({ blas: 'none (spectral path: O(n) per step)', lapack: 'none (spectral path: closed form)' });
    expect(engineLibraries('matrix', 'native', { blas: stubBlas, singularValues: stubSvd })).toEqual({ blas: 'stub BLAS, 1 thread', lapack: 'stub LAPACK' });
    expect(engineLibraries('matrix', 'cpu', { blas: stubBlas })).toEqual({ blas: 'none (tfjs cpu)', lapack: 'none (TypeScript Householder bidiagonalization)' });
  });
});

describe('stableStepHint', () => {
  it('cites the bound (4.1) only when the step size is above it and the top eigenvalue is positive', () => {
    const spec = (stepSize: number, eigenvalues: number[]) => spectrumSpec({ depth: 4, eigenvalues, stepSize });
    // 1/(N λ^{2−2/N}) with N = 4, λ = 16: 1/(4·16^{1.5}) = 1/256.
    const above = spec(0.005, [16]);
    expect(stableStepHint(above, buildTarget(above))).toBe(' (step size 0.005 is above the bound 0.00391 of docs/theory.md (4.1))');
    const below = spec(0.003, [16]);
    expect(stableStepHint(below, buildTarget(below))).toBe('');
    const negative = spec(0.5, [-2]);
    expect(stableStepHint(negative, buildTarget(negative))).toBe('');
  });
});

describe('createDynamics', () => {
  it('takes the spectral path, the BLAS passed in, or tfjs', async () => {
    const spectral = spectrumSpec({ n: 4 });
    const target = buildTarget(spectral);
    const refs = rankReferences(target, spectral.effectiveRank);
    expect((await createDynamics(spectral, target, refs)).path).toBe('spectral');
    const matrix = { ...spectral, engine: 'matrix' as const };
    const native = await createDynamics(matrix, target, refs, { blas: stubBlas });
    expect([native.path, native.backend]).toEqual(['matrix', 'native']);
    const tfjs = await createDynamics(matrix, target, refs);
    expect([tfjs.path, tfjs.backend]).toEqual(['matrix', 'cpu']);
    tfjs.dispose();
  });
});

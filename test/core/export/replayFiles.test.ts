import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { InputError } from '../../../core/errors';
import { parseReplayableResult, replayFiles } from '../../../core/export/replayFiles';
import type { RunResult } from '../../../core/result';
import type { ExperimentSpecInput } from '../../../core/spec/schema';
import { parseNpy } from '../../../core/targets/files/npy';
import { withBackend } from '../../helpers/backends';
import { readF8Npy, toRows } from '../../helpers/npyArrays';
import { tinyRun, tinySpec } from '../../helpers/tinyRuns';

// The replay export of docs/replay.md: from the files alone, W(0) = W_N ⋯ W_1 (W1.npy first) and
// the loss of the problem (½‖W − Ŵ‖², ½‖mask ∘ (W − Ŵ)‖² or ½‖A(W) − A(Ŵ)‖²) must give back the
// loss the run logged at step 0. The matrix-path runs use tfjs's cpu backend, float32.

let estimation: RunResult;
beforeAll(async () => {
  estimation = await tinyRun({ record: { snapshots: [0, 24] } });
});

/** A run on the matrix path (tfjs cpu backend). */
function matrixRun(overrides: Partial<ExperimentSpecInput>): Promise<RunResult> {
  return withBackend('cpu', (accelerators) => runExperiment(tinySpec({ steps: 20, log: { points: 4 }, engine: 'matrix', ...overrides }), { accelerators, yieldToHost: async () => undefined }));
}

type Square = number[][];
const matrix = (files: Map<string, Uint8Array>, name: string): Square => {
  const m = parseNpy(files.get(name)!, name);
  return toRows(Array.from(m.data), m.cols);
};
const product = (a: Square, b: Square): Square => a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
/** W(0) = W_N ⋯ W_1 from the listed files, W1.npy applied first. */
const initialProduct = (files: Map<string, Uint8Array>, names: string[]) => names.map((name) => matrix(files, name)).reduce((w, factor) => product(factor, w));
const half = (values: number[]) => 0.5 * values.reduce((s, x) => s + x * x, 0);

describe('parseReplayableResult', () => {
  it('returns the result of a valid file', () => {
    expect(parseReplayableResult(JSON.parse(JSON.stringify(estimation)), 'run.json')).toEqual(estimation);
  });

  it('refuses a trajectory that cannot be replayed, naming the file and the field', () => {
    const bad = (edit: (r: RunResult) => void) => {
      const copy = JSON.parse(JSON.stringify(estimation)) as RunResult;
      edit(copy);
      return () => parseReplayableResult(copy, 'run.json');
    };
    expect(bad((r) => r.singularValues.pop())).toThrow(InputError);
    expect(bad((r) => r.singularValues.pop())).toThrow(/^run\.json: .*singularValues/);
    expect(bad((r) => r.singularValues[3].pop())).toThrow(/singularValues\[3\]/);
    expect(bad((r) => (r.steps[2] = r.steps[1]))).toThrow(/steps.*increase/);
    expect(() => parseReplayableResult([], 'run.json')).toThrow(/run\.json: not a dfl result/);
  });
});

describe('replayFiles', () => {
  it('exports an estimation run: target, one file per factor, steps and singular values, no operator or mask', () => {
    const { index, files } = replayFiles(estimation, {});
    expect(index.files.target).toBe('target.npy');
    expect(index.files.initialFactors).toEqual(['W1.npy', 'W2.npy']);
    expect(index.files.operator).toBeUndefined();
    expect(index.files.mask).toBeUndefined();
    expect(index.spec).toEqual(estimation.spec);
    expect(index.engine).toEqual(estimation.engine);
    for (const name of [index.files.target, ...index.files.initialFactors, index.files.steps, index.files.singularValues, index.files.snapshots!, index.files.snapshotSteps!])
      expect(files.has(name), name).toBe(true);
    // The series files come along, named in the same index.
    expect(files.has(index.series.loss)).toBe(true);
    expect(index.measure).toBe('entropy');
  });

  it('writes the target the run used: symmetric, with eigenvalues 3, 1, 0 (trace 4, ‖Ŵ‖_F² 10, tr Ŵ³ 28)', () => {
    const { files } = replayFiles(estimation, {});
    const hat = matrix(files, 'target.npy');
    expect(hat).toHaveLength(3);
    hat.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(hat[j][i], 14)));
    expect(hat[0][0] + hat[1][1] + hat[2][2]).toBeCloseTo(4, 12);
    expect(hat.flat().reduce((s, x) => s + x * x, 0)).toBeCloseTo(10, 12);
    const cube = product(hat, product(hat, hat));
    expect(cube[0][0] + cube[1][1] + cube[2][2]).toBeCloseTo(28, 11);
  });

  it('writes the identity init as α I per factor, whose product has the logged singular values at step 0', () => {
    const { files } = replayFiles(estimation, {});
    expect(matrix(files, 'W1.npy')).toEqual([
      [0.05, 0, 0],
      [0, 0.05, 0],
      [0, 0, 0.05],
    ]);
    const w0 = initialProduct(files, ['W1.npy', 'W2.npy']);
    expect(estimation.steps[0]).toBe(0);
    const hat = matrix(files, 'target.npy');
    expect(half(w0.flat().map((x, i) => x - hat.flat()[i]))).toBeCloseTo(estimation.loss[0], 12);
  });

  it('writes steps, singular values and snapshots as the result holds them, in their shapes', () => {
    const { index, files } = replayFiles(estimation, {});
    const steps = readF8Npy(files.get(index.files.steps)!);
    expect(steps.shape).toEqual([12]);
    expect(steps.values).toEqual(estimation.steps);
    const sv = readF8Npy(files.get(index.files.singularValues)!);
    expect(sv.shape).toEqual([12, 3]);
    expect(toRows(sv.values, 3)).toEqual(estimation.singularValues);
    const snapshots = readF8Npy(files.get(index.files.snapshots!)!);
    expect(snapshots.shape).toEqual([2, 3, 3]);
    expect(snapshots.values).toEqual(estimation.snapshots!.matrices.flat(2));
    expect(readF8Npy(files.get(index.files.snapshotSteps!)!).values).toEqual([0, 24]);
    // The first snapshot is W(0) = α² I.
    [0.0025, 0, 0, 0, 0.0025, 0, 0, 0, 0.0025].forEach((x, i) => expect(snapshots.values[i]).toBeCloseTo(x, 14));
  });

  it('writes no snapshot files for a run without snapshots', async () => {
    const { index, files } = replayFiles(await tinyRun(), {});
    expect(index.files.snapshots).toBeUndefined();
    expect([...files.keys()].some((name) => name.startsWith('snapshot'))).toBe(false);
  });

  it('refuses a result whose spec regenerates a different target', () => {
    const moved: RunResult = { ...estimation, target: { ...estimation.target, singularValues: [3, 1.5, 0] } };
    expect(() => replayFiles(moved, {}, 'run.json')).toThrow(InputError);
    expect(() => replayFiles(moved, {}, 'run.json')).toThrow(/^run\.json: the target regenerated from result\.spec is not the one the run used/);
  });

  it('exports a Gaussian-init completion run whose mask and factors give back the logged loss at step 0', async () => {
    const run = await matrixRun({ init: { kind: 'gaussian', alpha: 0.3, seed: 5 }, problem: { kind: 'completion', observed: 0.6, seed: 2 } });
    const { index, files } = replayFiles(run, {});
    expect(index.files.mask).toBe('mask.npy');
    expect(index.files.operator).toBeUndefined();
    const mask = matrix(files, 'mask.npy').flat();
    expect(mask.every((x) => x === 0 || x === 1)).toBe(true);
    const w0 = initialProduct(files, index.files.initialFactors).flat();
    const hat = matrix(files, 'target.npy').flat();
    const loss = half(w0.map((x, i) => mask[i] * (x - hat[i])));
    // float32 engine: agreement to its rounding, and the unmasked loss would differ.
    expect(Math.abs(loss - run.loss[0]) / run.loss[0]).toBeLessThan(1e-5);
    expect(Math.abs(half(w0.map((x, i) => x - hat[i])) - run.loss[0]) / run.loss[0]).toBeGreaterThan(1e-3);
    // The product order is W2 W1: W1 W2 gives another loss.
    const reversed = initialProduct(files, [...index.files.initialFactors].reverse()).flat();
    expect(Math.abs(half(reversed.map((x, i) => mask[i] * (x - hat[i]))) - run.loss[0]) / run.loss[0]).toBeGreaterThan(1e-3);
  });

  it('exports a sensing run whose operator A (m × n × n) gives back the logged loss at step 0', async () => {
    const run = await matrixRun({ init: { kind: 'gaussian', alpha: 0.3, seed: 7 }, problem: { kind: 'sensing', measurements: 5, seed: 4 } });
    const { index, files } = replayFiles(run, {});
    expect(index.files.operator).toBe('A.npy');
    const operator = readF8Npy(files.get('A.npy')!);
    expect(operator.shape).toEqual([5, 3, 3]);
    const w0 = initialProduct(files, index.files.initialFactors).flat();
    const hat = matrix(files, 'target.npy').flat();
    // A(X)_i = Σ_jk A[i,j,k] X[j,k], C order.
    const measure = (x: number[]) => Array.from({ length: 5 }, (_, i) => x.reduce((s, v, jk) => s + operator.values[9 * i + jk] * v, 0));
    const a0 = measure(w0);
    const aHat = measure(hat);
    const loss = half(a0.map((x, i) => x - aHat[i]));
    expect(Math.abs(loss - run.loss[0]) / run.loss[0]).toBeLessThan(1e-5);
  });

  // replayFiles built the factors without the target, and the aligned init (W_j = α R_j R_{j−1}ᵀ
  // with R_0, R_N the target's singular bases) threw "aligned init needs the target".
  it('exports an aligned-init run (its factors need the target)', async () => {
    const aligned = await tinyRun({ init: { kind: 'aligned', alpha: 0.05 } });
    const { files } = replayFiles(aligned, {});
    const w0 = initialProduct(files, ['W1.npy', 'W2.npy']).flat();
    const hat = matrix(files, 'target.npy').flat();
    expect(half(w0.map((x, i) => x - hat[i]))).toBeCloseTo(aligned.loss[0], 10);
  });
});

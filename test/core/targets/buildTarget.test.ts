import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { InputError } from '../../../core/errors';
import { frobeniusNorm, isSymmetric, multiply, transpose } from '../../../core/linalg/dense';
import { symmetricEigen } from '../../../core/linalg/decompositions';
import { nodeTargetSources } from '../../../node/platform';
import { createRng } from '../../../core/random';
import { buildTarget } from '../../../core/targets/buildTarget';

describe('createRng', () => {
  it('is deterministic per seed and gives standard Gaussians', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 20000 }, () => a.gaussian());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.gaussian()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(createRng(8).uniform()).not.toBe(createRng(7).uniform());
  });
});

describe('buildTarget', () => {
  it('spectrum: V diag(λ) Vᵀ with an orthogonal V from the seed, padded with zeros', () => {
    const t = buildTarget({ n: 6, target: { kind: 'spectrum', eigenvalues: [3, -1, 2], seed: 4 } });
    expect(Array.from(t.eigenvalues!)).toEqual([3, 2, 0, 0, 0, -1]);
    const v = t.eigenvectors();
    const vtv = multiply(transpose(v), v);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(vtv.data[i * 6 + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    const recovered = symmetricEigen(t.matrix()).values;
    Array.from(recovered).forEach((x, i) => expect(x).toBeCloseTo(t.eigenvalues![i], 10));
    // Same seed, same matrix; another seed, another basis.
    expect(buildTarget({ n: 6, target: { kind: 'spectrum', eigenvalues: [3, -1, 2], seed: 4 } }).matrix().data).toEqual(t.matrix().data);
    expect(buildTarget({ n: 6, target: { kind: 'spectrum', eigenvalues: [3, -1, 2], seed: 5 } }).matrix().data).not.toEqual(t.matrix().data);
  });

  it('lowRankPlusNoise: symmetric by default, with its clean ground truth of rank r', () => {
    const t = buildTarget({ n: 12, target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0.01, seed: 1, symmetric: true } });
    expect(isSymmetric(t.matrix())).toBe(true);
    const clean = symmetricEigen(t.groundTruth!()).values;
    expect(Array.from(clean.subarray(0, 4)).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3, 2, 1, 0]);
    const noise = frobeniusNorm({ ...t.matrix(), data: t.matrix().data.map((x, i) => x - t.groundTruth!().data[i]) });
    expect(noise / 12).toBeGreaterThan(0.005);
    expect(noise / 12).toBeLessThan(0.02);
    const general = buildTarget({ n: 12, target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0, seed: 1, symmetric: false } });
    expect(general.eigenvalues).toBeUndefined();
  });

  it('matrix: symmetric matrices get eigenvalues, others do not', () => {
    const values = buildTarget({ n: 2, target: { kind: 'matrix', data: [[2, 1], [1, 2]] } }).eigenvalues!;
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(buildTarget({ n: 2, target: { kind: 'matrix', data: [[2, 1], [0, 2]] } }).eigenvalues).toBeUndefined();
  });

  it('mnist: a 28×28 digit in [0, 1] from the mnist package', () => {
    const t = buildTarget({ n: 28, target: { kind: 'mnist', index: 0, digit: 3 } }, nodeTargetSources('.'));
    const data = t.matrix().data;
    expect(data.length).toBe(784);
    expect(Math.max(...data)).toBeLessThanOrEqual(1);
    expect(data.filter((x) => x > 0.5).length).toBeGreaterThan(50);
    expect(() => buildTarget({ n: 28, target: { kind: 'mnist', index: 10 ** 6, digit: 3 } }, nodeTargetSources('.'))).toThrow(/has \d+ samples/);
    expect(() => buildTarget({ n: 28, target: { kind: 'mnist', index: 0 } })).toThrow(InputError);
  });

  it('file: reads through the sources, relative to the spec, and checks the size against n', () => {
    const sources = nodeTargetSources(path.resolve('test/fixtures/good'));
    const file = 'plain.csv';
    const t = buildTarget({ n: 2, target: { kind: 'file', path: file } }, sources);
    expect(Array.from(t.matrix().data)).toEqual([1, 2, 3, 4]);
    expect(() => buildTarget({ n: 3, target: { kind: 'file', path: file } }, sources)).toThrow(/2×2 but spec.n is 3/);
    expect(() => buildTarget({ n: 2, target: { kind: 'file', path: 'missing.csv' } }, sources)).toThrow('missing.csv: no such file');
  });
});

import { InputError } from '../errors';
import { fromEigen, fromRows, isSymmetric, multiply, transpose, zeros, type DenseMatrix } from '../linalg/dense';
import { randomOrthogonal, symmetricEigen } from '../linalg/decompositions';
import { createRng } from '../random';
import type { TargetSpec } from '../spec/schema';
import { parseMatrixFile } from './files';
import type { Target, TargetSources } from './target';

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** A target given by its entries: symmetric ones get a float64 eigendecomposition. */
export function denseTarget(matrix: DenseMatrix, description: string, groundTruth?: () => DenseMatrix): Target {
  if (matrix.rows !== matrix.cols) throw new InputError(`${description}: the target must be square, got ${matrix.rows}×${matrix.cols}`);
  for (let i = 0; i < matrix.data.length; i++)
    if (!Number.isFinite(matrix.data[i]))
      throw new InputError(`${description}: entry (${Math.floor(i / matrix.cols) + 1}, ${(i % matrix.cols) + 1}) is ${matrix.data[i]}`);
  // Finite entries whose squares sum past float64 (|entries| ≳ 1e154): the loss ½‖W − Ŵ‖² cannot
  // be computed, and isSymmetric's tolerance 0·‖Ŵ‖_F would be NaN, taking any such matrix as
  // symmetric (a non-symmetric target would then run on the spectral path with wrong eigenvalues).
  let sumOfSquares = 0;
  let largest = 0;
  for (const x of matrix.data) {
    sumOfSquares += x * x;
    largest = Math.max(largest, Math.abs(x));
  }
  if (!Number.isFinite(sumOfSquares))
    throw new InputError(`${description}: entries too large (largest |entry| ${largest.toPrecision(3)}; the sum of their squares overflows float64)`);
  const symmetric = isSymmetric(matrix);
  const eigen = symmetric ? symmetricEigen(matrix) : undefined;
  return {
    n: matrix.rows,
    matrix: () => matrix,
    eigenvalues: eigen?.values,
    eigenvectors: () => {
      if (!eigen) throw new Error('eigenvectors of a non-symmetric target');
      return eigen.vectors;
    },
    groundTruth,
    description,
  };
}

/** `V diag(λ) Vᵀ` with a Haar-random V from the seed; λ padded with zeros to n. */
export function spectrumTarget(n: number, eigenvalues: readonly number[], seed: number): Target {
  const values = new Float64Array(n);
  values.set(eigenvalues);
  values.sort().reverse();
  const vectors = lazy(() => randomOrthogonal(n, createRng(seed)));
  return {
    n,
    eigenvalues: values,
    eigenvectors: vectors,
    matrix: lazy(() => fromEigen(vectors(), values)),
    description: `spectrum [${eigenvalues.join(', ')}]${eigenvalues.length < n ? ` + ${n - eigenvalues.length} zeros` : ''}, n = ${n}`,
  };
}

/**
 * `Ŵ = W* + E`: W* of rank r with singular values r, r−1, …, 1 and E with i.i.d. N(0, noise²)
 * entries. Symmetric by default (W* = V diag Vᵀ, E symmetrized with the same entry variance off
 * the diagonal) so that the theory's predictions apply to the denoising experiment.
 */
export function lowRankPlusNoiseTarget(n: number, rank: number, noise: number, seed: number, symmetric: boolean): Target {
  const rng = createRng(seed);
  const s = Array.from({ length: rank }, (_, i) => rank - i);
  let clean: DenseMatrix;
  if (symmetric) {
    clean = fromEigen(randomOrthogonal(n, rng), [...s, ...new Array(n - rank).fill(0)]);
  } else {
    const u = randomOrthogonal(n, rng);
    const v = randomOrthogonal(n, rng);
    const us = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < rank; j++) us.data[i * n + j] = u.data[i * n + j] * s[j];
    clean = multiply(us, transpose(v));
  }
  const noisy = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = symmetric ? i : 0; j < n; j++) {
      const e = noise * rng.gaussian();
      noisy.data[i * n + j] = clean.data[i * n + j] + e;
      if (symmetric) noisy.data[j * n + i] = clean.data[j * n + i] + e;
    }
  return denseTarget(noisy, `rank ${rank} + noise ${noise}${symmetric ? ' (symmetric)' : ''}, n = ${n}`, () => clean);
}

/** Builds the target of a spec; files and MNIST digits come through `sources`. */
export function buildTarget(spec: { n: number; target: TargetSpec }, sources: TargetSources = {}): Target {
  const { n, target } = spec;
  switch (target.kind) {
    case 'spectrum':
      return spectrumTarget(n, target.eigenvalues, target.seed);
    case 'lowRankPlusNoise':
      return lowRankPlusNoiseTarget(n, target.rank, target.noise, target.seed, target.symmetric);
    case 'matrix':
      return denseTarget(fromRows(target.data), 'spec.target.data');
    case 'file': {
      if (!sources.readFile) throw new InputError(`spec.target.path: files cannot be read here (${target.path})`);
      const matrix = parseMatrixFile(target.path, sources.readFile(target.path));
      if (matrix.rows !== n) throw new InputError(`${target.path}: the matrix is ${matrix.rows}×${matrix.cols} but spec.n is ${n}`);
      return denseTarget(matrix, target.path);
    }
    case 'mnist': {
      if (!sources.mnistDigit) throw new InputError('spec.target: MNIST digits are not available here');
      const digit = target.digit ?? target.index % 10;
      const index = target.digit === undefined ? Math.floor(target.index / 10) : target.index;
      const pixels = sources.mnistDigit(digit, index);
      const matrix = zeros(28, 28);
      matrix.data.set(Array.from(pixels));
      return denseTarget(matrix, `MNIST digit ${digit} #${index}`);
    }
  }
}

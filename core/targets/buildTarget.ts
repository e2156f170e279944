import type { OrthogonalFactorRoutine } from '../linalg/accelerators';
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

/**
 * A target built in pieces: each `yield` is a point between two long synchronous stages where a
 * caller may hand control to the host and stop a cancelled build (a 1024×1024 target takes
 * seconds per stage in float64 TypeScript).
 */
type TargetPieces = Generator<void, Target, void>;

function runToEnd(pieces: TargetPieces): Target {
  for (;;) {
    const r = pieces.next();
    if (r.done) return r.value;
  }
}

/** Rows handled between two pieces by the O(n²) loops here (n = 1024: a few milliseconds). */
const ROWS_PER_PIECE = 128;

/** A target given by its entries: symmetric ones get a float64 eigendecomposition. */
export function denseTarget(matrix: DenseMatrix, description: string, groundTruth?: () => DenseMatrix): Target {
  return runToEnd(denseTargetPieces(matrix, description, groundTruth));
}

function* denseTargetPieces(matrix: DenseMatrix, description: string, groundTruth?: () => DenseMatrix): TargetPieces {
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
  yield;
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
function spectrumTarget(n: number, eigenvalues: readonly number[], seed: number, lapack?: OrthogonalFactorRoutine): Target {
  // Refused as an inline matrix with these entries is (the loss ½‖W − Ŵ‖² overflows at step 0).
  let sumOfSquares = 0;
  let largest = 0;
  for (const x of eigenvalues) {
    sumOfSquares += x * x;
    largest = Math.max(largest, Math.abs(x));
  }
  if (!Number.isFinite(sumOfSquares))
    throw new InputError(`spec.target.eigenvalues: entries too large (largest |eigenvalue| ${largest.toPrecision(3)}; the sum of their squares overflows float64)`);
  const values = new Float64Array(n);
  values.set(eigenvalues);
  values.sort().reverse();
  const vectors = lazy(() => randomOrthogonal(n, createRng(seed), lapack));
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
function* lowRankPlusNoisePieces(n: number, rank: number, noise: number, seed: number, symmetric: boolean, lapack?: OrthogonalFactorRoutine): TargetPieces {
  const rng = createRng(seed);
  const s = Array.from({ length: rank }, (_, i) => rank - i);
  let clean: DenseMatrix;
  if (symmetric) {
    const v = randomOrthogonal(n, rng, lapack);
    yield;
    clean = fromEigen(v, [...s, ...new Array<number>(n - rank).fill(0)]);
  } else {
    const u = randomOrthogonal(n, rng, lapack);
    yield;
    const v = randomOrthogonal(n, rng, lapack);
    yield;
    const us = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < rank; j++) us.data[i * n + j] = u.data[i * n + j] * s[j];
    clean = multiply(us, transpose(v));
  }
  yield;
  const noisy = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = symmetric ? i : 0; j < n; j++) {
      const e = noise * rng.gaussian();
      noisy.data[i * n + j] = clean.data[i * n + j] + e;
      if (symmetric) noisy.data[j * n + i] = clean.data[j * n + i] + e;
    }
    if ((i + 1) % ROWS_PER_PIECE === 0) yield;
  }
  return yield* denseTargetPieces(noisy, `rank ${rank} + noise ${noise}${symmetric ? ' (symmetric)' : ''}, n = ${n}`, () => clean);
}

/** Builds the target of a spec; files and MNIST digits come through `sources`. */
export function buildTarget(spec: { n: number; target: TargetSpec }, sources: TargetSources = {}): Target {
  return runToEnd(targetPieces(spec, sources));
}

/**
 * `buildTarget` with `between()` awaited between its long stages: it may yield to the host and
 * throw to stop the build (a cancelled run).
 */
export async function buildTargetInPieces(spec: { n: number; target: TargetSpec }, sources: TargetSources, between: () => Promise<void>): Promise<Target> {
  const pieces = targetPieces(spec, sources);
  for (;;) {
    const r = pieces.next();
    if (r.done) return r.value;
    await between();
  }
}

/** The build of `buildTarget`, as pieces. */
function* targetPieces(spec: { n: number; target: TargetSpec }, sources: TargetSources = {}): TargetPieces {
  const { n, target } = spec;
  switch (target.kind) {
    case 'spectrum':
      return spectrumTarget(n, target.eigenvalues, target.seed, sources.orthogonal);
    case 'lowRankPlusNoise':
      return yield* lowRankPlusNoisePieces(n, target.rank, target.noise, target.seed, target.symmetric, sources.orthogonal);
    case 'matrix':
      return yield* denseTargetPieces(fromRows(target.data), 'spec.target.data');
    case 'file': {
      if (!sources.readFile) throw new InputError(`spec.target.path: files cannot be read here (${target.path})`);
      const matrix = parseMatrixFile(target.path, sources.readFile(target.path));
      if (matrix.rows !== n) throw new InputError(`${target.path}: the matrix is ${matrix.rows}×${matrix.cols} but spec.n is ${n}`);
      yield;
      return yield* denseTargetPieces(matrix, target.path);
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

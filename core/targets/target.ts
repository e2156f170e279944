import type { OrthogonalFactorRoutine } from '../linalg/accelerators';
import type { DenseMatrix } from '../linalg/dense';

/**
 * The observed matrix Ŵ of an experiment, with what the engines need to know about it.
 * Expensive parts (the dense matrix, eigenvectors) are built on first use: the spectral path
 * of a `spectrum` target never needs them, which keeps n = 10⁵ runs O(n).
 */
export interface Target {
  readonly n: number;
  /** Ŵ, float64, n×n. */
  matrix(): DenseMatrix;
  /** Eigenvalues of Ŵ, descending, when Ŵ is exactly symmetric; otherwise undefined. */
  readonly eigenvalues: Float64Array | undefined;
  /** Orthonormal eigenvectors (columns, in the order of `eigenvalues`) of a symmetric Ŵ. */
  eigenvectors(): DenseMatrix;
  /** The clean matrix W* when Ŵ = W* + E is a noisy observation (denoising experiments). */
  groundTruth?(): DenseMatrix;
  /** One line for logs and reports. */
  readonly description: string;
}

/** Where targets that live outside the spec come from; adapters supply these. */
export interface TargetSources {
  /** Bytes of a user's matrix file (CLI: the file system; extension: the workspace). */
  readFile?(path: string): Uint8Array;
  /** One 28×28 MNIST digit as 784 numbers in [0, 1], row-major (from the `mnist` package). */
  mnistDigit?(digit: number, index: number): ArrayLike<number>;
  /** The QR of random orthogonal eigenvectors (LAPACK, node/platform.ts); core's TypeScript QR without it. */
  orthogonal?: OrthogonalFactorRoutine;
}

// Optional accelerated routines, built by platform code outside core (node/ builds them from the
// native module of native/) and handed to `runExperiment` through its options. The webview hands
// none. Core holds no accelerator of its own: without them it runs tfjs and the TypeScript
// routines, so every bundle stays pure TypeScript.

/** Row-major float32 BLAS on plain arrays (main memory, not tfjs tensors). */
export interface Blas {
  /** Human-readable description (library and threads), for reports. */
  readonly description: string;
  /** C = alpha·op(A)·op(B) + beta·C; A is m×k after op, B is k×n after op, C is m×n. */
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  /** y = alpha·op(A)·x + beta·y with A stored m×n. */
  sgemv(trans: boolean, m: number, n: number, alpha: number, a: Float32Array, x: Float32Array, beta: number, y: Float32Array): void;
  /**
   * `count` steps of `BlasFactorization.advance` for estimation (mask null) or completion, the
   * same GEMMs and the elementwise parts rounded as JavaScript rounds them (bit for bit its
   * result); prefix[0] is factors[0], b and b2 n² scratch; prefixReady: the prefix
   * products are those of the factors as they are (computed since the last step), not made again. Absent in older native builds.
   */
  factorAdvance?(factors: Float32Array[], prefix: Float32Array[], hat: Float32Array, mask: Float32Array | null, b: Float32Array, b2: Float32Array, n: number, eta: number, count: number, prefixReady: boolean): void;
}

/** A float64 singular value routine (LAPACK): overwrites `a` (row-major m×n), writes min(m, n) values. */
export interface SingularValueRoutine {
  readonly description: string;
  /** Returns false when it could not run (then the TypeScript routine is used). */
  singularValues(a: Float64Array, m: number, n: number, out: Float64Array): boolean;
  /**
   * The same off the calling thread, resolving when `out` is written (false: could not run); `a`
   * is read, not overwritten. It runs side by side with the caller's next BLAS calls, so a logged
   * step's SVD overlaps the following gradient steps; `a` must not change and `out` must not be
   * touched until it settles. Calls run one at a time, in the order they were made (two at once
   * would compete for the cores of the steps).
   */
  singularValuesAsync?(a: Float64Array, m: number, n: number, out: Float64Array): Promise<boolean>;
}

/** Q of a square matrix's QR with R's diagonal positive (LAPACK dgeqrf + dorgqr). */
export interface OrthogonalFactorRoutine {
  readonly description: string;
  /** Replaces `a` (row-major n×n) by Q; false when it could not run (then the TypeScript QR is used). */
  orthogonalFactor(a: Float64Array, n: number): boolean;
}

/** What a caller may pass to a run (`RunOptions.accelerators`); each routine is optional. */
export interface Accelerators {
  /** Runs the matrix path on this BLAS instead of tfjs (the command line's `native` backend). */
  readonly blas?: Blas;
  /** Computes the logged singular values (LAPACK), whichever engine runs. */
  readonly singularValues?: SingularValueRoutine;
  /** Steps many small estimation runs in one call (`runBatch`, the command line's `native` backend). */
  readonly batch?: BatchKernel;
}

/**
 * Many small factorizations of the estimation problem with the same n and N stepped in one call
 * (the native module's batched kernel, or core/engine/tfjsBatchKernel.ts on a tfjs backend; core/engine/batchRun.ts). Member b's factor j is the
 * row-major n×n block at (b·N + j)·n² of `factors`, its target Ŵ at b·n² of `hats`; members
 * with `active[b] = 0` are left alone.
 */
export interface BatchKernel {
  readonly description: string;
  /** The engine backend its results name (`native-batched`, `wasm-batched`, …). */
  readonly backend: string;
  /**
   * Largest n at which this kernel beats stepping one run at a time (measured: docs/sweeps.md
   * "How the runs are executed"); larger runs of a sweep go alone through `runExperiment`.
   */
  readonly maxN?: number;
  advance(factors: Float32Array, hats: Float32Array, etas: Float64Array, active: Uint8Array, n: number, depth: number, count: number): void;
  /** Each active member's product (float64 copy of the float32 product) and its singular values; false: values not computed. */
  observe(factors: Float32Array, hats: Float32Array, etas: Float64Array, active: Uint8Array, n: number, depth: number, products: Float64Array, singular: Float64Array): boolean;
}


import type { DenseMatrix } from '../linalg/dense';

/** What a run records at a logged step (float64, read back from the engine). */
export interface Observation {
  /** Singular values of the product W(k), descending. */
  singularValues: Float64Array;
  /** The problem's loss L(W(k)). */
  loss: number;
  /** ‖W(k) − Ŵ_L‖_F for L = 1…Lmax. */
  distances: Float64Array;
  /** ‖W(k) − W*‖_F when the target has a clean ground truth. */
  groundTruthError?: number;
  /** ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…N−1, when the spec records it. */
  balancedness?: Float64Array;
}

/** An observation whose singular values are still being computed (they overlap the next steps). */
export interface PendingObservation extends Omit<Observation, 'singularValues'> {
  /** Starts computing the singular values (the routine runs such computations one at a time, in call order). */
  singularValues(): Promise<Float64Array>;
  /** W(k) at the observed step (float64), kept for `onPoint` views. */
  product: DenseMatrix;
}

/**
 * One engine's state of gradient descent on W = W_N ⋯ W_1. `advance` must not read anything back
 * from the backend (the matrix path keeps everything on the tfjs backend); `loss` is one scalar
 * read-back; `observe` reads back what a logged step records.
 */
export interface Dynamics {
  readonly path: 'spectral' | 'matrix';
  readonly backend: string;
  readonly precision: 'float64' | 'float32';
  advance(count: number): void;
  loss(): number;
  observe(): Observation;
  /**
   * `observe()` with the singular values computed off the main thread, where the platform can
   * (a singular value routine with an async call was passed in; undefined otherwise: then call
   * `observe`). The caller may `advance` at once.
   */
  observeLater?(): PendingObservation | undefined;
  /** The current product W(k), float64. */
  product(): DenseMatrix;
  /** ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…N−1, of the current factors (./balancedness.ts). */
  balancedness(): Float64Array;
  dispose(): void;
}

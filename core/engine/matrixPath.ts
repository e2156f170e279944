import { InputError } from '../errors';
import { identity, multiply, scale, transpose, zeros, type DenseMatrix } from '../linalg/dense';
import type { SingularValueRoutine } from '../linalg/accelerators';
import { randomOrthogonal, singularValues, singularValuesLater } from '../linalg/decompositions';
import { createRng } from '../random';
import type { InitSpec, ProblemSpec } from '../spec/schema';
import type { Target } from '../targets/target';
import type { Dynamics, Observation, PendingObservation } from './dynamics';
import { distancesToBestRank, singularBasis, type RankReferences } from './reference';

import { MAX_SENSING_ENTRIES } from '../spec/schema';

/**
 * Initial factors W_1(0) … W_N(0) in float64, from the init spec (docs/theory.md §1); aligned
 * init reads the target's singular vectors (Theorem 2.2).
 */
export function initialFactors(init: InitSpec, n: number, depth: number, target?: Target): DenseMatrix[] {
  switch (init.kind) {
    case 'aligned': {
      if (!target) throw new Error('aligned init needs the target');
      const basis = singularBasis(target);
      // R_0 = V, R_1 … R_{N−1}, R_N = U; W_j = α R_j R_{j−1}ᵀ.
      const rng = init.seed === undefined ? undefined : createRng(init.seed);
      const R = [basis.right(), ...Array.from({ length: depth - 1 }, () => (rng ? randomOrthogonal(n, rng) : identity(n))), basis.left()];
      return Array.from({ length: depth }, (_, j) => scale(multiply(R[j + 1], transpose(R[j])), init.alpha));
    }
    case 'identity':
      return Array.from({ length: depth }, () => identity(n, init.alpha));
    case 'gaussian': {
      const rng = createRng(init.seed);
      const sd = init.alpha / Math.sqrt(n);
      return Array.from({ length: depth }, () => {
        const m = zeros(n, n);
        for (let i = 0; i < m.data.length; i++) m.data[i] = sd * rng.gaussian();
        return m;
      });
    }
    case 'orthogonal': {
      const rng = createRng(init.seed);
      return Array.from({ length: depth }, () => scale(randomOrthogonal(n, rng), init.alpha));
    }
  }
}

/**
 * The problem's data as float32 arrays (the same numbers the tfjs path puts in tensors).
 * estimation: Ŵ; completion: Ŵ and the 0/1 mask; sensing: Ŵ and the operator (rows vec(A_i)/√m).
 */
export type ProblemData =
  | { kind: 'estimation'; hat: Float32Array }
  | { kind: 'completion'; hat: Float32Array; mask: Float32Array }
  | { kind: 'sensing'; hat: Float32Array; operator: Float32Array; measurements: number };

/**
 * The problem's data in float32 (docs/theory.md §1), generated from the spec's seeds in a fixed
 * order so that both implementations of the matrix path see the same numbers.
 */
export function problemData(spec: ProblemSpec, target: Target): ProblemData {
  const n = target.n;
  const hat = Float32Array.from(target.matrix().data);
  switch (spec.kind) {
    case 'estimation':
      return { kind: 'estimation', hat };
    case 'completion': {
      const rng = createRng(spec.seed);
      const mask = new Float32Array(n * n);
      for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < spec.observed ? 1 : 0;
      return { kind: 'completion', hat, mask };
    }
    case 'sensing': {
      const m = spec.measurements;
      if (m * n * n > MAX_SENSING_ENTRIES)
        throw new InputError(`spec.problem.measurements: ${m} measurements of a ${n}×${n} matrix need ${m * n * n} operator entries (limit ${MAX_SENSING_ENTRIES})`);
      // A(X)_i = ⟨A_i, X⟩/√m with i.i.d. N(0, 1) entries: rows of `operator` are vec(A_i)/√m.
      const rng = createRng(spec.seed);
      const operator = new Float32Array(m * n * n);
      const s = 1 / Math.sqrt(m);
      for (let i = 0; i < operator.length; i++) operator[i] = s * rng.gaussian();
      return { kind: 'sensing', hat, operator, measurements: m };
    }
  }
}

/**
 * What both implementations of the matrix path share: a logged step reads the loss and W(k)
 * back and computes the distances to Ŵ_L, the ground-truth error and the singular values (with
 * `singularValues` when the caller passed one, off the main thread where it can).
 */
export abstract class MatrixPathDynamics implements Dynamics {
  readonly path = 'matrix' as const;
  readonly precision = 'float32' as const;
  abstract readonly backend: string;

  constructor(
    protected readonly target: Target,
    private readonly references: RankReferences,
    private readonly svd: SingularValueRoutine | undefined,
  ) {}

  abstract advance(count: number): void;
  abstract loss(): number;
  abstract product(): DenseMatrix;
  abstract balancedness(): Float64Array;
  abstract dispose(): void;

  observe(): Observation {
    const { product, ...rest } = this.observeWithoutSpectrum();
    return { ...rest, singularValues: singularValues(product, this.svd) };
  }

  observeLater(): PendingObservation | undefined {
    const observed = this.observeWithoutSpectrum();
    const singular = singularValuesLater(observed.product, this.svd);
    return singular && { ...observed, singularValues: singular };
  }

  /** Everything a logged step records except the singular values, and W(k) they come from. */
  private observeWithoutSpectrum(): Omit<Observation, 'singularValues'> & { product: DenseMatrix } {
    const loss = this.loss();
    const w = this.product();
    const n = this.target.n;
    const distances = distancesToBestRank(w.data, n, this.references);
    let groundTruthError: number | undefined;
    if (this.target.groundTruth) {
      const t = this.target.groundTruth().data;
      let e = 0;
      for (let i = 0; i < t.length; i++) e += (w.data[i] - t[i]) ** 2;
      groundTruthError = Math.sqrt(e);
    }
    return { product: w, loss, distances, groundTruthError };
  }
}

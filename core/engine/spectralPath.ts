import { fromEigen, multiply, transpose, zeros, type DenseMatrix } from '../linalg/dense';
import type { ExperimentSpec } from '../spec/schema';
import type { Target } from '../targets/target';
import type { Dynamics, Observation } from './dynamics';
import { singularBasis, type RankReferences } from './reference';

/**
 * Advances the scalar recursion of docs/theory.md (2.1), one independent component per
 * eigenvalue, in place:  w ← w + η · w^{N−1} · (λ − w^N).
 *
 * Components are the outer loop so each w stays in a register for all `count` steps, four at a
 * time so their independent multiply chains overlap in the pipeline (2.2× one at a time,
 * docs/performance.md); the power is a multiplication loop (Math.pow is ~10× slower). Each
 * component sees exactly the same operations as alone, so results do not depend on grouping.
 */
export function advanceSpectral(w: Float64Array, lambda: Float64Array, stepSize: number, depth: number, count: number): void {
  const n = w.length;
  const eta = stepSize;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let x0 = w[i];
    let x1 = w[i + 1];
    let x2 = w[i + 2];
    let x3 = w[i + 3];
    const l0 = lambda[i];
    const l1 = lambda[i + 1];
    const l2 = lambda[i + 2];
    const l3 = lambda[i + 3];
    for (let k = 0; k < count; k++) {
      let p0 = 1;
      let p1 = 1;
      let p2 = 1;
      let p3 = 1;
      for (let j = 1; j < depth; j++) {
        p0 *= x0;
        p1 *= x1;
        p2 *= x2;
        p3 *= x3;
      }
      x0 += eta * p0 * (l0 - p0 * x0);
      x1 += eta * p1 * (l1 - p1 * x1);
      x2 += eta * p2 * (l2 - p2 * x2);
      x3 += eta * p3 * (l3 - p3 * x3);
    }
    w[i] = x0;
    w[i + 1] = x1;
    w[i + 2] = x2;
    w[i + 3] = x3;
  }
  for (; i < n; i++) {
    let x = w[i];
    const l = lambda[i];
    for (let k = 0; k < count; k++) {
      let p = 1; // x^{N−1}
      for (let j = 1; j < depth; j++) p *= x;
      x += eta * p * (l - p * x);
    }
    w[i] = x;
  }
}

/** w^N for each component: the eigenvalues of the product W = V diag(w^N) Vᵀ. */
export function productEigenvalues(w: Float64Array, depth: number, out: Float64Array = new Float64Array(w.length)): Float64Array {
  for (let i = 0; i < w.length; i++) {
    let p = 1;
    for (let j = 0; j < depth; j++) p *= w[i];
    out[i] = p;
  }
  return out;
}

/**
 * |x| sorted descending: the singular values of V diag(x) Vᵀ. The components arrive almost in
 * order (λ descending, larger λ grow first), so an insertion sort is close to one pass; it is
 * ~5× faster than `Float64Array.from(x, Math.abs).sort().reverse()` at sweep sizes (n ≤ 64) and
 * gives the same array (a non-finite value takes the native sort, which orders NaN the same way).
 */
export function absDescending(x: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  let finite = true;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(x[i]);
    if (!(v <= Infinity) || v === Infinity) finite = false;
    out[i] = v;
  }
  if (!finite || n > 64) return out.sort().reverse();
  for (let i = 1; i < n; i++) {
    const v = out[i];
    let j = i - 1;
    while (j >= 0 && out[j] < v) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = v;
  }
  return out;
}

/** Arrays `SpectralDynamics.observe` may write into instead of making its own. */
export interface SpectralScratch {
  x: Float64Array;
  sorted: Float64Array;
  distances: Float64Array;
}

/**
 * The values whose scalar recursion (2.1) the exact path runs and the theory predicts from: Ŵ's
 * eigenvalues for identity init (symmetric targets only), its singular values for aligned init
 * (any square target, Theorem 2.2); undefined where neither applies.
 */
export function recursionValues(spec: Pick<ExperimentSpec, 'init'>, target: Target): Float64Array | undefined {
  if (spec.init.kind === 'aligned') return singularBasis(target).values;
  return target.eigenvalues;
}

/**
 * The exact spectral path (docs/theory.md §2). Identity initialization αI and a symmetric target
 * Ŵ = V diag(λ) Vᵀ keep every factor equal to V diag(w) Vᵀ (Theorem 2.1); aligned initialization
 * keeps W_j = R_j diag(w) R_{j−1}ᵀ with R_0 = V, R_N = U for any square Ŵ = U diag(σ) Vᵀ
 * (Theorem 2.2), so W = U diag(w^N) Vᵀ. Either way gradient descent on the N·n² entries is n
 * scalar recursions, float64, O(n) per step (after one SVD for a non-symmetric target).
 */
export class SpectralDynamics implements Dynamics {
  readonly path = 'spectral' as const;
  readonly backend = 'float64';
  readonly precision = 'float64' as const;
  private readonly w: Float64Array;
  private readonly lambda: Float64Array;
  /** W = left · diag(w^N) · rightᵀ. */
  private readonly left: () => DenseMatrix;
  private readonly right: () => DenseMatrix;
  /** Diagonal of Uᵀ W* V and ‖W*‖², for ‖W − W*‖ in the coordinates of the path. */
  private readonly truth?: { diagonal: Float64Array; normSquared: number };

  constructor(
    target: Target,
    private readonly references: RankReferences,
    alpha: number,
    private readonly depth: number,
    private readonly stepSize: number,
    /** Aligned initialization (Theorem 2.2): the singular values and vectors of any square Ŵ. */
    aligned = false,
  ) {
    if (aligned) {
      const basis = singularBasis(target);
      this.lambda = basis.values;
      this.left = basis.left;
      this.right = basis.right;
    } else {
      if (!target.eigenvalues) throw new Error('the spectral path needs a symmetric target or aligned init');
      this.lambda = target.eigenvalues;
      this.left = this.right = () => target.eigenvectors();
    }
    this.w = new Float64Array(target.n).fill(alpha);
    if (target.groundTruth) {
      const c = multiply(transpose(this.left()), multiply(target.groundTruth(), this.right()));
      const n = target.n;
      let normSquared = 0;
      for (const x of target.groundTruth().data) normSquared += x * x;
      this.truth = { diagonal: Float64Array.from({ length: n }, (_, i) => c.data[i * n + i]), normSquared };
    }
  }

  advance(count: number): void {
    advanceSpectral(this.w, this.lambda, this.stepSize, this.depth, count);
  }

  loss(): number {
    const x = productEigenvalues(this.w, this.depth);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (x[i] - this.lambda[i]) ** 2;
    return 0.5 * s;
  }

  /**
   * The logged values now. With `scratch` (arrays of n, n and references.values.length numbers)
   * the observation's arrays are those, overwritten by the next call: for a caller that copies
   * them at once (the batched engine's recorders), no arrays are made per logged step.
   */
  observe(scratch?: SpectralScratch): Observation {
    const x = productEigenvalues(this.w, this.depth, scratch?.x);
    const n = x.length;
    let normSquared = 0;
    let residual = 0;
    for (let i = 0; i < n; i++) {
      normSquared += x[i] * x[i];
      residual += (x[i] - this.lambda[i]) ** 2;
    }
    // Ŵ_L keeps the L largest positive eigenvalues (identity init) or singular values (aligned),
    // which are the first L (λ is descending).
    const L = this.references.values.length;
    const distances = scratch?.distances ?? new Float64Array(L);
    let d = normSquared;
    for (let l = 0; l < L; l++) {
      d += (x[l] - this.lambda[l]) ** 2 - x[l] * x[l];
      distances[l] = Math.sqrt(Math.max(d, 0));
    }
    let groundTruthError: number | undefined;
    if (this.truth) {
      let cross = 0;
      for (let i = 0; i < n; i++) cross += x[i] * this.truth.diagonal[i];
      groundTruthError = Math.sqrt(Math.max(normSquared - 2 * cross + this.truth.normSquared, 0));
    }
    return { singularValues: absDescending(x, scratch?.sorted), loss: 0.5 * residual, distances, groundTruthError };
  }

  /** Current factor eigenvalues w (for the theory harness). */
  factorEigenvalues(): Float64Array {
    return Float64Array.from(this.w);
  }

  product(): DenseMatrix {
    const x = productEigenvalues(this.w, this.depth);
    const u = this.left();
    const v = this.right();
    if (u === v) return fromEigen(u, x);
    const n = x.length;
    const ux = zeros(n, n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) ux.data[r * n + c] = u.data[r * n + c] * x[c];
    return multiply(ux, transpose(v));
  }

  /** Every factor has the same singular values w (W_j = R_j diag(w) R_{j−1}ᵀ): exactly balanced. */
  balancedness(): Float64Array {
    return new Float64Array(Math.max(0, this.depth - 1));
  }

  dispose(): void {}
}

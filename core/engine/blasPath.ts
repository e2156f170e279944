import type { DenseMatrix } from '../linalg/dense';
import type { Blas, SingularValueRoutine } from '../linalg/accelerators';
import type { InitSpec, ProblemSpec } from '../spec/schema';
import type { Target } from '../targets/target';
import { initialFactors, MatrixPathDynamics, problemData, type ProblemData } from './matrixPath';
import { balancedness } from './balancedness';
import type { RankReferences } from './reference';

/**
 * Gradient descent on W = W_N ⋯ W_1 in float32 arrays with a BLAS passed in (the command line's
 * `native` backend): the same step as the tfjs path (docs/theory.md (1.2)), with every buffer
 * allocated once, no tensor and no copy per step.
 *
 * One step: prefix products P_j = W_j ⋯ W_1 (N − 1 GEMMs, reused from the last `loss`/`product`
 * call when the factors have not changed since), G = ∂L/∂W, then for j = N … 2
 * B ← W_jᵀ B (one GEMM, before W_j changes) and W_j ← W_j − η B P_{j−1}ᵀ (one GEMM with β = 1,
 * the update fused into it), and W_1 ← W_1 − η B: (N − 1) + 2(N − 1) = 3N − 3 GEMMs per step.
 */
export class BlasFactorization {
  readonly factors: Float32Array[];
  /** prefix[j] = W_j ⋯ W_0 (0-based); prefix[0] is factors[0] itself. */
  private readonly prefix: Float32Array[];
  private prefixValid = false;
  private b: Float32Array;
  private b2: Float32Array;
  private readonly residual?: Float32Array;
  /** y = A(Ŵ) for sensing. */
  private readonly y?: Float32Array;

  constructor(
    private readonly blas: Blas,
    factors: Float32Array[],
    private readonly n: number,
    private readonly problem: ProblemData,
    private readonly stepSize: number,
  ) {
    this.factors = factors;
    const nn = n * n;
    this.prefix = factors.map((f, j) => (j === 0 ? f : new Float32Array(nn)));
    this.b = new Float32Array(nn);
    this.b2 = new Float32Array(nn);
    if (problem.kind === 'sensing') {
      this.residual = new Float32Array(problem.measurements);
      this.y = new Float32Array(problem.measurements);
      blas.sgemv(false, problem.measurements, nn, 1, problem.operator, problem.hat, 0, this.y);
    }
  }

  private computePrefix(): void {
    if (this.prefixValid) return;
    const n = this.n;
    for (let j = 1; j < this.factors.length; j++) this.blas.sgemm(false, false, n, n, n, 1, this.factors[j], this.prefix[j - 1], 0, this.prefix[j]);
    this.prefixValid = true;
  }

  /** The current product W (a view of an internal buffer: valid until the next step). */
  product(): Float32Array {
    this.computePrefix();
    return this.prefix[this.prefix.length - 1];
  }

  /** G = ∂L/∂W into `out`, from the current product. */
  private gradient(w: Float32Array, out: Float32Array): void {
    const p = this.problem;
    switch (p.kind) {
      case 'estimation':
        for (let i = 0; i < out.length; i++) out[i] = w[i] - p.hat[i];
        return;
      case 'completion':
        for (let i = 0; i < out.length; i++) out[i] = p.mask[i] * (w[i] - p.hat[i]);
        return;
      case 'sensing': {
        const r = this.residual!;
        const nn = this.n * this.n;
        this.blas.sgemv(false, p.measurements, nn, 1, p.operator, w, 0, r);
        const y = this.y!;
        for (let i = 0; i < r.length; i++) r[i] -= y[i];
        this.blas.sgemv(true, p.measurements, nn, 1, p.operator, r, 0, out);
        return;
      }
    }
  }

  /** L(W(k)) in float64 from the float32 product. */
  loss(): number {
    const w = this.product();
    const p = this.problem;
    let s = 0;
    switch (p.kind) {
      case 'estimation':
        for (let i = 0; i < w.length; i++) s += (w[i] - p.hat[i]) ** 2;
        break;
      case 'completion':
        for (let i = 0; i < w.length; i++) s += p.mask[i] * (w[i] - p.hat[i]) ** 2;
        break;
      case 'sensing': {
        const r = this.residual!;
        this.blas.sgemv(false, p.measurements, this.n * this.n, 1, p.operator, w, 0, r);
        const y = this.y!;
        for (let i = 0; i < r.length; i++) s += (r[i] - y[i]) ** 2;
        break;
      }
    }
    return 0.5 * s;
  }

  advance(count: number): void {
    const n = this.n;
    const N = this.factors.length;
    const eta = this.stepSize;
    const p = this.problem;
    // The same steps in C where the BLAS module has them (sensing's sgemv stays here).
    if (this.blas.factorAdvance && p.kind !== 'sensing') {
      this.blas.factorAdvance(this.factors, this.prefix, p.hat, p.kind === 'completion' ? p.mask : null, this.b, this.b2, n, eta, count, this.prefixValid);
      if (count > 0) this.prefixValid = false;
      return;
    }
    for (let k = 0; k < count; k++) {
      this.gradient(this.product(), this.b);
      for (let j = N - 1; j >= 1; j--) {
        const wj = this.factors[j];
        this.blas.sgemm(true, false, n, n, n, 1, wj, this.b, 0, this.b2); // next B = W_jᵀ B (old W_j)
        this.blas.sgemm(false, true, n, n, n, -eta, this.b, this.prefix[j - 1], 1, wj); // W_j −= η B P_{j−1}ᵀ
        const t = this.b;
        this.b = this.b2;
        this.b2 = t;
      }
      const w0 = this.factors[0];
      const b = this.b;
      for (let i = 0; i < w0.length; i++) w0[i] -= eta * b[i];
      this.prefixValid = false;
    }
  }
}

/** The matrix path on a BLAS passed in by the caller (`RunOptions.accelerators.blas`). */
export class BlasDynamics extends MatrixPathDynamics {
  readonly backend = 'native';
  private readonly factorization: BlasFactorization;

  constructor(blas: Blas, target: Target, references: RankReferences, init: InitSpec, problem: ProblemSpec, depth: number, stepSize: number, svd?: SingularValueRoutine) {
    super(target, references, svd);
    const n = target.n;
    const data = problemData(problem, target);
    const factors = initialFactors(init, n, depth, target).map((f) => Float32Array.from(f.data));
    this.factorization = new BlasFactorization(blas, factors, n, data, stepSize);
  }

  advance(count: number): void {
    this.factorization.advance(count);
  }

  loss(): number {
    return this.factorization.loss();
  }

  product(): DenseMatrix {
    const n = this.target.n;
    return { rows: n, cols: n, data: Float64Array.from(this.factorization.product()) };
  }

  balancedness(): Float64Array {
    return balancedness(this.factorization.factors, this.target.n);
  }

  dispose(): void {
    // Plain arrays: nothing to release.
  }
}

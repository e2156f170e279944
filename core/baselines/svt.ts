import { zeros, type DenseMatrix } from '../linalg/dense';
import { svd } from '../linalg/decompositions';

/**
 * Nuclear-norm minimization for matrix completion, min ‖X‖_* subject to X_ij = M_ij on the
 * observed entries: the baseline the deep factorizations are compared with (docs/reproduction.md,
 * after Arora, Cohen, Hu, Luo 2019). Each iteration is one singular value thresholding D_τ.
 * (Cai, Candès and Shen's SVT iteration with their step δ = 1.2/p did not converge on the
 * reproduction's matrices, nor on a 20×20 rank-2 one from half its entries; the accelerated
 * proximal gradient below does.)
 */
export interface SvtResult {
  matrix: DenseMatrix;
  /** Singular values of the result, descending. */
  singularValues: Float64Array;
  iterations: number;
  /** ‖P_Ω(X − M)‖_F / ‖P_Ω(M)‖_F at the end. */
  residual: number;
  converged: boolean;
  /** The final λ. */
  tau: number;
}

/** D_τ(Y) = U max(Σ − τ, 0) Vᵀ, and the thresholded values. */
export function shrinkSingularValues(y: DenseMatrix, tau: number): { matrix: DenseMatrix; values: Float64Array } {
  const d = svd(y);
  const k = d.values.length;
  const values = Float64Array.from(d.values, (s) => Math.max(s - tau, 0));
  const out = zeros(y.rows, y.cols);
  for (let l = 0; l < k; l++) {
    const s = values[l];
    if (s === 0) continue;
    for (let i = 0; i < y.rows; i++) {
      const ui = s * d.u.data[i * k + l];
      if (ui === 0) continue;
      const row = i * y.cols;
      for (let j = 0; j < y.cols; j++) out.data[row + j] += ui * d.v.data[j * k + l];
    }
  }
  return { matrix: out, values };
}

export interface NuclearNormOptions {
  /** Final λ relative to ‖P_Ω(M)‖₂ (default 1e-4): the constrained problem is the limit λ → 0. */
  lambda?: number;
  /** Stop when ‖X_k − X_{k−1}‖_F ≤ tolerance·max(‖X_k‖_F, 1) at the final λ (default 1e-5). */
  tolerance?: number;
  maxIterations?: number;
}

/**
 * Nuclear-norm minimization by accelerated proximal gradient with continuation (Toh, Yun 2010,
 * APGL): min λ‖X‖_* + ½‖P_Ω(X − M)‖_F², λ decreasing by 0.7 per step from ‖P_Ω(M)‖₂ to
 * `lambda`·‖P_Ω(M)‖₂; each step is a singular value thresholding
 * X = D_λ(Z − P_Ω(Z − M)) at the extrapolated point Z (the gradient is 1-Lipschitz). As λ → 0
 * the minimizer tends to the minimum-nuclear-norm matrix that agrees with M on Ω.
 */
export function nuclearNormComplete(m: DenseMatrix, mask: ArrayLike<number>, options: NuclearNormOptions = {}): SvtResult {
  const { rows, cols } = m;
  const size = rows * cols;
  const pm = zeros(rows, cols);
  let pmNorm = 0;
  for (let i = 0; i < size; i++)
    if (mask[i]) {
      pm.data[i] = m.data[i];
      pmNorm += m.data[i] ** 2;
    }
  pmNorm = Math.sqrt(pmNorm);
  if (pmNorm === 0) throw new Error('nuclearNormComplete: no observed (nonzero) entries');
  const top = svd(pm).values[0];
  const lambdaMin = (options.lambda ?? 1e-4) * top;
  const tolerance = options.tolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 1500;
  let lambda = top;
  let x = zeros(rows, cols);
  let previous = zeros(rows, cols);
  let values: Float64Array = new Float64Array(0);
  let t = 1;
  let tPrevious = 1;
  let iterations = 0;
  let converged = false;
  const z = zeros(rows, cols);
  while (iterations < maxIterations) {
    iterations++;
    const beta = (tPrevious - 1) / t;
    for (let i = 0; i < size; i++) {
      const zi = x.data[i] + beta * (x.data[i] - previous.data[i]);
      z.data[i] = mask[i] ? zi - (zi - pm.data[i]) : zi;
    }
    previous = x;
    ({ matrix: x, values } = shrinkSingularValues(z, lambda));
    tPrevious = t;
    t = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    let change = 0;
    let norm = 0;
    for (let i = 0; i < size; i++) {
      change += (x.data[i] - previous.data[i]) ** 2;
      norm += x.data[i] ** 2;
    }
    if (lambda === lambdaMin && Math.sqrt(change) <= tolerance * Math.max(Math.sqrt(norm), 1)) {
      converged = true;
      break;
    }
    lambda = Math.max(0.7 * lambda, lambdaMin);
  }
  let r = 0;
  for (let i = 0; i < size; i++) if (mask[i]) r += (x.data[i] - pm.data[i]) ** 2;
  return { matrix: x, singularValues: values, iterations, residual: Math.sqrt(r) / pmNorm, converged, tau: lambda };
}

import type { ExperimentSpec } from '../spec/schema';

/** Unit roundoff of float32, u = 2⁻²⁴. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * Spectral-norm rounding constant μ_n of one n×n float32 matrix product,
 * ‖fl(AB) − AB‖₂ ≤ μ_n ‖A‖₂‖B‖₂ (docs/theory.md (7.1)). Deterministic: |fl(AB) − AB| ≤ γ_n|A||B|
 * entrywise with γ_n = nu/(1 − nu), and ‖|A||B|‖₂ ≤ ‖|A||B|‖_F ≤ ‖A‖_F‖B‖_F ≤ n‖A‖₂‖B‖₂.
 */
export function matmulRoundingConstant(n: number, u = FLOAT32_UNIT_ROUNDOFF): number {
  return (n * n * u) / (1 - n * u);
}

/** The derived tolerance and how far the first-order model behind it holds. */
export interface MatrixPathTolerance {
  /** Absolute tolerance on every singular value, per requested step. */
  tolerance: number[];
  /**
   * Last step at which the model is valid: the bounds B_i on all factor perturbations stays below
   * α/10. Beyond it rounding has been amplified out of the linear regime, typically by the saddle
   * of a non-positive eigenvalue (docs/theory.md Remark 7.3), and no tolerance is claimed.
   */
  validThrough: number;
}

/**
 * Absolute tolerance on each singular value of the float32 matrix path against the exact
 * float64 spectral path, at each of the given steps (docs/theory.md §7, Proposition 7.2).
 *
 * Along the exact trajectory, the local rounding error of one step in spectral norm is bounded
 * by (7.3). The mean perturbation of component i over the N factors is carried by the
 * linearized scalar map |1 + ηf′(w_i)| (7.4) and moves the product eigenvalue by N|w_i|^{N−1}
 * times itself; all other perturbation modes (imbalance between factors, off-diagonal entries)
 * are bounded by B_i, amplified per step by the largest of |1 + ηf′|, 1 + η|w^{N−2}(w^N − λ)| and
 * 1 + η(N−1)·max(w^N − λ)₊·‖W_j‖^{N−2} (7.7), and move the product by at most
 * (|w| + B_i)^N − |w|^N − N|w|^{N−1}B_i (7.6). Sorting is 1-Lipschitz
 * in the max norm, so every sorted singular value gets the maximum over components.
 *
 * For identity init and a symmetric target (eigenvalues), or aligned init and any square target
 * (singular values; the step is equivariant under W_j ↦ R_jᵀW_jR_{j−1}, an isometry, so the same
 * norms bound the rounding, docs/theory.md Theorem 2.2), and the estimation problem.
 */
export function matrixPathTolerance(
  spec: ExperimentSpec,
  eigenvalues: ArrayLike<number>,
  steps: readonly number[],
  /** Unit roundoff of the arithmetic: float32 by default, 2⁻⁵³ for float64 full-matrix GD. */
  unitRoundoff = FLOAT32_UNIT_ROUNDOFF,
): MatrixPathTolerance {
  if (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') throw new Error('matrixPathTolerance needs identity or aligned init');
  const N = spec.depth;
  const eta = spec.stepSize;
  const n = spec.n;
  const alpha = spec.init.alpha;
  const u = unitRoundoff;
  const mu = matmulRoundingConstant(n, u);
  const lambda = Float64Array.from(eigenvalues);
  let lambdaMax = 0;
  let lambdaNorm = 0;
  for (const l of lambda) {
    lambdaMax = Math.max(lambdaMax, Math.abs(l));
    lambdaNorm += l * l;
  }
  lambdaNorm = Math.sqrt(lambdaNorm);
  const w = new Float64Array(lambda.length).fill(alpha);
  // D_i: mean perturbation of component i over the factors; B_i: its other modes.
  // The stored W_j(0) (7.8): αI rounds by u·α; αR_jR_{j−1}ᵀ (aligned, Theorem 2.2) by at most
  // u‖W_j‖_F = u√n·α, after a float64 product off by ≤ ‖R_j‖_F‖R_{j−1}‖_F·γ_n ≈ n²·2⁻⁵³ (7.1) and
  // a float64 SVD orthogonal to about n·2⁻⁵³ (model: a backward-stable SVD).
  const initial = spec.init.kind === 'aligned' ? (u * Math.sqrt(n) + 2 * (n * n + n) * 2 ** -53) * alpha : u * alpha;
  const D = new Float64Array(lambda.length).fill(initial);
  const B = new Float64Array(lambda.length).fill(initial);
  let validThrough = -1;
  const out: number[] = [];
  const pow = (x: number, k: number) => {
    let p = 1;
    for (let j = 0; j < k; j++) p *= x;
    return p;
  };
  const tolerance = () => {
    let t = 0;
    for (let i = 0; i < w.length; i++) {
      const a = Math.abs(w[i]);
      const nonlinear = Math.max(0, pow(a + B[i], N) - pow(a, N) - N * pow(a, N - 1) * B[i]);
      t = Math.max(t, N * pow(a, N - 1) * D[i] + nonlinear + u * pow(a, N));
    }
    return t;
  };
  let next = 0;
  const last = steps.length > 0 ? steps[steps.length - 1] : 0;
  for (let k = 0; k <= last; k++) {
    if (B.every((b) => b <= 0.1 * alpha)) validThrough = k;
    while (next < steps.length && steps[next] === k) {
      out.push(tolerance());
      next++;
    }
    if (k === last) break;
    // Norms along the exact trajectory: a = ‖W_j‖₂, rho = ‖W − Ŵ‖₂.
    let a = 0;
    let rho = 0;
    for (let i = 0; i < w.length; i++) {
      a = Math.max(a, Math.abs(w[i]));
      rho = Math.max(rho, Math.abs(pow(w[i], N) - lambda[i]));
    }
    const aN1 = pow(a, N - 1);
    // (7.3): error of G = W − Ŵ (N − 1 prefix products, the subtraction, the stored Ŵ), then of
    // the N − 1 further products that make ∇_j, then the update's own rounding.
    const deltaG = (N - 1) * mu * pow(a, N) + u * (pow(a, N) + lambdaMax) + u * lambdaNorm;
    const deltaGrad = aN1 * ((N - 1) * mu * rho + deltaG);
    const local = eta * deltaGrad + u * Math.sqrt(n) * (a + eta * aN1 * rho);
    // Modes that mix components grow through the residual part of the Hessian, Σ r_l ∇²Φ_l,
    // where a component sits above its target (r_l > 0: λ ≤ 0, or 0 < λ < α^N) (7.7).
    let above = 0;
    for (let i = 0; i < w.length; i++) above = Math.max(above, pow(w[i], N) - lambda[i]);
    const mixing = 1 + (N >= 2 ? eta * (N - 1) * above * pow(a, N - 2) : 0);
    for (let i = 0; i < w.length; i++) {
      const wi = w[i];
      const li = lambda[i];
      const wN2 = N >= 2 ? pow(wi, N - 2) : 0;
      const xi = N >= 2 ? wN2 * wi * wi : wi;
      // f′(w) = (N−1) w^{N−2} (λ − w^N) − N w^{2N−2}; for N = 1, f′ = −1.
      const fPrime = N === 1 ? -1 : (N - 1) * wN2 * (li - xi) - N * wN2 * wN2 * wi * wi;
      const symmetric = Math.abs(1 + eta * fPrime);
      D[i] = symmetric * D[i] + local;
      // Imbalance modes: 1 + ηw^{N−2}(w^N − λ), above 1 where the component sits above its target.
      B[i] = Math.max(mixing, symmetric, N >= 2 ? 1 + eta * Math.abs(wN2 * (xi - li)) : 1) * B[i] + local;
      const p = pow(wi, N - 1);
      w[i] = wi + eta * p * (li - p * wi);
    }
  }
  while (out.length < steps.length) out.push(tolerance());
  return { tolerance: out, validThrough };
}

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

/**
 * Absolute tolerance on each singular value of the float32 matrix path against the exact
 * float64 spectral path, at each of the given steps (docs/theory.md §7, Proposition 7.2).
 *
 * First-order propagation of rounding: along the exact trajectory, the local error of one step
 * in spectral norm is bounded by (7.3), and a perturbation of component i is carried from one
 * step to the next by the linearized map |1 + η f′(w_i)| (7.4); the product's eigenvalue moves
 * by N|w_i|^{N−1} times the factor perturbation. Sorting is 1-Lipschitz in the max norm, so the
 * tolerance for every sorted singular value is the maximum over components.
 *
 * Valid for identity init, a symmetric target, the estimation problem, on steps before any
 * divergence; it is a first-order bound (second-order terms are O(u²) relative).
 */
export function matrixPathTolerance(spec: ExperimentSpec, eigenvalues: ArrayLike<number>, steps: readonly number[]): number[] {
  if (spec.init.kind !== 'identity') throw new Error('matrixPathTolerance needs identity init');
  const N = spec.depth;
  const eta = spec.stepSize;
  const n = spec.n;
  const u = FLOAT32_UNIT_ROUNDOFF;
  const mu = matmulRoundingConstant(n, u);
  const lambda = Float64Array.from(eigenvalues);
  let lambdaMax = 0;
  let lambdaNorm = 0;
  for (const l of lambda) {
    lambdaMax = Math.max(lambdaMax, Math.abs(l));
    lambdaNorm += l * l;
  }
  lambdaNorm = Math.sqrt(lambdaNorm);
  const w = new Float64Array(lambda.length).fill(spec.init.alpha);
  // D_i: bound on the perturbation of component i of every factor; starts at the rounding of α.
  const D = new Float64Array(lambda.length).fill(u * spec.init.alpha);
  const out: number[] = [];
  const pow = (x: number, k: number) => {
    let p = 1;
    for (let j = 0; j < k; j++) p *= x;
    return p;
  };
  const tolerance = () => {
    let t = 0;
    for (let i = 0; i < w.length; i++) {
      const x = pow(w[i], N);
      // Product eigenvalue: N|w|^{N−1}·D, plus the float32 read-back of x itself.
      t = Math.max(t, N * pow(Math.abs(w[i]), N - 1) * D[i] + u * Math.abs(x));
    }
    return t;
  };
  let next = 0;
  const last = steps.length > 0 ? steps[steps.length - 1] : 0;
  for (let k = 0; k <= last; k++) {
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
    for (let i = 0; i < w.length; i++) {
      const wi = w[i];
      const li = lambda[i];
      const wN2 = N >= 2 ? pow(wi, N - 2) : 0;
      const xi = wN2 * wi * wi; // w^N for N ≥ 2
      // f′(w) = (N−1) w^{N−2} (λ − w^N) − N w^{2N−2}; for N = 1, f′ = −1.
      const fPrime = N === 1 ? -1 : (N - 1) * wN2 * (li - xi) - N * wN2 * wN2 * wi * wi;
      D[i] = Math.abs(1 + eta * fPrime) * D[i] + local;
      const p = pow(wi, N - 1);
      w[i] = wi + eta * p * (li - p * wi);
    }
  }
  while (out.length < steps.length) out.push(tolerance());
  return out;
}

import type { ExperimentSpec } from '../spec/schema';
import { ipow } from './flowTime';

/**
 * The step-size bound (4.1): η ≤ 1/(N λ_max^{2−2/N}) for N ≥ 2, η ≤ 1 for N = 1. Under it the
 * map w ↦ w + ηf(w) is nondecreasing on [0, λ^{1/N}] for every positive eigenvalue.
 */
export function stepSizeBound(lambdaMax: number, depth: number): number {
  if (depth === 1) return 1;
  if (!(lambdaMax > 0)) return Infinity;
  return 1 / (depth * Math.pow(lambdaMax, 2 - 2 / depth));
}

export interface HypothesisCheck {
  met: boolean;
  /** Why not, one phrase each (empty when met). */
  reasons: string[];
}

/**
 * The hypotheses of Theorems 4.1, 5.9 and 5.10 (docs/theory.md §4): identity initialization and a
 * symmetric target (`eigenvalues` its eigenvalues), or aligned initialization and any square target
 * (`eigenvalues` its singular values, Theorem 2.2); the estimation problem; the step-size bound (4.1), and for components that start at
 * or above their target (0 < λ ≤ α^N) or never grow (λ ≤ 0) the conditions (4.5)–(4.6) that keep
 * them monotone and of one sign.
 */
export function checkHypotheses(spec: ExperimentSpec, eigenvalues: ArrayLike<number> | undefined): HypothesisCheck {
  const reasons: string[] = [];
  const aligned = spec.init.kind === 'aligned';
  if (spec.init.kind !== 'identity' && !aligned) reasons.push(`init is ${spec.init.kind}, not identity or aligned`);
  if (spec.problem.kind !== 'estimation') reasons.push(`the problem is ${spec.problem.kind}, not estimation`);
  if (!eigenvalues) {
    reasons.push(aligned ? 'the singular values of the target are not known' : 'the target is not symmetric');
    return { met: false, reasons };
  }
  const N = spec.depth;
  const eta = spec.stepSize;
  const alpha = spec.init.alpha;
  const aN = ipow(alpha, N);
  let lambdaMax = -Infinity;
  let mostNegative = 0;
  let hasSmallPositive = false;
  for (let i = 0; i < eigenvalues.length; i++) {
    const l = eigenvalues[i];
    lambdaMax = Math.max(lambdaMax, l);
    if (l <= 0) mostNegative = Math.min(mostNegative, l);
    else if (l <= aN) hasSmallPositive = true;
  }
  const bound = stepSizeBound(lambdaMax, N);
  if (eta > bound) reasons.push(`step size η = ${eta} exceeds ${bound.toPrecision(4)}, the bound (4.1) η ≤ 1/(Nλ_max^{2−2/N}) with λ_max = ${+lambdaMax.toPrecision(4)}`);
  if (N >= 2 && hasSmallPositive) {
    const b = 1 / ((2 * N - 1) * ipow(alpha, 2 * N - 2));
    if (eta > b) reasons.push(`step size η = ${eta} exceeds ${b.toPrecision(4)}, the bound (4.5) η(2N − 1)α^{2N−2} ≤ 1 for eigenvalues in (0, α^N]`);
  }
  if (N >= 2 && eigenvalues.length > 0 && Array.prototype.some.call(eigenvalues, (l: number) => l <= 0)) {
    const b = 1 / (ipow(alpha, N - 2) * (aN - mostNegative));
    if (eta > b) reasons.push(`step size η = ${eta} exceeds ${b.toPrecision(4)}, the bound (4.6) ηα^{N−2}(α^N + |λ|) ≤ 1 for eigenvalues ≤ 0`);
  }
  return { met: reasons.length === 0, reasons };
}

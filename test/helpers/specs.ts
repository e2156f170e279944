import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec, ExperimentSpecInput } from '../../core/spec/schema';

/** A small identity-init spectrum spec with overrides: the unit tests' common case. */
export function spectrumSpec(overrides: Partial<ExperimentSpecInput> & { eigenvalues?: number[] } = {}): ExperimentSpec {
  const { eigenvalues = [10, 6, 3, 1.5], ...rest } = overrides;
  return parseSpec({
    n: 20,
    depth: 3,
    target: { kind: 'spectrum', eigenvalues, seed: 1 },
    init: { kind: 'identity', alpha: 0.1 },
    stepSize: 0.005,
    steps: 1000,
    ...rest,
  });
}

/**
 * An independent float64 implementation of the scalar recursion of docs/theory.md §2, written
 * differently from core (Math.pow, step-outer loop): the reference the engines are held to.
 */
export function referenceSingularValues(eigenvalues: number[], n: number, depth: number, alpha: number, eta: number, steps: readonly number[]): number[][] {
  const lambda = [...eigenvalues, ...new Array(n - eigenvalues.length).fill(0)];
  const w = lambda.map(() => alpha);
  const out: number[][] = [];
  let k = 0;
  for (const target of steps) {
    for (; k < target; k++)
      for (let i = 0; i < n; i++) w[i] = w[i] + eta * Math.pow(w[i], depth - 1) * (lambda[i] - Math.pow(w[i], depth));
    out.push(w.map((x) => Math.abs(Math.pow(x, depth))).sort((a, b) => b - a));
  }
  return out;
}

export { fullMatrixGradientDescent } from '../../property-tests/reference';

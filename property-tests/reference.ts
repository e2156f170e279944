import { add, identity, multiply, transpose, type DenseMatrix } from '../core/linalg/dense';

// An independent reference the theorem properties (and the unit tests) compare the engine with.

/**
 * Plain float64 gradient descent on all N·n² entries from W_j(0) = αI (docs/theory.md §1), no
 * spectral shortcut: returns the product after `steps` steps. The reference for Theorem 2.1.
 */
export function fullMatrixGradientDescent(target: DenseMatrix, depth: number, alpha: number, eta: number, steps: number): DenseMatrix {
  return fullMatrixGradientDescentFrom(target, Array.from({ length: depth }, () => identity(target.rows, alpha)), eta, steps);
}

/** The same from given initial factors W_1(0) … W_N(0) (aligned init: the reference for Theorem 2.2). */
export function fullMatrixGradientDescentFrom(target: DenseMatrix, initial: DenseMatrix[], eta: number, steps: number): DenseMatrix {
  const n = target.rows;
  const depth = initial.length;
  let factors = initial;
  const product = (fs: DenseMatrix[], from: number, to: number) => {
    let p = identity(n);
    for (let j = from; j < to; j++) p = multiply(fs[j], p);
    return p;
  };
  for (let k = 0; k < steps; k++) {
    const residual = add(product(factors, 0, depth), target, -1);
    factors = factors.map((w, j) => add(w, multiply(multiply(transpose(product(factors, j + 1, depth)), residual), transpose(product(factors, 0, j))), -eta));
  }
  return product(factors, 0, depth);
}

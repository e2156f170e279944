import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import type { DenseMatrix } from './dense';
import { zeros } from './dense';
import type { Rng } from '../random';

// ml-matrix is the float64 linear algebra of core: well kept, pure JS (runs in Node and in the
// webview), and fast enough at the sizes the Lab logs (see docs/performance.md for the numbers).

function toMl(a: DenseMatrix): Matrix {
  const m = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]);
  return m;
}

function fromMl(m: Matrix): DenseMatrix {
  const out = zeros(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  return out;
}

/** Singular values of a matrix, descending, in float64. */
export function singularValues(a: DenseMatrix): Float64Array {
  if (a.rows === 0 || a.cols === 0) return new Float64Array(0);
  const svd = new SingularValueDecomposition(toMl(a), { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  return Float64Array.from(svd.diagonal).sort().reverse();
}

export interface Svd {
  /** Descending singular values. */
  values: Float64Array;
  /** Left singular vectors as columns, in the order of `values`. */
  u: DenseMatrix;
  /** Right singular vectors as columns, in the order of `values`. */
  v: DenseMatrix;
}

export function svd(a: DenseMatrix): Svd {
  const d = new SingularValueDecomposition(toMl(a), { autoTranspose: true });
  const order = Array.from(d.diagonal.keys()).sort((i, j) => d.diagonal[j] - d.diagonal[i]);
  const U = d.leftSingularVectors;
  const V = d.rightSingularVectors;
  const u = zeros(a.rows, order.length);
  const v = zeros(a.cols, order.length);
  order.forEach((src, dst) => {
    for (let i = 0; i < a.rows; i++) u.data[i * order.length + dst] = U.get(i, src);
    for (let i = 0; i < a.cols; i++) v.data[i * order.length + dst] = V.get(i, src);
  });
  return { values: Float64Array.from(order, (i) => d.diagonal[i]), u, v };
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns, in the order of `values`. */
  vectors: DenseMatrix;
}

export function symmetricEigen(a: DenseMatrix): SymmetricEigen {
  const e = new EigenvalueDecomposition(toMl(a), { assumeSymmetric: true });
  const values = e.realEigenvalues;
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const V = e.eigenvectorMatrix;
  const n = a.rows;
  const vectors = zeros(n, n);
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) vectors.data[i * n + dst] = V.get(i, src);
  });
  return { values: Float64Array.from(order, (i) => values[i]), vectors };
}

/** A Haar-random orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal fixed. */
export function randomOrthogonal(n: number, rng: Rng): DenseMatrix {
  const g = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.set(i, j, rng.gaussian());
  const qr = new QrDecomposition(g);
  const q = fromMl(qr.orthogonalMatrix);
  const r = qr.upperTriangularMatrix;
  for (let j = 0; j < n; j++) {
    if (r.get(j, j) < 0) for (let i = 0; i < n; i++) q.data[i * n + j] = -q.data[i * n + j];
  }
  return q;
}

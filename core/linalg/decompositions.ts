import type { OrthogonalFactorRoutine } from './accelerators';
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import type { DenseMatrix } from './dense';
import { identity, zeros } from './dense';
import type { Rng } from '../random';
import type { SingularValueRoutine } from './accelerators';
import { householderSingularValues } from './singularValues';

// ml-matrix is the float64 linear algebra of core for the one-off decompositions (targets,
// references): well kept, pure JS (runs in Node and in the webview). The per-logged-step
// singular values have their own faster routine (./singularValues.ts, or LAPACK where the caller
// passes it, ./accelerators.ts); see docs/performance.md for the numbers.

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

/** LAPACK is not given non-finite input: the values are NaN then, whichever routine would run. */
function allFinite(data: Float64Array): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return false;
  return true;
}

/**
 * Singular values of a matrix, descending, in float64. Backward stable whichever routine runs
 * (`routine`, e.g. LAPACK dgesdd through the native module, when given; else Householder
 * bidiagonalization and bidiagonal QR in TypeScript): each value is within a small multiple of
 * n·2⁻⁵³·σ₁ of the exact one, independently of the conditioning. Non-finite entries give NaN values.
 */
export function singularValues(a: DenseMatrix, routine?: SingularValueRoutine): Float64Array {
  const k = Math.min(a.rows, a.cols);
  if (k === 0) return new Float64Array(0);
  if (routine) {
    if (!allFinite(a.data)) return new Float64Array(k).fill(NaN);
    const out = new Float64Array(k);
    if (routine.singularValues(Float64Array.from(a.data), a.rows, a.cols, out)) return out.sort().reverse();
  }
  return householderSingularValues(a.data, a.rows, a.cols);
}

/**
 * A function that computes `singularValues(a, routine)` off the main thread when called, where
 * the routine offers it (the native module: LAPACK on its SVD thread, one job at a time in call
 * order); undefined where it does not. Same values as `singularValues`; `a` must not change until
 * its promise settles.
 */
export function singularValuesLater(a: DenseMatrix, routine?: SingularValueRoutine): (() => Promise<Float64Array>) | undefined {
  const k = Math.min(a.rows, a.cols);
  const compute = routine?.singularValuesAsync?.bind(routine);
  if (!compute || k === 0) return undefined;
  return async () => {
    if (!allFinite(a.data)) return new Float64Array(k).fill(NaN);
    const out = new Float64Array(k);
    const ok = await compute(a.data, a.rows, a.cols, out);
    return ok ? out.sort().reverse() : singularValues(a, routine);
  };
}

/** The previous routine (ml-matrix's full SVD, values only): kept as the reference of the tests and benchmarks. */
export function singularValuesMl(a: DenseMatrix): Float64Array {
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

/** x·2^e in two exact halves (2^e alone overflows past e = 1023, as 2^1074 does for a subnormal matrix). */
const timesPowerOf2 = (x: number, e: number) => x * 2 ** Math.trunc(e / 2) * 2 ** (e - Math.trunc(e / 2));

export function svd(a: DenseMatrix): Svd {
  // ml-matrix's SVD does not scale: near underflow (a subnormal matrix, or entries ≲ 1e-150 beside
  // subnormal ones) its values and vectors come back wrong. It runs on the matrix scaled by an even
  // power of 2 to a largest entry in [½, 2): exact, and its rounding is invariant under it, so a
  // matrix in the normal range gets the same bits as unscaled.
  let top = 0;
  for (const x of a.data) top = Math.max(top, Math.abs(x));
  const exponent = top > 0 && Number.isFinite(top) ? 2 * Math.round(Math.log2(top) / 2) : 0;
  const input = exponent === 0 ? a : { rows: a.rows, cols: a.cols, data: a.data.map((x) => timesPowerOf2(x, -exponent)) };
  const d = new SingularValueDecomposition(toMl(input), { autoTranspose: true });
  const order = Array.from(d.diagonal.keys()).sort((i, j) => d.diagonal[j] - d.diagonal[i]);
  const U = d.leftSingularVectors;
  const V = d.rightSingularVectors;
  const u = zeros(a.rows, order.length);
  const v = zeros(a.cols, order.length);
  order.forEach((src, dst) => {
    for (let i = 0; i < a.rows; i++) u.data[i * order.length + dst] = U.get(i, src);
    for (let i = 0; i < a.cols; i++) v.data[i * order.length + dst] = V.get(i, src);
  });
  return { values: Float64Array.from(order, (i) => timesPowerOf2(d.diagonal[i], exponent)), u, v };
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Orthonormal eigenvectors as columns, in the order of `values`. */
  vectors: DenseMatrix;
}

export function symmetricEigen(a: DenseMatrix): SymmetricEigen {
  // ml-matrix's tql2 fails (TypeError) on subnormal entries. Scale to max |aᵢⱼ| = 1 and flush what
  // is still subnormal: those entries move no eigenvalue by more than n·2⁻¹⁰²² ≪ 2⁻⁵³·‖A‖.
  let top = 0;
  for (const x of a.data) top = Math.max(top, Math.abs(x));
  if (!Number.isFinite(top)) throw new Error('symmetricEigen: non-finite entries');
  if (top === 0) return { values: new Float64Array(a.rows), vectors: identity(a.rows) };
  const scaled = { rows: a.rows, cols: a.cols, data: a.data.map((x) => (Math.abs(x / top) < 2 ** -1022 ? 0 : x / top)) };
  const e = new EigenvalueDecomposition(toMl(scaled), { assumeSymmetric: true });
  const values = e.realEigenvalues.map((v) => v * top);
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const V = e.eigenvectorMatrix;
  const n = a.rows;
  const vectors = zeros(n, n);
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) vectors.data[i * n + dst] = V.get(i, src);
  });
  return { values: Float64Array.from(order, (i) => values[i]), vectors };
}

/** From this n on, `randomOrthogonal` takes a LAPACK QR where one is passed (O(n³): 11 s at n = 1024 in TypeScript). */
export const LAPACK_QR_MIN_N = 128;

/**
 * A Haar-random orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal fixed
 * (then Q is unique, so LAPACK's Q and the TypeScript one agree to rounding).
 */
export function randomOrthogonal(n: number, rng: Rng, lapack?: OrthogonalFactorRoutine): DenseMatrix {
  if (lapack && n >= LAPACK_QR_MIN_N) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) a[i] = rng.gaussian(); // row-major, the draws of the loop below
    if (lapack.orthogonalFactor(a, n)) return { rows: n, cols: n, data: a };
    return randomOrthogonalFrom(a, n);
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = rng.gaussian();
  return randomOrthogonalFrom(a, n);
}

function randomOrthogonalFrom(a: Float64Array, n: number): DenseMatrix {
  const g = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.set(i, j, a[i * n + j]);
  const qr = new QrDecomposition(g);
  const q = fromMl(qr.orthogonalMatrix);
  const r = qr.upperTriangularMatrix;
  for (let j = 0; j < n; j++) {
    if (r.get(j, j) < 0) for (let i = 0; i < n; i++) q.data[i * n + j] = -q.data[i * n + j];
  }
  return q;
}

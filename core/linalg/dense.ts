/** A row-major float64 matrix in plain memory: the currency of core outside tfjs (targets, spectra, results). */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): DenseMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(n: number, scale = 1): DenseMatrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = scale;
  return m;
}

export function fromRows(rows: readonly (readonly number[])[]): DenseMatrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  rows.forEach((row, i) => m.data.set(row, i * c));
  return m;
}

export function toRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** C = A·B, i-k-j loop order so the inner loop runs along rows of B and C. */
export function multiply(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  if (a.cols !== b.rows) throw new Error(`multiply: ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const c = zeros(a.rows, b.cols);
  const { data: A } = a;
  const { data: B } = b;
  const { data: C } = c;
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = A[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] += aik * B[bk + j];
    }
  }
  return c;
}

export function transpose(a: DenseMatrix): DenseMatrix {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}

export function add(a: DenseMatrix, b: DenseMatrix, scaleB = 1): DenseMatrix {
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = a.data[i] + scaleB * b.data[i];
  return c;
}

export function scale(a: DenseMatrix, s: number): DenseMatrix {
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = s * a.data[i];
  return c;
}

export function frobeniusNorm(a: DenseMatrix): number {
  let s = 0;
  for (const v of a.data) s += v * v;
  return Math.sqrt(s);
}

/** Exact symmetry: the spectral path is exact only for exactly symmetric targets. */
export function isSymmetric(a: DenseMatrix, relativeTolerance = 0): boolean {
  if (a.rows !== a.cols) return false;
  const n = a.rows;
  // Exact comparison when no tolerance is asked for (0·‖A‖ would be NaN once ‖A‖ overflows).
  const tol = relativeTolerance === 0 ? 0 : relativeTolerance * frobeniusNorm(a);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (Math.abs(a.data[i * n + j] - a.data[j * n + i]) > tol) return false;
  return true;
}

/** V·diag(d)·Vᵀ for a square V whose columns are the eigenvectors. */
export function fromEigen(vectors: DenseMatrix, values: ArrayLike<number>): DenseMatrix {
  const n = vectors.rows;
  // Zero eigenvalues add ±0 to a sum that starts at +0: leaving them out changes no bit, and a
  // low-rank target costs O(n²r), not O(n³).
  const live = Array.from({ length: values.length }, (_, l) => l).filter((l) => values[l] !== 0);
  const out = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (const l of live) s += vectors.data[i * vectors.cols + l] * values[l] * vectors.data[j * vectors.cols + l];
      out.data[i * n + j] = s;
      out.data[j * n + i] = s;
    }
  return out;
}

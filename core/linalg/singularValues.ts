// Float64 singular values without vectors, in pure TypeScript (the webview, and Node without the
// native module): Householder bidiagonalization on row-major data, then the implicit-shift
// Golub–Kahan QR iteration on the bidiagonal (values only, as in LINPACK/JAMA).
//
// Both stages are backward stable: the computed values are the exact singular values of A + E
// with ‖E‖₂ ≤ p(n)·u·‖A‖₂ (u = 2⁻⁵³), so every value has an absolute error of a modest multiple
// of n·u·σ₁ (measured: below 1e-13·σ₁ at n = 512; docs/performance.md). No Gram matrix AᵀA is
// formed, so small singular values are not squared away: the accuracy does not depend on σ_min/σ₁.
//
// Cost about (8/3)n³ flops for a square matrix, all in contiguous row loops (ml-matrix's SVD
// takes 2–4× longer; docs/performance.md).

/** |(a, b)| without overflow or destructive underflow. */
function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Below this squared norm a column or row remainder is left as it is (no reflection): its square
 * underflows (1/(norm² − x₀α) would overflow to Infinity and give NaN values), and at norm
 * < 2⁻⁵⁰⁰ dropping it perturbs the matrix, scaled to a largest entry of 1, far below u·‖A‖.
 */
const NEGLIGIBLE_NORM2 = 2 ** -1000;

/**
 * Reduces the row-major m×n matrix `a` (m ≥ n, overwritten) to upper bidiagonal form
 * B = Q₁ᵀ A Q₂ with Householder reflections; returns B's diagonal `d` (n) and superdiagonal `e`
 * (n, e[n−1] = 0).
 */
function bidiagonalize(a: Float64Array, m: number, n: number): { d: Float64Array; e: Float64Array } {
  if (m < n) throw new Error('bidiagonalize: needs rows ≥ cols');
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Left reflection H = I − β·v·vᵀ, v = x − α·e₁, zeroing column k below the diagonal.
    let norm2 = 0;
    for (let i = k; i < m; i++) {
      const x = a[i * n + k];
      norm2 += x * x;
    }
    let beta = 0;
    if (norm2 < NEGLIGIBLE_NORM2) {
      d[k] = a[k * n + k];
    } else {
      const x0 = a[k * n + k];
      const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
      beta = 1 / (norm2 - x0 * alpha);
      a[k * n + k] = x0 - alpha;
      d[k] = alpha;
      // w = vᵀ A[k:, k+1:]  (one pass, row by row)
      w.fill(0, k + 1, n);
      for (let i = k; i < m; i++) {
        const vi = a[i * n + k];
        if (vi === 0) continue;
        const row = i * n;
        for (let j = k + 1; j < n; j++) w[j] += vi * a[row + j];
      }
      // Row k first: the right reflection is built from it.
      const s = beta * a[k * n + k];
      const rowK = k * n;
      for (let j = k + 1; j < n; j++) a[rowK + j] -= s * w[j];
    }
    if (k + 1 >= n) break;
    // Right reflection G = I − γ·u·uᵀ zeroing row k right of the superdiagonal.
    const rowK = k * n;
    let unorm2 = 0;
    for (let j = k + 1; j < n; j++) unorm2 += a[rowK + j] * a[rowK + j];
    let gamma = 0;
    if (unorm2 < NEGLIGIBLE_NORM2) {
      e[k] = a[rowK + k + 1];
    } else {
      const x0 = a[rowK + k + 1];
      const alpha = x0 >= 0 ? -Math.sqrt(unorm2) : Math.sqrt(unorm2);
      gamma = 1 / (unorm2 - x0 * alpha);
      a[rowK + k + 1] = x0 - alpha;
      e[k] = alpha;
    }
    // Rows k+1…: finish the left update and apply the right reflection while the row is in cache.
    for (let i = k + 1; i < m; i++) {
      const row = i * n;
      const s = beta * a[row + k];
      if (s !== 0) for (let j = k + 1; j < n; j++) a[row + j] -= s * w[j];
      if (gamma !== 0) {
        let t = 0;
        for (let j = k + 1; j < n; j++) t += a[row + j] * a[rowK + j];
        t *= gamma;
        if (t !== 0) for (let j = k + 1; j < n; j++) a[row + j] -= t * a[rowK + j];
      }
    }
  }
  return { d, e };
}

/**
 * Singular values of the upper bidiagonal matrix with diagonal `s` and superdiagonal `e`
 * (both overwritten; e[n−1] must be 0): implicit-shift QR with the deflation tests of
 * LINPACK's dsvdc, values only. Returns them descending (`s` itself).
 */
function bidiagonalSingularValues(s: Float64Array, e: Float64Array): Float64Array {
  const n = s.length;
  const eps = 2 ** -52;
  const tiny = Number.MIN_VALUE;
  let p = n;
  let guard = 0;
  const maxSweeps = 75 * Math.max(n, 1);
  while (p > 0) {
    if (++guard > maxSweeps) throw new Error('bidiagonal QR did not converge');
    let k: number;
    let kase: number;
    for (k = p - 2; k >= 0; k--) {
      const alpha = tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // s[p−1] is negligible: chase e[p−2] out with rotations from the right.
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot2(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
      }
    } else if (kase === 2) {
      // s[k−1] is negligible: split, chasing e[k−1] out from the left.
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot2(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
      }
    } else if (kase === 3) {
      // One implicit QR step with the Wilkinson-like shift of dsvdc.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot2(f, g);
        if (t === 0) t = tiny;
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        t = hypot2(f, g);
        if (t === 0) t = tiny;
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
      }
      e[p - 2] = f;
    } else {
      // s[k] has converged.
      if (s[k] < 0) s[k] = -s[k];
      p--;
    }
  }
  return s.sort().reverse();
}

/**
 * Singular values, descending, of the row-major rows×cols matrix `data` (not modified), in
 * float64, by Householder bidiagonalization and bidiagonal QR. Non-finite input gives NaN values.
 */
export function householderSingularValues(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const k = Math.min(rows, cols);
  if (k === 0) return new Float64Array(0);
  // Work on the orientation with rows ≥ cols, scaled so the largest entry is 1.
  const m = Math.max(rows, cols);
  const n = k;
  const a = new Float64Array(m * n);
  let max = 0;
  let finite = true;
  if (rows >= cols) {
    for (let i = 0; i < rows * cols; i++) {
      const x = data[i];
      a[i] = x;
      const ax = Math.abs(x);
      if (ax > max) max = ax;
      else if (!(ax <= max)) finite = false;
    }
  } else {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const x = data[i * cols + j];
        a[j * n + i] = x;
        const ax = Math.abs(x);
        if (ax > max) max = ax;
        else if (!(ax <= max)) finite = false;
      }
  }
  if (!finite || !Number.isFinite(max)) return new Float64Array(k).fill(NaN);
  if (max === 0) return new Float64Array(k);
  // 1/max overflows for a subnormal max (below 2⁻¹⁰²²): divide then; otherwise multiply, as before.
  const inv = 1 / max;
  if (Number.isFinite(inv)) for (let i = 0; i < a.length; i++) a[i] *= inv;
  else for (let i = 0; i < a.length; i++) a[i] /= max;
  const { d, e } = bidiagonalize(a, m, n);
  const s = bidiagonalSingularValues(d, e);
  for (let i = 0; i < s.length; i++) s[i] *= max;
  return s;
}

/**
 * Balancedness of the factors, ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F for j = 1…N−1 (docs/theory.md §1):
 * zero for the identity initialization and conserved by gradient flow, so it measures how far
 * a random initialization is from the balanced regime of the theory. Float64, O(N n³); factors
 * row-major n×n, W_1 first.
 */
export function balancedness(factors: readonly ArrayLike<number>[], n: number): Float64Array {
  const out = new Float64Array(Math.max(0, factors.length - 1));
  const gram = (w: ArrayLike<number>, transposeFirst: boolean): Float64Array => {
    // WᵀW (transposeFirst) or WWᵀ.
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        let s = 0;
        if (transposeFirst) for (let k = 0; k < n; k++) s += w[k * n + i] * w[k * n + j];
        else for (let k = 0; k < n; k++) s += w[i * n + k] * w[j * n + k];
        g[i * n + j] = g[j * n + i] = s;
      }
    return g;
  };
  for (let j = 0; j + 1 < factors.length; j++) {
    const a = gram(factors[j + 1], true);
    const b = gram(factors[j], false);
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
    out[j] = Math.sqrt(s);
  }
  return out;
}

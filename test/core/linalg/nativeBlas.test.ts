import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadNative, nativeModulePath } from '../../../native/loader';

// The optional native module (native/): where it is built, its GEMM/GEMV must agree with a plain
// float64 reference for every transpose combination, through OpenBLAS and through the builtin C
// kernel it falls back to without a BLAS.

function reference(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
      out[i * n + j] = alpha * s + beta * c[i * n + j];
    }
  return out;
}

const random = (len: number, seed: number) => {
  let x = seed;
  return Float32Array.from({ length: len }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
};

/** Runs the checks in this process on `mod`; returns the largest error. */
function check(mod: NonNullable<ReturnType<typeof loadNative>>): number {
  let worst = 0;
  const [m, n, k] = [13, 7, 9];
  for (const ta of [false, true])
    for (const tb of [false, true]) {
      const a = random(m * k, 1);
      const b = random(k * n, 2);
      const c = random(m * n, 3);
      const expected = reference(ta, tb, m, n, k, -0.7, a, b, 0.5, c);
      mod.sgemm(ta, tb, m, n, k, -0.7, a, b, 0.5, c);
      c.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - expected[i]))));
    }
  for (const t of [false, true]) {
    const a = random(m * n, 4);
    const x = random(t ? m : n, 5);
    const y = random(t ? n : m, 6);
    const expected = reference(t, false, t ? n : m, 1, t ? m : n, 2, a, x, -1, y);
    mod.sgemv(t, m, n, 2, a, x, -1, y);
    y.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]))));
  }
  return worst;
}

const native = loadNative();

describe.skipIf(!native)('native BLAS (native/dfl_native.c)', () => {
  it('GEMM and GEMV agree with a float64 reference for all transposes', () => {
    expect(check(native!)).toBeLessThan(1e-5);
  });

  it('the builtin C kernel (no BLAS found) agrees too', () => {
    const script = `
      const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(nativeModulePath())});
      process.stdout.write(JSON.stringify(m.exports.info()));`;
    const info = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, DFL_BLAS_LIB: 'builtin' } }).toString());
    expect(info).toMatchObject({ library: 'builtin', blas: false, lapack: false });
    const run = `
      const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(nativeModulePath())});
      const a = Float32Array.from([1, 2, 3, 4, 5, 6]), b = Float32Array.from([1, 0, -1, 2, 0.5, 1]), c = new Float32Array(4);
      m.exports.sgemm(false, false, 2, 2, 3, 1, a, b, 0, c);  // [[1,2,3],[4,5,6]]·[[1,0],[-1,2],[0.5,1]]
      const d = new Float32Array(4); m.exports.sgemm(true, true, 2, 2, 3, 1, Float32Array.from([1, 4, 2, 5, 3, 6]), Float32Array.from([1, -1, 0.5, 0, 2, 1]), 0, d);
      process.stdout.write(JSON.stringify([Array.from(c), Array.from(d)]));`;
    const [c, d] = JSON.parse(execFileSync(process.execPath, ['-e', run], { env: { ...process.env, DFL_BLAS_LIB: 'builtin' } }).toString());
    expect(c).toEqual([0.5, 7, 2, 16]);
    expect(d).toEqual([0.5, 7, 2, 16]);
  });

  it('rejects arrays of the wrong type or size', () => {
    expect(() => native!.sgemm(false, false, 2, 2, 2, 1, new Float32Array(3), new Float32Array(4), 0, new Float32Array(4))).toThrow(/bad shapes/);
    expect(() => native!.sgemv(false, 2, 2, 1, new Float64Array(4) as unknown as Float32Array, new Float32Array(2), 0, new Float32Array(2))).toThrow(/bad shapes/);
  });
});

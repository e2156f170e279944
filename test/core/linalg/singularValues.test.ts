import { describe, expect, it } from 'vitest';
import { singularValues, singularValuesMl, randomOrthogonal } from '../../../core/linalg/decompositions';
import { householderSingularValues } from '../../../core/linalg/singularValues';
import { multiply, scale, transpose, zeros, type DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';
import { loadNative, nativeAccelerators } from '../../../native/loader';

const EPS = 2 ** -52;

function gaussian(rows: number, cols: number, seed: number): DenseMatrix {
  const rng = createRng(seed);
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.gaussian();
  return m;
}

/** U·diag(σ)·Vᵀ with Haar-random U (rows×rows) and V (cols×cols): singular values known exactly. */
function withSpectrum(rows: number, cols: number, sigma: number[], seed: number): DenseMatrix {
  const rng = createRng(seed);
  const u = randomOrthogonal(rows, rng);
  const v = randomOrthogonal(cols, rng);
  const s = zeros(rows, cols);
  sigma.forEach((x, i) => (s.data[i * cols + i] = x));
  return multiply(multiply(u, s), transpose(v));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const native = loadNative();
const lapack = native ? nativeAccelerators(native).singularValues : null;

// Each routine under test: the TypeScript one always, LAPACK where the native module is built.
const routines: [string, (a: DenseMatrix) => Float64Array][] = [
  ['typescript', (a) => householderSingularValues(a.data, a.rows, a.cols)],
  ['singularValues (default)', (a) => singularValues(a)],
];
if (lapack)
  routines.push([
    'lapack',
    (a) => {
      const out = new Float64Array(Math.min(a.rows, a.cols));
      expect(lapack.singularValues(Float64Array.from(a.data), a.rows, a.cols, out)).toBe(true);
      return out.sort().reverse();
    },
  ]);

describe.each(routines)('singular values (%s)', (_, sv) => {
  it.each([
    [1, 1],
    [2, 2],
    [7, 7],
    [64, 64],
    [40, 25],
    [25, 40],
    [130, 130],
  ])('match ml-matrix on a random %i×%i matrix', (rows, cols) => {
    const a = gaussian(rows, cols, rows * 1000 + cols);
    const s = sv(a);
    const ref = singularValuesMl(a);
    expect(maxAbsDiff(s, ref)).toBeLessThanOrEqual(20 * Math.max(rows, cols) * EPS * ref[0]);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
  });

  it('recover a low-rank spectrum, zeros included', () => {
    const sigma = [50, 20, 3, 1e-3, ...new Array(36).fill(0)];
    const a = withSpectrum(40, 40, sigma, 7);
    const s = sv(a);
    // Backward stability: an absolute error of a few n·u·σ₁, zeros included.
    expect(maxAbsDiff(s, sigma)).toBeLessThanOrEqual(20 * 40 * EPS * 50);
    expect(maxAbsDiff(s, singularValuesMl(a))).toBeLessThanOrEqual(20 * 40 * EPS * 50);
  });

  it('keep small singular values of an ill-conditioned matrix accurate relative to σ₁ (no Gram squaring)', () => {
    // σ from 1 down to 1e-14: the Gram matrix AᵀA would lose everything below ~1e-8.
    const n = 48;
    const sigma = Array.from({ length: n }, (_, i) => 10 ** (-14 * (i / (n - 1))));
    const a = withSpectrum(n, n, sigma, 11);
    const s = sv(a);
    expect(maxAbsDiff(s, sigma)).toBeLessThanOrEqual(20 * n * EPS);
    // The accuracy the Lab needs: values above 1e-7·σ₁ within 1e-9·σ₁.
    sigma.forEach((x, i) => {
      if (x > 1e-7) expect(Math.abs(s[i] - x)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('scale with the matrix (tiny and huge entries) and handle zero and non-finite matrices', () => {
    const a = gaussian(20, 20, 3);
    const ref = sv(a);
    for (const f of [1e-150, 1e150]) {
      const s = sv(scale(a, f));
      s.forEach((x, i) => expect(Math.abs(x / f - ref[i])).toBeLessThanOrEqual(1e-13 * ref[0]));
    }
    expect(Array.from(sv(zeros(5, 3)))).toEqual([0, 0, 0]);
    const bad = gaussian(4, 4, 1);
    bad.data[5] = NaN;
    expect(Array.from(singularValues(bad)).every(Number.isNaN)).toBe(true);
  });
});

describe('singularValues dispatch', () => {
  it('uses a routine passed in and falls back to TypeScript when it declines', () => {
    const a = gaussian(6, 6, 5);
    let calls = 0;
    const routine = { description: 'fake', singularValues: () => (calls++, false) };
    expect(maxAbsDiff(singularValues(a, routine), singularValuesMl(a))).toBeLessThan(1e-12);
    expect(calls).toBe(1);
    expect(maxAbsDiff(singularValues(a), singularValuesMl(a))).toBeLessThan(1e-12);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LAPACK_QR_MIN_N,
  randomOrthogonal,
  singularValues,
  singularValuesLater,
  singularValuesMl,
  svd,
  symmetricEigen,
} from '../../../core/linalg/decompositions';
import type { OrthogonalFactorRoutine, SingularValueRoutine } from '../../../core/linalg/accelerators';
import type { DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';

// The float64 decompositions are checked by identities that hold whatever routine computes them:
// reconstruction (QR = A, UΣVᵀ = A, VΛVᵀ = A), orthogonality, sorted values. The tolerances are
// backward-stability bounds, c·n·u·‖A‖ with u = 2⁻⁵³ ≈ 1.1e-16 and c a generous 100 for n ≤ 6.

const U = 2 ** -53;

/** Row-major m×k times k×n, written here so that no product of core checks core. */
function mul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let l = 0; l < a.cols; l++) s += a.data[i * a.cols + l] * b.data[l * b.cols + j];
      out[i * b.cols + j] = s;
    }
  return { rows: a.rows, cols: b.cols, data: out };
}

function tr(a: DenseMatrix): DenseMatrix {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j];
  return { rows: a.cols, cols: a.rows, data: out };
}

function diag(values: ArrayLike<number>): DenseMatrix {
  const k = values.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) out[i * k + i] = values[i];
  return { rows: k, cols: k, data: out };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

/** max |MᵀM − I|: zero for orthonormal columns. */
const orthogonalityError = (m: DenseMatrix) => {
  const g = mul(tr(m), m);
  return maxAbsDiff(g.data, diag(new Array(m.cols).fill(1)).data);
};

const frobenius = (a: DenseMatrix) => Math.sqrt(a.data.reduce((s, x) => s + x * x, 0));

const isDescending = (v: ArrayLike<number>) => Array.from(v).every((x, i, all) => i === 0 || all[i - 1] >= x);

/** A small matrix with entries in [−10, 10] (fast-check shrinks it to the smallest failing one). */
const matrixArb = (maxSide: number) =>
  fc
    .record({ rows: fc.integer({ min: 1, max: maxSide }), cols: fc.integer({ min: 1, max: maxSide }) })
    .chain(({ rows, cols }) =>
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: rows * cols, maxLength: rows * cols }).map((data) => ({ rows, cols, data: Float64Array.from(data) })),
    );

const symmetricArb = (maxSide: number) =>
  fc.integer({ min: 1, max: maxSide }).chain((n) =>
    fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((raw) => {
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = (raw[i * n + j] + raw[j * n + i]) / 2;
      return { rows: n, cols: n, data };
    }),
  );

describe('randomOrthogonal', () => {
  it('is the Q of a QR of the seed’s Gaussian draws: QᵀQ = I, R = QᵀG upper triangular with a positive diagonal, QR = G', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, seed) => {
        const q = randomOrthogonal(n, createRng(seed));
        // The same draws, in the same row-major order, as randomOrthogonal takes them.
        const rng = createRng(seed);
        const g: DenseMatrix = { rows: n, cols: n, data: Float64Array.from({ length: n * n }, () => rng.gaussian()) };
        const r = mul(tr(q), g);
        const scaleG = 1 + frobenius(g);
        expect(orthogonalityError(q)).toBeLessThan(100 * n * U);
        for (let i = 0; i < n; i++) {
          expect(r.data[i * n + i]).toBeGreaterThan(0);
          for (let j = 0; j < i; j++) expect(Math.abs(r.data[i * n + j])).toBeLessThan(100 * n * U * scaleG);
        }
        expect(maxAbsDiff(mul(q, r).data, g.data)).toBeLessThan(100 * n * U * scaleG);
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('is deterministic in the seed and differs between seeds', () => {
    expect(randomOrthogonal(5, createRng(3)).data).toEqual(randomOrthogonal(5, createRng(3)).data);
    expect(maxAbsDiff(randomOrthogonal(5, createRng(3)).data, randomOrthogonal(5, createRng(4)).data)).toBeGreaterThan(0.01);
  });

  it('hands the draws to a LAPACK routine from LAPACK_QR_MIN_N on, and falls back to its own QR when it refuses', () => {
    const n = LAPACK_QR_MIN_N;
    const seen: Float64Array[] = [];
    const writesIdentity: OrthogonalFactorRoutine = {
      description: 'stand-in',
      orthogonalFactor(a, size) {
        seen.push(Float64Array.from(a));
        a.fill(0);
        for (let i = 0; i < size; i++) a[i * size + i] = 1;
        return true;
      },
    };
    const fromLapack = randomOrthogonal(n, createRng(5), writesIdentity);
    expect(fromLapack.data).toEqual(diag(new Array(n).fill(1)).data);
    const rng = createRng(5);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(Float64Array.from({ length: n * n }, () => rng.gaussian()));

    const refuses: OrthogonalFactorRoutine = { description: 'refuses', orthogonalFactor: () => false };
    expect(randomOrthogonal(n, createRng(5), refuses).data).toEqual(randomOrthogonal(n, createRng(5)).data);
    // Below the threshold the routine is not called at all.
    let calls = 0;
    randomOrthogonal(8, createRng(5), { description: 'counts', orthogonalFactor: () => (calls++, true) });
    expect(calls).toBe(0);
  });
});

describe('svd', () => {
  it('reconstructs A = U diag(σ) Vᵀ with orthonormal U, V and σ descending and non-negative (random small matrices)', () => {
    fc.assert(
      fc.property(matrixArb(5), (a) => {
        const d = svd(a);
        const k = Math.min(a.rows, a.cols);
        expect(d.values).toHaveLength(k);
        expect(isDescending(d.values)).toBe(true);
        expect(Math.min(...d.values)).toBeGreaterThanOrEqual(0);
        expect(d.u.rows).toBe(a.rows);
        expect(d.v.rows).toBe(a.cols);
        const tol = 100 * Math.max(a.rows, a.cols) * U * (1 + frobenius(a));
        expect(maxAbsDiff(mul(mul(d.u, diag(d.values)), tr(d.v)).data, a.data)).toBeLessThan(tol);
        // Orthonormal columns are only owed for the non-zero singular values' vectors.
        const nonzero = Array.from(d.values).filter((s) => s > 1e-8 * (d.values[0] || 1)).length;
        const cols = (m: DenseMatrix, c: number): DenseMatrix => ({ rows: m.rows, cols: c, data: Float64Array.from({ length: m.rows * c }, (_, e) => m.data[Math.floor(e / c) * m.cols + (e % c)]) });
        expect(orthogonalityError(cols(d.u, nonzero))).toBeLessThan(1e-12);
        expect(orthogonalityError(cols(d.v, nonzero))).toBeLessThan(1e-12);
      }),
      { seed: 12, numRuns: 80 },
    );
  });

  it('keeps its vectors orthonormal for a matrix near underflow or overflow (scaled by a power of 2)', () => {
    for (const f of [5e-324, 1e-310, 1e300]) {
      const d = svd({ rows: 2, cols: 2, data: Float64Array.from([1, 0, -1, 0].map((x) => x * f)) });
      // [[1, 0], [−1, 0]]·f has σ = (√2·f, 0), u₁ = ±(1, −1)/√2, v₁ = ±(1, 0).
      expect(d.values[0] / (Math.SQRT2 * f)).toBeCloseTo(1, 12);
      expect(d.values[1]).toBe(0);
      expect(Math.abs(d.u.data[0])).toBeCloseTo(Math.SQRT1_2, 14);
      expect(d.u.data[0] + d.u.data[2]).toBeCloseTo(0, 14);
      expect(orthogonalityError(d.v)).toBeLessThan(1e-14);
    }
  });

  it('gives |λ| sorted for a diagonal matrix with signs and an unsorted order', () => {
    const d = svd(diag([-1, 3, 0.5, -2]));
    expect(Array.from(d.values)).toEqual([3, 2, 1, 0.5]);
  });
});

describe('symmetricEigen', () => {
  it('reconstructs A = V diag(λ) Vᵀ with V orthogonal and λ descending (random symmetric matrices)', () => {
    fc.assert(
      fc.property(symmetricArb(6), (a) => {
        const { values, vectors } = symmetricEigen(a);
        const n = a.rows;
        expect(isDescending(values)).toBe(true);
        expect(orthogonalityError(vectors)).toBeLessThan(100 * n * U);
        expect(maxAbsDiff(mul(mul(vectors, diag(values)), tr(vectors)).data, a.data)).toBeLessThan(100 * n * U * (1 + frobenius(a)));
        // The trace is the sum of the eigenvalues.
        let trace = 0;
        for (let i = 0; i < n; i++) trace += a.data[i * n + i];
        expect(Math.abs(values.reduce((s, x) => s + x, 0) - trace)).toBeLessThan(100 * n * U * (1 + frobenius(a)));
      }),
      { seed: 13, numRuns: 80 },
    );
  });

  it('has the closed form of a 2×2 symmetric matrix: (a + c)/2 ± √(((a − c)/2)² + b²)', () => {
    const [a, b, c] = [2, 1, -1];
    const mid = (a + c) / 2;
    const radius = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const { values } = symmetricEigen({ rows: 2, cols: 2, data: Float64Array.from([a, b, b, c]) });
    expect(values[0]).toBeCloseTo(mid + radius, 14);
    expect(values[1]).toBeCloseTo(mid - radius, 14);
  });

  it('gives zeros and the identity for the zero matrix, scales with tiny entries, and refuses non-finite ones', () => {
    const zero = symmetricEigen({ rows: 3, cols: 3, data: new Float64Array(9) });
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(zero.vectors.data).toEqual(diag([1, 1, 1]).data);
    // Entries near the subnormal range: the eigenvalues are those of the unscaled matrix times 1e-300.
    const tiny = symmetricEigen({ rows: 2, cols: 2, data: Float64Array.from([2e-300, 0, 0, -1e-300]) });
    expect(tiny.values[0] / 2e-300).toBeCloseTo(1, 12);
    expect(tiny.values[1] / -1e-300).toBeCloseTo(1, 12);
    expect(() => symmetricEigen({ rows: 2, cols: 2, data: Float64Array.from([1, Infinity, Infinity, 1]) })).toThrow(/non-finite/);
  });
});

describe('singularValues', () => {
  it('keeps Σσ² = ‖A‖_F², agrees with the SVD’s values and with ml-matrix’s routine (random small matrices)', () => {
    fc.assert(
      fc.property(matrixArb(6), (a) => {
        const s = singularValues(a);
        const norm = frobenius(a);
        const tol = 100 * Math.max(a.rows, a.cols) * U * (1 + norm);
        expect(s).toHaveLength(Math.min(a.rows, a.cols));
        expect(isDescending(s)).toBe(true);
        expect(Math.abs(Math.sqrt(s.reduce((t, x) => t + x * x, 0)) - norm)).toBeLessThan(tol);
        expect(maxAbsDiff(s, svd(a).values)).toBeLessThan(tol);
        expect(maxAbsDiff(s, singularValuesMl(a))).toBeLessThan(tol);
      }),
      { seed: 14, numRuns: 80 },
    );
  });

  it('has the 2×2 closed form: σ₁σ₂ = |det A| and σ₁² + σ₂² = ‖A‖_F²', () => {
    const [a, b, c, d] = [3, -1, 2, 5];
    const sumSq = a * a + b * b + c * c + d * d;
    const det = Math.abs(a * d - b * c);
    // σ² are the roots of x² − ‖A‖²x + det² = 0.
    const disc = Math.sqrt(sumSq * sumSq - 4 * det * det);
    const expected = [Math.sqrt((sumSq + disc) / 2), Math.sqrt((sumSq - disc) / 2)];
    const m = { rows: 2, cols: 2, data: Float64Array.from([a, b, c, d]) };
    expect(maxAbsDiff(singularValues(m), expected)).toBeLessThan(1e-14 * expected[0]);
    expect(maxAbsDiff(singularValuesMl(m), expected)).toBeLessThan(1e-14 * expected[0]);
  });

  it('stays finite on entries near underflow: a subnormal matrix, and a row whose square underflows', () => {
    expect(Array.from(singularValues({ rows: 1, cols: 1, data: Float64Array.from([-5e-324]) }))).toEqual([5e-324]);
    expect(Array.from(singularValues({ rows: 2, cols: 2, data: Float64Array.from([1e-310, 0, 0, 2e-310]) }))).toEqual([2e-310, 1e-310]);
    // [[0, 0, a], [0, 0, b]] has σ = (√(a² + b²), 0); b² underflows in the Householder norm.
    const [a, b] = [2.6e-4, 4.1e-166];
    const s = singularValues({ rows: 2, cols: 3, data: Float64Array.from([0, 0, a, 0, 0, b]) });
    expect(s[0]).toBeCloseTo(a, 18);
    // Backward stable: the second value is within u·σ₁ of b.
    expect(Math.abs(s[1] - b)).toBeLessThan(U * a);
  });

  it('returns nothing for an empty matrix', () => {
    expect(singularValues({ rows: 0, cols: 3, data: new Float64Array(0) })).toHaveLength(0);
    expect(singularValuesMl({ rows: 3, cols: 0, data: new Float64Array(0) })).toHaveLength(0);
  });

  it('takes a routine passed in, sorts its values, falls back when it refuses and gives NaN for non-finite input without calling it', () => {
    const inputs: Float64Array[] = [];
    const routine: SingularValueRoutine = {
      description: 'stand-in',
      singularValues(a, _m, _n, out) {
        inputs.push(a);
        out.set([1, 7, 3]);
        return true;
      },
    };
    const a = { rows: 3, cols: 3, data: Float64Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3]) };
    expect(Array.from(singularValues(a, routine))).toEqual([7, 3, 1]);
    // The routine may overwrite its input: it gets a copy.
    expect(inputs[0]).not.toBe(a.data);
    const refuses: SingularValueRoutine = { description: 'refuses', singularValues: () => false };
    expect(Array.from(singularValues(a, refuses))).toEqual([3, 2, 1]);
    const withNaN = { rows: 2, cols: 2, data: Float64Array.from([1, NaN, 0, 1]) };
    const calls = inputs.length;
    expect(Array.from(singularValues(withNaN, routine)).every(Number.isNaN)).toBe(true);
    expect(inputs.length).toBe(calls);
  });
});

describe('singularValuesLater', () => {
  const a = { rows: 2, cols: 3, data: Float64Array.from([3, 0, 0, 0, 4, 0]) };

  it('is undefined without an async routine or for an empty matrix', () => {
    expect(singularValuesLater(a)).toBeUndefined();
    expect(singularValuesLater(a, { description: 'sync only', singularValues: () => true })).toBeUndefined();
    const asyncRoutine: SingularValueRoutine = { description: 'async', singularValues: () => false, singularValuesAsync: () => Promise.resolve(true) };
    expect(singularValuesLater({ rows: 0, cols: 0, data: new Float64Array(0) }, asyncRoutine)).toBeUndefined();
  });

  it('resolves to the async routine’s values sorted, falls back to the sync values when it refuses, NaN for non-finite input', async () => {
    const sorted: SingularValueRoutine = {
      description: 'async',
      singularValues: () => false,
      singularValuesAsync: (_a, _m, _n, out) => {
        out.set([2, 9]);
        return Promise.resolve(true);
      },
    };
    expect(Array.from(await singularValuesLater(a, sorted)!())).toEqual([9, 2]);
    const refuses: SingularValueRoutine = { description: 'refuses', singularValues: () => false, singularValuesAsync: () => Promise.resolve(false) };
    expect(Array.from(await singularValuesLater(a, refuses)!())).toEqual([4, 3]);
    const nan = { rows: 2, cols: 2, data: Float64Array.from([Infinity, 0, 0, 1]) };
    expect(Array.from(await singularValuesLater(nan, sorted)!()).every(Number.isNaN)).toBe(true);
  });
});

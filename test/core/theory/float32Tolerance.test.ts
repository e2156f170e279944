import { describe, expect, it } from 'vitest';
import { FLOAT32_UNIT_ROUNDOFF, matmulRoundingConstant, matrixPathTolerance } from '../../../core/theory/float32Tolerance';
import { spectrumSpec } from '../../helpers/specs';

// docs/theory.md §7: the rounding constant of one float32 product (7.1), and the tolerance of the
// matrix path (Proposition 7.2), held to float32 arithmetic simulated here with Math.fround.

/** A float32 product: every multiply and add rounded to float32, as a float32 kernel does. */
function float32Product(a: number[][], b: number[][]): number[][] {
  const n = a.length;
  return a.map((row) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < n; k++) s = Math.fround(s + Math.fround(Math.fround(row[k]) * Math.fround(b[k][j])));
      return s;
    }),
  );
}

/** ‖A‖₂ from below: power iteration on AᵀA (the check against it is then only stricter). */
function spectralNorm(a: number[][]): number {
  const n = a.length;
  let v = Array.from({ length: n }, (_, i) => 1 + i / n);
  let norm = 0;
  for (let it = 0; it < 200; it++) {
    const av = a.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
    const atav = Array.from({ length: n }, (_, j) => a.reduce((s, row, i) => s + row[j] * av[i], 0));
    const len = Math.hypot(...atav);
    norm = Math.sqrt(len / Math.hypot(...v));
    v = atav.map((x) => x / len);
  }
  return norm;
}

/** A deterministic pseudo-random matrix in [−1, 1] (a linear congruential generator). */
function matrix(n: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => Array.from({ length: n }, next));
}

describe('the rounding constant of one float32 product (7.1)', () => {
  it('is μ_n = n²u/(1 − nu), u = 2⁻²⁴', () => {
    expect(FLOAT32_UNIT_ROUNDOFF).toBe(2 ** -24);
    expect(matmulRoundingConstant(4)).toBe((16 * 2 ** -24) / (1 - 4 * 2 ** -24));
    expect(matmulRoundingConstant(3, 2 ** -53)).toBe((9 * 2 ** -53) / (1 - 3 * 2 ** -53));
  });

  it('bounds the float32 product error: ‖fl(AB) − AB‖₂ ≤ ‖fl(AB) − AB‖_F ≤ μ_n‖A‖₂‖B‖₂', () => {
    for (const [n, seed] of [
      [4, 1],
      [12, 2],
      [30, 3],
    ]) {
      // Entries already float32, so the only rounding is the product's.
      const a = matrix(n, seed).map((r) => r.map(Math.fround));
      const b = matrix(n, seed + 100).map((r) => r.map(Math.fround));
      const exact = a.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
      const rounded = float32Product(a, b);
      let error = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) error += (rounded[i][j] - exact[i][j]) ** 2;
      expect(Math.sqrt(error)).toBeGreaterThan(0);
      expect(Math.sqrt(error)).toBeLessThanOrEqual(matmulRoundingConstant(n) * spectralNorm(a) * spectralNorm(b));
    }
  });
});

describe('the tolerance of the matrix path (Proposition 7.2)', () => {
  it('at step 0 is the rounding of the stored αI (7.8): Nα^{N−1}·uα + (7.6) + uα^N', () => {
    const [alpha, N, n] = [0.1, 3, 5];
    const u = FLOAT32_UNIT_ROUNDOFF;
    const spec = spectrumSpec({ n, depth: N, eigenvalues: [2, 1], init: { kind: 'identity', alpha } });
    const { tolerance } = matrixPathTolerance(spec, [2, 1, 0, 0, 0], [0]);
    const B = u * alpha;
    const expected = N * alpha ** (N - 1) * u * alpha + ((alpha + B) ** N - alpha ** N - N * alpha ** (N - 1) * B) + u * alpha ** N;
    expect(tolerance[0]).toBeCloseTo(expected, 25);
    expect(tolerance[0] / expected).toBeCloseTo(1, 6);
  });

  it('contains the drift of the float32 diagonal path (a matrix path with diagonal factors) from the float64 one', () => {
    // Identity init and a diagonal target keep every factor diagonal (Theorem 2.1): the float32
    // matrix path is then the scalar recursion in float32 arithmetic, one of the paths the model bounds.
    const lambda = [5, 2.5, 1, 0.2, 0];
    const spec = spectrumSpec({ n: 5, depth: 3, eigenvalues: lambda, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.02, steps: 3000 });
    const steps = Array.from({ length: 31 }, (_, i) => i * 100);
    const { tolerance, validThrough } = matrixPathTolerance(spec, lambda, steps);
    // No tolerance is claimed past validThrough (the λ = 0 component's imbalance modes grow, (7.7)).
    expect(validThrough).toBeGreaterThan(1000);
    const f = Math.fround;
    const w64 = lambda.map(() => 0.1);
    const w32 = lambda.map(() => f(0.1));
    let worst = 0;
    for (let k = 0, next = 0; k <= 3000; k++) {
      if (k === steps[next] && k <= validThrough) {
        const s64 = w64.map((w) => Math.abs(w ** 3)).sort((a, b) => b - a);
        const s32 = w32.map((w) => Math.abs(f(f(w * w) * w))).sort((a, b) => b - a);
        const error = Math.max(...s64.map((s, i) => Math.abs(s - s32[i])));
        expect(error, `step ${k}`).toBeLessThanOrEqual(tolerance[next]);
        worst = Math.max(worst, error / tolerance[next]);
        next++;
      } else if (k === steps[next]) next++;
      for (let i = 0; i < lambda.length; i++) {
        w64[i] += spec.stepSize * w64[i] ** 2 * (lambda[i] - w64[i] ** 3);
        const w = w32[i];
        const p = f(w * w);
        w32[i] = f(w + f(f(spec.stepSize) * f(p * f(f(lambda[i]) - f(p * w)))));
      }
    }
    // Not vacuous: the observed drift is a visible part of the tolerance (docs/theory.md §7: 2–50 %).
    expect(worst).toBeGreaterThan(1e-3);
  });

  it('scales with the unit roundoff, and returns one value per requested step', () => {
    const lambda = [3, 1];
    const spec = spectrumSpec({ n: 2, depth: 2, eigenvalues: lambda, init: { kind: 'identity', alpha: 0.2 }, stepSize: 0.05, steps: 200 });
    const steps = [0, 50, 50, 200];
    const single = matrixPathTolerance(spec, lambda, steps);
    const double = matrixPathTolerance(spec, lambda, steps, 2 ** -53);
    expect(single.tolerance).toHaveLength(4);
    expect(single.tolerance[1]).toBe(single.tolerance[2]);
    for (let i = 0; i < steps.length; i++) expect(double.tolerance[i] / single.tolerance[i]).toBeCloseTo(2 ** -29, 3);
  });

  it('stops claiming validity where rounding leaves the linear regime (Remark 7.3) and refuses other inits', () => {
    // The saddle of Remark 7.3: λ = (1, 0.98, 0.2, 0.2, −0.1, −0.1, −5), N = 4, α = 0.56, η = 0.25.
    const lambda = [1, 0.98, 0.2, 0.2, -0.1, -0.1, -5];
    const spec = spectrumSpec({ n: 7, depth: 4, eigenvalues: lambda, init: { kind: 'identity', alpha: 0.56 }, stepSize: 0.25, steps: 64 });
    const { validThrough } = matrixPathTolerance(spec, lambda, [64]);
    expect(validThrough).toBeGreaterThanOrEqual(0);
    expect(validThrough).toBeLessThan(64);
    const gaussian = spectrumSpec({ init: { kind: 'gaussian', alpha: 0.1, seed: 1 } });
    expect(() => matrixPathTolerance(gaussian, [1], [0])).toThrow(/identity or aligned init/);
  });
});

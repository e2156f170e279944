import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../core/linalg/decompositions';
import { fromRows } from '../../../core/linalg/dense';
import { parseSpec } from '../../../core/spec/parseSpec';
import { integrate, nearSingularIntegral } from '../../../core/theory/flowTime';
import { predictPlateaus } from '../../../core/theory/predictPlateaus';
import { simulateSpectral } from '../../../property-tests/simulate';

// Regressions found by the engine fuzzer (test/core/engine/fuzz.test.ts): inputs at the ends of
// float64 that made the theory run for minutes or the eigendecomposition throw.

/** Counts how often the quadrature evaluates its integrand: a deterministic measure of its work. */
function counted(g: (s: number) => number) {
  const wrapped = (s: number) => (wrapped.calls++, g(s));
  wrapped.calls = 0;
  return wrapped;
}

describe('adaptive quadrature at the edges', () => {
  it('returns at once on a non-finite integrand (it used to recurse to 2²⁴ evaluations)', () => {
    const g = counted(() => NaN);
    expect(integrate(g, 0, 1)).toBeNaN();
    expect(g.calls).toBeLessThan(10);
  });

  it('meets a relative tolerance on a large integral that no absolute one can', () => {
    // ∫₀¹ 1e4·eˢ ds = 1e4·(e − 1): an absolute 1e-13 asks for 17 significant digits.
    const g = counted((s) => 1e4 * Math.exp(s));
    const value = integrate(g, 0, 1);
    expect(Math.abs(value - 1e4 * (Math.E - 1))).toBeLessThan(1e-9 * 1e4);
    expect(g.calls).toBeLessThan(2_000);
  });

  it('integrates the near-singular part (3.5) for a tiny eigenvalue to the closed form at N = 2', () => {
    // N = 2: ∫ s/(λ − s²) ds = ½ ln((λ − a²)/(λ − b²)).
    const lambda = 1e-10;
    const [a, b] = [1e-7, 0.99 * Math.sqrt(lambda)];
    const exact = 0.5 * Math.log((lambda - a * a) / (lambda - b * b));
    expect(nearSingularIntegral(a, b, lambda, 2)).toBeCloseTo(exact, 9);
  });
});

describe('predictPlateaus at the edges (each took seconds to minutes)', () => {
  const spectrum = (n: number, depth: number, eigenvalues: number[], alpha: number, steps: number) =>
    parseSpec({ n, depth, target: { kind: 'spectrum', eigenvalues }, init: { kind: 'identity', alpha }, stepSize: 0.01, steps });

  it('a tiny eigenvalue just above α^N: the plateau of the large one is certified by its flow time (3.4)', () => {
    // α³ = 1e-9 < λ₂ = 3e-9: λ₂ grows, too slowly to matter; λ₁ = 1 is learned after about
    // 1/((N − 2)λ₁α^{N−2}) = 1e3 time units = 1e5 steps. The entropy rank is scale-free, so it is
    // within ε of 1 once x₁ ≫ x₂, well before λ₁ is learned: the per-step enclosure (Theorem 5.9)
    // certifies that part too. erank(Ŵ₂) differs from erank(Ŵ₁) by 1e-7, so L = 2 gets the same run.
    const spec = spectrum(2, 3, [1, 3e-9], 1e-3, 1_000_000);
    const [p, ...rest] = predictPlateaus(spec);
    expect(rest.map((r) => [r.L, r.start, r.end])).toEqual(rest.length ? [[2, p.start, p.end]] : []);
    expect(p.L).toBe(1);
    expect(p.hypothesesMet).toBe(true);
    expect(p.start).toBeLessThanOrEqual(1.01e5);
    expect(p.end).toBe(1_000_000);
    // Against the exact recursion, at the certified start and at the flow time.
    const run = simulateSpectral({ ...spec, steps: 100_000 });
    for (const k of [p.start, 100_000]) expect(Math.abs(run.rank[k] - 1)).toBeLessThanOrEqual(p.epsilon);
  }, 20_000);

  it('depth 4 with λ = 1e-11 (took 3.4 s) predicts nothing inside a run too short to learn λ₁', () => {
    // λ₁ needs about 1/(2λ₁α²) = 5e5 time units = 5e7 steps > 1e7.
    expect(predictPlateaus(spectrum(3, 4, [1, 0.5, 1e-11], 1e-3, 10_000_000))).toEqual([]);
  }, 20_000);

  it('a subnormal α (never returned) predicts nothing: every component needs ~10³¹⁰ steps', () => {
    expect(predictPlateaus(spectrum(4, 3, [3.5, 1.9, 1.2], 1e-310, 20_000))).toEqual([]);
    // The same spectrum from α = 1e-2 has its three plateaus in that many steps (and short
    // certified intervals where the rank passes L = 2, 3 on its initial drop).
    expect([...new Set(predictPlateaus(spectrum(4, 3, [3.5, 1.9, 1.2], 1e-2, 20_000)).map((p) => p.L))]).toEqual([1, 2, 3]);
  }, 20_000);
});

describe('symmetricEigen with subnormal entries', () => {
  it('returns the eigenvalues (ml-matrix threw a TypeError)', () => {
    const { values } = symmetricEigen(fromRows([[1, 0, 1, 0], [0, 0, 0, 1e-310], [1, 0, 0, 1], [0, 1e-310, 1, 0]]));
    const reference = symmetricEigen(fromRows([[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]])).values;
    expect(Array.from(values)).toEqual(Array.from(reference));
  });

  it('scales tiny and huge matrices instead of under- or overflowing', () => {
    for (const scale of [1e-300, 1e300]) {
      const { values } = symmetricEigen(fromRows([[2 * scale, scale], [scale, 2 * scale]]));
      expect(values[0] / scale).toBeCloseTo(3, 12);
      expect(values[1] / scale).toBeCloseTo(1, 12);
    }
  });
});

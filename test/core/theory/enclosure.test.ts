import { describe, expect, it } from 'vitest';
import { componentEnclosure, singularValueBoundsOver } from '../../../core/theory/enclosure';

// docs/theory.md Theorem 5.9: lo(k) ≤ x(k) ≤ hi(k) for the product eigenvalue x = w^N of every kind
// of component, held to the exact float64 recursion (2.1) run here at every step; (5.13) is exact
// for N = 1; (5.14) reads a range over steps off the ends.

/** x(k) = w(k)^N for k = 0…steps of w_{k+1} = w_k + ηw_k^{N−1}(λ − w_k^N), w_0 = α. */
function exactPath(lambda: number, alpha: number, N: number, eta: number, steps: number): Float64Array {
  const x = new Float64Array(steps + 1);
  let w = alpha;
  for (let k = 0; k <= steps; k++) {
    x[k] = Math.pow(w, N);
    w += eta * Math.pow(w, N - 1) * (lambda - Math.pow(w, N));
  }
  return x;
}

/** [λ, α, N, η, steps, what]: one of each kind of component, all under (4.1), (4.5), (4.6). */
const COMPONENTS: [number, number, number, number, number, string][] = [
  [4, 0.1, 3, 0.02, 3000, 'growing, N = 3 (5.9)'],
  [1, 0.05, 2, 0.2, 2000, 'growing, N = 2 (5.9)'],
  [2, 0.3, 1, 0.1, 300, 'growing, N = 1 (5.9)'],
  [0, 0.3, 3, 0.5, 4000, 'λ = 0 (5.10), (5.15)'],
  [-1.5, 0.4, 2, 0.3, 2000, 'λ < 0, N = 2 (5.11), (5.15)'],
  [-0.7, 0.5, 4, 0.5, 3000, 'λ < 0, N = 4 (5.11), (5.15)'],
  [0.01, 0.5, 2, 0.5, 2000, '0 < λ ≤ α^N, N = 2 (5.12), (5.12′)'],
  [1e-17, 0.4, 3, 0.5, 3000, 'a zero singular value as an SVD returns it (5.12′)'],
  [0.05, 0.4, 1, 0.2, 300, 'N = 1, λ ≤ α (5.13)'],
];

describe('the per-step enclosure (Theorem 5.9)', () => {
  it.each(COMPONENTS)('contains the exact x(k) at every step: λ = %s, α = %s, N = %s, η = %s (%s steps, %s)', (lambda, alpha, N, eta, steps) => {
    const x = exactPath(lambda, alpha, N, eta, steps);
    const enclosure = componentEnclosure(lambda, alpha, N, eta);
    expect(enclosure.growing).toBe(lambda > Math.pow(alpha, N));
    let outside: string | undefined;
    let previous = enclosure.bounds(0);
    for (let k = 0; k <= steps && !outside; k++) {
      const [lo, hi] = enclosure.bounds(k);
      if (!(lo <= x[k] && x[k] <= hi)) outside = `step ${k}: ${x[k]} outside [${lo}, ${hi}]`;
      // (5.14) rests on this: both bounds move the way the component does.
      const direction = enclosure.growing ? 1 : -1;
      if (direction * (lo - previous[0]) < 0 || direction * (hi - previous[1]) < 0) outside = `step ${k}: the bounds move against the component`;
      previous = [lo, hi];
    }
    expect(outside).toBeUndefined();
  });

  it('is tight where the theory says it is: N = 1 exact (5.13), a growing component within its step counts', () => {
    const [lambda, alpha, eta] = [0.05, 0.4, 0.2];
    const decaying = componentEnclosure(lambda, alpha, 1, eta);
    for (const k of [0, 10, 100]) {
      const [lo, hi] = decaying.bounds(k);
      const exact = lambda + (alpha - lambda) * Math.pow(1 - eta, k);
      expect(hi - lo).toBeLessThan(1e-8 * alpha);
      expect((lo + hi) / 2).toBeCloseTo(exact, 12);
    }
    // A growing component is pinned to within a boundary of Proposition 4.4 once learned.
    const growing = componentEnclosure(4, 0.1, 3, 0.02);
    const [lo, hi] = growing.bounds(3000);
    expect(hi - lo).toBeLessThan(1e-3 * 4);
    expect(growing.changes.length).toBeGreaterThan(0);
  });

  it('decays like (5.10) for λ = 0: x(k) ≤ (α^{−(2N−2)} + (2N − 2)ηk)^{−N/(2N−2)}', () => {
    const [alpha, N, eta] = [0.3, 3, 0.5];
    const enclosure = componentEnclosure(0, alpha, N, eta);
    for (const k of [1, 100, 10_000]) {
      const closed = Math.pow(Math.pow(alpha, -(2 * N - 2)) + (2 * N - 2) * eta * k, -N / (2 * N - 2));
      expect(enclosure.bounds(k)[1]).toBeCloseTo(closed * (1 + 1e-9), 15);
      expect(enclosure.bounds(k)[0]).toBeGreaterThan(0); // (5.15)
    }
  });
});

describe('bounds over a run of steps (5.14)', () => {
  it('contain |x(k)| at every step of [a, b] for every kind of component', () => {
    for (const [lambda, alpha, N, eta, steps] of COMPONENTS) {
      const x = exactPath(lambda, alpha, N, eta, steps);
      const enclosure = componentEnclosure(lambda, alpha, N, eta);
      for (const [a, b] of [
        [0, steps],
        [0, 7],
        [Math.floor(steps / 3), Math.floor(steps / 2)],
        [steps - 1, steps],
      ]) {
        const [lo, hi] = singularValueBoundsOver(enclosure, a, b);
        expect(lo).toBeGreaterThanOrEqual(0);
        const outside = Array.from(x.subarray(a, b + 1)).filter((v) => !(lo <= Math.abs(v) && Math.abs(v) <= hi));
        expect(outside, `λ = ${lambda} on [${a}, ${b}] in [${lo}, ${hi}]`).toEqual([]);
      }
    }
  });

  it('turns signed bounds into bounds on |x|', () => {
    const fixed = (lo: number, hi: number) => ({ lambda: 0, growing: false, changes: [], bounds: (): [number, number] => [lo, hi] });
    expect(singularValueBoundsOver(fixed(-3, -1), 0, 5)).toEqual([1, 3]);
    expect(singularValueBoundsOver(fixed(-1, 2), 0, 5)).toEqual([0, 2]);
    expect(singularValueBoundsOver(fixed(-4, 2), 0, 5)).toEqual([0, 4]);
  });
});

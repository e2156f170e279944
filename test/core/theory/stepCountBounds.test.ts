import { describe, expect, it } from 'vitest';
import { drift, driftSlope, flowTimeTo } from '../../../core/theory/flowTime';
import { stepSizeBound } from '../../../core/theory/hypotheses';
import { advanceBound, defaultBoundaries, inflection, maxDriftSlope, stepCountBounds, stepCountTable } from '../../../core/theory/stepCountBounds';

// docs/theory.md §4: the shape of f ((4.2)–(4.4)), the advance of one step (4.8) and the certified
// step counts of Proposition 4.4, held to the exact float64 recursion (2.1) run here.

/** First k with w_k ≥ target for w_{k+1} = w_k + ηf(w_k), w_0 = α (2.1); Infinity past `limit`. */
function firstStepReaching(target: number, lambda: number, alpha: number, N: number, eta: number, limit = 5_000_000): number {
  let w = alpha;
  for (let k = 0; k <= limit; k++) {
    if (w >= target) return k;
    w += eta * Math.pow(w, N - 1) * (lambda - Math.pow(w, N));
  }
  return Infinity;
}

/** Components under the step-size hypothesis (4.1): [λ, α, N, η as a fraction of the bound]. */
const CASES: [number, number, number, number][] = [
  [1, 0.1, 1, 0.5],
  [4, 0.05, 2, 0.9],
  [2, 0.1, 3, 0.3],
  [10, 0.1, 3, 1],
  [0.5, 0.2, 4, 0.7],
  [3, 0.3, 5, 0.99],
  [7, 0.01, 2, 0.05],
];

describe('the shape of f (4.3), (4.4)', () => {
  it('f′ vanishes at the inflection point w*, f rising before it and falling after', () => {
    for (const N of [2, 3, 5]) {
      const lambda = 3;
      const w = inflection(lambda, N);
      expect(Math.pow(w, N)).toBeCloseTo(((N - 1) * lambda) / (2 * N - 1), 12);
      expect(driftSlope(w, lambda, N)).toBeCloseTo(0, 10);
      expect(drift(0.9 * w, lambda, N)).toBeLessThan(drift(w, lambda, N));
      expect(drift(1.05 * w, lambda, N)).toBeLessThan(drift(w, lambda, N));
    }
    expect(inflection(3, 1)).toBe(0);
  });

  it('M₊ is the maximum of f′ on [α, w*] (against a dense grid)', () => {
    for (const N of [1, 2, 3, 4, 6])
      for (const alpha of [0.01, 0.3, 0.6]) {
        const lambda = 2;
        const wStar = inflection(lambda, N);
        let max = N === 1 ? 0 : -Infinity;
        for (let i = 0; i <= 20_000 && alpha < wStar; i++) max = Math.max(max, driftSlope(alpha + ((wStar - alpha) * i) / 20_000, lambda, N));
        if (alpha >= wStar) continue;
        const M = maxDriftSlope(lambda, alpha, N);
        expect(M).toBeGreaterThanOrEqual(Math.max(0, max) - 1e-12);
        expect(M).toBeLessThanOrEqual(Math.max(0, max) + 1e-6 * Math.abs(max) + 1e-12);
      }
  });
});

describe('the advance of one step φ(M) = ln(1 + ηM)/M (4.8)', () => {
  it('is η at M = 0, decreasing in M, and infinite when 1 + ηM ≤ 0', () => {
    expect(advanceBound(0, 0.01)).toBe(0.01);
    expect(advanceBound(3, 0.1)).toBeCloseTo(Math.log(1.3) / 3, 15);
    expect(advanceBound(-5, 0.1)).toBeCloseTo(Math.log(0.5) / -5, 15);
    expect(advanceBound(-10, 0.1)).toBe(Infinity);
    expect(advanceBound(-20, 0.1)).toBe(Infinity);
    // Continuous through the series branch near M = 0.
    expect(advanceBound(1e-9, 0.5)).toBeCloseTo(Math.log1p(0.5e-9) / 1e-9, 12);
    let previous = Infinity;
    for (const M of [-9, -3, -1e-3, 0, 1e-3, 1, 4, 50]) {
      const phi = advanceBound(M, 0.1);
      expect(phi).toBeLessThan(previous);
      previous = phi;
    }
  });

  it('brackets the flow time that real steps advance: φ(max f′) ≤ Δτ ≤ φ(min f′) on the span', () => {
    for (const [lambda, alpha, N, fraction] of CASES) {
      if (N === 1) continue;
      const eta = fraction * stepSizeBound(lambda, N);
      const c = Math.pow(lambda, 1 / N);
      let w = alpha;
      for (let k = 0; k < 400; k++) {
        const next = w + eta * drift(w, lambda, N);
        if (next >= c * (1 - 1e-6)) break;
        let M = -Infinity;
        let m = Infinity;
        for (let i = 0; i <= 200; i++) {
          const slope = driftSlope(w + ((next - w) * i) / 200, lambda, N);
          [M, m] = [Math.max(M, slope), Math.min(m, slope)];
        }
        const dTau = flowTimeTo(next, lambda, alpha, N) - flowTimeTo(w, lambda, alpha, N);
        // The grid misses the extremes of f′ by O(h²); a relative 1e-6 covers that and the quadrature.
        expect(dTau).toBeGreaterThanOrEqual(advanceBound(M, eta) * (1 - 1e-6));
        expect(dTau).toBeLessThanOrEqual(advanceBound(m, eta) * (1 + 1e-6));
        w = next;
      }
    }
  });
});

describe('default boundaries of Proposition 4.4', () => {
  it('ascend inside (α, c), end within 10⁻⁸c of c, and are at most 160 + 96', () => {
    for (const [lambda, alpha, N] of CASES) {
      const b = defaultBoundaries(lambda, alpha, N);
      const c = Math.pow(lambda, 1 / N);
      expect(b.length).toBeGreaterThan(0);
      expect(b.length).toBeLessThanOrEqual(256);
      expect(b[0]).toBeGreaterThan(alpha);
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
      expect(b[b.length - 1]).toBeLessThan(c);
      expect(b[b.length - 1]).toBeCloseTo(c * (1 - 1e-8), 12);
    }
  });
});

describe('certified step counts (Proposition 4.4, (4.9))', () => {
  it('contain the exact first step K(θ) of the recursion for every θ', () => {
    for (const [lambda, alpha, N, fraction] of CASES) {
      const eta = fraction * stepSizeBound(lambda, N);
      for (const theta of [0.01, 0.1, 0.5, 0.9, 0.999]) {
        if (Math.pow(alpha, N) >= theta * lambda) continue;
        const K = firstStepReaching(Math.pow(theta * lambda, 1 / N), lambda, alpha, N, eta);
        const { lower, upper } = stepCountBounds(lambda, alpha, N, eta, theta);
        expect(lower, `λ=${lambda} α=${alpha} N=${N} θ=${theta}`).toBeLessThanOrEqual(K);
        expect(upper, `λ=${lambda} α=${alpha} N=${N} θ=${theta}`).toBeGreaterThanOrEqual(K);
      }
    }
  });

  it('are tight to a few per cent of K where K is large (docs/theory.md §4: width about 1 % of K)', () => {
    const [lambda, alpha, N] = [2, 0.05, 3];
    const eta = 0.05 * stepSizeBound(lambda, N);
    const K = firstStepReaching(Math.pow(0.5 * lambda, 1 / N), lambda, alpha, N, eta);
    const { lower, upper } = stepCountBounds(lambda, alpha, N, eta, 0.5);
    expect(K).toBeGreaterThan(1000);
    expect((upper - lower) / K).toBeLessThan(0.03);
  });

  it('hold at every boundary of the table, and are nondecreasing in b', () => {
    for (const [lambda, alpha, N, fraction] of CASES.slice(0, 5)) {
      const eta = fraction * stepSizeBound(lambda, N);
      const table = stepCountTable(lambda, alpha, N, eta);
      // One pass of the recursion: the first k at which w_k reaches each boundary.
      let w = alpha;
      let k = 0;
      for (let s = 0; s < table.boundaries.length; s++) {
        while (w < table.boundaries[s] && k < 2_000_000) {
          w += eta * Math.pow(w, N - 1) * (lambda - Math.pow(w, N));
          k++;
        }
        if (w < table.boundaries[s]) break;
        expect(table.lower[s]).toBeLessThanOrEqual(k);
        expect(table.upper[s]).toBeGreaterThanOrEqual(k);
        if (s > 0) {
          expect(table.lower[s]).toBeGreaterThanOrEqual(table.lower[s - 1]);
          expect(table.upper[s]).toBeGreaterThanOrEqual(table.upper[s - 1]);
        }
      }
    }
  });

  it('for N = 1 contain the closed form K(θ) = ⌈ln((1 − θ)λ/(λ − α))/ln(1 − η)⌉', () => {
    // w_{k+1} − λ = (1 − η)(w_k − λ), so λ − w_k = (λ − α)(1 − η)^k.
    const [lambda, alpha, eta] = [1, 0.1, 0.3];
    for (const theta of [0.2, 0.5, 0.9, 0.99]) {
      const K = Math.ceil(Math.log(((1 - theta) * lambda) / (lambda - alpha)) / Math.log(1 - eta));
      expect(firstStepReaching(theta * lambda, lambda, alpha, 1, eta)).toBe(K);
      const { lower, upper } = stepCountBounds(lambda, alpha, 1, eta, theta);
      expect(lower).toBeLessThanOrEqual(K);
      expect(upper).toBeGreaterThanOrEqual(K);
    }
  });

  it('are 0 when the component starts at θλ or above, and for λ ≤ 0', () => {
    expect(stepCountBounds(1, 0.9, 2, 0.1, 0.5)).toEqual({ lower: 0, upper: 0 });
    expect(stepCountBounds(0, 0.1, 2, 0.1, 0.5)).toEqual({ lower: 0, upper: 0 });
    expect(stepCountBounds(-2, 0.1, 2, 0.1, 0.5)).toEqual({ lower: 0, upper: 0 });
    // Within float64 rounding of the threshold: step 0 or step 1.
    expect(stepCountBounds(0.5, 0.5, 1, 0.1, 1 - 1e-15)).toEqual({ lower: 0, upper: 1 });
  });

  it('past the horizon keep a valid lower bound and give up the upper one', () => {
    const [lambda, alpha, N] = [1, 0.01, 3];
    const eta = 0.5 * stepSizeBound(lambda, N);
    const full = stepCountTable(lambda, alpha, N, eta);
    const cut = stepCountTable(lambda, alpha, N, eta, undefined, 100);
    const s = cut.lower.findIndex((l) => l > 100);
    expect(s).toBeGreaterThan(0);
    for (let i = s + 1; i < cut.lower.length; i++) {
      expect(cut.upper[i]).toBe(Infinity);
      expect(cut.lower[i]).toBeLessThanOrEqual(full.lower[i]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { asymptoticTime, drift, driftSlope, flowTime, flowTimeTo, integrate, ipow, nearSingularIntegral } from '../../../core/theory/flowTime';

// docs/theory.md §3: the flow ẇ = f(w), f(w) = w^{N−1}(λ − w^N) (2.1), and its time
// τ(w) = ∫_α^w ds/f(s) in closed form (3.1)–(3.3), checked against an independent quadrature of
// 1/f written here (composite Simpson in log w, where 1/f is smooth and far from c).

/** ∫_α^w ds/f(s) by composite Simpson on s = e^t (2·10⁴ panels): the reference for (3.1)–(3.3). */
function referenceFlowTime(w: number, lambda: number, alpha: number, N: number): number {
  const panels = 20_000;
  const [a, b] = [Math.log(alpha), Math.log(w)];
  const h = (b - a) / panels;
  const g = (t: number) => {
    const s = Math.exp(t);
    return s / (Math.pow(s, N - 1) * (lambda - Math.pow(s, N)));
  };
  let sum = g(a) + g(b);
  for (let i = 1; i < panels; i++) sum += (i % 2 ? 4 : 2) * g(a + i * h);
  return (sum * h) / 3;
}

describe('the drift f and its slope f′ (2.1), (4.2)', () => {
  it('ipow is the integer power', () => {
    expect(ipow(3, 0)).toBe(1);
    expect(ipow(3, 4)).toBe(81);
    expect(ipow(-0.5, 3)).toBe(-0.125);
  });

  it('f(w) = w^{N−1}(λ − w^N) at hand-computed points, zero at w = c', () => {
    expect(drift(2, 10, 2)).toBe(2 * (10 - 4));
    expect(drift(0.5, 1, 3)).toBeCloseTo(0.25 * (1 - 0.125), 15);
    expect(drift(7, 3, 1)).toBe(3 - 7);
    expect(drift(Math.cbrt(5), 5, 3)).toBeCloseTo(0, 12);
  });

  it('f′ is the derivative of f (central difference), −1 for N = 1, and f′(c) = −Nλ^{2−2/N} (4.2)', () => {
    for (const N of [2, 3, 4, 6])
      for (const lambda of [0.3, 1, 7])
        for (const w of [0.05, 0.4, 0.9, 1.3]) {
          const h = 1e-6;
          const numeric = (drift(w + h, lambda, N) - drift(w - h, lambda, N)) / (2 * h);
          expect(driftSlope(w, lambda, N)).toBeCloseTo(numeric, 5);
        }
    expect(driftSlope(0.3, 5, 1)).toBe(-1);
    for (const N of [2, 3, 5]) {
      const lambda = 2.5;
      const c = Math.pow(lambda, 1 / N);
      expect(driftSlope(c, lambda, N)).toBeCloseTo(-N * Math.pow(lambda, 2 - 2 / N), 12);
    }
  });
});

describe('adaptive Simpson', () => {
  it('is exact on cubics and meets its tolerance on smooth functions', () => {
    expect(integrate((s) => s * s * s - 2 * s + 1, 0, 2)).toBeCloseTo(4 - 4 + 2, 13);
    expect(integrate(Math.sin, 0, Math.PI)).toBeCloseTo(2, 12);
    expect(integrate(Math.exp, 1, 1)).toBe(0);
  });
});

describe('flow time in closed form (Proposition 3.1)', () => {
  const alpha = 0.1;

  it('(3.1) N = 1 and (3.2) N = 2 agree with the quadrature of 1/f', () => {
    for (const lambda of [0.5, 2, 9]) {
      const w1 = 0.9 * lambda;
      expect(flowTimeTo(w1, lambda, alpha, 1)).toBeCloseTo(Math.log((lambda - alpha) / (lambda - w1)), 14);
      expect(flowTimeTo(w1, lambda, alpha, 1)).toBeCloseTo(referenceFlowTime(w1, lambda, alpha, 1), 9);
      const w2 = 0.9 * Math.sqrt(lambda);
      expect(flowTimeTo(w2, lambda, alpha, 2)).toBeCloseTo(referenceFlowTime(w2, lambda, alpha, 2), 9);
    }
  });

  it('(3.3) N ≥ 3 (singular part plus (3.5)) agrees with the quadrature of 1/f', () => {
    for (const N of [3, 4, 5])
      for (const lambda of [0.5, 2, 9]) {
        const w = 0.95 * Math.pow(lambda, 1 / N);
        const exact = referenceFlowTime(w, lambda, alpha, N);
        expect(Math.abs(flowTimeTo(w, lambda, alpha, N) - exact)).toBeLessThan(1e-9 * exact);
      }
  });

  it('is 0 at or below α, and flowTime is 0 when the component starts at or above θλ', () => {
    expect(flowTimeTo(0.1, 1, 0.1, 3)).toBe(0);
    expect(flowTimeTo(0.05, 1, 0.1, 3)).toBe(0);
    expect(flowTime(1, 0.9, 2, 0.5)).toBe(0); // α² = 0.81 ≥ θλ = 0.5
    expect(flowTime(-1, 0.1, 2, 0.5)).toBe(0);
    expect(flowTime(0, 0.1, 2, 0.5)).toBe(0);
  });

  it('flowTime(θ) is τ at u = (θλ)^{1/N}', () => {
    expect(flowTime(4, 0.1, 3, 0.5)).toBe(flowTimeTo(Math.cbrt(2), 4, 0.1, 3));
  });

  it('reproduces the design check of (3.5): N = 3, α = 0.1, η = 0.01, time to λ/2 over η', () => {
    const expected: [number, number][] = [
      [10, 96.0],
      [5, 190.0],
      [2, 466.1],
      [1, 914.5],
    ];
    for (const [lambda, steps] of expected) expect(flowTime(lambda, 0.1, 3, 0.5) / 0.01).toBeCloseTo(steps, 1);
  });

  it('approaches its leading order (3.4) as α → 0', () => {
    // N ≥ 3: τ = 1/((N − 2)λα^{N−2}) + O(1); N = 2: ln(λ/α²)/(2λ) + O(α²); N = 1: ln(λ/α) + O(1).
    for (const N of [3, 4]) {
      const alpha = 1e-3;
      expect(flowTime(2, alpha, N, 0.5) / asymptoticTime(2, alpha, N)).toBeCloseTo(1, 2);
    }
    expect(asymptoticTime(2, 1e-3, 2)).toBeCloseTo(Math.log(2e6) / 4, 12);
    expect(asymptoticTime(2, 1e-3, 1)).toBeCloseTo(Math.log(2e3), 12);
    // N = 2 at θ = ½: τ = ln((λ − α²)/α²)/(2λ), which differs from (3.4) by ln(1 − α²/λ)/(2λ).
    expect(flowTime(2, 1e-3, 2, 0.5) - asymptoticTime(2, 1e-3, 2)).toBeCloseTo(Math.log(1 - 1e-6 / 2) / 4, 12);
  });
});

describe('the near-singular integral (3.5)', () => {
  it('matches ∫ s/(λ − s^N) ds in closed form for N = 1 and N = 2, however close b is to c', () => {
    // Down to c − b = 10⁻⁵c: closer, the integral itself depends on the rounding of c = λ^{1/N}
    // (a relative 10⁻¹⁶ of c moves it by about 10⁻¹⁶/gap), in the closed form as in the code.
    const lambda = 3;
    for (const gap of [1e-2, 1e-4, 1e-5]) {
      // N = 1: ∫_a^b s/(λ − s) ds = λ ln((λ − a)/(λ − b)) − (b − a).
      const [a1, b1] = [0.2, lambda * (1 - gap)];
      const one = lambda * Math.log((lambda - a1) / (lambda - b1)) - (b1 - a1);
      expect(Math.abs(nearSingularIntegral(a1, b1, lambda, 1) - one)).toBeLessThan(1e-9 * Math.abs(one));
      // N = 2: ½ ln((λ − a²)/(λ − b²)).
      const c = Math.sqrt(lambda);
      const [a2, b2] = [0.2, c * (1 - gap)];
      const two = 0.5 * Math.log((lambda - a2 * a2) / (lambda - b2 * b2));
      expect(Math.abs(nearSingularIntegral(a2, b2, lambda, 2) - two)).toBeLessThan(1e-9 * Math.abs(two));
    }
    // At c − b = 10⁻¹²c it stays finite and about ½ ln(1/(2·10⁻¹²)) (the log part dominates).
    const c = Math.sqrt(lambda);
    expect(nearSingularIntegral(0.2, c * (1 - 1e-12), lambda, 2)).toBeCloseTo(0.5 * Math.log((lambda - 0.04) / (2 * lambda * 1e-12)), 3);
  });

  it('for N = 3 matches a quadrature of the smooth integrand away from c', () => {
    const lambda = 2;
    const [a, b] = [0.1, 0.8 * Math.cbrt(lambda)];
    const panels = 10_000;
    const h = (b - a) / panels;
    const g = (s: number) => s / (lambda - s * s * s);
    let sum = g(a) + g(b);
    for (let i = 1; i < panels; i++) sum += (i % 2 ? 4 : 2) * g(a + i * h);
    expect(nearSingularIntegral(a, b, lambda, 3)).toBeCloseTo((sum * h) / 3, 11);
  });
});

import { describe, expect, it } from 'vitest';
import { checkHypotheses, stepSizeBound } from '../../../core/theory/hypotheses';
import { spectrumSpec } from '../../helpers/specs';

// docs/theory.md §4: the step-size hypothesis (4.1), the conditions (4.5), (4.6) for components
// that do not grow, and Theorem 4.1 (monotone, no overshoot) on the recursion where they hold.

describe('the step-size bound (4.1)', () => {
  it('is 1/(Nλ_max^{2−2/N}) for N ≥ 2 and 1 for N = 1 (hand-computed)', () => {
    expect(stepSizeBound(4, 2)).toBe(1 / 8); // 1/(2·4¹)
    expect(stepSizeBound(8, 3)).toBeCloseTo(1 / 48, 15); // 1/(3·8^{4/3}) = 1/(3·16)
    expect(stepSizeBound(16, 4)).toBeCloseTo(1 / 256, 15); // 1/(4·16^{3/2}) = 1/(4·64)
    expect(stepSizeBound(100, 1)).toBe(1);
    expect(stepSizeBound(0, 3)).toBe(Infinity);
    expect(stepSizeBound(-2, 3)).toBe(Infinity);
  });
});

describe('checkHypotheses', () => {
  it('holds for identity init, estimation and η under (4.1)', () => {
    const spec = spectrumSpec({ eigenvalues: [10, 6, 3], depth: 3, stepSize: 0.005 });
    expect(checkHypotheses(spec, [10, 6, 3, 0])).toEqual({ met: true, reasons: [] });
  });

  it('names (4.1) when η exceeds 1/(Nλ_max^{2−2/N})', () => {
    // N = 2, λ_max = 4: the bound is 1/8.
    const spec = spectrumSpec({ eigenvalues: [4, 1], depth: 2, stepSize: 0.13 });
    const check = checkHypotheses(spec, [4, 1]);
    expect(check.met).toBe(false);
    expect(check.reasons).toHaveLength(1);
    expect(check.reasons[0]).toMatch(/\(4\.1\)/);
    expect(checkHypotheses({ ...spec, stepSize: 0.125 }, [4, 1]).met).toBe(true);
  });

  it('names (4.5) for a component in (0, α^N] when η(2N − 1)α^{2N−2} > 1', () => {
    // N = 2, α = 0.9: α² = 0.81 ≥ λ₂ = 0.5; (4.5) needs η ≤ 1/(3·0.81) = 0.4115; (4.1) η ≤ 1/(2·1) = 0.5.
    const spec = spectrumSpec({ eigenvalues: [1, 0.5], depth: 2, init: { kind: 'identity', alpha: 0.9 }, stepSize: 0.45 });
    const check = checkHypotheses(spec, [1, 0.5]);
    expect(check.reasons).toHaveLength(1);
    expect(check.reasons[0]).toMatch(/\(4\.5\)/);
    expect(checkHypotheses({ ...spec, stepSize: 0.41 }, [1, 0.5]).met).toBe(true);
  });

  it('names (4.6) for a component λ ≤ 0 when ηα^{N−2}(α^N + |λ|) > 1', () => {
    // N = 2, α = 0.5, λ = −3: (4.6) needs η ≤ 1/(0.25 + 3) = 0.3077; (4.1) with λ_max = 0.1: η ≤ 5.
    const spec = spectrumSpec({ eigenvalues: [0.1, -3], depth: 2, init: { kind: 'identity', alpha: 0.5 }, stepSize: 0.31 });
    const check = checkHypotheses(spec, [0.1, -3]);
    expect(check.reasons.some((r) => /\(4\.6\)/.test(r))).toBe(true);
    expect(check.reasons.some((r) => /\(4\.1\)/.test(r))).toBe(false);
    expect(checkHypotheses({ ...spec, stepSize: 0.3 }, [0.1, -3]).reasons.some((r) => /\(4\.6\)/.test(r))).toBe(false);
  });

  it('names the init, the problem and an unknown spectrum', () => {
    const spec = spectrumSpec();
    const gaussian = checkHypotheses(spectrumSpec({ init: { kind: 'gaussian', alpha: 0.1, seed: 1 } }), [10, 6, 3, 1.5]);
    expect(gaussian.reasons.some((r) => /init is gaussian/.test(r))).toBe(true);
    const completion = checkHypotheses(spectrumSpec({ problem: { kind: 'completion', observed: 0.5, seed: 1 } }), [10, 6, 3, 1.5]);
    expect(completion.reasons.some((r) => /problem is completion/.test(r))).toBe(true);
    expect(checkHypotheses(spec, undefined)).toEqual({ met: false, reasons: ['the target is not symmetric'] });
    const aligned = spectrumSpec({ init: { kind: 'aligned', alpha: 0.1 } });
    expect(checkHypotheses(aligned, undefined).reasons).toEqual(['the singular values of the target are not known']);
    expect(checkHypotheses(aligned, [10, 6, 3, 1.5]).met).toBe(true);
  });

  it('where it holds, the recursion (2.1) is monotone and never overshoots (Theorem 4.1)', () => {
    const cases: [number[], number, number][] = [
      [[5, 2, 0.5, 0, -1], 3, 0.3],
      [[1, 0.01, -0.5], 2, 0.6],
      [[3, 1e-3, 0], 4, 0.4],
    ];
    for (const [eigenvalues, depth, alpha] of cases) {
      // The largest η the three conditions allow: (4.1), (4.5), (4.6) at their limits.
      const base = spectrumSpec({ eigenvalues, depth, init: { kind: 'identity', alpha } });
      let eta = 1;
      for (const candidate of [stepSizeBound(Math.max(...eigenvalues), depth), 1 / ((2 * depth - 1) * alpha ** (2 * depth - 2)), 1 / (alpha ** (depth - 2) * (alpha ** depth + Math.max(0, -Math.min(...eigenvalues))))])
        eta = Math.min(eta, candidate);
      const spec = { ...base, stepSize: eta };
      expect(checkHypotheses(spec, eigenvalues).met).toBe(true);
      for (const lambda of eigenvalues) {
        const c = lambda > 0 ? Math.pow(lambda, 1 / depth) : 0;
        let w = alpha;
        const growing = lambda > alpha ** depth;
        // Float64 rounding moves an iterate at c by an ulp either way: a relative 1e-15 of slack.
        let wrong: string | undefined;
        for (let k = 0; k < 3000 && !wrong; k++) {
          const next = w + eta * Math.pow(w, depth - 1) * (lambda - Math.pow(w, depth));
          const monotone = growing ? next >= w * (1 - 1e-15) : next <= w * (1 + 1e-15);
          const noOvershoot = growing ? next <= c * (1 + 1e-15) : next >= c * (1 - 1e-15);
          if (!monotone || !noOvershoot) wrong = `λ = ${lambda}, step ${k}: ${w} → ${next}, c = ${c}`;
          w = next;
        }
        expect(wrong).toBeUndefined();
      }
    }
  });
});

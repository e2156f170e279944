import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveRankOf } from '../../../core/rank/effectiveRank';
import { certifiedRankRange } from '../../../core/theory/rankRanges';

// Lemmas 5.3 and 5.16: the certified entropy range over a box of grouped singular values contains
// the entropy rank at every point of the box (corners, where its minimum lies, and random points),
// also when a group can reach 0.
const box = fc
  .array(fc.record({ lo: fc.double({ min: 0, max: 10, noNaN: true }), width: fc.double({ min: 0, max: 5, noNaN: true }), count: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 8 })
  .filter((groups) => groups.some((g) => g.lo > 0));

describe('certified entropy range over a box', () => {
  it('contains the entropy rank at the corners and at random points of the box', () => {
    fc.assert(
      fc.property(box, fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 8 }), (groups, points) => {
        const lo = Float64Array.from(groups, (g) => g.lo);
        const hi = Float64Array.from(groups, (g) => g.lo + g.width);
        const count = Float64Array.from(groups, (g) => g.count);
        const range = certifiedRankRange('entropy', { lo, hi, count });
        if (!range) return;
        const at = (sigma: number[]) => effectiveRankOf.entropy(Float64Array.from(groups.flatMap((g, i) => Array.from({ length: g.count }, () => sigma[i]))).sort().reverse());
        const samples = points.map((t) => groups.map((g, i) => g.lo + t[i] * g.width));
        if (groups.length <= 6) for (let mask = 0; mask < 1 << groups.length; mask++) samples.push(groups.map((g, i) => (mask & (1 << i) ? g.lo + g.width : g.lo)));
        for (const s of samples) {
          const r = at(s);
          expect(r).toBeGreaterThanOrEqual(range.lower);
          expect(r).toBeLessThanOrEqual(range.upper);
        }
      }),
      { numRuns: 300, seed: 5316 },
    );
  });

  it('is exact at the minimum when few groups have an unknown sign, and close at the maximum', () => {
    // Two learned values and 14 small ones: the minimum is a corner, the maximum near the top corner.
    const lo = Float64Array.from([8.4, 3.3, 0.011]);
    const hi = Float64Array.from([8.5, 3.4, 0.012]);
    const count = Float64Array.from([1, 1, 14]);
    const range = certifiedRankRange('entropy', { lo, hi, count })!;
    const at = (a: number, b: number, c: number) => effectiveRankOf.entropy(Float64Array.from([a, b, ...Array(14).fill(c)]));
    let min = Infinity;
    let max = 0;
    for (const a of [8.4, 8.5]) for (const b of [3.3, 3.4]) for (const c of [0.011, 0.012]) [min, max] = [Math.min(min, at(a, b, c)), Math.max(max, at(a, b, c))];
    expect(range.lower).toBeCloseTo(min, 9);
    expect(range.upper - max).toBeLessThan(0.02 * (max - min));
  });
});

// Lemmas 5.6–5.8: the nuclear, stable and numerical ranks over a box, against the measure at the
// corners and at random points, and the bounds of the lemmas computed by hand.
describe('certified nuclear, stable and numerical ranges over a box', () => {
  it('contain the measure at the corners and at random points of the box', () => {
    fc.assert(
      fc.property(box, fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 8 }), (groups, points) => {
        const lo = Float64Array.from(groups, (g) => g.lo);
        const hi = Float64Array.from(groups, (g) => g.lo + g.width);
        const count = Float64Array.from(groups, (g) => g.count);
        const samples = points.map((t) => groups.map((g, i) => g.lo + t[i] * g.width));
        if (groups.length <= 6) for (let mask = 0; mask < 1 << groups.length; mask++) samples.push(groups.map((g, i) => (mask & (1 << i) ? g.lo + g.width : g.lo)));
        for (const measure of ['nuclear', 'stable', 'numerical'] as const) {
          const range = certifiedRankRange(measure, { lo, hi, count });
          if (!range) continue;
          for (const s of samples) {
            const r = effectiveRankOf[measure](Float64Array.from(groups.flatMap((g, i) => Array.from({ length: g.count }, () => s[i]))).sort().reverse());
            expect(r).toBeGreaterThanOrEqual(range.lower);
            expect(r).toBeLessThanOrEqual(range.upper);
          }
        }
      }),
      { numRuns: 100, seed: 5617 },
    );
  });

  it('are the bounds of the lemmas on a hand-computed box', () => {
    // σ₁ ∈ [4, 5], σ₂ ∈ [1, 2], σ₃ ∈ [0, 0.003]: max lo = 4, max hi = 5.
    const b = { lo: Float64Array.from([4, 1, 0]), hi: Float64Array.from([5, 2, 0.003]), count: Float64Array.from([1, 1, 1]) };
    // Lemma 5.6: Σ min(hi, 4)/4 = (4 + 2 + 0.003)/4; 1 + (Σ lo − max lo)/max hi = 1 + 1/5.
    const nuclear = certifiedRankRange('nuclear', b)!;
    expect(nuclear.lower).toBeCloseTo(1.2, 10);
    expect(nuclear.upper).toBeCloseTo(6.003 / 4, 10);
    // Lemma 5.7: Σ min(hi, 4)²/16 = (16 + 4 + 9e-6)/16; 1 + (Σ lo² − 16)/25 = 1 + 1/25.
    const stable = certifiedRankRange('stable', b)!;
    expect(stable.lower).toBeCloseTo(1.04, 10);
    expect(stable.upper).toBeCloseTo(20.000009 / 16, 10);
    // Lemma 5.8, τ = 10⁻³: σ₂ counts (1 > 0.005), σ₃ can (0.003 > 0.004? no): rank_τ = 2 exactly.
    expect(certifiedRankRange('numerical', b)).toEqual({ lower: 2, upper: 2 });
    // The zero matrix in the box: nothing certified.
    expect(certifiedRankRange('nuclear', { lo: Float64Array.from([0, 0]), hi: Float64Array.from([1, 1]), count: Float64Array.from([1, 1]) })).toBeUndefined();
  });
});

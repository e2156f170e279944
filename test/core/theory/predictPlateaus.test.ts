import { describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../core/spec/schema';
import { certifiedCells, explainPredictions, predictPlateaus, specEigenvalues, spectrumEnclosure } from '../../../core/theory/predictPlateaus';
import { spectrumSpec } from '../../helpers/specs';

// docs/theory.md Theorem 5.10: every step of a predicted interval has |r(W(k)) − r(Ŵ_L)| ≤ ε_cert ≤ ε,
// held to the exact recursion (2.1) and a nuclear rank r* = Σσ/σ₁ (Definition 5.1) written here.

/** r*(W(k)) at every step k ≤ steps for a spectrum spec with identity init. */
function exactNuclearRanks(spec: ExperimentSpec, eigenvalues: number[]): Float64Array {
  const N = spec.depth;
  const w = eigenvalues.map(() => spec.init.alpha);
  const out = new Float64Array(spec.steps + 1);
  for (let k = 0; k <= spec.steps; k++) {
    const sigma = w.map((v) => Math.abs(Math.pow(v, N)));
    out[k] = sigma.reduce((a, b) => a + b, 0) / Math.max(...sigma);
    for (let i = 0; i < w.length; i++) w[i] += spec.stepSize * Math.pow(w[i], N - 1) * (eigenvalues[i] - Math.pow(w[i], N));
  }
  return out;
}

const nuclearOf = (lambda: number[], L: number) => lambda.slice(0, L).reduce((a, b) => a + b, 0) / lambda[0];

describe('specEigenvalues', () => {
  it('sorts descending and pads with zeros to n; absolute values for aligned init (Theorem 2.2)', () => {
    const identity = spectrumSpec({ n: 5, eigenvalues: [1, -3, 2] });
    expect(Array.from(specEigenvalues(identity)!)).toEqual([2, 1, 0, 0, -3]);
    const aligned = spectrumSpec({ n: 5, eigenvalues: [1, -3, 2], init: { kind: 'aligned', alpha: 0.1 } });
    expect(Array.from(specEigenvalues(aligned)!)).toEqual([3, 2, 1, 0, 0]);
    expect(specEigenvalues({ ...identity, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1, seed: 1, symmetric: true } } as ExperimentSpec)).toBeUndefined();
  });
});

describe('spectrumEnclosure and certifiedCells', () => {
  it('groups equal eigenvalues with their multiplicity', () => {
    const spec = spectrumSpec({ n: 6, eigenvalues: [3, 1, 3, 0, 0, 1] });
    const { groups, count } = spectrumEnclosure(spec, [3, 1, 3, 0, 0, 1]);
    expect(groups.map((g) => g.lambda)).toEqual([3, 1, 0]);
    expect(Array.from(count)).toEqual([2, 2, 2]);
  });

  it('partition [0, steps] into consecutive cells whose range contains the exact rank at every step', () => {
    const lambda = [6, 3, 1, 0, -0.5];
    const spec = spectrumSpec({ n: 5, eigenvalues: lambda, depth: 3, stepSize: 0.01, steps: 1500, effectiveRank: 'nuclear' });
    const cells = certifiedCells(spec, spectrumEnclosure(spec, lambda));
    expect(cells[0].start).toBe(0);
    expect(cells[cells.length - 1].end).toBe(spec.steps);
    for (let i = 1; i < cells.length; i++) expect(cells[i].start).toBe(cells[i - 1].end + 1);
    const exact = exactNuclearRanks(spec, lambda);
    const outside = cells.flatMap((cell) => {
      if (!cell.range) return [];
      const { lower, upper } = cell.range;
      return Array.from(exact.subarray(cell.start, cell.end + 1)).filter((r) => !(lower <= r && r <= upper)).map((r) => `${r} ∉ [${lower}, ${upper}] in [${cell.start}, ${cell.end}]`);
    });
    expect(outside).toEqual([]);
    expect(cells.filter((c) => c.range).length).toBeGreaterThan(cells.length / 2);
  });
});

describe('predictPlateaus (Theorem 5.10)', () => {
  it('certifies only steps where the exact rank is within ε_cert ≤ ε of r(Ŵ_L), and finds every level', () => {
    const lambda = [10, 4, 1.5, 0];
    const spec = spectrumSpec({ n: 4, eigenvalues: lambda, depth: 3, init: { kind: 'identity', alpha: 0.05 }, stepSize: 0.004, steps: 6000, epsilon: 0.1, effectiveRank: 'nuclear' });
    const predictions = predictPlateaus(spec);
    expect([...new Set(predictions.map((p) => p.L))]).toEqual([1, 2, 3]);
    const exact = exactNuclearRanks(spec, lambda);
    for (const p of predictions) {
      expect(p.hypothesesMet).toBe(true);
      expect(p.epsilon).toBeLessThanOrEqual(spec.epsilon);
      const reference = nuclearOf(lambda, p.L);
      let worst = 0;
      for (let k = p.start; k <= p.end; k++) worst = Math.max(worst, Math.abs(exact[k] - reference));
      expect(worst, `L = ${p.L} on [${p.start}, ${p.end}]`).toBeLessThanOrEqual(p.epsilon);
    }
    // Ordered by L, then by step.
    const keys = predictions.map((p) => [p.L, p.start]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('flags a step size beyond (4.1) as claiming nothing', () => {
    const spec = spectrumSpec({ n: 3, eigenvalues: [2, 1, 0], depth: 2, init: { kind: 'identity', alpha: 0.05 }, stepSize: 0.3, steps: 500, epsilon: 0.1, effectiveRank: 'nuclear' });
    const predictions = predictPlateaus(spec);
    expect(predictions.length).toBeGreaterThan(0);
    expect(predictions.every((p) => !p.hypothesesMet)).toBe(true);
  });

  it('explains each missing level: no gap, a component that does not grow, L beyond n, a failing hypothesis', () => {
    const spec = spectrumSpec({ n: 4, eigenvalues: [5, 2, 2, 0.001], depth: 2, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 3000 });
    const { missing } = explainPredictions(spec, specEigenvalues(spec), 5);
    const reasons = new Map(missing.map((m) => [m.L, m.reason]));
    expect(reasons.get(2)).toMatch(/λ_2 = λ_3 = 2: no gap/);
    expect(reasons.get(4)).toMatch(/λ_4 = 0\.001 ≤ α\^N = 0\.01: component 4 does not grow/);
    expect(reasons.get(5)).toMatch(/L = 5 exceeds n = 4/);
    // N = 2 learns λ₁ = 5 and λ₂,₃ = 2 close together: the erank never comes within 0.1 of 1.
    expect(reasons.get(1)).toMatch(/no step's certified range of erank lies within ε = 0\.1 of erank\(Ŵ_1\) = 1; the closest certified range is [\d.]+ away/);
    expect(reasons.has(3)).toBe(false);
    const completion = spectrumSpec({ problem: { kind: 'completion', observed: 0.5, seed: 1 } });
    const explained = explainPredictions(completion, specEigenvalues(completion), 2);
    expect(explained.plateaus).toEqual([]);
    expect(explained.missing.map((m) => m.L)).toEqual([1, 2]);
    expect(explained.missing[0].reason).toMatch(/estimation problem.*completion/);
  });
});

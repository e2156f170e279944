import { beforeAll, describe, expect, it } from 'vitest';
import { assessRun, reachStep, type Finding } from '../../../core/report/assess';
import type { RunResult } from '../../../core/result';
import { tinyRun } from '../../helpers/tinyRuns';

// The findings of `dfl report` (core/report/assess.ts) on a tiny real run: n = 3, depth 2,
// spectrum [3, 1], identity init α = 0.05, η = 0.05, 200 steps; the numbers in the sentences are
// recomputed here from the logged series, and the flow times from docs/theory.md (3.2) and (3.4).

let run: RunResult;
beforeAll(async () => {
  run = await tinyRun({ record: { balancedness: true } });
});

const find = (findings: Finding[], label: string) => {
  const found = findings.filter((f) => f.label === label);
  expect(found, `one finding labelled ${label}`).toHaveLength(1);
  return found[0].text;
};
/** The first logged step with σ_i ≥ θ s_i, written as a plain loop over the rows. */
function firstReach(r: RunResult, i: number, theta: number): number {
  for (let t = 0; t < r.steps.length; t++) if (r.singularValues[t][i] >= theta * r.target.singularValues[i]) return r.steps[t];
  return -1;
}
/** A result with hand-made singular values over steps 0, 10, 20, 30 (target [4, 2, 1]). */
function withSpectra(rows: number[][]): RunResult {
  return { ...run, steps: [0, 10, 20, 30], target: { description: 'made', singularValues: [4, 2, 1] }, singularValues: rows };
}

describe('reachStep', () => {
  const made = () =>
    withSpectra([
      [0.1, 0.1, 0.1],
      [2, 0.1, 0.6],
      [4, 0.9, 0.6],
      [4, 1.2, 0.7],
    ]);

  it('gives the first logged step at which σ_i reaches θ s_i (at the boundary included)', () => {
    expect(reachStep(made(), 0)).toBe(10); // 2 ≥ 0.5 · 4 exactly
    expect(reachStep(made(), 1)).toBe(30); // 0.9 < 1, 1.2 ≥ 1
    expect(reachStep(made(), 2)).toBe(10);
    expect(reachStep(made(), 0, 1)).toBe(20);
  });

  it('gives −1 when σ_i never gets there, and step 0 when it starts there', () => {
    expect(reachStep(made(), 1, 0.9)).toBe(-1);
    expect(reachStep(made(), 2, 0.1)).toBe(0);
  });

  it('agrees with a plain scan on the real run for every i and several θ', () => {
    for (const theta of [0.1, 0.5, 0.9, 1])
      for (let i = 0; i < 3; i++) expect(reachStep(run, i, theta)).toBe(firstReach(run, i, theta));
    // σ_1 → 3 from below in float64 and never quite gets there within 200 steps.
    expect(reachStep(run, 0, 1)).toBe(-1);
  });
});

describe('assessRun', () => {
  it('gives the findings in order: ranks, closest approaches, order, flow-time law, balancedness, end', () => {
    expect(assessRun(run).map((f) => f.label)).toEqual(['rank 1', 'rank 2', 'closest to Ŵ_1', 'closest to Ŵ_2', 'order of learning', 'flow-time law (3.4)', 'balancedness', 'end']);
  });

  it('reports a level with no measured ε-run, and the measured run at the other with its length and prediction', () => {
    const findings = assessRun(run);
    expect(run.measured.plateaus.some((p) => p.L === 1)).toBe(false);
    expect(find(findings, 'rank 1')).toMatch(/^no ε-run at erank\(Ŵ_1\) = 1$/);
    const plateau = run.measured.plateaus.find((p) => p.L === 2)!;
    const text = find(findings, 'rank 2');
    expect(text).toContain(`measured ε-run (ε = 0.1) at erank(Ŵ_2) = ${+run.targetEffectiveRanks[1].toPrecision(3)}: steps ${plateau.start}–${plateau.end} (${plateau.end - plateau.start + 1} steps)`);
    expect(text).toMatch(/; predicted \d+–\d+ \(certified ε 0\.\d+\); tightness \d+\.\d\d against logged steps$/);
  });

  it('gives the closest approach to Ŵ_1 and Ŵ_2 relative to the start, at the step of the minimum', () => {
    const findings = assessRun(run);
    for (const L of [1, 2]) {
      const d = run.distanceToBestRank.map((row) => row[L - 1]);
      let best = 0;
      d.forEach((x, t) => {
        if (x < d[best]) best = t;
      });
      expect(find(findings, `closest to Ŵ_${L}`)).toBe(`min ‖W(k) − Ŵ_${L}‖_F / ‖W(0) − Ŵ_${L}‖_F = ${+(d[best] / d[0]).toPrecision(3)} at step ${run.steps[best]}`);
    }
  });

  it('says the components are learned in order, at the steps where they reach half', () => {
    expect(find(assessRun(run), 'order of learning')).toBe(`σ_i reaches half of s_i at steps [${firstReach(run, 0, 0.5)}, ${firstReach(run, 1, 0.5)}] (i = 1…2): in order`);
  });

  it('says "not in order" when a smaller component gets there first, or one never does', () => {
    const outOfOrder = withSpectra([
      [0.1, 0.1, 0.1],
      [0.1, 1.5, 0.1],
      [2.5, 1.5, 0.1],
      [4, 2, 1],
    ]);
    const never = withSpectra([
      [0.1, 0.1, 0.1],
      [2.5, 0.1, 0.1],
      [4, 1.5, 0.1],
      [4, 2, 0.1],
    ]);
    const threeRanks = (r: RunResult) => ({ ...r, targetEffectiveRanks: [1, 1.8, 2.5] });
    expect(find(assessRun(threeRanks(outOfOrder)), 'order of learning')).toContain('at steps [20, 10, 30] (i = 1…3): not in order');
    expect(find(assessRun(threeRanks(never)), 'order of learning')).toContain('at steps [10, 20, -1] (i = 1…3): not in order');
  });

  it('quotes the flow-time law (3.4) and the exact half time (3.2) for N = 2, in steps', () => {
    const alpha = 0.05;
    const eta = 0.05;
    // (3.4), N = 2: τ_L ≈ ln(λ_L/α²)/(2λ_L); (3.2) at x = λ/2: τ = ln((λ − α²)/α²)/(2λ).
    const law = (lambda: number) => Math.round(Math.log(lambda / alpha ** 2) / (2 * lambda) / eta);
    const half = (lambda: number) => Math.round(Math.log((lambda - alpha ** 2) / alpha ** 2) / (2 * lambda) / eta);
    expect([law(3), law(1), half(3), half(1)]).toEqual([24, 60, 24, 60]);
    const text = find(assessRun(run), 'flow-time law (3.4)');
    expect(text).toContain(`L = 1: measured none, (3.4) ${law(3)}–${law(1)} (σ_1 at half by (3.3): ${half(3)})`);
    const measured = run.measured.plateaus.find((p) => p.L === 2)!;
    expect(text).toContain(`L = 2: measured ${measured.start}–${measured.end}, (3.4) ${law(1)}–200 (σ_2 at half by (3.3): ${half(1)})`);
  });

  it('gives the balancedness at the first and last step, and none without it', async () => {
    // Identity init is balanced (W_jᵀW_j = W_jW_jᵀ = α² I) and gradient flow keeps it so.
    expect(find(assessRun(run), 'balancedness')).toBe('‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F (j = 1…1) is 0 at step 0 and 0 at step 200');
    const plain = await tinyRun();
    expect(assessRun(plain).some((f) => f.label === 'balancedness')).toBe(false);
  });

  it('ends with the stop reason, the final loss and the final effective rank to 3 digits', () => {
    const last = run.loss.length - 1;
    expect(find(assessRun(run), 'end')).toBe(`completed at step 200; final loss ${+run.loss[last].toPrecision(3)}, entropy rank ${+run.effectiveRank[last].toPrecision(3)}`);
  });

  it('names the smallest error to W* and whether a certified predicted interval holds it', async () => {
    const noisy = await tinyRun({ target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0.2, seed: 3 } });
    const g = noisy.groundTruthError!;
    let best = 0;
    g.forEach((x, t) => {
      if (x < g[best]) best = t;
    });
    const step = noisy.steps[best];
    const last = g[g.length - 1];
    const tail = `at the last step it is ${+last.toPrecision(3)} (${+(last / g[best]).toPrecision(3)}× the minimum)`;
    const around = { ...noisy, predicted: { plateaus: [{ L: 3, start: Math.max(0, step - 1), end: step + 1, epsilon: 0.05, hypothesesMet: true }] } };
    expect(find(assessRun(around), 'error to W*')).toBe(`‖W(k) − W*‖_F is smallest (${+g[best].toPrecision(3)}) at step ${step}, inside the predicted interval for L = 3 (${Math.max(0, step - 1)}–${step + 1}); ${tail}`);
    // An interval whose hypotheses fail is not a certified place to stop.
    const uncertified = { ...noisy, predicted: { plateaus: [{ ...around.predicted.plateaus[0], hypothesesMet: false }] } };
    expect(find(assessRun(uncertified), 'error to W*')).toBe(`‖W(k) − W*‖_F is smallest (${+g[best].toPrecision(3)}) at step ${step}; ${tail}`);
    expect(assessRun(run).some((f) => f.label === 'error to W*')).toBe(false);
  });

  it('marks a prediction whose hypotheses are not met', () => {
    const unmet = { ...run, predicted: { plateaus: run.predicted.plateaus.map((p) => ({ ...p, hypothesesMet: false })) } };
    expect(find(assessRun(unmet), 'rank 2')).toMatch(/predicted \d+–\d+ \(hypotheses not met\)/);
  });
});

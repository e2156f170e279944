import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../core/claims/wilson';
import { runExperiment } from '../../core/engine/runExperiment';
import { checkClaim } from './checkClaim';
import { parseClaimFile } from './parseClaim';

// Small runs (5–20 cases of tiny specs) keep each check within a few seconds.

const EXAMPLE_FILE = path.resolve(__dirname, '../../claims/examples/entropy-rank-never-rises.dfl-claim.json');

/** A claim over small identity-init runs (n 2–8, 30 steps), with the given fields. */
function claim(fields: Record<string, unknown>) {
  const text = JSON.stringify({
    name: 'c',
    kind: 'theorem',
    statement: 'a statement',
    domain: {
      base: { target: { kind: 'spectrum', eigenvalues: [4, 1] }, init: { kind: 'identity', alpha: 0.3 }, depth: 3, steps: 30, log: { every: 5 } },
      generate: { n: { integer: [2, 8] }, stepSize: { fractionOfBound: [0.2, 0.9] } },
    },
    ...fields,
  });
  return parseClaimFile(text, 'c.dfl-claim.json');
}

describe('checkClaim: theorems', () => {
  it('a true theorem holds on every case', async () => {
    // Under (4.1) the top singular value rises to its target without overshooting it (Theorem 4.1).
    const report = await checkClaim(claim({ expect: 'points.all(i, sigma[i][0] <= spectrum[0] * (1.0 + 1e-6)) && points.all(i, i == 0 || sigma[i][0] >= sigma[i - 1][0])' }), { runs: 10, seed: 1 });
    expect(report).toMatchObject({ file: 'c.dfl-claim.json', name: 'c', kind: 'theorem', statement: 'a statement', status: 'holds', cases: 10, applicable: 10, holding: 10 });
    expect(report.counterexample).toBeUndefined();
    expect(report.note).toBeUndefined();
    expect(report.interval).toBeUndefined();
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('a false theorem fails, shrunk to the smallest counterexample', async () => {
    const report = await checkClaim(claim({ expect: 'n < 5' }), { runs: 20, seed: 2 });
    expect(report.status).toBe('fails');
    expect(report.applicable).toBe(20);
    expect(report.holding).toBeLessThan(20);
    const counterexample = report.counterexample!;
    // The smallest n that breaks it.
    expect(counterexample.spec.n).toBe(5);
    expect(counterexample.seed).toBe(2);
    expect(counterexample.violation).toMatchObject({ expression: 'n < 5', values: { n: 5 } });
    // The literal side is in the expression already, not among the values.
    expect(Object.keys(counterexample.violation.values)).toEqual(['n']);
    expect(counterexample.violation.message).toMatch(/^false: n < 5 {2}\(.*\bn = 5\b.*\)$/);
    expect(counterexample.path).toEqual(expect.any(String));
  });

  it('the example claim (false on purpose) is refuted with a small n, the step and the values, and the spec replays the violation', async () => {
    const example = parseClaimFile(readFileSync(EXAMPLE_FILE, 'utf8'), 'entropy.dfl-claim.json');
    const report = await checkClaim(example, { runs: 20, seed: 1 });
    expect(report.status).toBe('fails');
    const counterexample = report.counterexample!;
    expect(counterexample.spec.n).toBeLessThanOrEqual(4);
    expect(counterexample.shrinks).toBeGreaterThan(0);
    expect(counterexample.violation.where.step).toEqual(expect.any(Number));
    expect(counterexample.violation.message).toMatch(/^false at step \d+: erank\[i\] <= erank\[i - 1\] \+ 1e-6 {2}\(i = \d+, step = \d+, erank\[i\] = [\d.]+, erank\[i - 1\] = [\d.]+/);
    // Replayed alone (as dfl run does), the spec breaks the claim at the same step.
    const replay = await runExperiment(counterexample.spec);
    expect(example.expect.evaluate({ result: replay })).toBe(false);
    const { i, step } = counterexample.violation.values as { i: number; step: number };
    expect(replay.steps[i]).toBe(step);
    expect(replay.effectiveRank[i]).toBeGreaterThan(replay.effectiveRank[i - 1] + 1e-6);
  }, 60_000);

  it('counts only the cases where given holds', async () => {
    const report = await checkClaim(claim({ given: 'n >= 5', expect: 'n >= 5' }), { runs: 20, seed: 3 });
    expect(report.status).toBe('holds');
    expect(report.cases).toBe(20);
    expect(report.applicable).toBeGreaterThan(0);
    expect(report.applicable).toBeLessThan(20);
    expect(report.holding).toBe(report.applicable);
  });

  it('a theorem whose given never holds fails with a note: nothing was checked', async () => {
    const report = await checkClaim(claim({ given: 'n > 100', expect: 'true' }), { runs: 5, seed: 4 });
    expect(report).toMatchObject({ status: 'fails', cases: 5, applicable: 0, holding: 0, note: 'given held on none of the 5 cases: nothing was checked' });
    expect(report.counterexample).toBeUndefined();
  });

  it('an expect that cannot be evaluated on a case counts as false and says why', async () => {
    const report = await checkClaim(claim({ expect: 'loss[1000] > 0.0' }), { runs: 5, seed: 5 });
    expect(report.status).toBe('fails');
    expect(report.holding).toBe(0);
    expect(report.counterexample!.violation.message).toMatch(/^could not be evaluated: /);
  });

  it('the same seed gives the same report', async () => {
    const c = claim({ expect: 'n < 5' });
    const [a, b] = [await checkClaim(c, { runs: 10, seed: 9 }), await checkClaim(c, { runs: 10, seed: 9 })];
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  });

  it('runs the claim\'s own number of cases unless told, and reports each', async () => {
    const seen: [number, number][] = [];
    const report = await checkClaim(claim({ expect: 'true', runs: 6 }), { seed: 6, onCase: (done, total) => seen.push([done, total]) });
    expect(report.cases).toBe(6);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((k) => [k, 6]));
  });
});

describe('checkClaim: variants', () => {
  it('runs each case\'s variants and reads them by name; a counterexample carries their specs', async () => {
    const holds = await checkClaim(claim({ variants: { deep: { depth: 4 } }, expect: 'deep.depth == depth + 1 && size(deep.loss) == size(loss)' }), { runs: 5, seed: 10 });
    expect(holds).toMatchObject({ status: 'holds', holding: 5 });
    // At the same α the deeper run starts at a smaller product α^N, so further from the target: a false claim.
    const fails = await checkClaim(claim({ variants: { deep: { depth: 4 } }, expect: 'deep.loss[0] < loss[0]' }), { runs: 5, seed: 10 });
    expect(fails.status).toBe('fails');
    const counterexample = fails.counterexample!;
    expect(counterexample.spec.depth).toBe(3);
    expect(counterexample.variants!.deep.depth).toBe(4);
    expect(counterexample.variants!.deep.n).toBe(counterexample.spec.n);
    expect(counterexample.spec.n).toBe(2);
    expect(counterexample.violation.expression).toBe('deep.loss[0] < loss[0]');
    expect(counterexample.violation.values['deep.loss[0]'] as number).toBeGreaterThan(counterexample.violation.values['loss[0]'] as number);
  });
});

describe('checkClaim: observations', () => {
  const observation = (frequency: number) => claim({ kind: 'observation', frequency, expect: 'n <= 6' });

  it('reports k of n with the Wilson interval, and passes when the frequency is met', async () => {
    const report = await checkClaim(observation(0.5), { runs: 20, seed: 7 });
    expect(report.kind).toBe('observation');
    expect(report.applicable).toBe(20);
    // n is drawn from 2–8: n ≤ 6 on most cases, not all.
    expect(report.holding).toBeGreaterThan(10);
    expect(report.holding).toBeLessThan(20);
    expect(report.required).toBe(0.5);
    expect(report.interval).toEqual(wilsonInterval(report.holding, report.applicable));
    expect(report.status).toBe('holds');
    // The first failing case is shown as it was drawn, not shrunk.
    expect(report.counterexample!.spec.n).toBeGreaterThan(6);
    expect(report.counterexample!.shrinks).toBe(0);
    expect(report.counterexample!.violation.expression).toBe('n <= 6');
  });

  it('fails when the share is below the frequency', async () => {
    const report = await checkClaim(observation(0.95), { runs: 20, seed: 7 });
    expect(report.status).toBe('fails');
    expect(report.holding / report.applicable).toBeLessThan(0.95);
  });

  it('passes at frequency 1 only when every case holds', async () => {
    const all = await checkClaim(claim({ kind: 'observation', frequency: 1, expect: 'n <= 8' }), { runs: 10, seed: 8 });
    expect(all).toMatchObject({ status: 'holds', holding: 10, applicable: 10, interval: wilsonInterval(10, 10) });
    expect(all.counterexample).toBeUndefined();
  });

  it('with no applicable case fails, interval [0, 1]', async () => {
    const report = await checkClaim(claim({ kind: 'observation', frequency: 0.5, given: 'n > 100', expect: 'true' }), { runs: 5, seed: 8 });
    expect(report).toMatchObject({ status: 'fails', applicable: 0, interval: { low: 0, high: 1 } });
  });
});

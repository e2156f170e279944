import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../core/result';
import { claimEnvironment, claimFunctions, claimVariables, claimVariablesOf } from '../../../core/claims/vocabulary';
import { handMadeResult, smallRun, smallSpec } from './fixtures';

let run: RunResult;
beforeAll(async () => {
  run = await smallRun();
});

/** Evaluates a CEL expression against `result`'s functions (and optional variables). */
const evaluate = (source: string, result: RunResult = run, variables: Record<string, unknown> = {}) => claimEnvironment({ result }).evaluate(source, variables);

describe('claimVariablesOf', () => {
  it('gives every listed variable, and only those', () => {
    const variables = claimVariablesOf(run);
    expect(Object.keys(variables).sort()).toEqual(claimVariables.map((v) => v.name).sort());
  });

  it('reads the spec, the target and the logged series of the run (steps and indices as ints)', () => {
    const v = claimVariablesOf(run);
    expect(v).toMatchObject({ n: 3n, depth: 3n, alpha: 0.3, stepSize: 0.02, steps: 400n, measure: 'entropy', init: 'identity', targetKind: 'spectrum', problem: 'estimation', diverged: false, lastStep: 400n });
    expect(v.eigenvalues).toEqual([4, 1, 0]);
    expect(v.spectrum).toEqual(run.target.singularValues);
    expect(v.points).toEqual(run.steps.map((_, i) => BigInt(i)));
    expect(v.step).toEqual(run.steps.map(BigInt));
    expect((v.step as bigint[]).slice(0, 3)).toEqual([0n, 10n, 20n]);
    expect(v.components).toEqual([0n, 1n, 2n]);
    expect(v.loss).toBe(run.loss);
    expect(v.erank).toBe(run.effectiveRank);
    // The spec's measure is the entropy rank.
    expect(v.entropyRank).toEqual(run.effectiveRank);
    // At step 0 W = α^N·I: all four measures give 3 (numerical rank counts the three equal values).
    for (const name of ['entropyRank', 'stableRank', 'nuclearRank', 'numericalRank']) expect((v[name] as number[])[0]).toBeCloseTo(3, 9);
    expect(v.groundTruthError).toEqual([]);
    // (4.1): 1/(N λ_max^{2−2/N}) = 1/(3·4^{4/3}).
    expect(v.stepSizeBound).toBeCloseTo(1 / (3 * Math.pow(4, 4 / 3)), 12);
    expect(v.hypothesesMet).toBe(true);
  });

  it('gives plateaus as maps with int steps', () => {
    const v = claimVariablesOf(run);
    expect(run.measured.plateaus.length).toBeGreaterThan(0);
    expect(v.measured).toEqual(run.measured.plateaus.map((p) => ({ L: BigInt(p.L), start: BigInt(p.start), end: BigInt(p.end), epsilon: p.epsilon, kind: p.kind ?? 'plateau' })));
    expect((v.predicted as { hypothesesMet: boolean }[]).map((p) => p.hypothesesMet)).toEqual(run.predicted.plateaus.map((p) => p.hypothesesMet));
  });
});

describe('claimEnvironment', () => {
  it('registers every listed function', () => {
    const env = claimEnvironment({ result: run });
    const calls: Record<string, string> = { abs: 'abs(-1.0)', sqrt: 'sqrt(4.0)', log: 'log(1.0)', exp: 'exp(0.0)', pow: 'pow(2.0, 3.0)', min: 'min([1.0])', max: 'max([1.0])', sum: 'sum([1.0])', argmin: 'argmin([1.0])', argmax: 'argmax([1.0])', range: 'range(2)', reachStep: 'reachStep(0, 0.5)', atScale: 'atScale(0, 0.5)', learnedInOrder: 'learnedInOrder(2, 0.5)', flowTime: 'flowTime(0, 0.5)', leadingOrderTime: 'leadingOrderTime(0)' };
    expect(Object.keys(calls).sort()).toEqual(claimFunctions.map((f) => f.name).sort());
    for (const call of Object.values(calls)) expect(() => env.evaluate(call, {}), call).not.toThrow();
  });

  it('computes the list and math functions', () => {
    expect(evaluate('argmin([3.0, 1.0, 1.0, 2.0])')).toBe(1n);
    expect(evaluate('argmax([3.0, 5.0, 5.0, 2.0])')).toBe(1n);
    expect(evaluate('min([3.0, -1.5, 2.0])')).toBe(-1.5);
    expect(evaluate('max([3.0, -1.5, 2.0])')).toBe(3);
    expect(evaluate('sum([0.5, 0.25, 2.0])')).toBe(2.75);
    expect(evaluate('sum([])')).toBe(0);
    expect(evaluate('range(3)')).toEqual([0n, 1n, 2n]);
    expect(evaluate('range(0)')).toEqual([]);
    expect(evaluate('range(-2)')).toEqual([]);
    expect(evaluate('pow(2.0, 10.0) + abs(-0.5) + sqrt(9.0) + log(exp(2.0))')).toBeCloseTo(1024 + 0.5 + 3 + 2, 12);
    for (const call of ['min([])', 'max([])', 'argmin([])', 'argmax([])']) expect(() => evaluate(call), call).toThrow(/of an empty list/);
  });

  it('mixes int and double in arithmetic, which plain CEL refuses', () => {
    const vars = { n: 3n, x: 0.5 };
    const env = claimEnvironment({ result: run });
    env.registerVariable('x', 'double');
    expect(env.evaluate('n * x', { n: 3n, x: 0.5 })).toBe(1.5);
    expect(env.evaluate('x + n', vars)).toBe(3.5);
    expect(env.evaluate('n - x', vars)).toBe(2.5);
    expect(env.evaluate('x / n', vars)).toBeCloseTo(1 / 6, 15);
    expect(env.evaluate('n / x', vars)).toBe(6);
    // int with int stays CEL's integer arithmetic.
    expect(env.evaluate('n / 2', vars)).toBe(1n);
    expect(env.evaluate('erank[0] + 1 > 3.5', claimVariablesOf(run))).toBe(true);
  });

  it('reachStep: the first logged step at which σ_c ≥ θ·s_c, −1 if never', () => {
    // By hand from the logged singular values.
    const firstStep = (c: number, theta: number) => {
      const i = run.singularValues.findIndex((row) => row[c] >= theta * run.target.singularValues[c]);
      return i < 0 ? -1 : run.steps[i];
    };
    const reach0 = evaluate('reachStep(0, 0.5)') as bigint;
    expect(reach0).toBe(BigInt(firstStep(0, 0.5)));
    expect(reach0).toBeGreaterThan(0n);
    // The smaller eigenvalue is learned later; θ = 0.999 is reached later than θ = 0.5.
    expect(evaluate('reachStep(1, 0.5)')).toBe(BigInt(firstStep(1, 0.5)));
    expect(evaluate('reachStep(1, 0.5)') as bigint).toBeGreaterThan(reach0);
    expect(evaluate('reachStep(0, 0.999)') as bigint).toBeGreaterThan(reach0);
    // Never: 1.5 times the target is not reached.
    expect(evaluate('reachStep(0, 1.5)')).toBe(-1n);
    // A zero target value is met from step 0.
    expect(evaluate('reachStep(2, 0.5)')).toBe(0n);
    expect(() => evaluate('reachStep(3, 0.5)')).toThrow(/reachStep: component 3 does not exist \(there are 3\)/);
    expect(() => evaluate('reachStep(-1, 0.5)')).toThrow(/component -1 does not exist/);
  });

  it('atScale: the init already put σ_c at θ·s_c', () => {
    expect(evaluate('atScale(0, 0.5)')).toBe(false);
    expect(evaluate('atScale(2, 0.5)')).toBe(true);
    // α^N = 0.027 is above 0.02·s_1 = 0.02 but not above 0.03.
    expect(evaluate('atScale(1, 0.02)')).toBe(true);
    expect(evaluate('atScale(1, 0.03)')).toBe(false);
  });

  it('learnedInOrder: the top k components not at scale reach θ·s_c largest first, and all reach it', () => {
    expect(evaluate('learnedInOrder(2, 0.5)')).toBe(true);
    // k beyond the stored components: only those that exist count.
    expect(evaluate('learnedInOrder(10, 0.5)')).toBe(true);
    expect(evaluate('learnedInOrder(2, 1.5)')).toBe(false);
    const spec = smallSpec();
    const target = [4, 1, 0.5];
    // Component 1 reaches half its target at step 10, component 0 only at step 20: out of order.
    const swapped = handMadeResult(spec, target, [0, 10, 20], [[0.1, 0.1, 0.1], [0.1, 0.6, 0.1], [2.5, 0.9, 0.1]]);
    expect(evaluate('learnedInOrder(2, 0.5)', swapped)).toBe(false);
    // Only the top one: in order.
    expect(evaluate('learnedInOrder(1, 0.5)', swapped)).toBe(true);
    // Component 0 at scale from step 0 is left out: component 1 then 2 is the order.
    const started = handMadeResult(spec, target, [0, 10, 20], [[3, 0.1, 0.1], [3, 0.6, 0.1], [3, 0.9, 0.3]]);
    expect(evaluate('learnedInOrder(3, 0.5)', started)).toBe(true);
    // Component 2 never reaches it.
    const stuck = handMadeResult(spec, target, [0, 10, 20], [[0.1, 0.1, 0.1], [2.5, 0.6, 0.1], [3, 0.9, 0.2]]);
    expect(evaluate('learnedInOrder(3, 0.5)', stuck)).toBe(false);
    // Learned at the same step: still in order.
    const together = handMadeResult(spec, target, [0, 10], [[0.1, 0.1, 0.1], [2.5, 0.6, 0.3]]);
    expect(evaluate('learnedInOrder(3, 0.5)', together)).toBe(true);
  });

  it('flowTime: the gradient-flow time (3.1)–(3.3), against values computed by hand', () => {
    // Reference: (3.1) and (3.2) in closed form; N = 3 by Simpson's rule on ∫ ds/(s^{N−1}(λ − s^N)) (Python, 200 000 intervals).
    expect(evaluate('flowTime(0, 0.5)')).toBeCloseTo(0.6966071142995897, 9);
    expect(evaluate('flowTime(1, 0.9)')).toBeCloseTo(3.2551274374728956, 9);
    const two = handMadeResult(smallSpec({ depth: 2, init: { kind: 'identity', alpha: 0.1 } }), [4, 1, 0], [0], [[0.01, 0.01, 0.01]]);
    expect(evaluate('flowTime(0, 0.5)', two)).toBeCloseTo(Math.log(399) / 8, 12);
    const one = handMadeResult(smallSpec({ depth: 1, init: { kind: 'identity', alpha: 0.1 } }), [4, 1, 0], [0], [[0.1, 0.1, 0.1]]);
    expect(evaluate('flowTime(0, 0.5)', one)).toBeCloseTo(Math.log(1.95), 12);
    // A zero eigenvalue is never learned: time 0 (nothing to learn), as the theory module says.
    expect(evaluate('flowTime(2, 0.5)')).toBe(0);
    expect(() => evaluate('flowTime(3, 0.5)')).toThrow(/flowTime: component 3 does not exist/);
  });

  it('leadingOrderTime: (3.4) by hand', () => {
    // N = 3: 1/((N − 2) λ α^{N−2}) = 1/(4·0.3).
    expect(evaluate('leadingOrderTime(0)')).toBeCloseTo(1 / 1.2, 12);
    expect(evaluate('leadingOrderTime(1)')).toBeCloseTo(1 / 0.3, 12);
    const two = handMadeResult(smallSpec({ depth: 2, init: { kind: 'identity', alpha: 0.1 } }), [4, 1, 0], [0], [[0.01, 0.01, 0.01]]);
    expect(evaluate('leadingOrderTime(0)', two)).toBeCloseTo(Math.log(400) / 8, 12);
    const one = handMadeResult(smallSpec({ depth: 1, init: { kind: 'identity', alpha: 0.1 } }), [4, 1, 0], [0], [[0.1, 0.1, 0.1]]);
    expect(evaluate('leadingOrderTime(0)', one)).toBeCloseTo(Math.log(40), 12);
  });

  it('orders the eigenvalues of the functions descending, whatever order the spec gives', () => {
    const spec = smallSpec({ target: { kind: 'spectrum', eigenvalues: [1, 4] } });
    const reversed = handMadeResult(spec, [4, 1, 0], [0], [[0.027, 0.027, 0.027]]);
    expect(evaluate('leadingOrderTime(0)', reversed)).toBeCloseTo(1 / 1.2, 12);
  });

  it('needs a run for the run functions', () => {
    expect(() => claimEnvironment({}).evaluate('reachStep(0, 0.5) > 0', {})).toThrow(/no run to read/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { caseVariables, compileExpression, type CompiledExpression, type ExpressionProblem } from '../../../core/claims/expression';
import type { RunResult } from '../../../core/result';
import { smallRun } from './fixtures';

let run: RunResult;
let deep: RunResult;
beforeAll(async () => {
  run = await smallRun();
  deep = await smallRun({ depth: 4 });
});

function compiled(source: string, variants: string[] = []): CompiledExpression {
  const result = compileExpression(source, variants);
  if ('message' in result) throw new Error(`${source}: ${result.message}`);
  return result;
}

function problem(source: string, variants: string[] = []): ExpressionProblem {
  const result = compileExpression(source, variants);
  if (!('message' in result)) throw new Error(`${source} compiled`);
  return result;
}

const holds = (source: string, result: RunResult = run) => compiled(source).evaluate({ result });

describe('compileExpression: refusals, with the offset in the expression', () => {
  it('refuses an unknown name where it is', () => {
    expect(problem('erankk[0] > 1.0')).toEqual({ message: expect.stringMatching(/erankk/), offset: 0 });
    const inside = problem('points.all(i, erankk[i] > 0.0)');
    expect(inside.message).toMatch(/erankk/);
    expect(inside.offset).toBe('points.all(i, '.length);
    expect(problem('reachStepp(0, 0.5) > 0').message).toMatch(/reachStepp/);
  });

  it('refuses a type error where it is', () => {
    const compare = problem('loss[0] > "a"');
    expect(compare.message).toMatch(/no such overload|string/i);
    const call = problem('n > 1 && reachStep(0.5, 0) > 0');
    expect(call.message).toMatch(/reachStep/);
    expect(call.offset).toBe('n > 1 && '.length);
    // A wrong function arity.
    expect(problem('learnedInOrder(2)').message).toMatch(/learnedInOrder/);
  });

  it('refuses an expression that is not a bool', () => {
    expect(problem('loss[0]')).toEqual({ message: 'the expression is of type double, not bool', offset: 0 });
    expect(problem('n + 1')).toEqual({ message: 'the expression is of type int, not bool', offset: 0 });
    expect(problem('points.map(i, loss[i])')).toEqual({ message: 'the expression is of type list<double>, not bool', offset: 0 });
  });

  it('refuses a syntax error', () => {
    const error = problem('points.all(i, ');
    expect(error.message).toMatch(/^syntax error: /);
    expect(problem('loss[0] >> 1.0').message).toMatch(/^syntax error: /);
    // One line: the drawing of the source under the message is left out.
    expect(error.message).not.toContain('\n');
  });

  it('refuses a quantifier over a list known to be empty when the claim is read', () => {
    expect(problem('[].all(x, x == 0)')).toEqual({ message: 'a quantifier over nothing: "[].all(x, x == 0)" ranges over an empty list', offset: 0 });
    // Before the type check, whose complaint about the element type of [] would hide the mistake.
    expect(problem('[].all(x, x > 0)')).toEqual({ message: 'a quantifier over nothing: "[].all(x, x > 0)" ranges over an empty list', offset: 0 });
    const inside = problem('n > 1 && range(0).exists(i, loss[i] > 0.0)');
    expect(inside.message).toBe('a quantifier over nothing: "range(0).exists(i, loss[i] > 0.0)" ranges over an empty list');
    expect(inside.offset).toBe('n > 1 && '.length);
    expect(problem('range(0).exists_one(i, true)').message).toMatch(/quantifier over nothing/);
    expect(problem('size([].filter(x, x == 0)) == 0').message).toMatch(/quantifier over nothing/);
    // A list that is not empty is fine.
    expect(holds('range(2).all(i, i < 2)')).toBe(true);
    expect(holds('[1, 2].exists(x, x == 2)')).toBe(true);
  });

  it('a list empty only on the run is not refused: a quantifier over it is vacuous (all true, exists false)', () => {
    // No ground truth on a spectrum target: groundTruthError is [].
    expect(holds('groundTruthError.all(i, i > 1e9)')).toBe(true);
    expect(holds('groundTruthError.exists(i, true)')).toBe(false);
    // Nor is a filter that keeps nothing, nor a range whose argument is computed (only a literal
    // [] and a call with literal arguments are looked at when the claim is read).
    expect(holds('points.filter(i, false).all(i, false)')).toBe(true);
    expect(compileExpression('range(2 - 2).all(i, false)')).not.toHaveProperty('message');
    expect(holds('range(2 - 2).all(i, false)')).toBe(true);
    // …which is why allRanges reports each outermost all's range: checkClaim fails a claim whose
    // all was empty on every case (property-tests/claims/checkClaim.ts).
    const vacuous = compileExpression('n > 0 && points.filter(i, false).all(i, false) && points.all(i, loss[i] >= 0.0)');
    if ('message' in vacuous) throw new Error(vacuous.message);
    expect(vacuous.allRanges({ result: run })).toEqual([
      { quantifier: 'points.filter(i, false).all(i, false)', size: 0 },
      { quantifier: 'points.all(i, loss[i] >= 0.0)', size: run.steps.length },
    ]);
  });

  it('refuses a variant named like a variable of the run', () => {
    expect(problem('true', ['loss'])).toEqual({ message: 'variant "loss" has the name of a variable of the run', offset: 0 });
  });
});

describe('evaluate: quantifiers over points, components and plateaus', () => {
  it('agrees with the same statement computed directly on the run', () => {
    const lossFalls = run.loss.every((l, i) => i === 0 || l <= run.loss[i - 1]);
    expect(holds('points.all(i, i == 0 || loss[i] <= loss[i - 1])')).toBe(lossFalls);
    expect(lossFalls).toBe(true);
    const erankRises = run.effectiveRank.some((e, i) => i > 0 && e > run.effectiveRank[i - 1] + 1e-9);
    expect(holds('points.exists(i, i > 0 && erank[i] > erank[i - 1] + 1e-9)')).toBe(erankRises);
    // Every component ends within 1 % of its target or at a zero target.
    expect(holds('components.all(c, abs(sigma[size(points) - 1][c] - spectrum[c]) <= 0.01 * spectrum[c] || spectrum[c] == 0.0)')).toBe(
      run.target.singularValues.every((s, c) => Math.abs(run.singularValues.at(-1)![c] - s) <= 0.01 * s || s === 0),
    );
    expect(holds('components.exists(c, sigma[0][c] > 0.1)')).toBe(false);
    expect(holds('components.exists_one(c, spectrum[c] > 2.0)')).toBe(true);
  });

  it('reads plateaus as maps', () => {
    expect(run.measured.plateaus.length).toBeGreaterThan(0);
    expect(holds('measured.all(p, p.start <= p.end && p.L >= 1)')).toBe(true);
    expect(holds('measured.exists(p, p.L == 2)')).toBe(run.measured.plateaus.some((p) => p.L === 2));
    expect(holds('predicted.all(p, p.hypothesesMet)')).toBe(run.predicted.plateaus.every((p) => p.hypothesesMet));
    expect(holds('size(measured) == ' + run.measured.plateaus.length)).toBe(true);
  });

  it('reads a variant\'s run under its name', () => {
    const expression = compiled('deep.depth == depth + 1 && deep.loss[0] < loss[0]', ['deep']);
    expect(expression.evaluate({ result: run, variants: { deep } })).toBe(deep.loss[0] < run.loss[0]);
    const vars = caseVariables({ result: run, variants: { deep } });
    expect((vars.deep as Record<string, unknown>).depth).toBe(4n);
    expect(vars.depth).toBe(3n);
  });

  it('throws when an index is out of range on the run (the checker counts that as false)', () => {
    expect(() => holds('loss[1000] > 0.0')).toThrow();
    expect(() => holds('points.all(i, loss[i + 1] < loss[i])')).toThrow();
  });
});

describe('explain: the false part, where, and the values', () => {
  it('names the logged point and step and the values on both sides', () => {
    // The loss falls, so it is above loss[0] nowhere after step 0.
    const falsehood = compiled('points.all(i, loss[i] >= loss[0])').explain({ result: run });
    expect(falsehood.where).toEqual({ step: run.steps[1] });
    expect(falsehood.expression).toBe('loss[i] >= loss[0]');
    expect(falsehood.values).toMatchObject({ i: 1, step: 10, 'loss[i]': run.loss[1], 'loss[0]': run.loss[0] });
  });

  it('names the component', () => {
    const falsehood = compiled('components.all(c, sigma[size(points) - 1][c] < 2.0)').explain({ result: run });
    expect(falsehood.where).toEqual({ component: 0 });
    expect(falsehood.values).toMatchObject({ c: 0 });
    expect(falsehood.values).not.toHaveProperty('2.0');
    expect(falsehood.values['sigma[size(points) - 1][c]']).toBeCloseTo(4, 6);
  });

  it('names the plateau and its steps', () => {
    const [first] = run.measured.plateaus;
    const falsehood = compiled('measured.all(p, p.end - p.start < 10)').explain({ result: run });
    expect(falsehood.where).toEqual({ plateau: 0, steps: [first.start, first.end] });
    expect(falsehood.values.p).toBe(`measured plateau 0: L = ${first.L}, steps ${first.start}–${first.end}`);
    expect(falsehood.values['p.end - p.start']).toBe(first.end - first.start);
  });

  it('walks into parenthesized groups (whose spans leave the parentheses out)', () => {
    const falsehood = compiled('n == 4 || (depth == 3 && (alpha > 1.0))').explain({ result: run });
    expect(falsehood).toEqual({ where: {}, expression: 'alpha > 1.0', values: { alpha: 0.3 } });
    expect(compiled('components.all(c, c > 5 || (c >= 0 && sigma[0][c] > 1e9))').explain({ result: run })).toMatchObject({ where: { component: 0 }, expression: 'sigma[0][c] > 1e9' });
  });

  it('follows && to its false side, ?: to its branch and || to its last disjunct', () => {
    expect(compiled('n == 3 && depth == 7').explain({ result: run })).toEqual({ where: {}, expression: 'depth == 7', values: { depth: 3 } });
    expect(compiled('n == 4 && depth == 3').explain({ result: run }).expression).toBe('n == 4');
    expect(compiled('n == 3 ? depth > 5 : true').explain({ result: run }).expression).toBe('depth > 5');
    expect(compiled('n == 4 || alpha > 1.0').explain({ result: run })).toEqual({ where: {}, expression: 'alpha > 1.0', values: { alpha: 0.3 } });
  });

  it('shows the entries read on each side of a comparison', () => {
    const falsehood = compiled('points.all(i, i == 0 || erank[i] >= erank[i - 1] + 1e-6)').explain({ result: run });
    expect(falsehood.where.step).toBe(run.steps[1]);
    expect(falsehood.values).toMatchObject({ i: 1, 'erank[i]': run.effectiveRank[1], 'erank[i - 1]': run.effectiveRank[0] });
  });

  it('nested quantifiers: the point and the component', () => {
    const falsehood = compiled('points.all(i, components.all(c, sigma[i][c] < 3.0))').explain({ result: run });
    const i = run.singularValues.findIndex((row) => row.some((s) => s >= 3));
    expect(falsehood.where).toEqual({ step: run.steps[i], component: 0 });
    expect(falsehood.values).toMatchObject({ i, c: 0, step: run.steps[i] });
  });

  it('a part that is not a comparison is reported whole with its value', () => {
    const falsehood = compiled('!hypothesesMet').explain({ result: run });
    expect(falsehood).toEqual({ where: {}, expression: '!hypothesesMet', values: { '!hypothesesMet': false } });
    const call = compiled('points.exists(i, loss[i] < 0.0)').explain({ result: run });
    expect(call.expression).toBe('points.exists(i, loss[i] < 0.0)');
    expect(call.values['points.exists(i, loss[i] < 0.0)']).toBe(false);
  });
});

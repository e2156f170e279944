import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../core/errors';
import { parseSpec, parseSpecText } from '../../../core/spec/parseSpec';
import { experimentJsonSchema } from '../../../core/spec/jsonSchema';
import { HangGuard, PARSER_HANG_BOUND_MS, fuzzParameters, stopWatchdog } from '../../fuzzBudget';
import { expectReadOrRefused } from '../../helpers/refusal';

const base = {
  n: 20,
  depth: 3,
  target: { kind: 'spectrum', eigenvalues: [10, 6, 3, 1.5], seed: 1 },
  init: { kind: 'identity', alpha: 0.1 },
  stepSize: 0.01,
  steps: 100,
};

function rejection(input: unknown): string {
  try {
    parseSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('spec was accepted');
}

describe('parseSpec', () => {
  it('fills the defaults of the spec schema', () => {
    const spec = parseSpec(base);
    expect(spec.problem).toEqual({ kind: 'estimation' });
    expect(spec.log).toEqual({ points: 400, scale: 'log' });
    expect(spec.effectiveRank).toBe('entropy');
    expect(spec.epsilon).toBe(0.1);
    expect(spec.engine).toBe('auto');
  });

  it.each([
    ['an unknown field', { ...base, foo: 1 }, 'spec: unknown field "foo"'],
    ['an unknown nested field', { ...base, init: { kind: 'identity', alpha: 0.1, beta: 2 } }, 'spec.init: unknown field "beta"'],
    ['a negative n', { ...base, n: -3 }, 'spec.n: value must be ≥ 1 (got -3)'],
    ['depth 0', { ...base, depth: 0 }, 'spec.depth: value must be ≥ 1 (got 0)'],
    ['fractional steps', { ...base, steps: 1.5 }, 'spec.steps: expected an integer, got 1.5'],
    ['a non-numeric alpha', { ...base, init: { kind: 'identity', alpha: 'abc' } }, 'spec.init.alpha: expected number, got "abc"'],
    ['a missing step size', { ...base, stepSize: undefined }, 'spec.stepSize: missing'],
    ['an unknown target kind', { ...base, target: { kind: 'what' } }, 'spec.target.kind: unknown kind "what"'],
    ['a non-numeric eigenvalue', { ...base, target: { kind: 'spectrum', eigenvalues: [1, 'x'] } }, 'spec.target.eigenvalues[1]: expected number'],
    ['an infinite value', { ...base, stepSize: Infinity }, 'spec.stepSize: expected number, got Infinity'],
    ['more eigenvalues than n', { ...base, n: 2 }, 'spec.target.eigenvalues: has 4 eigenvalues but n is 2'],
    ['a ragged matrix target', { ...base, n: 2, target: { kind: 'matrix', data: [[1, 2], [3]] } }, 'spec.target.data[1]: has 1 entries'],
    ['an MNIST target with n ≠ 28', { ...base, target: { kind: 'mnist', index: 0 } }, 'spec.n: an MNIST target is 28×28'],
    ['too many measurements', { ...base, n: 3, target: { kind: 'spectrum', eigenvalues: [1] }, problem: { kind: 'sensing', measurements: 10 } }, 'exceed n² = 9'],
    ['a prototype key', JSON.parse('{"__proto__": {"x": 1}}'), 'spec: forbidden field "__proto__"'],
    ['a non-object', [1, 2], 'spec: expected object, got an array'],
  ])('rejects %s with one line naming the field', (_, input, expected) => {
    expect(rejection(input)).toContain(expected);
  });

  it('reports broken JSON with its source and line', () => {
    expect(() => parseSpecText('{"n": 3,\n "depth": }', 'x.dfl.json')).toThrow(/^x\.dfl\.json: invalid JSON/);
    expect(() => parseSpecText('', 'empty.dfl.json')).toThrow('empty.dfl.json: empty file');
  });

  it('accepts a BOM', () => {
    expect(parseSpecText(`\ufeff${JSON.stringify(base)}`).n).toBe(20);
  });
});

describe('experimentJsonSchema', () => {
  it('is generated from the same schema: strict objects, every target kind, defaults optional', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, { oneOf?: unknown[] }>; required: string[]; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(['depth', 'init', 'n', 'stepSize', 'steps', 'target']);
    expect(JSON.stringify(schema.properties.target)).toContain('lowRankPlusNoise');
    expect(schema.properties.target.oneOf).toHaveLength(5);
  });
});

describe('parseSpec under fuzzing', () => {
  // Each case is also timed against a hang bound (test/fuzzBudget.ts); each fuzzer prints one
  // line with its count of cases for the CI log.
  afterAll(stopWatchdog);

  it('answers arbitrary JSON text with a spec or one InputError line, nothing else', () => {
    const { seed, numRuns } = fuzzParameters(9, 2000);
    const guard = new HangGuard('parseSpecText (arbitrary JSON text)', PARSER_HANG_BOUND_MS);
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ ...base, target: v }))), (text) =>
        guard.run(text, () => expectReadOrRefused(() => parseSpecText(text, 'fuzz.dfl.json'))),
      ),
      { numRuns, seed },
    );
    expect(guard.cases).toBe(numRuns);
    guard.report(`seed ${seed}`);
  });

  it('rejects mutated valid specs with a message that names a field', () => {
    const { seed, numRuns } = fuzzParameters(10, 1000);
    const guard = new HangGuard('parseSpec (mutated valid specs)', PARSER_HANG_BOUND_MS);
    const keys = ['n', 'depth', 'stepSize', 'steps', 'epsilon', 'init', 'target', 'log'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.double(), fc.constant(null), fc.array(fc.integer())), (key, value) =>
        guard.run({ key, value }, () => {
          try {
            parseSpec({ ...base, [key]: value });
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).toMatch(new RegExp(`^spec\\.${key}`));
          }
        }),
      ),
      { numRuns, seed },
    );
    expect(guard.cases).toBe(numRuns);
    guard.report(`seed ${seed}`);
  });
});

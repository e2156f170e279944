import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AXIS_PATH, listAxis, logUniformAxis, MAX_SWEEP_AXES, MAX_SWEEP_RUNS, seedsAxis, sweepSchema, uniformAxis } from '../../../core/sweep/schema';

// The sweep schema checks the file's shape only: the base is any object here (it is checked as a
// spec once the axes are applied, in core/sweep/expand.ts).
const base = { n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 100 };

const ALL_GROUPS = ['loss', 'erank', 'plateaus', 'stepsTo', 'order', 'groundTruth', 'divergence'];

function firstIssue(input: unknown) {
  const result = sweepSchema.safeParse(input);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return result.error.issues[0];
}

describe('sweepSchema: defaults', () => {
  it('fills no axes, no sample and every measure group with 4 ranks and θ = 0.5', () => {
    const sweep = sweepSchema.parse({ base });
    expect(sweep).toEqual({ base, axes: {}, measures: { include: ALL_GROUPS, ranks: 4, theta: [0.5] } });
    expect('sample' in sweep).toBe(false);
  });

  it('fills the measures defaults around the fields that are given', () => {
    expect(sweepSchema.parse({ base, measures: { ranks: 2 } }).measures).toEqual({ include: ALL_GROUPS, ranks: 2, theta: [0.5] });
    expect(sweepSchema.parse({ base, measures: { include: ['loss'] } }).measures).toEqual({ include: ['loss'], ranks: 4, theta: [0.5] });
    expect(sweepSchema.parse({ base, measures: { theta: [0.1, 0.9] } }).measures.theta).toEqual([0.1, 0.9]);
  });

  it('gives each parse its own default include list (a caller may not change another sweep’s)', () => {
    const a = sweepSchema.parse({ base });
    a.measures.include.pop();
    expect(sweepSchema.parse({ base }).measures.include).toEqual(ALL_GROUPS);
  });

  it('fills the sample seed, the seeds axis start and the integer flag of ranges', () => {
    expect(sweepSchema.parse({ base, sample: { count: 3 } }).sample).toEqual({ count: 3, seed: 0 });
    const axes = sweepSchema.parse({
      base,
      axes: { stepSize: { linear: [0.001, 0.01], count: 4 }, 'init.alpha': { log: [0.01, 1], count: 3 }, 'target.seed': { seeds: 5 } },
    }).axes;
    expect(axes).toEqual({
      stepSize: { linear: [0.001, 0.01], count: 4, integer: false },
      'init.alpha': { log: [0.01, 1], count: 3, integer: false },
      'target.seed': { seeds: 5, from: 0 },
    });
  });

  it('keeps list axes as written, values of any JSON type, and the axes in file order', () => {
    const values = [{ kind: 'identity', alpha: 0.1 }, { kind: 'gaussian', alpha: 0.1, seed: 2 }];
    const sweep = sweepSchema.parse({ base, axes: { init: values, depth: [2, 3], 'target.eigenvalues.0': ['x', null, true] } });
    expect(Object.keys(sweep.axes)).toEqual(['init', 'depth', 'target.eigenvalues.0']);
    expect(sweep.axes.init).toEqual(values);
    expect(sweep.axes['target.eigenvalues.0']).toEqual(['x', null, true]);
  });

  it('accepts uniform and logUniform axes in their own schemas', () => {
    expect(uniformAxis.parse({ uniform: [-1, 1] })).toEqual({ uniform: [-1, 1] });
    expect(logUniformAxis.parse({ logUniform: [0.01, 1] })).toEqual({ logUniform: [0.01, 1] });
    expect(logUniformAxis.safeParse({ logUniform: [0, 1] }).success).toBe(false);
    expect(seedsAxis.parse({ seeds: 2, from: 7 })).toEqual({ seeds: 2, from: 7 });
    expect(listAxis.safeParse([]).success).toBe(false);
  });
});

describe('sweepSchema: bad input names the field', () => {
  it.each<[string, Record<string, unknown>, (string | number)[]]>([
    ['an unknown top-level field', { base, axis: {} }, []],
    ['a missing base', { axes: {} }, ['base']],
    ['a base that is not an object', { base: [1, 2] }, ['base']],
    ['an axis path with a dash', { base, axes: { 'init-alpha': [1] } }, ['axes', 'init-alpha']],
    ['an empty list axis', { base, axes: { depth: [] } }, ['axes', 'depth']],
    ['a range of count 0', { base, axes: { stepSize: { linear: [0, 1], count: 0 } } }, ['axes', 'stepSize', 'count']],
    ['a log range through 0', { base, axes: { stepSize: { log: [0, 1], count: 3 } } }, ['axes', 'stepSize', 'log', 0]],
    ['a range without its count', { base, axes: { stepSize: { linear: [0, 1] } } }, ['axes', 'stepSize']],
    ['a range with an unknown field', { base, axes: { stepSize: { linear: [0, 1], count: 2, step: 0.1 } } }, ['axes', 'stepSize']],
    ['a negative seeds start', { base, axes: { 'target.seed': { seeds: 2, from: -1 } } }, ['axes', 'target.seed', 'from']],
    ['a sample of 0 runs', { base, sample: { count: 0 } }, ['sample', 'count']],
    ['a sample above the run limit', { base, sample: { count: MAX_SWEEP_RUNS + 1 } }, ['sample', 'count']],
    ['a fractional sample seed', { base, sample: { count: 2, seed: 0.5 } }, ['sample', 'seed']],
    ['an unknown measure group', { base, measures: { include: ['loss', 'speed'] } }, ['measures', 'include', 1]],
    ['an empty measure list', { base, measures: { include: [] } }, ['measures', 'include']],
    ['33 ranks', { base, measures: { ranks: 33 } }, ['measures', 'ranks']],
    ['0 ranks', { base, measures: { ranks: 0 } }, ['measures', 'ranks']],
    ['θ = 1', { base, measures: { theta: [0.5, 1] } }, ['measures', 'theta', 1]],
    ['θ = 0', { base, measures: { theta: [0] } }, ['measures', 'theta', 0]],
    ['nine θ values', { base, measures: { theta: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] } }, ['measures', 'theta']],
    ['an unknown measures field', { base, measures: { rank: 2 } }, ['measures']],
  ])('refuses %s', (_, input, path) => {
    expect(firstIssue(input).path).toEqual(path);
  });

  it('refuses a key that is not a dotted path, saying what one looks like', () => {
    // zod reports a bad record key as `invalid_key` and puts the regex's own message inside it.
    const issue = firstIssue({ base, axes: { depth: [2], 'init..alpha': [1] } });
    expect(issue.code).toBe('invalid_key');
    expect(issue.path).toEqual(['axes', 'init..alpha']);
    const inner = (issue as { issues?: { message: string }[] }).issues ?? [];
    expect(inner.map((i) => i.message)).toEqual(['must be a dotted path such as "init.alpha"']);
  });

  it('keeps the run and axis limits where the docs put them', () => {
    expect(MAX_SWEEP_RUNS).toBe(1_000_000);
    expect(MAX_SWEEP_AXES).toBe(64);
    expect(sweepSchema.safeParse({ base, sample: { count: MAX_SWEEP_RUNS } }).success).toBe(true);
    // A range's count is bounded by 10⁵ values.
    expect(sweepSchema.safeParse({ base, axes: { stepSize: { linear: [0, 1], count: 100_000 } } }).success).toBe(true);
    expect(firstIssue({ base, axes: { stepSize: { linear: [0, 1], count: 100_001 } } }).path).toEqual(['axes', 'stepSize', 'count']);
  });
});

describe('AXIS_PATH', () => {
  it('accepts field names joined by dots, with array indices after the first segment', () => {
    for (const path of ['depth', 'init.alpha', 'target.eigenvalues.0', 'target.data.1.2', '_x.y_1', 'problem.seed']) expect(AXIS_PATH.test(path), path).toBe(true);
  });

  it('refuses empty segments, leading indices, and characters outside [A-Za-z0-9_]', () => {
    for (const path of ['', '.', 'init.', '.init', 'init..alpha', '0', '0.alpha', '1abc', 'init.1a', 'init-alpha', 'init alpha', 'init[0]', 'é', 'init.alpha\n'])
      expect(AXIS_PATH.test(path), JSON.stringify(path)).toBe(false);
  });

  it('matches exactly the joins of valid segments (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
    const index = fc.nat(99).map(String);
    fc.assert(
      fc.property(name, fc.array(fc.oneof(name, index), { maxLength: 4 }), (first, rest) => {
        expect(AXIS_PATH.test([first, ...rest].join('.'))).toBe(true);
      }),
    );
    // Any string with a character outside the alphabet of paths is refused.
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('-', ' ', '[', '/', '$', '\u00e9'), fc.string(), (a, bad, b) => {
        expect(AXIS_PATH.test(a + bad + b)).toBe(false);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveRankMeasures,
  experimentSpecSchema,
  MAX_MATRIX_N,
  MAX_SENSING_ENTRIES,
  MAX_STORED_SINGULAR_VALUES,
  MAX_TRACKED_RANK,
} from '../../../core/spec/schema';

// The smallest spec with every required field and nothing else: the defaults fill the rest.
const base = {
  n: 20,
  depth: 3,
  target: { kind: 'spectrum', eigenvalues: [10, 6, 3, 1.5] },
  init: { kind: 'identity', alpha: 0.1 },
  stepSize: 0.01,
  steps: 100,
};

type Path = (string | number)[];

/** The issues of a refused spec (fails the test when it is accepted). */
function issuesOf(input: unknown) {
  const result = experimentSpecSchema.safeParse(input);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return result.error.issues;
}

/**
 * The issue a user is shown (core/spec/parseSpec.ts reports the first only). A refinement can add
 * a consequence of the same mistake after it (n = 0 makes 4 eigenvalues too many), never before.
 */
function oneIssue(input: unknown) {
  return issuesOf(input)[0];
}

const accepts = (input: unknown) => experimentSpecSchema.safeParse(input).success;

describe('experimentSpecSchema: valid specs', () => {
  it('fills every default of a minimal spec and keeps what was written', () => {
    const spec = experimentSpecSchema.parse(base);
    expect(spec).toEqual({
      ...base,
      target: { kind: 'spectrum', eigenvalues: [10, 6, 3, 1.5], seed: 0 },
      problem: { kind: 'estimation' },
      log: { points: 400, scale: 'log' },
      effectiveRank: 'entropy',
      epsilon: 0.1,
      engine: 'auto',
    });
    // `record` has no default: a run records nothing extra unless asked.
    expect('record' in spec).toBe(false);
  });

  it('fills the defaults inside each target, init, problem, log and record kind', () => {
    const parse = (over: Record<string, unknown>) => experimentSpecSchema.parse({ ...base, ...over });
    expect(parse({ target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1 } }).target).toEqual({ kind: 'lowRankPlusNoise', rank: 2, noise: 0.1, seed: 0, symmetric: true });
    expect(parse({ init: { kind: 'gaussian', alpha: 0.1 } }).init).toEqual({ kind: 'gaussian', alpha: 0.1, seed: 0 });
    expect(parse({ init: { kind: 'orthogonal', alpha: 0.1 } }).init).toEqual({ kind: 'orthogonal', alpha: 0.1, seed: 0 });
    // Aligned init has no default seed: without one the rotations R_j are the identity.
    expect(parse({ init: { kind: 'aligned', alpha: 0.1 } }).init).toEqual({ kind: 'aligned', alpha: 0.1 });
    expect(parse({ problem: { kind: 'sensing', measurements: 30 } }).problem).toEqual({ kind: 'sensing', measurements: 30, seed: 0 });
    expect(parse({ problem: { kind: 'completion', observed: 0.5 } }).problem).toEqual({ kind: 'completion', observed: 0.5, seed: 0 });
    expect(parse({ log: { points: 50 } }).log).toEqual({ points: 50, scale: 'log' });
    expect(parse({ log: { every: 7 } }).log).toEqual({ every: 7 });
    expect(parse({ record: {} }).record).toEqual({ balancedness: false });
    expect(parse({ record: { snapshots: 'plateauMidpoints' } }).record).toEqual({ snapshots: 'plateauMidpoints', balancedness: false });
  });

  it('accepts every target kind at a size it allows', () => {
    const targets = [
      { n: 3, target: { kind: 'spectrum', eigenvalues: [1, -2, 0] } },
      { n: 3, target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0, symmetric: false } },
      { n: 28, target: { kind: 'mnist', index: 0, digit: 9 } },
      { n: 2, target: { kind: 'matrix', data: [[1, 2], [3, 4]] } },
      { n: 4, target: { kind: 'file', path: 'target.csv' } },
    ];
    for (const t of targets) expect(accepts({ ...base, ...t })).toBe(true);
  });

  it('accepts each effective-rank measure and engine, and no other', () => {
    expect([...effectiveRankMeasures]).toEqual(['entropy', 'stable', 'nuclear', 'numerical']);
    for (const effectiveRank of effectiveRankMeasures) expect(experimentSpecSchema.parse({ ...base, effectiveRank }).effectiveRank).toBe(effectiveRank);
    for (const engine of ['auto', 'spectral', 'matrix']) expect(accepts({ ...base, engine })).toBe(true);
    expect(oneIssue({ ...base, effectiveRank: 'shannon' }).path).toEqual(['effectiveRank']);
    expect(oneIssue({ ...base, engine: 'gpu' }).path).toEqual(['engine']);
  });

  it('accepts any valid n, depth, step size and step count of a spectrum spec (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 32 }),
        fc.double({ min: 1e-12, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (n, depth, stepSize, steps) => {
          const spec = experimentSpecSchema.parse({ ...base, n, depth, stepSize, steps, target: { kind: 'spectrum', eigenvalues: [1] } });
          expect([spec.n, spec.depth, spec.stepSize, spec.steps]).toEqual([n, depth, stepSize, steps]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('experimentSpecSchema: each bad input gives one issue naming its field', () => {
  it.each<[string, Record<string, unknown>, Path, RegExp | undefined]>([
    ['an unknown field', { ...base, foo: 1 }, [], undefined],
    ['an unknown field inside the init', { ...base, init: { kind: 'identity', alpha: 0.1, beta: 2 } }, ['init'], undefined],
    ['NaN as n', { ...base, n: NaN }, ['n'], undefined],
    ['NaN as the step size', { ...base, stepSize: NaN }, ['stepSize'], undefined],
    ['NaN as an eigenvalue', { ...base, target: { kind: 'spectrum', eigenvalues: [1, NaN] } }, ['target', 'eigenvalues', 1], undefined],
    ['Infinity as alpha', { ...base, init: { kind: 'identity', alpha: Infinity } }, ['init', 'alpha'], undefined],
    ['a negative step count', { ...base, steps: -1 }, ['steps'], undefined],
    ['a negative step size', { ...base, stepSize: -0.01 }, ['stepSize'], undefined],
    ['a zero step size', { ...base, stepSize: 0 }, ['stepSize'], undefined],
    ['a fractional step count', { ...base, steps: 2.5 }, ['steps'], undefined],
    ['a zero alpha', { ...base, init: { kind: 'identity', alpha: 0 } }, ['init', 'alpha'], undefined],
    ['depth 33', { ...base, depth: 33 }, ['depth'], undefined],
    ['n = 0', { ...base, n: 0 }, ['n'], undefined],
    ['n above every engine', { ...base, n: 100_001 }, ['n'], undefined],
    ['a matrix target with fewer rows than n', { ...base, n: 3, target: { kind: 'matrix', data: [[1, 2, 3], [4, 5, 6]] } }, ['target', 'data'], /has 2 rows but n is 3/],
    ['a non-square matrix target (a short row)', { ...base, n: 2, target: { kind: 'matrix', data: [[1, 2], [3]] } }, ['target', 'data', 1], /has 1 entries but the matrix must be 2×2/],
    ['a non-square matrix target (a long row)', { ...base, n: 2, target: { kind: 'matrix', data: [[1, 2, 0], [3, 4]] } }, ['target', 'data', 0], /has 3 entries/],
    ['more eigenvalues than n', { ...base, n: 2 }, ['target', 'eigenvalues'], /has 4 eigenvalues but n is 2/],
    ['a rank above n', { ...base, n: 3, target: { kind: 'lowRankPlusNoise', rank: 4, noise: 0 } }, ['target', 'rank'], /rank 4 exceeds n = 3/],
    ['a negative noise', { ...base, target: { kind: 'lowRankPlusNoise', rank: 1, noise: -0.1 } }, ['target', 'noise'], undefined],
    ['an MNIST target with n ≠ 28', { ...base, target: { kind: 'mnist', index: 0 } }, ['n'], /must be 28 \(got 20\)/],
    ['an MNIST digit 10', { ...base, n: 28, target: { kind: 'mnist', index: 0, digit: 10 } }, ['target', 'digit'], undefined],
    ['an unknown target kind', { ...base, target: { kind: 'what' } }, ['target', 'kind'], undefined],
    ['an empty file path', { ...base, target: { kind: 'file', path: '' } }, ['target', 'path'], undefined],
    ['a seed of 2³¹', { ...base, target: { kind: 'spectrum', eigenvalues: [1], seed: 2 ** 31 } }, ['target', 'seed'], undefined],
    ['more measurements than n²', { ...base, n: 3, target: { kind: 'spectrum', eigenvalues: [1] }, problem: { kind: 'sensing', measurements: 10 } }, ['problem', 'measurements'], /10 measurements exceed n² = 9/],
    ['an observed fraction above 1', { ...base, problem: { kind: 'completion', observed: 1.5 } }, ['problem', 'observed'], undefined],
    ['a log of one point', { ...base, log: { points: 1 } }, ['log', 'points'], undefined],
    ['log every 0 steps', { ...base, log: { every: 0 } }, ['log', 'every'], undefined],
    ['epsilon 0', { ...base, epsilon: 0 }, ['epsilon'], undefined],
    ['a snapshot after the last step', { ...base, record: { snapshots: [0, 101] } }, ['record', 'snapshots'], /step 101 is after the last step 100/],
    ['snapshots of a large n', { ...base, n: 129, record: { snapshots: [0] } }, ['record', 'snapshots'], /n ≤ 128 \(got n = 129\)/],
    ['a missing step size', { ...base, stepSize: undefined }, ['stepSize'], undefined],
  ])('refuses %s', (_, input, path, message) => {
    const issue = oneIssue(input);
    expect(issue.path).toEqual(path);
    if (message) expect(issue.message).toMatch(message);
  });

  it('gives exactly one issue for each of the common mistakes, so nothing else is reported beside it', () => {
    const cases: [Record<string, unknown>, Path][] = [
      [{ ...base, foo: 1 }, []],
      [{ ...base, stepSize: NaN }, ['stepSize']],
      [{ ...base, n: 2, target: { kind: 'matrix', data: [[1, 2], [3]] } }, ['target', 'data', 1]],
      [{ ...base, n: 1025, target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0 } }, ['n']],
      [{ ...base, steps: -5 }, ['steps']],
      [{ ...base, stepSize: -1 }, ['stepSize']],
    ];
    for (const [input, path] of cases) expect(issuesOf(input).map((i) => i.path)).toEqual([path]);
  });

  it('names the unknown field itself', () => {
    const issue = oneIssue({ ...base, stepsize: 0.1 });
    expect(issue.code).toBe('unrecognized_keys');
    expect((issue as { keys: string[] }).keys).toEqual(['stepsize']);
  });

  it('refuses NaN and ±Infinity in every numeric field of the base spec (property)', () => {
    const fields = ['n', 'depth', 'stepSize', 'steps', 'epsilon'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.constantFrom(NaN, Infinity, -Infinity), (field, value) => {
        expect(oneIssue({ ...base, [field]: value }).path).toEqual([field]);
      }),
    );
  });
});

describe('experimentSpecSchema: limits decided by the spec alone', () => {
  it('allows a dense target up to n = MAX_MATRIX_N, and refuses one more with the limit in the message', () => {
    expect(MAX_MATRIX_N).toBe(1024);
    const dense = (n: number) => ({ ...base, n, target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0 }, steps: 1 });
    expect(accepts(dense(1024))).toBe(true);
    const issue = oneIssue(dense(1025));
    expect(issue.path).toEqual(['n']);
    expect(issue.message).toMatch(/1025 is too large for a lowRankPlusNoise target.*at most 1024/);
  });

  it('allows a spectrum target above 1024 on the spectral path only', () => {
    const spectrum = { ...base, n: 5000, steps: 1 };
    expect(accepts(spectrum)).toBe(true);
    expect(accepts({ ...spectrum, init: { kind: 'aligned', alpha: 0.1 } })).toBe(true);
    // Each of the three things that force the matrix path.
    for (const [over, why] of [
      [{ engine: 'matrix' }, /engine: "matrix"/],
      [{ init: { kind: 'gaussian', alpha: 0.1 } }, /init gaussian/],
      [{ problem: { kind: 'completion', observed: 0.5 } }, /the completion problem/],
    ] as const) {
      const issue = oneIssue({ ...spectrum, ...over });
      expect(issue.path).toEqual(['n']);
      expect(issue.message).toMatch(why);
    }
  });

  it('limits a sensing operator to MAX_SENSING_ENTRIES entries m·n²', () => {
    expect(MAX_SENSING_ENTRIES).toBe(64 * 1024 * 1024);
    // n = 1024: n² = 2²⁰, so 64 measurements are exactly at the limit and 65 are over it.
    const sensing = (measurements: number) => ({ ...base, n: 1024, steps: 1, problem: { kind: 'sensing', measurements } });
    expect(accepts(sensing(64))).toBe(true);
    const issue = oneIssue(sensing(65));
    expect(issue.path).toEqual(['problem', 'measurements']);
    expect(issue.message).toContain(`${65 * 1024 * 1024} operator entries`);
  });

  it('limits the logged steps to 10⁶: (steps − 1)/every + 2 with log.every', () => {
    // With every = 1: steps + 1 logged steps (0 to steps).
    expect(accepts({ ...base, steps: 999_999, log: { every: 1 } })).toBe(true);
    const issue = oneIssue({ ...base, steps: 1_000_000, log: { every: 1 } });
    expect(issue.path).toEqual(['log', 'every']);
    expect(issue.message).toMatch(/logs 1000001 steps/);
    // every = 11 over 10⁷ steps: ⌊(10⁷ − 1)/11⌋ + 2 = 909092 logged steps.
    expect(accepts({ ...base, steps: 10_000_000, log: { every: 11 } })).toBe(true);
    expect(oneIssue({ ...base, steps: 10_000_000, log: { every: 10 } }).message).toMatch(/logs 1000001 steps/);
  });

  it('limits a trajectory to 1 GiB at 8 bytes per stored number', () => {
    expect([MAX_STORED_SINGULAR_VALUES, MAX_TRACKED_RANK]).toEqual([256, 32]);
    // n = 10⁵ stores 256 singular values, 32 distances and 4 more numbers: 2336 bytes per logged step,
    // so 2³⁰/2336 = 459649.6…: 459649 logged steps fit (steps = 459648, every step logged), 459650 do not.
    const wide = (steps: number) => ({ ...base, n: 100_000, steps, log: { every: 1 } });
    expect(accepts(wide(459_648))).toBe(true);
    const issue = oneIssue(wide(459_649));
    expect(issue.path).toEqual(['log', 'every']);
    expect(issue.message).toMatch(/logs 459650 steps, a result of about 1\.07 GB/);
  });

  it('bounds log.points by 10⁵ and accepts a run of 0 steps', () => {
    // log.points ≤ 10⁵, so a points schedule never passes the step limit; the byte limit is
    // then the one that can bind, and 10⁵ points of n = 10⁵ are 234 MB.
    expect(accepts({ ...base, n: 100_000, steps: 10_000_000, log: { points: 100_000 } })).toBe(true);
    expect(oneIssue({ ...base, log: { points: 100_001 } }).path).toEqual(['log', 'points']);
    expect(accepts({ ...base, steps: 0, record: { snapshots: [0] } })).toBe(true);
  });
});

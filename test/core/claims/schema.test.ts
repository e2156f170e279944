import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimFileSchema, MAX_CLAIM_RUNS } from '../../../core/claims/schema';

const EXAMPLE = path.resolve(__dirname, '../../../claims/examples/entropy-rank-never-rises.dfl-claim.json');

/** A small valid theorem; tests change one thing in it. */
const theorem = (overrides: Record<string, unknown> = {}) => ({
  name: 'loss-falls',
  kind: 'theorem',
  statement: 'the loss never rises',
  domain: { base: { target: { kind: 'spectrum', eigenvalues: [1] }, steps: 50 }, generate: { n: { integer: [2, 4] } } },
  expect: 'points.all(i, i == 0 || loss[i] <= loss[i - 1])',
  ...overrides,
});

/** The messages of a refused claim, with the path each is at (a bad record key's reason after its own). */
function refusal(input: unknown): string[] {
  const parsed = claimFileSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((i) => `${i.path.join('.')}: ${[i.message, ...('issues' in i && Array.isArray(i.issues) ? i.issues.map((x: { message: string }) => x.message) : [])].join(': ')}`);
}

describe('claimFileSchema', () => {
  it('reads the shipped example claim', () => {
    const parsed = claimFileSchema.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    expect(parsed.name).toBe('entropy-rank-never-rises-after-minimum');
    expect(parsed.kind).toBe('theorem');
    expect(Object.keys(parsed.domain.generate)).toEqual(['n', 'depth', 'target.eigenvalues', 'init.alpha', 'stepSize', 'steps']);
  });

  it('fills the defaults: no variants, no generators, the spectrum generator\'s ranges', () => {
    const parsed = claimFileSchema.parse(theorem({ domain: { base: {}, generate: { 'target.eigenvalues': { spectrum: {} } } } }));
    expect(parsed.variants).toEqual({});
    expect(parsed.domain.generate['target.eigenvalues']).toEqual({ spectrum: { positives: [1, 4], top: [1, 10], ratio: [0.2, 0.9], nearTies: 0, zeros: [0, 0], negatives: [0, 0] } });
    expect(claimFileSchema.parse(theorem({ domain: { base: {} } })).domain.generate).toEqual({});
    expect(parsed.given).toBeUndefined();
    expect(parsed.runs).toBeUndefined();
  });

  it('reads an observation with its frequency, a given, variants and every generator kind', () => {
    const parsed = claimFileSchema.parse(
      theorem({
        kind: 'observation',
        frequency: 0.8,
        given: 'hypothesesMet',
        runs: 40,
        variants: { deep: { depth: 4 } },
        domain: {
          base: {},
          generate: {
            n: { integer: [2, 6] },
            'init.kind': ['identity', 'gaussian'],
            'target.seed': { seeds: 5, from: 3 },
            epsilon: { uniform: [0.05, 0.2] },
            'init.alpha': { productLogUniform: [1e-4, 1e-2] },
            stepSize: { fractionOfBound: [0.2, 1] },
            steps: { learnSmallest: 1.3 },
            'target.eigenvalues': { spectrum: { positives: [2, 3], nearTies: 0.5, zeros: [0, 1], negatives: [0, 2] } },
            'init.scale': { logUniform: [0.01, 1] },
          },
        },
      }),
    );
    expect(parsed.frequency).toBe(0.8);
    expect(parsed.variants).toEqual({ deep: { depth: 4 } });
    expect(parsed.domain.generate['target.seed']).toEqual({ seeds: 5, from: 3 });
    expect(parsed.domain.generate.steps).toEqual({ learnSmallest: 1.3, max: 100_000 });
  });

  it('refuses an unknown field at the top, in the domain and in a generator', () => {
    expect(refusal(theorem({ expectt: 'true' })).join('\n')).toMatch(/Unrecognized key.*expectt/);
    expect(refusal(theorem({ domain: { base: {}, generator: {} } })).join('\n')).toMatch(/^domain: Unrecognized key.*generator/m);
    expect(refusal(theorem({ domain: { base: {}, generate: { 'target.eigenvalues': { spectrum: { positive: [1, 2] } } } } })).join('\n')).toMatch(/^domain\.generate\.target\.eigenvalues/m);
  });

  it('refuses a theorem with a frequency and an observation without one', () => {
    expect(refusal(theorem({ frequency: 0.9 }))).toEqual(['frequency: a theorem holds on every case; frequency is for observations']);
    expect(refusal(theorem({ kind: 'observation' }))).toEqual(['frequency: an observation needs the frequency at which it must hold (0 < frequency ≤ 1)']);
    // The frequency is a share in (0, 1].
    expect(refusal(theorem({ kind: 'observation', frequency: 0 }))[0]).toMatch(/^frequency:/);
    expect(refusal(theorem({ kind: 'observation', frequency: 1.5 }))[0]).toMatch(/^frequency:/);
    expect(claimFileSchema.safeParse(theorem({ kind: 'observation', frequency: 1 })).success).toBe(true);
  });

  it('refuses an unknown kind, missing fields and empty expressions', () => {
    expect(refusal(theorem({ kind: 'conjecture' }))[0]).toMatch(/^kind:/);
    const { expect: _, ...noExpect } = theorem();
    expect(refusal(noExpect)[0]).toMatch(/^expect:/);
    const { domain: __, ...noDomain } = theorem();
    expect(refusal(noDomain)[0]).toMatch(/^domain:/);
    expect(refusal(theorem({ expect: '' }))[0]).toMatch(/^expect:/);
    expect(refusal(theorem({ given: '' }))[0]).toMatch(/^given:/);
    expect(refusal(theorem({ statement: '' }))[0]).toMatch(/^statement:/);
  });

  it('refuses bad names: the claim\'s, a generator path, a variant\'s', () => {
    for (const name of ['', '-leading-dash', 'has space', 'dots.in.it', 'ü', 'x'.repeat(101)]) expect(refusal(theorem({ name }))[0]).toMatch(/^name:/);
    for (const name of ['a', 'A-1_b', 'x'.repeat(100)]) expect(claimFileSchema.safeParse(theorem({ name })).success).toBe(true);
    expect(refusal(theorem({ domain: { base: {}, generate: { 'init..alpha': [0.1] } } })).join('\n')).toMatch(/must be a dotted path/);
    expect(refusal(theorem({ variants: { 'deep-er': { depth: 4 } } })).join('\n')).toMatch(/must be a name such as "deep"/);
    expect(refusal(theorem({ variants: { deep: { 'de pth': 4 } } })).join('\n')).toMatch(/must be a dotted path such as "depth"/);
  });

  it('refuses bad generator shapes', () => {
    const bad: unknown[] = [
      { integer: [1.5, 3] }, // integer ends
      { integer: [1] }, // not a pair
      { integer: [1, 2, 3] },
      { productLogUniform: [0, 1] }, // a log range needs positive ends
      { logUniform: [-1, 1] },
      { fractionOfBound: 0.5 },
      { learnSmallest: 0 },
      { learnSmallest: 1.2, max: 0 },
      { linear: [0, 1], count: 3 }, // a sweep grid axis, not a generator
      { seeds: 0 },
      [], // an empty list of choices
      { spectrum: { nearTies: 2 } },
      { spectrum: { positives: [1.5, 2] } },
      'identity',
      3,
    ];
    for (const axis of bad) {
      const parsed = claimFileSchema.safeParse(theorem({ domain: { base: {}, generate: { n: axis } } }));
      expect(parsed.success, JSON.stringify(axis)).toBe(false);
    }
  });

  it('bounds the number of runs', () => {
    expect(claimFileSchema.safeParse(theorem({ runs: MAX_CLAIM_RUNS })).success).toBe(true);
    expect(refusal(theorem({ runs: MAX_CLAIM_RUNS + 1 }))[0]).toMatch(/^runs:/);
    expect(refusal(theorem({ runs: 0 }))[0]).toMatch(/^runs:/);
    expect(refusal(theorem({ runs: 2.5 }))[0]).toMatch(/^runs:/);
  });
});

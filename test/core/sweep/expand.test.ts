import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors';
import { expandSweep, expandSweepText } from '../../../core/sweep/expand';
import { canonicalJson, specHash } from '../../../core/sweep/hash';

const base = { n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 100 };

const message = (input: unknown) => {
  try {
    expandSweep(input, 'f.dfl-sweep.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('expandSweep', () => {
  it('expands the contract example as a full grid, first axis slowest', () => {
    const e = expandSweep({ base, axes: { depth: [2, 3, 4], 'init.alpha': [0.05, 0.1, 0.2], 'target.seed': [1, 2] } });
    expect(e.points).toHaveLength(18);
    expect(e.axes).toEqual(['depth', 'init.alpha', 'target.seed']);
    expect(e.points.slice(0, 3).map((p) => p.values)).toEqual([
      { depth: 2, 'init.alpha': 0.05, 'target.seed': 1 },
      { depth: 2, 'init.alpha': 0.05, 'target.seed': 2 },
      { depth: 2, 'init.alpha': 0.1, 'target.seed': 1 },
    ]);
    const p = e.points[17];
    expect(p.spec.depth).toBe(4);
    expect(p.spec.init).toEqual({ kind: 'identity', alpha: 0.2 });
    expect(p.spec.target).toMatchObject({ seed: 2 });
    expect(p.spec.log).toEqual({ points: 400, scale: 'log' }); // defaults filled in
    expect(new Set(e.points.map((q) => q.hash)).size).toBe(18);
  });

  it('generates linear, log and seed ranges with their ends exact', () => {
    const e = expandSweep({ base, axes: { stepSize: { linear: [0.001, 0.01], count: 4 }, 'init.alpha': { log: [0.01, 1], count: 3 }, 'target.seed': { seeds: 2, from: 5 } } });
    const values = (axis: string) => [...new Set(e.points.map((p) => p.values[axis]))];
    expect(values('stepSize')).toEqual([0.001, expect.closeTo(0.004, 15), expect.closeTo(0.007, 15), 0.01]);
    expect(values('init.alpha')).toEqual([0.01, 0.1, 1].map((x, i) => (i === 1 ? expect.closeTo(x, 15) : x)));
    expect(values('target.seed')).toEqual([5, 6]);
    expect(expandSweep({ base, axes: { steps: { log: [10, 1000], count: 3, integer: true } } }).points.map((p) => p.spec.steps)).toEqual([10, 100, 1000]);
  });

  it('samples the grid without replacement, the same for the same seed', () => {
    const file = { base, axes: { depth: [1, 2, 3, 4, 5, 6], 'init.alpha': { log: [0.01, 1], count: 50 }, stepSize: { uniform: [0.001, 0.01] } }, sample: { count: 40, seed: 3 } };
    const a = expandSweep(file);
    const b = expandSweep(file);
    expect(a.points).toHaveLength(40);
    expect(a.gridSize).toBe(300);
    expect(a.points.map((p) => p.hash)).toEqual(b.points.map((p) => p.hash));
    expect(new Set(a.points.map((p) => p.index)).size).toBe(40);
    expect(a.points.every((p) => (p.values.stepSize as number) >= 0.001 && (p.values.stepSize as number) <= 0.01)).toBe(true);
    expect(expandSweep({ ...file, sample: { count: 40, seed: 4 } }).points.map((p) => p.index)).not.toEqual(a.points.map((p) => p.index));
  });

  it('hashes the validated spec: key order and written defaults do not matter', () => {
    const a = expandSweep({ base, axes: {} }).points[0];
    const b = expandSweep({ base: { ...base, effectiveRank: 'entropy', init: { alpha: 0.1, kind: 'identity' } } }).points[0];
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toBe(specHash(JSON.parse(canonicalJson(a.spec))));
  });

  it('gives runs that differ only in seeds the specs and hashes of runs validated one by one', () => {
    const gaussian = { ...base, init: { kind: 'gaussian', alpha: 0.1, seed: 1 }, target: { ...base.target, seed: 1 } };
    const shortcut = expandSweep({ base: gaussian, axes: { 'init.alpha': [0.1, 0.2], 'init.seed': { seeds: 3, from: 4 }, 'target.seed': { seeds: 2, from: 1 } } });
    const oneByOne = expandSweep({ base: gaussian, axes: { 'init.alpha': [0.1, 0.2], 'init.seed': [4, 5, 6], 'target.seed': [1, 2] } });
    expect(shortcut.points).toHaveLength(12);
    expect(shortcut.points.map((p) => p.spec)).toEqual(oneByOne.points.map((p) => p.spec));
    expect(shortcut.points.map((p) => p.hash)).toEqual(oneByOne.points.map((p) => p.hash));
    for (const p of shortcut.points) expect(p.hash).toBe(specHash(p.spec));
  });

  it('takes a seeds axis of one seed (its first and last value are the same run, not two)', () => {
    const gaussian = { ...base, init: { kind: 'gaussian', alpha: 0.1, seed: 1 } };
    const e = expandSweep({ base: gaussian, axes: { 'init.alpha': [0.1, 0.2], 'init.seed': { seeds: 1, from: 7 } } });
    expect(e.points.map((p) => p.values)).toEqual([{ 'init.alpha': 0.1, 'init.seed': 7 }, { 'init.alpha': 0.2, 'init.seed': 7 }]);
    for (const p of e.points) expect(p.hash).toBe(specHash(p.spec));
  });

  it.each([
    [{ base, axes: { 'init.alpah': [0.1] } }, /^f\.dfl-sweep\.json: axes\["init\.alpah"\]\[0\]: spec\.init: unknown field "alpah"$/],
    [{ base, axes: { 'init.alpha': [0.1, -1] } }, /axes\["init\.alpha"\]\[1\]: spec\.init\.alpha: value must be > 0 \(got -1\)/],
    [{ base, axes: { n: { lin: [1, 2] } } }, /axes\["n"\]: expected a list of values or one of/],
    [{ base, axes: { depth: [] } }, /axes\.depth: length must be ≥ 1/],
    [{ base, axes: { 'init alpha': [1] } }, /must be a dotted path/],
    [{ base, axes: { '__proto__.x': [1] } }, /forbidden path segment/],
    [{ base, axes: { 'n.x': [1] } }, /"n" is 8 in the base spec, not an object/],
    [{ base, axes: { stepSize: { uniform: [0, 1] } } }, /needs "sample"/],
    [{ base: { ...base, n: undefined } }, /base: spec\.n: missing/],
    [{ base, axes: { n: [2, 8], 'target.eigenvalues': [[1, 1, 1]] } }, /axes\["target\.eigenvalues"\]\[0\]: spec\.target\.eigenvalues: has 3 eigenvalues but n is 2/],
    [{ base, axes: {}, extra: 1 }, /unknown field "extra"/],
    [{ base, axes: { n: [4], 'target.eigenvalues': [[1, 1, 1], [1, 1, 1, 1, 1]] } }, /axes\["target\.eigenvalues"\]\[1\]: spec\.target\.eigenvalues: has 5 eigenvalues but n is 4/],
    [{ base: { ...base, stepSize: 0 }, axes: { depth: [2] } }, /base \(with the first value of each axis\): spec\.stepSize: value must be > 0/],
    [{ base, axes: { depth: { linear: [1, 2], count: 5, integer: true } } }, /rounding to integers repeats values/],
  ])('rejects bad input with one line naming the field (%#)', (input, pattern) => {
    const text = message(input);
    expect(text).toMatch(pattern);
    expect(text).not.toContain('\n');
  });

  it('names the file and the line of malformed JSON', () => {
    expect(() => expandSweepText('{ "base": ', 'x.dfl-sweep.json')).toThrow(/^x\.dfl-sweep\.json: invalid JSON/);
  });
});

describe('shipped sweeps (sweeps/)', () => {
  const files = readdirSync('sweeps').filter((f: string) => f.endsWith('.dfl-sweep.json'));
  it('are four, one per question of the paper', () => expect(files.sort()).toEqual(['denoise-noise.dfl-sweep.json', 'plateau-alpha-depth.dfl-sweep.json', 'plateau-gap.dfl-sweep.json', 'sensing-measurements-depth.dfl-sweep.json']));
  it.each(files)('%s validates and expands', (f: string) => {
    const e = expandSweepText(readFileSync(`sweeps/${f}`, 'utf8'), f);
    expect(e.points.length).toBeGreaterThanOrEqual(18);
    expect(e.sweep.description).toBeTruthy();
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { shippedClaimFiles } from '../../cli/check';
import { parseRunResult } from '../../core/result';
import { explainViolation, parseClaimFile } from '../../property-tests';
import { captureOutput, quietly } from '../helpers/cliOutput';

// `dfl check CLAIM…` as a user runs it: the false example is refuted with a small counterexample
// that `dfl run` replays to the same violation, docs/claims.md's sample output is the program's,
// bad claims are one line and exit 2 before any case runs, and the shipped claims hold.

const io = captureOutput();
const root = path.join(__dirname, '..', '..');
const example = path.join(root, 'claims', 'examples', 'entropy-rank-never-rises.dfl-claim.json');
const dir = mkdtempSync(path.join(tmpdir(), 'dfl-check-'));

function claimFile(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const base = { n: 3, depth: 2, target: { kind: 'spectrum', eigenvalues: [2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 50 };
const claimText = (fields: Record<string, unknown>) => JSON.stringify({ name: 'c', kind: 'theorem', statement: 's', domain: { base }, expect: 'size(loss) > 0', ...fields }, null, 2);

describe('dfl check on the false example', () => {
  const out = path.join(dir, 'example');
  let code: number;
  let printed: string;
  beforeAll(async () => {
    let captured = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((captured += chunk), true));
    try {
      code = await main(['check', example, '--runs', '200', '--seed', '1', '--counterexample-dir', out]);
    } finally {
      process.stdout.write = write;
    }
    printed = captured;
  }, 120_000);

  it('fails with exit 1 and a counterexample shrunk to n ≤ 4, naming the step and the values on both sides', () => {
    expect(code).toBe(1);
    const shrunk = /counterexample \(shrunk \d+ times\): n = (\d+), depth (\d+)/.exec(printed);
    expect(shrunk, printed).not.toBeNull();
    expect(Number(shrunk![1])).toBeLessThanOrEqual(4);
    expect(printed).toMatch(/false at step \d+: erank\[i\] <= erank\[i - 1\] \+ 1e-6 {2}\(i = \d+, step = \d+, erank\[i\] = [\d.]+, erank\[i - 1\] = [\d.]+/);
  });

  it('prints what docs/claims.md shows (all but the seconds)', () => {
    const doc = readFileSync(path.join(root, 'docs', 'claims.md'), 'utf8');
    const sample = /```\n\$ dfl check claims\/examples\/entropy-rank-never-rises\.dfl-claim\.json --runs 200 --seed 1 --counterexample-dir out\n([\s\S]*?)```/.exec(doc);
    expect(sample, 'docs/claims.md has the sample').not.toBeNull();
    const normalise = (text: string) =>
      text
        .replace(/ {2}\d+\.\d s$/gm, '')
        .replace(/^ +replay: dfl run .*\//gm, '       replay: dfl run ')
        .trim();
    expect(normalise(printed)).toBe(normalise(sample![1]));
  });

  it('writes a spec that dfl run replays to the same violation', async () => {
    const spec = path.join(out, 'entropy-rank-never-rises-after-minimum.counterexample.dfl.json');
    const result = path.join(out, 'replayed.json');
    expect(await quietly(() => main(['run', spec, '--out', result]))).toBe(0);
    const replayed = parseRunResult(JSON.parse(readFileSync(result, 'utf8')), result);
    const claim = parseClaimFile(readFileSync(example, 'utf8'), example);
    expect(claim.expect.evaluate({ result: replayed })).toBe(false);
    const violation = explainViolation(claim, { result: replayed });
    const printedLine = printed.split('\n').find((l) => l.includes('false at step'))!.trim();
    expect(violation.message).toBe(printedLine);
  });
});

describe('a bad claim: one line naming the file and position, exit 2, before any case runs', () => {
  it.each([
    ['syntax.dfl-claim.json', '{\n  "name": "c",\n  "kind": "theorem"\n  "statement": "s"\n}', /syntax\.dfl-claim\.json:4:3: invalid JSON/],
    ['field.dfl-claim.json', claimText({ expectation: 'true' }), /field\.dfl-claim\.json:\d+:\d+: .*expectation/],
    ['nothing.dfl-claim.json', claimText({ expect: '[].all(x, x > 0)' }), /nothing\.dfl-claim\.json:\d+:\d+: .*a quantifier over nothing/],
    ['name.dfl-claim.json', claimText({ expect: 'losses[0] > 0.0' }), /name\.dfl-claim\.json:\d+:\d+: .*losses/],
    ['type.dfl-claim.json', claimText({ expect: 'loss' }), /type\.dfl-claim\.json:\d+:\d+: .*not bool/],
    ['frequency.dfl-claim.json', claimText({ kind: 'observation' }), /frequency\.dfl-claim\.json:\d+:\d+: .*frequency/],
    ['twice.dfl-claim.json', '{\n  "name": "c",\n  "name": "d"\n}', /twice\.dfl-claim\.json:3:3: .*"name" is given twice/],
  ])('%s', async (name, text, message) => {
    const f = claimFile(name, text);
    const started = Date.now();
    expect(await main(['check', f, '--runs', '5'])).toBe(2);
    const lines = io.err.trim().split('\n');
    expect(lines, io.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^dfl: /);
    expect(lines[0]).toMatch(message);
    // Nothing ran: no header line, no counterexample file.
    expect(io.out).toBe('');
    expect(readdirSync(dir).filter((f) => f.includes('counterexample'))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a bad claim among good ones stops them all before work', async () => {
    const good = claimFile('good.dfl-claim.json', claimText({}));
    const bad = claimFile('bad.dfl-claim.json', claimText({ expect: 'nope' }));
    expect(await main(['check', good, bad])).toBe(2);
    expect(io.out).toBe('');
  });
});

describe('a claim that checks nothing', () => {
  it('fails when an `all` ranged over an empty list on every case, naming it', async () => {
    const f = claimFile('vacuous.dfl-claim.json', claimText({ expect: 'points.filter(i, false).all(i, false)' }));
    expect(await main(['check', f, '--runs', '3'])).toBe(1);
    expect(io.out).toContain('"points.filter(i, false).all(i, false)" ranged over an empty list on every case: nothing was checked');
  });
});

describe('observations', () => {
  it('print "k of n cases (95 % interval a–b)" with the statement, and hold or fail against their frequency', async () => {
    const f = claimFile(
      'obs.dfl-claim.json',
      JSON.stringify({ name: 'half', kind: 'observation', statement: 'the seed is even', frequency: 0.99, domain: { base: { ...base, target: { kind: 'lowRankPlusNoise', rank: 1, noise: 0.1 } }, generate: { 'target.seed': { seeds: 100 } } }, expect: 'true', runs: 20 }),
    );
    expect(await main(['check', f])).toBe(0);
    expect(io.out).toMatch(/^holds {2}observation half: 20 of 20 cases \(95 % interval 84 %–100 %\), required 99 %/m);
    expect(io.out).toContain('the seed is even');
    const g = claimFile('obs2.dfl-claim.json', JSON.stringify({ name: 'never', kind: 'observation', statement: 'never', frequency: 0.5, domain: { base }, expect: 'false', runs: 10 }));
    mkdirSync(path.join(dir, 'obs'), { recursive: true });
    expect(await main(['check', g, '--counterexample-dir', path.join(dir, 'obs')])).toBe(1);
    expect(io.out).toMatch(/^FAILS {2}observation never: 0 of 10 cases \(95 % interval 0 %–28 %\), required 50 %/m);
    expect(existsSync(path.join(dir, 'obs', 'never.counterexample.dfl.json'))).toBe(true);
  });
});

describe('the shipped claims', () => {
  it('are the paper claims only (the false example is not run by default)', () => {
    const names = shippedClaimFiles().map((f) => path.basename(f));
    expect(names).toContain('flow-time-law.dfl-claim.json');
    expect(names).not.toContain('entropy-rank-never-rises.dfl-claim.json');
  });

  it.each(shippedClaimFiles().map((f) => [path.basename(f, '.dfl-claim.json'), f]))('%s holds', async (name, f) => {
    const runs = name === 'sensing-recovers-low-rank' ? '5' : '20';
    expect(await main(['check', f, '--runs', runs, '--seed', '7', '--counterexample-dir', path.join(dir, 'shipped')]), io.out).toBe(0);
    expect(io.out).toMatch(/^holds /m);
  }, 120_000);
});

describe('dfl check’s float32 properties in a fresh process', () => {
  // They run the matrix path on tfjs whatever the backend; on `native`, which loads no tfjs at
  // start-up, `dfl check` activates it for them (in-process tests may have activated it already).
  it.each(['matrix-path-float32', 'aligned-matrix-path'])('%s runs and holds on the default backend', (property) => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'dfl.js'), 'check', '--property', property, '--runs', '3'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^ok\\s+${property}\\s+passed\\s+3\\s+failed 0`, 'm'));
    expect(r.status).toBe(0);
  }, 60_000);
});

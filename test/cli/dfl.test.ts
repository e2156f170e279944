import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { listPresets } from '../../core/presets';
import { captureOutput } from '../helpers/cliOutput';
import type { RunResult } from '../../core/result';

const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-cli-'));
const spec = {
  n: 10,
  depth: 3,
  target: { kind: 'spectrum', eigenvalues: [5, 2, 1] },
  init: { kind: 'identity', alpha: 0.1 },
  stepSize: 0.01,
  steps: 2000,
  log: { points: 100 },
};
function specFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('dfl run', () => {
  it('runs a spec file, prints the plateau table and writes the result JSON of core/result.ts', async () => {
    const result = path.join(dir, 'result.json');
    expect(await main(['run', specFile('good.dfl.json', spec), '--out', result, '--backend', 'cpu'])).toBe(0);
    expect(io.out).toMatch(/spectral path/);
    expect(io.out).toMatch(/L\s+erank\(Ŵ_L\)\s+predicted/);
    const json = JSON.parse(readFileSync(result, 'utf8')) as RunResult;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['spec', 'engine', 'steps', 'singularValues', 'effectiveRank', 'loss', 'targetEffectiveRanks', 'predicted', 'measured', 'stopped']));
    expect(json.stopped).toEqual({ kind: 'completed', reason: 'all steps done', step: 2000 });
    expect(json.predicted.plateaus.length).toBeGreaterThan(0);
    expect(json.predicted.plateaus.every((p) => p.hypothesesMet)).toBe(true);
  });

  it('runs a preset and writes one result per member into a directory', async () => {
    const target = path.join(dir, 'preset');
    expect(await main(['run', '--preset', 'paper-identity-depths', '--out', target, '--quiet'])).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['paper-identity-depths-n-1.json', 'paper-identity-depths-n-2.json', 'paper-identity-depths-n-3.json', 'paper-identity-depths-n-4.json']);
  });

  it('exits 3 on a diverging run and keeps the trajectory', async () => {
    const result = path.join(dir, 'diverged.json');
    expect(await main(['run', specFile('diverge.dfl.json', { ...spec, stepSize: 2 }), '--out', result])).toBe(3);
    const json = JSON.parse(readFileSync(result, 'utf8')) as RunResult;
    expect(json.stopped.kind).toBe('diverged');
    expect(json.steps.length).toBeGreaterThan(0);
  });

  it.each([
    ['unknown field', { ...spec, colour: 'red' }, 'unknown field "colour"'],
    ['negative n', { ...spec, n: -1 }, 'spec.n'],
    ['depth 0', { ...spec, depth: 0 }, 'spec.depth'],
    ['fractional steps', { ...spec, steps: 10.5 }, 'spec.steps: expected an integer'],
    ['non-numeric alpha', { ...spec, init: { kind: 'identity', alpha: 'small' } }, 'spec.init.alpha'],
    ['broken JSON', '{"n": 10, "depth": ', 'invalid JSON'],
    ['a missing matrix file', { ...spec, target: { kind: 'file', path: 'nope.csv' } }, 'nope.csv: no such file'],
  ])('rejects %s with exit code 2 and one line', async (_, content, message) => {
    const file = specFile('bad.dfl.json', content);
    expect(await main(['run', file])).toBe(2);
    expect(io.err).toContain(message);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('rejects unknown flags, backends, presets and commands in one line', async () => {
    for (const args of [['run', '--bogus'], ['run', '--preset', 'nope'], ['run', '--preset', 'paper-sensing', '--backend', 'gpu'], ['frobnicate']]) {
      io.err = '';
      expect(await main(args)).toBe(2);
      expect(io.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('dfl presets and schema', () => {
  it('lists the five presets of the paper', async () => {
    expect(await main(['presets'])).toBe(0);
    for (const name of ['paper-identity-depths', 'paper-mnist-depths', 'paper-random-init-scale', 'paper-sensing', 'denoise-early-stopping']) expect(io.out).toContain(name);
    // One line per preset, its name first (text is left-aligned), nothing padded at the end.
    const lines = io.out.trimEnd().split('\n').slice(2);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(listPresets().map((p) => p.name));
    expect(lines.every((l) => l === l.trimEnd())).toBe(true);
  });

  it('fits the presets to a terminal: each description cut to its first sentence and the width', async () => {
    const tty = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
    Object.assign(process.stdout, { isTTY: true, columns: 80 });
    try {
      expect(await main(['presets'])).toBe(0);
    } finally {
      Object.assign(process.stdout, tty);
    }
    const lines = io.out.trimEnd().split('\n');
    expect(lines).toHaveLength(listPresets().length + 2);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines.slice(2).some((l) => l.endsWith('…'))).toBe(true);
  });

  it('prints the JSON Schema of experiment files', async () => {
    expect(await main(['schema'])).toBe(0);
    expect(JSON.parse(io.out).title).toBe('Deep Factorization Lab experiment');
  });
});

describe('dfl check', () => {
  it('runs one property and reports counts; rejects an unknown property', async () => {
    expect(await main(['check', '--property', 'intervals-ordered', '--runs', '5', '--seed', '1'])).toBe(0);
    expect(io.out).toMatch(/ok\s+intervals-ordered\s+passed\s+\d+\s+failed 0/);
    expect(await main(['check', '--property', 'nope'])).toBe(2);
  });
});

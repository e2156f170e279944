import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';

// Every bad file of test/fixtures reaches `dfl run` (as a spec, or as the matrix file a spec
// names): each must exit 2 with one line naming the file, never a stack trace.
const io = captureOutput();

const fixtures = path.resolve('test/fixtures');
const badSpecs = readdirSync(path.join(fixtures, 'bad-specs')).filter((f) => f.endsWith('.dfl.json'));
const badMatrices = readdirSync(path.join(fixtures, 'bad')).filter((f) => f !== 'README.md');

function expectOneLine(): void {
  const lines = io.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dfl: /);
  expect(io.err).not.toMatch(/\n\s+at |internal error/);
}

describe('bad input through dfl run', () => {
  it('has a corpus', () => {
    expect(badSpecs.length).toBeGreaterThanOrEqual(10);
    expect(badMatrices.length).toBeGreaterThanOrEqual(20);
  });

  it.each(badSpecs)('spec %s: exit 2, one line', async (file) => {
    expect(await main(['run', path.join(fixtures, 'bad-specs', file)])).toBe(2);
    expectOneLine();
    expect(io.err).toContain(file);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'dfl-bad-'));
  it.each(badMatrices)('matrix file %s named by a spec: exit 2, one line naming it', async (file) => {
    copyFileSync(path.join(fixtures, 'bad', file), path.join(dir, file));
    const spec = path.join(dir, `${file}.dfl.json`);
    writeFileSync(spec, JSON.stringify({ n: 3, depth: 2, target: { kind: 'file', path: file }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10 }));
    expect(await main(['run', spec])).toBe(2);
    expectOneLine();
    expect(io.err).toContain(file);
  });
});

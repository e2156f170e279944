import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { parseRunResult } from '../../core/result';
import { explainViolation, parseClaimFile } from '../../property-tests/index';
import { captureOutput } from '../helpers/cliOutput';

// Claims written from the user documentation alone (docs/claims.md, docs/theory.md), with the
// outcome each should have written down before they were run (expected.json). Each goes through
// `dfl check` in-process; a refuted theorem's counterexample is replayed with `dfl run` and the
// claim must be false on the replayed run at the very place the check printed.

const io = captureOutput();

const folder = path.resolve('test/fixtures/claims/independent');
const expected = JSON.parse(readFileSync(path.join(folder, 'expected.json'), 'utf8')) as Record<string, { expected: 'holds' | 'fails'; why: string }>;
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.dfl-claim.json'))
  .sort();
const tmp = mkdtempSync(path.join(tmpdir(), 'dfl-indep-'));

describe('claims written from the documentation alone', () => {
  it('expected.json names every claim file and nothing else', () => {
    expect(Object.keys(expected).sort()).toEqual(files.map((f) => f.replace('.dfl-claim.json', '')).sort());
  });

  for (const file of files) {
    const name = file.replace('.dfl-claim.json', '');
    it(`${name} ${expected[name]?.expected}`, async () => {
      const claimFile = path.join(folder, file);
      const claim = parseClaimFile(readFileSync(claimFile, 'utf8'), claimFile);
      const code = await main(['check', claimFile, '--runs', '30', '--seed', '1', '--counterexample-dir', tmp]);
      const want = expected[name].expected;
      expect(code, io.out + io.err).toBe(want === 'holds' ? 0 : 1);
      expect(io.out).toContain(`${want === 'holds' ? 'holds' : 'FAILS'}  ${claim.kind} ${claim.name}:`);
      const spec = path.join(tmp, `${name}.counterexample.dfl.json`);
      if (claim.kind === 'observation') {
        expect(io.out).toMatch(/\d+ of \d+ cases \(95 % interval \d+ %–\d+ %\), required \d+ %/);
        // docs/claims.md: an observation's first false case is written only when it fails.
        expect(existsSync(spec)).toBe(want === 'fails');
        return;
      }
      if (want === 'holds') {
        expect(io.out).toMatch(/: 30 of 30 cases/);
        return;
      }
      // The printed line names where the claim is false; the replayed run must say the same.
      const printed = io.out.split('\n').find((line) => line.trim().startsWith('false at '));
      expect(printed, io.out).toBeDefined();
      const out = path.join(tmp, `${name}.result.json`);
      expect(await main(['run', spec, '--out', out]), io.err).toBe(0);
      const result = parseRunResult(JSON.parse(readFileSync(out, 'utf8')), out);
      const violation = explainViolation(claim, { result, variants: {} });
      expect(violation.message).toBe(printed!.trim());
      const where = violation.where;
      expect(where.step !== undefined || where.component !== undefined || where.plateau !== undefined, violation.message).toBe(true);
    }, 60_000);
  }
});

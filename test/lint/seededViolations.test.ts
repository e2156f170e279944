import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the lint script, without type declarations
import { danglingCitations } from '../../scripts/lint/commentPaths.mjs';

// `npm run lint` fails on a seeded violation of each kind: each check runs here, as the real
// tool with the repository's configuration (or its generator), on a small fixture under
// test/lint/fixtures/ (which the normal lint leaves out), and fails on the seeded file only.

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

function tool(name: string, args: string[], fixture: string): { status: number | null; output: string } {
  const r = spawnSync(bin(name), args, { cwd: path.join(FIXTURES, fixture), encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('seeded violations fail the lint', () => {
  it('knip: an unused export', () => {
    const r = tool('knip', ['--no-progress', '--no-config-hints'], 'knip');
    expect(r.output).toMatch(/Unused exports \(1\)\s+neverImported\s+function\s+helpers\.ts:6/);
    expect(r.status).toBe(1);
  });

  it('ESLint: a floating promise (and not its awaited twin)', () => {
    const r = tool('eslint', ['--config', path.join(ROOT, 'eslint.config.mjs'), '--format', 'json', 'floating.ts', 'awaited.ts'], 'eslint');
    const results = (JSON.parse(r.output) as { filePath: string; messages: { ruleId: string; line: number }[] }[]).map((f) => ({
      file: path.basename(f.filePath),
      problems: f.messages.map((m) => `${m.ruleId}:${m.line}`),
    }));
    expect(results).toEqual([
      { file: 'awaited.ts', problems: [] },
      { file: 'floating.ts', problems: ['@typescript-eslint/no-floating-promises:7'] },
    ]);
    expect(r.status).toBe(1);
  }, 60_000);

  it('dependency-cruiser: an import that breaks the map of docs/architecture.md', () => {
    const r = tool('depcruise', ['--config', '.dependency-cruiser.mjs', 'core/breaksMap.ts'], 'map');
    expect(r.output).toMatch(/error map: core\/: core\/breaksMap\.ts → ui\/view\.ts/);
    expect(r.output).toMatch(/1 dependency violations/);
    expect(r.status).not.toBe(0);
  });

  it('dependency-cruiser: the imports the map allows pass', () => {
    const r = tool('depcruise', ['--config', '.dependency-cruiser.mjs', 'ui', 'core/model.ts'], 'map');
    expect(r.output).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it('dependency-cruiser: a cycle, through type-only imports', () => {
    const r = tool('depcruise', ['--config', '.dependency-cruiser.mjs', 'core/cycleA.ts'], 'map');
    expect(r.output).toMatch(/error no-circular: core\/cycleA\.ts →\s+core\/cycleB\.ts →\s+core\/cycleA\.ts/);
    expect(r.status).not.toBe(0);
  });

  it('the comment check: a comment citing a missing file, and one citing an issue number', () => {
    // src/present.ts cites src/reader.ts, which exists.
    expect(danglingCitations(path.join(FIXTURES, 'comments'))).toEqual(['src/dangling.ts:1: src/parser.ts', 'src/ticket.ts:1: cites an issue number ("issue 12")']);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// bin/codeCache.js: the `dfl` command keeps V8's code cache of its bundle in the temporary folder.
// Each test gives the command its own TMPDIR, so the cache it sees is the one the test made.

const ROOT = path.resolve(__dirname, '../..');
const DFL = path.join(ROOT, 'bin', 'dfl.js');
const builtIn = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

function dfl(tmp: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [DFL, 'presets'], { cwd: tmp, env: { ...process.env, TMPDIR: tmp, ...env }, encoding: 'utf8' });
}

function cacheFiles(tmp: string): string[] {
  const dirs = readdirSync(tmp).filter((d) => d.startsWith('dfl-code-cache-'));
  return dirs.flatMap((d) => readdirSync(path.join(tmp, d)).map((f) => path.join(tmp, d, f)));
}

describe.skipIf(builtIn)('the CLI bundle with V8’s code cache (Node 20)', () => {
  it('writes the cache on the first run, reads it on the next, and prints the same', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'dfl-code-cache-test-'));
    const first = dfl(tmp);
    expect(first.status).toBe(0);
    const files = cacheFiles(tmp);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.bin$/);
    expect(statSync(files[0]).size).toBeGreaterThan(10_000);
    const written = statSync(files[0]).mtimeMs;
    const second = dfl(tmp);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Accepted, so not written again, and no temporary file is left behind.
    expect(cacheFiles(tmp)).toEqual(files);
    expect(statSync(files[0]).mtimeMs).toBe(written);
  });

  it('a damaged cache is refused by V8 and replaced; the command is unaffected', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'dfl-code-cache-test-'));
    const good = dfl(tmp);
    const [file] = cacheFiles(tmp);
    const size = statSync(file).size;
    writeFileSync(file, Buffer.alloc(size, 0x5a));
    const again = dfl(tmp);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(good.stdout);
    const rewritten = readFileSync(file);
    expect(rewritten.length).toBeGreaterThan(10_000);
    expect(rewritten.every((b) => b === 0x5a)).toBe(false);
  });

  it('a new cache removes those written over a week ago (of older builds), not newer ones', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'dfl-code-cache-test-'));
    dfl(tmp);
    const [file] = cacheFiles(tmp);
    const dir = path.dirname(file);
    const old = path.join(dir, 'old-build.bin');
    const recent = path.join(dir, 'recent-build.bin');
    writeFileSync(old, 'x');
    writeFileSync(recent, 'x');
    const eightDaysAgo = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    writeFileSync(file, 'damaged'); // refused, so written again
    expect(dfl(tmp).status).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });

  it('DFL_CODE_CACHE=0 keeps no cache; an unwritable temporary folder only costs the compile time', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'dfl-code-cache-test-'));
    const off = dfl(tmp, { DFL_CODE_CACHE: '0' });
    expect(off.status).toBe(0);
    expect(cacheFiles(tmp)).toEqual([]);
    // A file where the folder would go: the cache cannot be made.
    const blocked = path.join(tmp, 'a-file');
    writeFileSync(blocked, '');
    const unwritable = dfl(tmp, { TMPDIR: blocked });
    expect(unwritable.status).toBe(0);
    expect(unwritable.stdout).toBe(off.stdout);
    expect(cacheFiles(tmp)).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A run killed at any moment never leaves half a result: `dfl run --out` writes a
// temporary file and renames it, so the result is either absent or complete.
describe('dfl run killed mid-run', () => {
  it.each([200, 700, 1500])('leaves no partial result when killed after %i ms', async (delay) => {
    expect(existsSync('dist/cli.js'), 'the CLI is built by npm run build').toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'dfl-crash-'));
    const spec = path.join(dir, 'long.dfl.json');
    writeFileSync(spec, JSON.stringify({ n: 64, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 2, 1] }, init: { kind: 'gaussian', alpha: 0.1, seed: 1 }, stepSize: 0.01, steps: 200_000, log: { points: 400 } }));
    const out = path.join(dir, 'result.json');
    const child = spawn(process.execPath, ['bin/dfl.js', 'run', spec, '--out', out, '--quiet'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    if (existsSync(out)) expect(JSON.parse(readFileSync(out, 'utf8')).stopped).toBeDefined();
    else expect(readdirSync(dir).filter((f) => f.startsWith('result.json') && !f.endsWith('.tmp'))).toEqual([]);
  });
});

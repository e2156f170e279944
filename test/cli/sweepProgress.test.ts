import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';

// `dfl sweep --progress json`: the progress that programs read (the VS Code extension's Run
// Sweep), one JSON line per change of the count on stderr, also when stderr is no terminal.

const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-sweep-progress-'));
const sweep = {
  name: 'progress',
  base: { n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 300, log: { points: 20 } },
  axes: { depth: [2, 3], 'init.alpha': [0.05, 0.1] },
};
const file = path.join(dir, 'progress.dfl-sweep.json');
writeFileSync(file, JSON.stringify(sweep));
const jsonLines = () =>
  io.err
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { done: number; total: number; failed: number });

describe('dfl sweep --progress json', () => {
  it('prints the total first, then a line as runs finish, up to done = total; a rerun starts at what is there', async () => {
    const out = path.join(dir, 'out');
    expect(await main(['sweep', file, '--out', out, '--jobs', '1', '--progress', 'json'])).toBe(0);
    const lines = jsonLines();
    expect(lines[0]).toEqual({ done: 0, total: 4, failed: 0 });
    expect(lines.at(-1)).toEqual({ done: 4, total: 4, failed: 0 });
    for (let i = 1; i < lines.length; i++) expect(lines[i].done).toBeGreaterThan(lines[i - 1].done);
    // No terminal line (carriage returns, escapes) mixed in; the closing summary line stays.
    expect(io.err).not.toMatch(/[\r\x1b]/);
    expect(io.err).toMatch(/progress: 4\/4 runs in /);

    io.err = '';
    expect(await main(['sweep', file, '--out', out, '--progress', 'json'])).toBe(0);
    expect(jsonLines()).toEqual([{ done: 4, total: 4, failed: 0 }]);
  });

  it('rejects another progress format in one line, exit 2', async () => {
    expect(await main(['sweep', file, '--out', path.join(dir, 'bad'), '--progress', 'bar'])).toBe(2);
    expect(io.err).toBe('dfl: --progress: expected json (got "bar")\n');
  });
});

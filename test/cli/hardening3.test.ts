import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';
import { expectOneLine, refused as refusedBy, spawnDfl, temporaries } from '../helpers/refusals';

// The third round of hardening (docs/reliability.md, "Bad input, third round"), classes 3–9:
// every input here is refused with one line and exit 2 (or the documented code) within the hang
// bound, before any work; nothing of the user's is replaced, no temporary file stays, no command
// injected into a Slurm script runs.

const io = captureOutput();
const refused = (args: string[], message: string | RegExp, code = 2) => refusedBy(io, args, message, code);

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-hard3-'));
const small = { n: 6, depth: 2, target: { kind: 'spectrum', eigenvalues: [3, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 100, log: { points: 10 } };
const isRoot = process.getuid?.() === 0;

function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

const sweepFile = (name: string, axes: Record<string, unknown>, extra: Record<string, unknown> = {}) => file(name, { base: small, axes, ...extra });

/** A folder with one executable `sbatch` that runs `body` (sh). */
function fakeSbatch(name: string, body: string): string {
  const bin = path.join(dir, name);
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'sbatch'), `#!/bin/sh\n${body}\n`);
  chmodSync(path.join(bin, 'sbatch'), 0o755);
  return bin;
}

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('5. every output is checked before any work', () => {
  it('dfl run --npy under a file, or equal to --out: refused before the run, nothing written', async () => {
    const spec = file('npy.dfl.json', small);
    await refused(['run', spec, '--npy', path.join(file('a-file4.txt', 'x'), 'npy')], 'a part of the path is not a directory');
    expect(io.out).toBe('');
    const same = path.join(dir, 'same');
    await refused(['run', spec, '--out', same, '--npy', same], `--npy ${same}: is also the output ${same}`);
    expect(io.out).toBe('');
    expect(existsSync(same)).toBe(false);
    // An output inside the replay folder would make it exist before the replay files are written.
    await refused(['run', spec, '--out', path.join(same, 'r.json'), '--npy', same], 'is also the output');
    expect(existsSync(same)).toBe(false);
  });

  it('dfl run --npy into a read-only folder: refused before the run (as an unprivileged user)', async () => {
    if (!isRoot) {
      console.warn('read-only folder case skipped: needs root to run dfl as another user');
      return;
    }
    const folder = mkdtempSync(path.join(tmpdir(), 'dfl-ro-npy-'));
    writeFileSync(path.join(folder, 'ro.dfl.json'), JSON.stringify(small));
    chmodSync(folder, 0o555);
    const r = await spawnDfl(['run', 'ro.dfl.json', '--npy', 'npy'], { uid: 65534, gid: 65534, cwd: folder, boundMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, '--npy npy: the folder');
    expect(r.stdout).toBe('');
  });

  it.each([
    ['missing', '/nonexistent/chromium', '--figures: needs Chromium at /nonexistent/chromium'],
    ['failing', '/bin/false', '--figures: Chromium at /bin/false did not start'],
  ])('dfl report --figures with a %s Chromium: refused before the HTML is written', async (_, chromium, message) => {
    const result = path.join(dir, 'report-result.json');
    if (!existsSync(result)) expect(await main(['run', file('report.dfl.json', small), '--out', result, '--quiet'])).toBe(0);
    const html = path.join(dir, `report-${path.basename(chromium)}.html`);
    const saved = process.env.DFL_CHROMIUM;
    process.env.DFL_CHROMIUM = chromium;
    try {
      io.err = '';
      expect(await main(['report', result, '--html', html, '--figures', path.join(dir, 'figs')])).toBe(2);
      expectOneLine(io.err, message);
    } finally {
      if (saved === undefined) delete process.env.DFL_CHROMIUM;
      else process.env.DFL_CHROMIUM = saved;
    }
    expect(existsSync(html)).toBe(false);
    expect(existsSync(path.join(dir, 'figs'))).toBe(false);
    expect(temporaries(dir)).toEqual([]);
  });
});

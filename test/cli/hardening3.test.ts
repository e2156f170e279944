import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';
import { PARSER_HANG_BOUND_MS } from '../fuzzBudget';
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

describe('3. nothing reaches the Slurm job script unquoted', () => {
  // This sbatch runs the job script's shell part (as a task would) and prints a job id: an
  // injected command would run here.
  const running = () => fakeSbatch('sbatch-runs', `cd "${dir}" && for a; do script="$a"; done; SLURM_ARRAY_TASK_ID=0 sh "$script" >/dev/null 2>&1; echo 77`);

  it.each([
    ['a newline and a command', 'out\ntouch INJECTED\n#'],
    ['$(…)', 'out$(touch INJECTED)'],
    ['backticks', 'out`touch INJECTED`'],
    ['a quote', "out'x"],
    ['a blank', 'out x'],
    ['a percent sign (an sbatch pattern)', 'out%j'],
  ])('--out with %s: refused in one line, nothing written, nothing run', async (_, name) => {
    process.env.PATH = `${running()}:${originalPath}`;
    const out = path.join(dir, name);
    await refused(['sweep', sweepFile('slurm.dfl-sweep.json', { depth: [2, 3] }), '--out', out, '--slurm'], 'a Slurm job script cannot name this folder');
    expect(existsSync(path.join(dir, 'INJECTED'))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('odd characters outside the #SBATCH lines (the sweep file\'s folder) are quoted: the task runs, nothing injected', async () => {
    process.env.PATH = `${running()}:${originalPath}`;
    const odd = path.join(dir, "in'$(touch INJECTED)`touch INJECTED`");
    mkdirSync(odd, { recursive: true });
    writeFileSync(path.join(odd, 'odd.dfl-sweep.json'), JSON.stringify({ base: small, axes: { depth: [2, 3] } }));
    const out = path.join(dir, 'odd-out');
    expect(await main(['sweep', path.join(odd, 'odd.dfl-sweep.json'), '--out', out, '--slurm', '--array-size', '1'])).toBe(0);
    expect(io.out).toContain('submitted Slurm job 77');
    expect(existsSync(path.join(dir, 'INJECTED'))).toBe(false);
    // The fake sbatch ran the one task: both runs are in its shard's run store.
    expect(readFileSync(path.join(out, 'sweep', 'shard-0-of-1.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('an sbatch that prints no job id, or fails: one line, exit 2, nothing left behind', async () => {
    const sweep = sweepFile('slurm2.dfl-sweep.json', { depth: [2, 3] });
    process.env.PATH = `${fakeSbatch('sbatch-silent', 'exit 0')}:${originalPath}`;
    await refused(['sweep', sweep, '--out', path.join(dir, 'no-id'), '--slurm'], '--slurm: sbatch printed no job id (nothing)');
    expect(io.out).not.toContain('submitted');
    expect(existsSync(path.join(dir, 'no-id'))).toBe(false);
    process.env.PATH = `${fakeSbatch('sbatch-junk', 'echo "Submitted batch job"')}:${originalPath}`;
    await refused(['sweep', sweep, '--out', path.join(dir, 'no-id'), '--slurm'], '--slurm: sbatch printed no job id ("Submitted batch job")');
    expect(existsSync(path.join(dir, 'no-id'))).toBe(false);
    // A folder that was there stays, as it was.
    const kept = path.join(dir, 'kept');
    mkdirSync(kept);
    writeFileSync(path.join(kept, 'notes.txt'), 'mine');
    process.env.PATH = `${fakeSbatch('sbatch-fails', 'echo "sbatch: error: Invalid partition specified" >&2; exit 1')}:${originalPath}`;
    await refused(['sweep', sweep, '--out', kept, '--slurm'], '--slurm: sbatch refused the job: sbatch: error: Invalid partition specified');
    expect(readdirSync(kept)).toEqual(['notes.txt']);
  });
});

describe('4. where the contract says exit 2 and one line, no internal error', () => {
  it.each([
    ['a file', () => file('a-file.txt', 'x'), 'is an existing file; give a folder'],
    ['a path under a file', () => path.join(file('a-file2.txt', 'x'), 'sub'), 'a part of the path is not a directory'],
    ['/dev/null', () => '/dev/null', '--out /dev/null: is a device; give a folder'],
    ['the sweep file itself', () => path.join(dir, 'self.dfl-sweep.json'), 'is an existing file; give a folder'],
  ])('dfl sweep --out %s', async (_, out, message) => {
    const sweep = sweepFile('self.dfl-sweep.json', { depth: [2, 3] });
    const before = readFileSync(sweep, 'utf8');
    await refused(['sweep', sweep, '--out', out(), '--jobs', '1'], message);
    expect(readFileSync(sweep, 'utf8')).toBe(before);
  });

  it.each([
    ['an empty name', () => '', '--npy: an empty folder name'],
    ['a path under a file', () => path.join(file('a-file3.txt', 'x'), 'npy'), 'a part of the path is not a directory'],
    ['/dev/null/x', () => '/dev/null/x', 'a part of the path is not a directory'],
  ])('dfl export --npy %s', async (_, npy, message) => {
    const result = path.join(dir, 'export-result.json');
    if (!existsSync(result)) expect(await main(['run', file('export.dfl.json', small), '--out', result, '--quiet'])).toBe(0);
    await refused(['export', result, '--npy', npy()], message);
  });

  it('read-only folders: dfl sweep --out and dfl export --npy (as an unprivileged user)', async () => {
    if (!isRoot) {
      console.warn('read-only folder case skipped: needs root to run dfl as another user');
      return;
    }
    const folder = mkdtempSync(path.join(tmpdir(), 'dfl-ro-'));
    writeFileSync(path.join(folder, 'ro.dfl-sweep.json'), JSON.stringify({ base: small, axes: { depth: [2, 3] } }));
    writeFileSync(path.join(folder, 'ro.dfl.json'), JSON.stringify(small));
    expect(await main(['run', path.join(folder, 'ro.dfl.json'), '--out', path.join(folder, 'ro-result.json'), '--quiet'])).toBe(0);
    chmodSync(folder, 0o555);
    const nobody = { uid: 65534, gid: 65534, cwd: folder, boundMs: 20_000 };
    const [sweep, exported] = await Promise.all([
      spawnDfl(['sweep', 'ro.dfl-sweep.json', '--out', 'out', '--jobs', '1'], nobody),
      spawnDfl(['export', 'ro-result.json', '--npy', 'npy'], nobody),
    ]);
    expect(sweep.code, sweep.stderr).toBe(2);
    expectOneLine(sweep.stderr, `--out out: the folder ${folder} is not writable`);
    expect(exported.code, exported.stderr).toBe(2);
    expectOneLine(exported.stderr, `--npy npy: the folder ${folder} is not writable`);
  });

  it('dfl sweep --collect --resubmit without sbatch, and with an sbatch that fails', async () => {
    const sweep = sweepFile('collect.dfl-sweep.json', { depth: [2, 3] });
    const out = path.join(dir, 'collect-out');
    process.env.PATH = `${fakeSbatch('sbatch-ok', 'echo "41;cluster"')}:${originalPath}`;
    expect(await main(['sweep', sweep, '--out', out, '--slurm'])).toBe(0);
    const empty = path.join(dir, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    process.env.PATH = empty;
    await refused(['sweep', '--collect', out, '--resubmit'], '--resubmit: sbatch is not on PATH');
    process.env.PATH = `${fakeSbatch('sbatch-fails2', 'echo "sbatch: error: Slurm controller not responding" >&2; exit 1')}:${originalPath}`;
    io.err = '';
    expect(await main(['sweep', '--collect', out, '--resubmit'])).toBe(2);
    expectOneLine(io.err, '--resubmit: sbatch refused the job: sbatch: error: Slurm controller not responding');
    // The job is the old one: job.json unchanged.
    expect(JSON.parse(readFileSync(path.join(out, 'sweep', 'job.json'), 'utf8')).jobId).toBe('41');
  });

  it('dfl run from a current folder that was deleted', () => {
    const gone = mkdtempSync(path.join(tmpdir(), 'dfl-gone-'));
    const spec = file('gone.dfl.json', small);
    const r = spawnSync('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${path.resolve('bin/dfl.js')}" run "${spec}"`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(2);
    expectOneLine(r.stderr, 'dfl: the current folder no longer exists');
  });

  it('an --out name of 245 bytes: written (its temporary name fits), and Ctrl-C keeps the partial result beside it', async () => {
    const name = path.join(dir, `${'r'.repeat(240)}.json`);
    expect(await main(['run', file('long-name.dfl.json', small), '--out', name, '--quiet'])).toBe(0);
    expect(JSON.parse(readFileSync(name, 'utf8')).stopped.kind).toBe('completed');
    expect(temporaries(dir)).toEqual([]);
    // Ctrl-C half a second into a long run: the partial result's name fits too.
    const long = { ...small, n: 64, init: { kind: 'gaussian', alpha: 0.1, seed: 1 }, steps: 2_000_000, log: { points: 400 } };
    const before = process.listenerCount('SIGINT');
    let listening: number | undefined;
    const ctrlC = setInterval(() => {
      if (process.listenerCount('SIGINT') <= before) return;
      listening ??= Date.now();
      if (Date.now() - listening < 500) return;
      clearInterval(ctrlC);
      process.emit('SIGINT');
    }, 50);
    const code = await main(['run', file('long-name2.dfl.json', long), '--out', name, '--quiet']).finally(() => clearInterval(ctrlC));
    expect(code, io.err).toBe(130);
    expect(JSON.parse(readFileSync(name, 'utf8')).stopped.kind).toBe('completed');
    const partial = readdirSync(dir).find((f) => f.startsWith('rrrr') && f.endsWith('.partial.json'));
    expect(partial, readdirSync(dir).join(', ')).toBeDefined();
    expect(Buffer.byteLength(partial!)).toBeLessThanOrEqual(255);
    expect(JSON.parse(readFileSync(path.join(dir, partial!), 'utf8')).stopped.kind).toBe('cancelled');
    expect(temporaries(dir)).toEqual([]);
  });
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

describe('6. limits from the sweep file and the flags, checked when they are read', () => {
  it('an index far past the array: refused at once (it ran Node out of memory)', async () => {
    const sweep = sweepFile('oom.dfl-sweep.json', { 'target.eigenvalues.99999999': [1] });
    // A child process: before the fix this took the process down after 40 s.
    const r = await spawnDfl(['sweep', sweep, '--out', path.join(dir, 'oom-out')], { cwd: dir, boundMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, 'axes["target.eigenvalues.99999999"]: index 99999999 is past the end of "target.eigenvalues" (3 entries)');
    expect(existsSync(path.join(dir, 'oom-out'))).toBe(false);
  });

  it('10,000 axes: refused when the file is read', async () => {
    const axes = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`a${i}`, [1]]));
    await refused(['sweep', sweepFile('axes.dfl-sweep.json', axes), '--out', path.join(dir, 'axes-out')], 'axes: 10000 axes (at most 64)');
  });

  it.each([['200'], ['1e9'], ['0']])('--jobs %s: refused (at most a few threads per core)', async (jobs) => {
    await refused(['sweep', sweepFile('jobs.dfl-sweep.json', { depth: [2, 3] }), '--out', path.join(dir, 'jobs-out'), '--jobs', jobs], /^dfl: --jobs: (must be from 1 to \d+|expected an integer from 1 to \d+)/);
    expect(existsSync(path.join(dir, 'jobs-out'))).toBe(false);
  });

  it('Ctrl-C while a grid of 10⁶ runs is built: said so, exit 130, nothing written', async () => {
    const sweep = sweepFile('million.dfl-sweep.json', { 'init.alpha': { log: [0.01, 0.3], count: 1000 }, stepSize: { log: [0.001, 0.01], count: 1000 } });
    const out = path.join(dir, 'million-out');
    const r = await spawnDfl(['sweep', sweep, '--out', out], { cwd: dir, interruptWhen: /checking the specs/, boundMs: 60_000 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('checking the specs of 1000000 runs (Ctrl-C stops)');
    expect(r.stderr).toContain('dfl: cancelled while expanding the sweep; nothing written');
    expect(r.afterLastSignal).toBeLessThan(PARSER_HANG_BOUND_MS);
    expect(existsSync(out)).toBe(false);
  });

  it('"shards": 1e9 in job.json: refused when it is read (it looped)', async () => {
    const sweep = sweepFile('shards.dfl-sweep.json', { depth: [2, 3] });
    const out = path.join(dir, 'shards-out');
    process.env.PATH = `${fakeSbatch('sbatch-ok2', 'echo 42')}:${originalPath}`;
    expect(await main(['sweep', sweep, '--out', out, '--slurm'])).toBe(0);
    const jobFile = path.join(out, 'sweep', 'job.json');
    writeFileSync(jobFile, JSON.stringify({ ...JSON.parse(readFileSync(jobFile, 'utf8')), shards: 1e9 }));
    // A child process: before the fix this never returned.
    const r = await spawnDfl(['sweep', '--collect', out], { cwd: dir, boundMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expectOneLine(r.stderr, /job\.json: shards: /);
  });
});

describe('7. axes that change nothing are refused', () => {
  it.each([
    ['a repeated value', { depth: [2, 2, 2] }, 'axes["depth"][1]: gives the same run as [0] (2 and 2)'],
    ['an index past the array', { 'target.eigenvalues.4294967295': [1, 2] }, 'index 4294967295 is past the end of "target.eigenvalues" (3 entries)'],
    ['values equal once parsed', { 'init.alpha': [0.1, 1e-1] }, 'axes["init.alpha"][1]: gives the same run as [0]'],
    ['objects that differ only in key order', { init: [{ kind: 'identity', alpha: 0.2 }, { alpha: 0.2, kind: 'identity' }] }, 'axes["init"][1]: gives the same run as [0]'],
    ['a range of one value', { 'init.alpha': { linear: [0.1, 0.1], count: 3 } }, 'axes["init.alpha"] = 0.1: gives the same run as the value 0.1'],
    ['two axes that set the same field', { init: [{ kind: 'identity', alpha: 0.2 }, { kind: 'identity', alpha: 0.3 }], 'init.alpha': [0.05, 0.1] }, 'axes["init"][1]: gives the same run as [0]'],
  ])('%s', async (_, axes, message) => {
    const out = path.join(dir, 'same-out');
    await refused(['sweep', sweepFile('same.dfl-sweep.json', axes), '--out', out], message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('8. terminal and output', () => {
  const title = '\u001b]0;pwned\u0007\u001b[2J';

  it("a sweep's name with escape sequences is printed escaped, in the progress line and the final line", async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect(await main(['sweep', sweepFile('esc.dfl-sweep.json', { depth: [2, 3] }, { name: title }), '--out', path.join(dir, `esc-out${title}`), '--jobs', '1'])).toBe(0);
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    // The progress line's own control sequences (\r, ESC[K) are the only raw ones.
    expect(io.err.replace(/\r|\u001b\[K/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(io.err).toContain('\\u001b]0;pwned\\u0007');
    expect(io.err).toMatch(/\\u001b\]0;pwned\\u0007\\u001b\[2J: 2\/2 runs/);
  });

  it('a right-to-left override in an unknown command is escaped', async () => {
    await refused(['\u202eevil\u2066'], 'unknown command "\\u202eevil\\u2066"');
    expect(io.err).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it.each([
    ['dfl schema', ['schema']],
    ['dfl run --out', ['run', 'full.dfl.json', '--out', 'full-result.json']],
  ])('%s > /dev/full: one line, exit 74, the files still written', async (_, args) => {
    file('full.dfl.json', small);
    const full = openSync('/dev/full', 'w');
    try {
      const r = await spawnDfl(args, { cwd: dir, stdout: full, boundMs: 30_000 });
      expect(r.code, r.stderr).toBe(74);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('dfl: '))).toEqual(['dfl: cannot write to standard output (no space left on the device)']);
    } finally {
      closeSync(full);
    }
    if (args[0] === 'run') expect(JSON.parse(readFileSync(path.join(dir, 'full-result.json'), 'utf8')).stopped.kind).toBe('completed');
  });
});

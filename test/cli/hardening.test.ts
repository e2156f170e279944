import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';
import { PARSER_HANG_BOUND_MS } from '../fuzzBudget';

// The second round of hardening (docs/reliability.md, "Bad input, second round"): every input
// here is refused with one line and exit 2 (or the documented code) within the hang bound, leaves
// no temporary file and changes no file the user had.

const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-hard-'));
const small = { n: 10, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 200, log: { points: 50 } };
const long = { n: 64, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 2, 1] }, init: { kind: 'gaussian', alpha: 0.1, seed: 1 }, stepSize: 0.01, steps: 2_000_000, log: { points: 400 } };

function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

/** Runs `dfl` in this process; checks one line, exit `code`, and the hang bound of a refusal. */
async function refused(args: string[], message: string | RegExp, code = 2): Promise<void> {
  io.err = '';
  const started = Date.now();
  expect(await main(args), `dfl ${args.join(' ')}: ${io.err}`).toBe(code);
  expect(Date.now() - started).toBeLessThan(PARSER_HANG_BOUND_MS);
  const lines = io.err.trim().split('\n');
  expect(lines, io.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^dfl: /);
  expect(io.err).not.toMatch(/internal error|\n\s+at /);
  if (typeof message === 'string') expect(io.err).toContain(message);
  else expect(io.err).toMatch(message);
}

/** Files in `folder` that a write left behind. */
const temporaries = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  /** Milliseconds from the last signal sent (or the start) to the exit. */
  afterLastSignal: number;
}

/** Runs the built `dfl` in a child process; kills it past `boundMs` (a hang then fails the test). */
function spawnDfl(args: string[], options: { boundMs?: number; signals?: number[]; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<Spawned> {
  expect(existsSync('dist/cli.js'), 'the CLI is built by npm run build').toBe(true);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/dfl.js'), ...args], { env: { ...process.env, ...options.env }, uid: options.uid, gid: options.gid, cwd: dir });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => (stdout += String(d)));
    let last = Date.now();
    for (const at of options.signals ?? [])
      setTimeout(() => {
        last = Date.now();
        child.kill('SIGINT');
      }, at);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.boundMs ?? 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr, stdout, afterLastSignal: Date.now() - last });
    });
  });
}

describe('1. special files are refused, never read', () => {
  it('a matrix target that links to /dev/zero, a FIFO target, dfl run /dev/zero, dfl report /dev/urandom', async () => {
    symlinkSync('/dev/zero', path.join(dir, 'zero.csv'));
    spawnSync('mkfifo', [path.join(dir, 'fifo.csv')]);
    spawnSync('mkfifo', [path.join(dir, 'fifo.dfl.json')]);
    spawnSync('mkfifo', [path.join(dir, 'fifo.dfl-sweep.json')]);
    const cases: [string[], string][] = [
      [['run', file('zero-target.dfl.json', { ...small, n: 3, target: { kind: 'file', path: 'zero.csv' } })], 'zero.csv: a device, not a regular file'],
      [['run', file('fifo-target.dfl.json', { ...small, n: 3, target: { kind: 'file', path: 'fifo.csv' } })], 'fifo.csv: a named pipe, not a regular file'],
      [['run', '/dev/zero'], '/dev/zero: a device, not a regular file'],
      [['run', path.join(dir, 'fifo.dfl.json')], 'fifo.dfl.json: a named pipe, not a regular file'],
      [['report', '/dev/urandom', '--html', path.join(dir, 'r.html')], '/dev/urandom: a device, not a regular file'],
      [['sweep', path.join(dir, 'fifo.dfl-sweep.json'), '--out', path.join(dir, 'sweep-out')], 'fifo.dfl-sweep.json: a named pipe, not a regular file'],
      [['sweep', '/dev/zero', '--out', path.join(dir, 'sweep-out')], '/dev/zero: a device, not a regular file'],
    ];
    // In child processes: before the fix these grew without bound or blocked forever.
    const results = await Promise.all(cases.map(([args]) => spawnDfl(args, { boundMs: 15_000 })));
    results.forEach((r, i) => {
      expect(r.code, `${cases[i][0].join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(cases[i][1]);
    });
    expect(existsSync(path.join(dir, 'r.html'))).toBe(false);
    expect(existsSync(path.join(dir, 'sweep-out'))).toBe(false);
  });

  it('a file larger than the cap is refused by its size', async () => {
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, '');
    spawnSync('truncate', ['-s', `${65 * 1024 * 1024}`, big]);
    await refused(['run', file('big-target.dfl.json', { ...small, n: 3, target: { kind: 'file', path: 'big.csv' } })], /big\.csv: \d+ bytes is larger than the limit of 67108864/);
  });
});

describe('2. limits known from the spec are checked when it is parsed', () => {
  const symmetric2000 = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 2000 }, (_, j) => (i === j ? 1 : 0)));
  it.each([
    ['lowRankPlusNoise, n = 100000', { ...small, n: 100_000, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1 } }, 'spec.n: 100000 is too large for a lowRankPlusNoise target'],
    ['lowRankPlusNoise, n = 3000', { ...small, n: 3000, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1 } }, 'spec.n: 3000 is too large'],
    ['an inline symmetric 2000×2000 matrix', { ...small, n: 2000, target: { kind: 'matrix', data: symmetric2000 } }, 'spec.n: 2000 is too large for an inline matrix target (at most 1024'],
    ['sensing with n = 1024', { ...small, n: 1024, problem: { kind: 'sensing', measurements: 100 } }, 'spec.problem.measurements: 100 measurements of a 1024×1024 matrix need 104857600 operator entries (limit 67108864)'],
    ['gaussian init, n = 3000', { ...small, n: 3000, init: { kind: 'gaussian', alpha: 0.1 } }, 'spec.n: 3000 is too large for the matrix path, which init gaussian needs'],
  ])('%s', async (_, spec, message) => {
    await refused(['run', file('limit.dfl.json', spec)], message);
  });
});

describe('3. Ctrl-C', () => {
  // n = 1024: building the target alone takes seconds of synchronous float64 work.
  const heavy = { n: 1024, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 5, noise: 0.01, seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 100_000, engine: 'matrix' };

  it('a second Ctrl-C ends the process at once, even inside a long synchronous stage; nothing is written', async () => {
    const spec = file('heavy.dfl.json', heavy);
    const result = path.join(dir, 'heavy.json');
    const r = await spawnDfl(['run', spec, '--out', result], { signals: [2500, 2800], boundMs: 60_000 });
    expect(r.code === 130 || r.signal === 'SIGINT', r.stderr).toBe(true);
    // Before: both were ignored until the build finished (tens of seconds here).
    expect(r.afterLastSignal).toBeLessThan(PARSER_HANG_BOUND_MS);
    expect(existsSync(result)).toBe(false);
    expect(temporaries(dir)).toEqual([]);
  });

  it('a first Ctrl-C during the setup stops it at its next piece: exit 130, nothing written', async () => {
    const spec = file('heavy2.dfl.json', { ...heavy, n: 768 });
    const result = path.join(dir, 'heavy2.json');
    const r = await spawnDfl(['run', spec, '--out', result], { signals: [2500], boundMs: 60_000 });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('cancelled before the first step; nothing written');
    expect(existsSync(result)).toBe(false);
  });
});

describe('4. a cancelled or failed run never replaces the user\'s file', () => {
  it('Ctrl-C with --out on an existing result: the old one stays, the partial one goes beside it', async () => {
    const spec = file('long.dfl.json', long);
    const previous = file('prev.json', '{"previous": true}');
    // Ctrl-C as Node delivers it, half a second after the run's listener is added (the setup of
    // this small run takes milliseconds, so the steps are under way by then).
    const before = process.listenerCount('SIGINT');
    let listening: number | undefined;
    const ctrlC = setInterval(() => {
      if (process.listenerCount('SIGINT') <= before) return;
      listening ??= Date.now();
      if (Date.now() - listening < 500) return;
      clearInterval(ctrlC);
      process.emit('SIGINT');
    }, 50);
    const code = await main(['run', spec, '--out', previous, '--quiet']).finally(() => clearInterval(ctrlC));
    expect(code).toBe(130);
    expect(readFileSync(previous, 'utf8')).toBe('{"previous": true}');
    const partial = JSON.parse(readFileSync(path.join(dir, 'prev.partial.json'), 'utf8'));
    expect(partial.stopped.kind).toBe('cancelled');
    expect(io.err).toMatch(/the partial result is in .*prev\.partial\.json; .*prev\.json is unchanged/);
    expect(io.err).not.toMatch(/wrote .*prev\.json/);
    expect(temporaries(dir)).toEqual([]);
  });

  it('an output that is also an input is refused before anything runs', async () => {
    const spec = file('self.dfl.json', small);
    const before = readFileSync(spec, 'utf8');
    await refused(['run', spec, '--out', spec], 'is also an input');
    expect(readFileSync(spec, 'utf8')).toBe(before);
    const result = path.join(dir, 'self-result.json');
    expect(await main(['run', spec, '--out', result, '--quiet'])).toBe(0);
    const saved = readFileSync(result, 'utf8');
    await refused(['report', result, '--html', result], 'is also an input');
    expect(readFileSync(result, 'utf8')).toBe(saved);
    // The same file by another name (a link) is the same input.
    symlinkSync(result, path.join(dir, 'alias.json'));
    await refused(['report', result, '--html', path.join(dir, 'alias.json')], 'is also an input');
  });
});

describe('5. output paths are checked before running', () => {
  it.each([
    ['an existing directory', () => dir, 'is a directory'],
    ['an empty path', () => '', '--out: an empty file name'],
    ['/dev/null', () => '/dev/null', '--out /dev/null: is a device'],
    ['/dev/full', () => '/dev/full', '--out /dev/full: is a device'],
    ['a file under a file', () => path.join(file('plain.txt', 'x'), 'r.json'), 'is not a directory'],
  ])('--out %s: exit 2 before the run, nothing changed', async (_, target, message) => {
    const spec = file('out.dfl.json', long);
    await refused(['run', spec, '--out', target()], message);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(temporaries(dir)).toEqual([]);
  });

  it("a preset's --out that is an existing file fails before the preset runs", async () => {
    const existing = file('not-a-folder.json', '{"keep": 1}');
    await refused(['run', '--preset', 'paper-identity-depths', '--out', existing], 'is an existing file; give a folder');
    expect(io.out).toBe('');
    expect(readFileSync(existing, 'utf8')).toBe('{"keep": 1}');
  });

  it('a full disk: exit 2 with one line, no temporary file, the old file intact', async () => {
    // A 64 kB tmpfs in a private mount namespace (root only; skipped with the reason elsewhere).
    const probe = spawnSync('unshare', ['--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt && echo ok']);
    if (String(probe.stdout).trim() !== 'ok') {
      console.warn(`full-disk case skipped: cannot mount a tmpfs here (${String(probe.stderr).trim()})`);
      return;
    }
    const spec = file('full.dfl.json', { ...small, n: 200, steps: 2000, log: { points: 400 } });
    const script = `mount -t tmpfs -o size=64k tmpfs /mnt && echo old > /mnt/r.json && "${process.execPath}" "${path.resolve('bin/dfl.js')}" run "${spec}" --out /mnt/r.json --quiet; echo "rc=$?"; cat /mnt/r.json; ls -a /mnt`;
    const r = spawnSync('unshare', ['--mount', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout, r.stderr).toContain('rc=2');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/mnt/r.json: cannot write (no space left on the device)');
    expect(r.stdout).toContain('old');
    expect(r.stdout).not.toMatch(/\.tmp/);
  });
});

describe('6. unreadable inputs', () => {
  it('a directory as the spec or as the matrix file: said so, exit 2', async () => {
    mkdirSync(path.join(dir, 'folder.csv'), { recursive: true });
    await refused(['run', path.join(dir, 'folder.csv')], 'folder.csv: a directory, not a regular file');
    await refused(['run', file('dir-target.dfl.json', { ...small, n: 3, target: { kind: 'file', path: 'folder.csv' } })], 'folder.csv: a directory, not a regular file');
  });

  it('files without read permission: "permission denied", exit 2 (as an unprivileged user)', async () => {
    if (process.getuid?.() !== 0) {
      console.warn('permission case skipped: needs root to run dfl as another user');
      return;
    }
    const folder = mkdtempSync(path.join(tmpdir(), 'dfl-perm-'));
    chmodSync(folder, 0o755);
    const matrix = path.join(folder, 'secret.csv');
    writeFileSync(matrix, '1,0\n0,1\n');
    chmodSync(matrix, 0o000);
    const spec = path.join(folder, 'perm.dfl.json');
    writeFileSync(spec, JSON.stringify({ ...small, n: 2, target: { kind: 'file', path: 'secret.csv' } }));
    const hidden = path.join(folder, 'hidden.dfl.json');
    writeFileSync(hidden, JSON.stringify(small));
    chmodSync(hidden, 0o000);
    const nobody = { uid: 65534, gid: 65534, boundMs: 20_000 };
    const [target, own] = await Promise.all([spawnDfl(['run', spec], nobody), spawnDfl(['run', hidden], nobody)]);
    expect(target.code, target.stderr).toBe(2);
    expect(target.stderr).toContain('secret.csv: permission denied');
    expect(own.code, own.stderr).toBe(2);
    expect(own.stderr).toContain('hidden.dfl.json: permission denied');
  });
});

describe('7. dfl report validates every result with the result schema', () => {
  let valid: Record<string, unknown>;
  beforeEach(async () => {
    const result = path.join(dir, 'valid.json');
    if (!existsSync(result)) expect(await main(['run', file('valid.dfl.json', small), '--out', result, '--quiet'])).toBe(0);
    valid = JSON.parse(readFileSync(result, 'utf8'));
  });
  it.each([
    ['null steps', (r: Record<string, unknown>) => ({ ...r, steps: null }), 'result.steps'],
    ['"steps": "abc"', (r: Record<string, unknown>) => ({ ...r, steps: 'abc' }), 'result.steps'],
    ['null stopped', (r: Record<string, unknown>) => ({ ...r, stopped: null }), 'result.stopped'],
    ['ragged singular values', (r: Record<string, unknown>) => ({ ...r, singularValues: (r.singularValues as number[][]).map((row, i) => (i === 3 ? row.slice(1) : row)) }), 'result.singularValues[3]'],
    ['a loss series shorter than steps', (r: Record<string, unknown>) => ({ ...r, loss: (r.loss as number[]).slice(1) }), 'result.loss'],
    ['an array', () => [1, 2], 'not a dfl result'],
  ])('%s: one line naming the file and the field', async (_, mutate, field) => {
    const bad = file('bad-result.json', mutate(valid));
    const html = path.join(dir, 'bad.html');
    await refused(['report', bad, '--html', html, '--figures', path.join(dir, 'figs')], field);
    expect(io.err).toContain('bad-result.json');
    expect(existsSync(html)).toBe(false);
  });
});

describe('8. dfl check flags', () => {
  it.each([
    [['--runs', '0'], '--runs: must be from 1 to 100000 (got 0)'],
    [['--runs', '-1'], '--runs: must be from 1 to 100000 (got -1)'],
    [['--runs', '1e9'], '--runs: expected an integer from 1 to 100000, got "1e9"'],
    [['--max-n', '0'], '--max-n: must be from 2'],
    [['--max-n', '1'], '--max-n: must be from 2'],
    [['--seed', '1e300'], '--seed: expected an integer'],
    [['--seed', '4294967296'], '--seed: must be from 0 to 2147483647 (got 4294967296)'],
    [['--seed', '0x10'], '--seed: expected an integer'],
    // A positional is a claim file: one that is not there is named.
    [['extra'], 'dfl: extra: no such file'],
  ])('dfl check %j: exit 2, one line', async (args, message) => {
    await refused(['check', ...args], message);
  });

  it('every seed dfl check accepts draws claim cases (the largest seed included)', async () => {
    const { checkClaim, parseClaimFile } = await import('../../property-tests');
    const claim = parseClaimFile(JSON.stringify({ name: 'seed-range', kind: 'theorem', statement: 's', domain: { base: { n: 2, depth: 2, target: { kind: 'spectrum', eigenvalues: [1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 5 }, generate: { 'target.seed': { seeds: 3 } } }, expect: 'size(loss) > 0' }), 'seed.dfl-claim.json');
    const report = await checkClaim(claim, { runs: 2, seed: 2 ** 31 - 2 });
    expect(report).toMatchObject({ cases: 2, applicable: 2, holding: 2, status: 'holds' });
  });
});

describe('9. trajectories are bounded when the spec is parsed', () => {
  it('log every 1 over 10⁷ steps at n = 256: refused with the estimate of the result size', async () => {
    await refused(['run', file('every.dfl.json', { ...small, n: 256, steps: 10_000_000, log: { every: 1 } })], /spec\.log\.every: 1 logs 10000001 steps, a result of about 23\.4 GB \(at most 1000000 steps and 1\.07 GB; log fewer points\)/);
  });
});

describe('13. smaller', () => {
  it('a spectrum whose squares overflow is refused as the inline matrix is', async () => {
    await refused(['run', file('huge-eig.dfl.json', { ...small, target: { kind: 'spectrum', eigenvalues: [1e200, 1] } })], 'spec.target.eigenvalues: entries too large');
  });

  it('escape sequences in names and keys never reach the terminal raw', async () => {
    const title = '\u001b]0;pwned\u0007\u001b[2J';
    expect(await main(['run', file('esc.dfl.json', { ...small, name: title }), '--quiet'])).toBe(0);
    expect(io.out).not.toMatch(/[\u001b\u0007]/);
    expect(io.out).toContain('\\u001b]0;pwned');
    await refused(['run', file('esc-key.dfl.json', { ...small, [title]: 1 })], 'unknown field');
    expect(io.err).not.toMatch(/[\u001b\u0007]/);
  });

  it('unknown flags and arguments of dfl schema and dfl presets are refused', async () => {
    await refused(['schema', '--bogus'], "Unknown option '--bogus'");
    await refused(['presets', '--all'], "Unknown option '--all'");
    await refused(['presets', 'extra'], 'dfl presets: unexpected argument "extra"');
  });

  it('enum errors show the value received', async () => {
    await refused(['run', file('enum.dfl.json', { ...small, engine: 'fast' })], 'spec.engine: unknown value "fast" (expected one of "auto", "spectral", "matrix")');
    await refused(['run', file('enum2.dfl.json', { ...small, effectiveRank: 'huge' })], 'spec.effectiveRank: unknown value "huge"');
  });
});

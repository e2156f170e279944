import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';
import type { RunResult } from '../../core/result';
import { expandSweep } from '../../core/sweep/expand';
import { summaryRow } from '../../core/sweep/summary';

const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-sweep-'));
function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
const resultFiles = (d: string) => readdirSync(d).filter((f) => /^run-[0-9a-f]{16}\.json$/.test(f));
/** The run store's lines (one per finished run), parsed. */
const storeRows = (d: string): Record<string, unknown>[] =>
  existsSync(path.join(d, 'runs.jsonl'))
    ? readFileSync(path.join(d, 'runs.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
const summary = (d: string) => JSON.parse(readFileSync(path.join(d, 'summary.json'), 'utf8')) as { total: number; done: number; rows: Record<string, unknown>[]; columns: string[] };

// Held io.out from the shipped sweeps: depth × α × seed, 36 runs (spectral path: exact float64).
const heldOut = {
  name: 'held-out',
  base: { n: 12, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 1500, log: { points: 60 } },
  axes: { depth: [2, 3, 4], 'init.alpha': { log: [0.05, 0.2], count: 3 }, 'target.seed': { seeds: 4, from: 1 } },
};

describe('dfl sweep', () => {
  it('runs a held-out grid, stores every run and a summary whose rows agree with single dfl runs', async () => {
    const sweepFile = file('held-out.dfl-sweep.json', heldOut);
    const target = path.join(dir, 'held-out');
    expect(await main(['sweep', sweepFile, '--out', target, '--jobs', '2'])).toBe(0);
    expect(storeRows(target).map((r) => r.run).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 36 }, (_, i) => i));
    expect(resultFiles(target)).toHaveLength(0);
    const s = summary(target);
    expect(s.total).toBe(36);
    expect(s.rows.map((r) => r.run)).toEqual(Array.from({ length: 36 }, (_, i) => i));
    expect(s.columns.slice(0, 6)).toEqual(['run', 'hash', 'file', 'depth', 'init.alpha', 'target.seed']);
    const csv = readFileSync(path.join(target, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(37);
    expect(csv[0].split(',')).toEqual(s.columns);

    // Each row against a separate `dfl run` of its spec.
    const expanded = expandSweep(heldOut);
    for (const index of [0, 7, 17, 22, 35]) {
      const point = expanded.points[index];
      const spec = file(`single-${index}.dfl.json`, point.spec);
      const single = path.join(dir, `single-${index}.json`);
      expect(await main(['run', spec, '--out', single, '--quiet'])).toBe(0);
      const result = JSON.parse(readFileSync(single, 'utf8')) as RunResult;
      expect(s.rows[index]).toEqual(JSON.parse(JSON.stringify(summaryRow(expanded, point, result))));
      // The whole result, replayed on demand, is the format of dfl run, with its spec.
      expect(await main(['sweep', '--rerun', String(index), '--out', target])).toBe(0);
      const stored = JSON.parse(readFileSync(path.join(target, String(s.rows[index].file)), 'utf8')) as RunResult;
      expect({ ...stored, elapsedSeconds: 0 }).toEqual({ ...result, elapsedSeconds: 0 });
    }
    expect(s.rows.some((r) => typeof r['predicted.L2.start'] === 'number' && typeof r['measured.L2.start'] === 'number')).toBe(true);
  });

  it('killed half-way and rerun, finishes without redoing finished runs', async () => {
    expect(existsSync('dist/sweep-worker.js'), 'the CLI is built by npm run build').toBe(true);
    const slow = { ...heldOut, name: 'slow', base: { ...heldOut.base, n: 200, steps: 40_000, log: { points: 50 } } };
    const sweepFile = file('slow.dfl-sweep.json', slow);
    const target = path.join(dir, 'slow');
    const child = spawn(process.execPath, ['bin/dfl.js', 'sweep', sweepFile, '--out', target, '--jobs', '1', '--quiet'], { stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    while (storeRows(target).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = storeRows(target);
    const stored = readFileSync(path.join(target, 'runs.jsonl'), 'utf8');
    expect(before.length).toBeGreaterThanOrEqual(5);
    expect(before.length).toBeLessThan(36);
    for (const row of before) expect(row.diverged).toBe(false);

    expect(await main(['sweep', sweepFile, '--out', target, '--jobs', '1'])).toBe(0);
    expect(io.err).toContain(`(${before.length} were already there), ${36 - before.length} run`);
    expect(storeRows(target)).toHaveLength(36);
    // The finished runs' lines are kept as they were; the rest are appended.
    expect(readFileSync(path.join(target, 'runs.jsonl'), 'utf8').startsWith(stored)).toBe(true);
    expect(summary(target).done).toBe(36);
  });

  it('on Ctrl-C keeps every finished result whole, writes the summary of those and exits 130', async () => {
    const slow = { ...heldOut, name: 'interrupted', base: { ...heldOut.base, n: 200, steps: 40_000, log: { points: 50 } } };
    const sweepFile = file('interrupted.dfl-sweep.json', slow);
    const target = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, ['bin/dfl.js', 'sweep', sweepFile, '--out', target, '--jobs', '2', '--quiet'], { stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    while (storeRows(target).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    const rows = storeRows(target);
    expect(rows.length).toBeLessThan(36);
    for (const row of rows) expect(row.diverged).toBe(false);
    expect(summary(target).rows.map((r) => r.hash).sort()).toEqual(rows.map((r) => r.hash).sort());
  });

  it('resumes from what verifies: a torn, garbled, foreign or edited line runs again, and says how many', async () => {
    const small = { ...heldOut, name: 'verify', axes: { depth: [2, 3], 'target.seed': [1, 2, 3] } };
    const sweepFile = file('verify.dfl-sweep.json', small);
    const target = path.join(dir, 'verify');
    expect(await main(['sweep', sweepFile, '--out', target, '--jobs', '1', '--quiet'])).toBe(0);
    const clean = readFileSync(path.join(target, 'summary.json'), 'utf8');
    const lines = readFileSync(path.join(target, 'runs.jsonl'), 'utf8').trim().split('\n');
    const edited = JSON.parse(lines[1]) as Record<string, unknown>;
    const foreign = { ...(JSON.parse(lines[2]) as Record<string, unknown>), hash: '0123456789abcdef' };
    const swapped = { ...(JSON.parse(lines[3]) as Record<string, unknown>), run: (JSON.parse(lines[4]) as { run: number }).run };
    const tampered = [lines[0], JSON.stringify({ ...edited, finalLoss: 'x', 'init.alpha': 7 }), JSON.stringify(foreign), JSON.stringify(swapped), 'null', '[1, 2]'];
    writeFileSync(path.join(target, 'runs.jsonl'), `${tampered.join('\n')}\n${lines[5].slice(0, 40)}`);
    expect(await main(['sweep', sweepFile, '--out', target, '--jobs', '1'])).toBe(0);
    // Only line 0 verified; the torn last line, the edited, foreign, swapped and non-object lines did not.
    expect(io.err).toContain('(1 were already there), 5 run');
    expect(io.err).toContain('6 stored runs did not verify and ran again');
    expect(readFileSync(path.join(target, 'summary.json'), 'utf8')).toBe(clean);
    // The torn line was closed off, so every line the rerun appended parses.
    const appended = readFileSync(path.join(target, 'runs.jsonl'), 'utf8').split('\n').slice(tampered.length + 1).filter((l) => l !== '');
    expect(appended).toHaveLength(5);
    for (const line of appended) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('--results writes each whole result, and --rerun replays a run bit for bit (matrix path, batched kernel)', async () => {
    const gaussian = {
      name: 'gaussian',
      base: { n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'gaussian', alpha: 0.1 }, stepSize: 0.01, steps: 300, log: { points: 20 } },
      axes: { 'init.seed': { seeds: 6, from: 1 } },
    };
    const sweepFile = file('gaussian.dfl-sweep.json', gaussian);
    const target = path.join(dir, 'gaussian');
    expect(await main(['sweep', sweepFile, '--out', target, '--jobs', '1', '--quiet', '--results'])).toBe(0);
    const files = resultFiles(target);
    expect(files).toHaveLength(6);
    const kept = new Map(files.map((f) => [f, readFileSync(path.join(target, f), 'utf8')]));
    const s = summary(target);
    for (const row of [s.rows[0], s.rows[4]]) {
      const before = JSON.parse(kept.get(String(row.file))!) as RunResult;
      expect(await main(['sweep', '--rerun', String(row.hash), '--out', target])).toBe(0);
      const again = JSON.parse(readFileSync(path.join(target, String(row.file)), 'utf8')) as RunResult;
      expect({ ...again, elapsedSeconds: 0 }).toEqual({ ...before, elapsedSeconds: 0 });
    }
    expect(await main(['sweep', '--rerun', 'ffffffffffffffff', '--out', target])).toBe(2);
    expect(io.err).toMatch(/--rerun: "ffffffffffffffff" is no run of this sweep/);
  });

  it('never writes into a folder that is not this sweep\'s: the user\'s files and another sweep\'s summary stay as they were', async () => {
    const small = { ...heldOut, name: 'mine', axes: { depth: [2, 3] } };
    const sweepFile = file('mine.dfl-sweep.json', small);
    const users = path.join(dir, 'users-data');
    mkdirSync(path.join(users, 'sweep'), { recursive: true });
    writeFileSync(path.join(users, 'summary.json'), 'my own summary');
    writeFileSync(path.join(users, 'summary.csv'), 'my,own\n');
    expect(await main(['sweep', sweepFile, '--out', users])).toBe(2);
    expect(io.err).toMatch(/^dfl: --out .*users-data: holds files that are not a sweep's \(summary\.csv, summary\.json, sweep\); give a new or empty folder\n$/);
    expect(readFileSync(path.join(users, 'summary.json'), 'utf8')).toBe('my own summary');
    expect(readdirSync(path.join(users, 'sweep'))).toEqual([]);

    const first = path.join(dir, 'first-sweep');
    expect(await main(['sweep', sweepFile, '--out', first, '--quiet'])).toBe(0);
    const before = readFileSync(path.join(first, 'summary.json'), 'utf8');
    const other = file('other.dfl-sweep.json', { ...small, name: 'other', axes: { depth: [4] } });
    expect(await main(['sweep', other, '--out', first])).toBe(2);
    expect(io.err).toMatch(/holds another sweep \("mine", not "other"\); give another folder/);
    expect(readFileSync(path.join(first, 'summary.json'), 'utf8')).toBe(before);
    // The same sweep edited (one more depth) reuses the runs it still has.
    const edited = file('mine.dfl-sweep.json', { ...small, axes: { depth: [2, 3, 4] } });
    expect(await main(['sweep', edited, '--out', first])).toBe(0);
    expect(io.err).toContain('3/3 runs');
    expect(io.err).toContain('(2 were already there), 1 run');
  });

  it.each([
    ['malformed JSON', '{ "base": ', /^dfl: .*bad-1\.dfl-sweep\.json: invalid JSON/],
    ['an unknown axis path', { ...heldOut, axes: { 'init.alpah': [0.1] } }, /axes\["init\.alpah"\]\[0\]: spec\.init: unknown field "alpah"/],
    ['a value the spec rejects', { ...heldOut, axes: { depth: [2, 0] } }, /axes\["depth"\]\[1\]: spec\.depth: value must be ≥ 1 \(got 0\)/],
    ['an unknown sweep field', { ...heldOut, axis: {} }, /unknown field "axis"/],
  ])('rejects %s with one line, exit 2 and nothing written', async (_, content, pattern) => {
    const name = `bad-${['malformed JSON', 'an unknown axis path', 'a value the spec rejects', 'an unknown sweep field'].indexOf(_) + 1}.dfl-sweep.json`;
    const target = path.join(dir, `bad-out-${name}`);
    expect(await main(['sweep', file(name, content), '--out', target])).toBe(2);
    expect(io.err).toMatch(pattern);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(target)).toBe(false);
  });

  it('prints its help and rejects bad flags', async () => {
    expect(await main(['sweep', '--help'])).toBe(0);
    expect(io.out).toMatch(/dfl sweep SWEEP\.dfl-sweep\.json --out DIR/);
    expect(await main(['sweep', file('h.dfl-sweep.json', heldOut), '--out', path.join(dir, 'h'), '--jobs', '0'])).toBe(2);
    expect(io.err).toMatch(/--jobs: must be from 1 to \d+ \(got 0\)/);
    expect(await main(['sweep', file('h.dfl-sweep.json', heldOut), '--out', path.join(dir, 'h'), '--shard', '3/3'])).toBe(2);
    expect(await main(['sweep', '--collect', path.join(dir, 'nothing-here')])).toBe(2);
  });

  it('runs shards into one folder and collects them into the summary of a local run', async () => {
    const small = { ...heldOut, name: 'sharded', axes: { depth: [2, 3], 'init.alpha': [0.1, 0.2], 'target.seed': [1, 2, 3] } };
    const sweepFile = file('sharded.dfl-sweep.json', small);
    const local = path.join(dir, 'sharded-local');
    const sharded = path.join(dir, 'sharded');
    expect(await main(['sweep', sweepFile, '--out', local, '--jobs', '1', '--quiet'])).toBe(0);
    for (const i of [0, 2]) expect(await main(['sweep', sweepFile, '--out', sharded, '--shard', `${i}/3`, '--jobs', '1', '--quiet'])).toBe(0);
    // The copy the collector reads (written by --slurm before submitting).
    writeFileSync(path.join(sharded, 'sweep', 'sweep.dfl-sweep.json'), readFileSync(sweepFile));
    writeFileSync(path.join(sharded, 'sweep', 'job.json'), JSON.stringify({ jobId: 'none', shards: 3, script: '/nonexistent', sweepFile, baseDir: dir }));
    expect(await main(['sweep', '--collect', sharded])).toBe(1);
    expect(io.out).toMatch(/shard 1\/3: 4 of 4 runs missing/);
    expect(await main(['sweep', sweepFile, '--out', sharded, '--shard', '1/3', '--jobs', '1', '--quiet'])).toBe(0);
    expect(await main(['sweep', '--collect', sharded])).toBe(0);
    expect(readFileSync(path.join(sharded, 'summary.json'), 'utf8')).toBe(readFileSync(path.join(local, 'summary.json'), 'utf8'));
    expect(readFileSync(path.join(sharded, 'summary.csv'), 'utf8')).toBe(readFileSync(path.join(local, 'summary.csv'), 'utf8'));
  });
});

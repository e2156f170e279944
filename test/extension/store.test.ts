import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/result';
import { isStaleTemporary, processRunning, RunStore, slug, timestampName, writeFileAtomic } from '../../extension/runs/runStore';
import { formatPlateauRow, plateauMarkdown, plateauRows, resultCsv } from '../../core/report/plateauTable';
import { smallResult } from './fixtures';

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});

describe('RunStore', () => {
  it('saves result JSON atomically (no temporary file left) and reads it back', () => {
    const store = new RunStore(path.join(mkdtempSync(path.join(tmpdir(), 'dfl-store-')), '.dfl', 'runs'));
    const run = store.save(result, new Date('2025-01-02T03:04:05.678Z'));
    expect(run.name).toBe('2025-01-02T03-04-05-678Z-small-n-3.json');
    expect(readdirSync(store.folder)).toEqual([run.name]);
    expect(JSON.parse(readFileSync(run.file, 'utf8')).measured).toEqual(result.measured);
    expect(store.read(run.file).result.steps).toEqual(result.steps);
  });

  it('lists runs newest first and skips files that are not results', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'dfl-store-')));
    const a = store.save(result, new Date('2025-01-01T00:00:00Z'));
    const b = store.save({ ...result, spec: { ...result.spec, name: 'second' } }, new Date('2025-01-02T00:00:00Z'));
    writeFileSync(path.join(store.folder, 'notes.json'), '{"hello": 1}');
    const { runs, skipped } = store.list();
    expect(runs.map((r) => r.name).sort()).toEqual([a.name, b.name].sort());
    expect(runs.map((r) => r.label)).toContain('second');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^notes\.json: /);
  });

  it('refuses files outside its folder (reading and deleting)', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'dfl-store-')));
    const outside = path.join(store.folder, '..', 'elsewhere.json');
    expect(() => store.read(outside)).toThrow(/not a run of this workspace/);
    expect(() => store.delete(path.join(store.folder, 'sub', 'x.json'))).toThrow(/not a run/);
    expect(store.contains(path.join(store.folder, 'x.json'))).toBe(true);
  });

  it('writeFileAtomic replaces a file whole', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dfl-atomic-')), 'a', 'b.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(file))).toEqual(['b.json']);
  });

  it('lists only whole results: not half-written or empty files, not temporaries even when complete', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'dfl-store-')));
    const whole = store.save(result);
    const text = JSON.stringify(result);
    writeFileSync(path.join(store.folder, 'half.json'), text.slice(0, text.length / 2));
    writeFileSync(path.join(store.folder, 'empty.json'), '');
    writeFileSync(path.join(store.folder, `.${whole.name}.123.456.tmp`), text);
    writeFileSync(path.join(store.folder, `${whole.name}.123.tmp`), text);
    const { runs, skipped } = store.list();
    expect(runs.map((r) => r.name)).toEqual([whole.name]);
    expect(skipped.map((s) => s.split(':')[0]).sort()).toEqual(['empty.json', 'half.json']);
  });

  it('writeFileAtomic leaves no temporary when the rename fails', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dfl-atomic-'));
    mkdirSync(path.join(folder, 'taken.json', 'inside'), { recursive: true });
    expect(() => writeFileAtomic(path.join(folder, 'taken.json'), 'x')).toThrow();
    expect(readdirSync(folder)).toEqual(['taken.json']);
  });

  it('tells temporaries of a crashed writer from writes in progress', () => {
    const dead = () => false;
    const alive = () => true;
    // writeFileAtomic's and `dfl run --out`'s names; the pid is what `running` is asked about.
    expect(isStaleTemporary('.2025-a.json.4242.1700000000000.tmp', 20_000, dead)).toBe(true);
    expect(isStaleTemporary('2025-a.json.4242.tmp', 20_000, dead)).toBe(true);
    const asked: number[] = [];
    isStaleTemporary('.a.json.4242.1.tmp', 20_000, (pid) => (asked.push(pid), true));
    expect(asked).toEqual([4242]);
    // A live writer, or one seconds old (maybe another machine's, on a shared folder): kept.
    expect(isStaleTemporary('.a.json.4242.1.tmp', 20_000, alive)).toBe(false);
    expect(isStaleTemporary('.a.json.4242.1.tmp', 5_000, dead)).toBe(false);
    // Far older than any write: stale whoever holds the pid now.
    expect(isStaleTemporary('.a.json.4242.1.tmp', 11 * 60_000, alive)).toBe(true);
    // Not temporaries of result files.
    expect(isStaleTemporary('a.json', 11 * 60_000, dead)).toBe(false);
    expect(isStaleTemporary('.notes.txt.4242.tmp', 11 * 60_000, dead)).toBe(false);
    expect(processRunning(process.pid)).toBe(true);
    expect(processRunning(2 ** 22 + 12345)).toBe(false);
  });

  it('removeStaleTemporaries removes only stale temporaries and says which', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'dfl-store-')));
    const run = store.save(result);
    const stale = `.${run.name}.999.1.tmp`;
    const fresh = `.${run.name}.999.2.tmp`;
    writeFileSync(path.join(store.folder, stale), '{');
    writeFileSync(path.join(store.folder, fresh), '{');
    const now = Date.now();
    const old = new Date(now - 30_000);
    utimesSync(path.join(store.folder, stale), old, old);
    expect(store.removeStaleTemporaries(now, () => false)).toEqual([stale]);
    expect(readdirSync(store.folder).sort()).toEqual([fresh, run.name].sort());
    expect(new RunStore(path.join(store.folder, 'missing')).removeStaleTemporaries()).toEqual([]);
  });

  it('names files safely', () => {
    expect(slug('paper-identity-depths · N = 3')).toBe('paper-identity-depths-n-3');
    expect(slug('../../etc')).toBe('etc');
    expect(timestampName(new Date('2025-01-02T03:04:05.006Z'))).toBe('2025-01-02T03-04-05-006Z');
  });
});

describe('plateau table', () => {
  const plateaus = {
    spec: { epsilon: 0.1 } as RunResult['spec'],
    predicted: { plateaus: [{ L: 1, start: 100, end: 300, epsilon: 0.1, hypothesesMet: true }, { L: 2, start: 400, end: 500, epsilon: 0.1, hypothesesMet: false }] },
    measured: { plateaus: [{ L: 1, start: 120, end: 280, epsilon: 0.1 }, { L: 3, start: 900, end: 1000, epsilon: 0.1 }] },
  };

  it('pairs predicted and measured intervals by L and says whether they overlap', () => {
    const rows = plateauRows(plateaus);
    expect(rows.map((r) => r.L)).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({ predicted: { start: 100, end: 300 }, measured: { start: 120, end: 280 }, agrees: true });
    expect(rows[1].measured).toBeUndefined();
    expect(rows[1].agrees).toBeUndefined();
    expect(formatPlateauRow(rows[0])).toBe('L = 1: predicted 100–300, measured 120–280 ✓');
    expect(formatPlateauRow(rows[1])).toBe('L = 2: predicted 400–500 (hypotheses not met), measured —');
  });

  it('renders Markdown with a footnote for unmet hypotheses', () => {
    const md = plateauMarkdown(plateaus);
    expect(md).toContain('| 1 | 100–300 | 120–280 | ✓ |');
    expect(md).toContain('| 2 | 400–500 * | — |  |');
    expect(md).toMatch(/hypotheses do not hold/);
  });

  it('matches a real run: every measured plateau of the small N = 3 run appears', () => {
    const rows = plateauRows(result);
    expect(rows.filter((r) => r.measured).length).toBe(result.measured.plateaus.length);
  });

  it('writes the trajectory as CSV, one row per logged step', () => {
    const csv = resultCsv(result).trim().split('\n');
    expect(csv[0]).toBe(['step', 'loss', 'effectiveRank', ...Array.from({ length: result.singularValuesKept }, (_, i) => `sigma${i + 1}`)].join(','));
    expect(csv).toHaveLength(result.steps.length + 1);
    expect(Number(csv[1].split(',')[0])).toBe(0);
  });
});
